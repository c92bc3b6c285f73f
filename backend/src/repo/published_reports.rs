//! Published reports: frozen snapshots of the figures, never recomputed; and what a report
//! needs to know of responses (the versions they answered).

use crate::entities::{published_report, response};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeSet;
use uuid::Uuid;

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
