//! Published reports: frozen snapshots of the figures, never recomputed; and what a report
//! needs to know of responses (the versions they answered, the ones that arrived late).

use crate::entities::{published_report, response};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The response a quotation in a stored snapshot quotes (`{"response_id", "instrument",
/// "text"}`; a copy shared outside the service has no id).
pub fn quoted_response(quote: &serde_json::Value) -> Option<Uuid> {
    quote
        .get("response_id")
        .and_then(serde_json::Value::as_str)
        .and_then(|id| Uuid::parse_str(id).ok())
}

/// The organisation's published reports that quote any of `responses`, oldest first, each with
/// the ones of `responses` it quotes.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn quoting(
    db: &impl ConnectionTrait,
    org: Uuid,
    responses: &[Uuid],
) -> Result<Vec<(published_report::Model, Vec<Uuid>)>, DbErr> {
    if responses.is_empty() {
        return Ok(Vec::new());
    }
    let reports = published_report::Entity::find()
        .filter(published_report::Column::OrganisationId.eq(org))
        .order_by_asc(published_report::Column::PublishedAt)
        .all(db)
        .await?;
    Ok(reports
        .into_iter()
        .filter_map(|report| {
            let snapshot: serde_json::Value = serde_json::from_str(&report.snapshot).ok()?;
            let quoted: Vec<Uuid> = snapshot
                .get("quotes")?
                .as_array()?
                .iter()
                .filter_map(quoted_response)
                .filter(|id| responses.contains(id))
                .collect();
            (!quoted.is_empty()).then_some((report, quoted))
        })
        .collect())
}

/// Takes the participant's words out of the organisation's published reports: a quotation
/// goes with the comment it quoted (the report's figures stay as published). Returns how many
/// reports changed. Run in a writing transaction; it takes the organisation's changes one at a
/// time, so two people removed at once cannot each write back a report holding the other.
#[tracing::instrument(skip_all, fields(%org, %participant), err(level = "debug"))]
pub async fn unquote(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
) -> Result<u64, DbErr> {
    super::orgs::lock_changes(db, org).await?;
    let theirs: Vec<Uuid> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::ParticipantId.eq(participant))
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    let mut changed = 0;
    for (report, _) in quoting(db, org, &theirs).await? {
        let Ok(mut snapshot) = serde_json::from_str::<serde_json::Value>(&report.snapshot) else {
            continue;
        };
        if let Some(quotes) = snapshot
            .get_mut("quotes")
            .and_then(serde_json::Value::as_array_mut)
        {
            quotes.retain(|q| quoted_response(q).is_none_or(|id| !theirs.contains(&id)));
        }
        let mut am: published_report::ActiveModel = report.into();
        am.snapshot = Set(snapshot.to_string());
        am.update(db).await?;
        changed += 1;
    }
    Ok(changed)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn insert(
    db: &impl ConnectionTrait,
    report: published_report::ActiveModel,
) -> Result<published_report::Model, DbErr> {
    report.insert(db).await
}

#[tracing::instrument(skip_all, fields(%org, %id), err(level = "debug"))]
pub async fn find(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<Option<published_report::Model>, DbErr> {
    published_report::Entity::find_by_id(id)
        .filter(published_report::Column::OrganisationId.eq(org))
        .one(db)
        .await
}

/// Newest first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<published_report::Model>, DbErr> {
    published_report::Entity::find()
        .filter(published_report::Column::OrganisationId.eq(org))
        .order_by_desc(published_report::Column::PublishedAt)
        .all(db)
        .await
}

/// Distinct (instrument key, version) pairs that these responses of the organisation answered.
/// Ids go a few hundred to a statement (SQLite takes at most 32,766 parameters in one).
#[tracing::instrument(skip_all, fields(%org, n = ids.len()), err(level = "debug"))]
pub async fn versions_answered(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<BTreeSet<(String, i32)>, DbErr> {
    let mut out = BTreeSet::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(String, i32)> = response::Entity::find()
            .select_only()
            .column(response::Column::InstrumentKey)
            .column(response::Column::InstrumentVersion)
            .distinct()
            .filter(response::Column::OrganisationId.eq(org))
            .filter(response::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// The stored ratings of these responses of the organisation (unreadable ones left out),
/// a few hundred ids to a statement.
#[tracing::instrument(skip_all, fields(%org, n = ids.len()), err(level = "debug"))]
pub async fn answers_of(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Vec<Option<u8>>>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<String> = response::Entity::find()
            .select_only()
            .column(response::Column::Answers)
            .filter(response::Column::OrganisationId.eq(org))
            .filter(response::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple()
            .all(db)
            .await?;
        out.extend(rows.iter().filter_map(|a| serde_json::from_str(a).ok()));
    }
    Ok(out)
}

/// The organisation's responses of these ids (at most the ten a report may quote), for the
/// report to decide whether it may quote their comments.
#[tracing::instrument(skip_all, fields(%org, n = ids.len()), err(level = "debug"))]
pub async fn comments_to_quote(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The organisation's reports whose period shares at least one day with `first..=last`,
/// newest first.
#[tracing::instrument(skip_all, fields(%org, %first, %last), err(level = "debug"))]
pub async fn overlapping(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: NaiveDate,
    last: NaiveDate,
) -> Result<Vec<published_report::Model>, DbErr> {
    published_report::Entity::find()
        .filter(published_report::Column::OrganisationId.eq(org))
        .filter(published_report::Column::First.lte(last))
        .filter(published_report::Column::Last.gte(first))
        .order_by_desc(published_report::Column::PublishedAt)
        .all(db)
        .await
}

/// How many of the organisation's responses answered on `first..=last` (their stored
/// `answered_on`) reached the server after `after`.
#[tracing::instrument(skip_all, fields(%org, %first, %last), err(level = "debug"))]
pub async fn received_after(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: NaiveDate,
    last: NaiveDate,
    after: DateTime<Utc>,
) -> Result<u64, DbErr> {
    response::Entity::find()
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::AnsweredOn.between(first, last))
        .filter(response::Column::ReceivedAt.gt(after))
        .count(db)
        .await
}
