//! Invitations and responses.

use crate::entities::{invitation, response};
use chrono::NaiveDate;
use domain::{attribution::Attribution, instrument::InstrumentKey};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Query,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<invitation::Model>, DbErr> {
    invitation::Entity::find_by_id(id).one(db).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_short_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::ShortCode.eq(code))
        .one(db)
        .await
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_response_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<response::Model>, DbErr> {
    response::Entity::find_by_id(id).one(db).await
}

/// Every answer to one invitation, first answered first.
#[tracing::instrument(skip_all, fields(%invitation_id), err(level = "debug"))]
pub async fn answers_to(
    db: &impl ConnectionTrait,
    invitation_id: Uuid,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::InvitationId.eq(invitation_id))
        .order_by_asc(response::Column::AnsweredAt)
        .order_by_asc(response::Column::ReceivedAt)
        .all(db)
        .await
}

/// One organisation's responses to one instrument answered in `first..=last` (an index range
/// scan), plus every other answer to the invitations they answer, wherever it falls, so the
/// first-answer rule sees them all.
pub struct PeriodRows {
    /// Answered in the period, by the attribution asked for.
    pub answered: Vec<KpiRow>,
    /// The other answers to the same invitations (any date, any attribution).
    pub others: Vec<KpiRow>,
}

impl PeriodRows {
    pub fn all(&self) -> impl Iterator<Item = &KpiRow> {
        self.answered.iter().chain(&self.others)
    }
}

/// The columns of a response the indicators read: not its answers, comment or hashes, which
/// a year of responses would otherwise decode for nothing.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct KpiRow {
    pub id: Uuid,
    pub invitation_id: Option<Uuid>,
    pub episode_id: Option<Uuid>,
    pub instrument_key: String,
    pub timing: Option<String>,
    pub overall: Option<i16>,
    pub swemwbs_metric: Option<i32>,
    pub respondent: String,
    pub answered_at: chrono::DateTime<chrono::Utc>,
    pub answered_on: NaiveDate,
    pub received_at: chrono::DateTime<chrono::Utc>,
    pub support: String,
    pub channel: String,
}

/// Responses as `KpiRow`s.
fn kpi_rows() -> sea_orm::Select<response::Entity> {
    use response::Column as C;
    response::Entity::find().select_only().columns([
        C::Id,
        C::InvitationId,
        C::EpisodeId,
        C::InstrumentKey,
        C::Timing,
        C::Overall,
        C::SwemwbsMetric,
        C::Respondent,
        C::AnsweredAt,
        C::AnsweredOn,
        C::ReceivedAt,
        C::Support,
        C::Channel,
    ])
}

/// One organisation's responses to one instrument answered in `first..=last`, under the
/// attribution stamped on each (the holder of its episode when it was answered).
fn answered_in(
    org: Uuid,
    instrument: InstrumentKey,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
) -> Condition {
    let mut cond = Condition::all()
        .add(response::Column::OrganisationId.eq(org))
        .add(response::Column::InstrumentKey.eq(instrument.as_str()))
        .add(response::Column::AnsweredOn.between(first, last));
    if let Some(t) = who.team_id {
        cond = cond.add(response::Column::TeamId.eq(t));
    }
    if let Some(s) = who.specialist_id {
        cond = cond.add(response::Column::SpecialistId.eq(s));
    }
    if let Some(p) = &who.programme {
        cond = cond.add(response::Column::Programme.eq(p.as_str()));
    }
    cond
}

/// The ids and episodes of the responses `answered_in` finds, and nothing else of them.
#[tracing::instrument(skip_all, fields(%org, %instrument), err(level = "debug"))]
pub async fn ids_answered_in(
    db: &impl ConnectionTrait,
    org: Uuid,
    instrument: InstrumentKey,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
) -> Result<Vec<(Uuid, Option<Uuid>)>, DbErr> {
    response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .column(response::Column::EpisodeId)
        .filter(answered_in(org, instrument, first, last, who))
        .into_tuple()
        .all(db)
        .await
}

#[tracing::instrument(skip_all, fields(%org, %instrument), err(level = "debug"))]
pub async fn for_period(
    db: &impl ConnectionTrait,
    org: Uuid,
    instrument: InstrumentKey,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
) -> Result<PeriodRows, DbErr> {
    let cond = answered_in(org, instrument, first, last, who);
    // One round trip for the rest: every answer to an invitation answered in the period.
    let answered_invitations = Query::select()
        .column(response::Column::InvitationId)
        .from(response::Entity)
        .cond_where(cond.clone())
        .and_where(response::Column::InvitationId.is_not_null())
        .to_owned();
    let answered = kpi_rows()
        .filter(cond)
        .into_model::<KpiRow>()
        .all(db)
        .await?;
    let known: std::collections::HashSet<Uuid> = answered.iter().map(|r| r.id).collect();
    let mut others = kpi_rows()
        .filter(response::Column::InvitationId.in_subquery(answered_invitations))
        .into_model::<KpiRow>()
        .all(db)
        .await?;
    others.retain(|r| !known.contains(&r.id));
    Ok(PeriodRows { answered, others })
}

/// Satisfaction responses answered in `first..=last` that carry a typed or recorded comment,
/// newest first, at most `limit`.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn comments_for_period(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
    limit: u64,
) -> Result<Vec<response::Model>, DbErr> {
    let mut cond = Condition::all()
        .add(response::Column::OrganisationId.eq(org))
        .add(response::Column::InstrumentKey.is_in([
            InstrumentKey::EmployerSatisfaction.as_str(),
            InstrumentKey::JobseekerSatisfaction.as_str(),
        ]))
        .add(response::Column::AnsweredOn.between(first, last))
        .add(
            Condition::any()
                .add(response::Column::Comment.is_not_null())
                .add(response::Column::Id.in_subquery(super::voice::response_ids_of(org))),
        );
    if let Some(t) = who.team_id {
        cond = cond.add(response::Column::TeamId.eq(t));
    }
    if let Some(s) = who.specialist_id {
        cond = cond.add(response::Column::SpecialistId.eq(s));
    }
    if let Some(p) = &who.programme {
        cond = cond.add(response::Column::Programme.eq(p.as_str()));
    }
    response::Entity::find()
        .filter(cond)
        .order_by_desc(response::Column::AnsweredAt)
        .order_by_desc(response::Column::ReceivedAt)
        .limit(limit)
        .all(db)
        .await
}

/// Episodes whose start, end or employer-survey date (job start + 4 weeks) falls in the period,
/// of the programme asked and ever held by the team or specialist asked: whether each due day
/// is theirs is decided by the holder on that day (`reports::coverage`).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn episodes_due(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: NaiveDate,
    last: NaiveDate,
    who: &Attribution,
) -> Result<Vec<crate::entities::episode::Model>, DbErr> {
    use crate::entities::episode;
    let lag = domain::coverage::EMPLOYER_SURVEY_AFTER;
    episode::Entity::find()
        .filter(super::records::episodes_of(org, who))
        .filter(
            Condition::any()
                .add(episode::Column::StartedOn.between(first, last))
                .add(episode::Column::EndedOn.between(first, last))
                .add(episode::Column::JobStartedOn.between(first - lag, last - lag)),
        )
        .all(db)
        .await
}

/// Every response linked to the given episodes, of one instrument or all, any date (a pair
/// needs the start form of a long episode; coverage counts an answer that came late).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn responses_of_episodes(
    db: &impl ConnectionTrait,
    org: Uuid,
    episodes: &[Uuid],
    instrument: Option<InstrumentKey>,
) -> Result<Vec<KpiRow>, DbErr> {
    let mut out = Vec::new();
    for chunk in episodes.chunks(500) {
        let mut q = kpi_rows()
            .filter(response::Column::OrganisationId.eq(org))
            .filter(response::Column::EpisodeId.is_in(chunk.iter().copied()));
        if let Some(key) = instrument {
            q = q.filter(response::Column::InstrumentKey.eq(key.as_str()));
        }
        out.extend(q.into_model::<KpiRow>().all(db).await?);
    }
    Ok(out)
}

/// Which forms each of these episodes has had answered (any date): each distinct
/// (episode, instrument, timing) once.
#[tracing::instrument(skip_all, fields(n = episodes.len()), err(level = "debug"))]
pub async fn forms_answered(
    db: &impl ConnectionTrait,
    org: Uuid,
    episodes: &[Uuid],
) -> Result<Vec<(Uuid, String, Option<String>)>, DbErr> {
    let mut out = Vec::new();
    for chunk in episodes.chunks(500) {
        out.extend(
            response::Entity::find()
                .select_only()
                .column(response::Column::EpisodeId)
                .column(response::Column::InstrumentKey)
                .column(response::Column::Timing)
                .distinct()
                .filter(response::Column::OrganisationId.eq(org))
                .filter(response::Column::EpisodeId.is_in(chunk.iter().copied()))
                .into_tuple::<(Uuid, String, Option<String>)>()
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// Invitations made between two instants, each with whether anyone answered it: one query,
/// the database checking each for an answer.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn invitations_made(
    db: &impl ConnectionTrait,
    org: Uuid,
    from: chrono::DateTime<chrono::Utc>,
    until: chrono::DateTime<chrono::Utc>,
    who: &Attribution,
) -> Result<Vec<MadeInvitation>, DbErr> {
    use crate::entities::episode;
    use sea_orm::sea_query::{Expr, ExprTrait};
    let answer = Query::select()
        .expr(Expr::val(1))
        .from(response::Entity)
        .and_where(
            Expr::col((response::Entity, response::Column::InvitationId))
                .equals((invitation::Entity, invitation::Column::Id)),
        )
        .to_owned();
    let mut q = invitation::Entity::find()
        .select_only()
        .column(invitation::Column::CreatedAt)
        .column(invitation::Column::EpisodeId)
        .expr_as(Expr::exists(answer), "answered")
        .filter(invitation::Column::OrganisationId.eq(org))
        .filter(invitation::Column::CreatedAt.gte(from))
        .filter(invitation::Column::CreatedAt.lt(until));
    if !who.is_everyone() {
        // Only invitations of episodes the filters could cover; the holder when each was made
        // decides (`reports::coverage`).
        let episodes = Query::select()
            .column(episode::Column::Id)
            .from(episode::Entity)
            .cond_where(super::records::episodes_of(org, who))
            .to_owned();
        q = q.filter(invitation::Column::EpisodeId.in_subquery(episodes));
    }
    q.into_model::<MadeInvitation>().all(db).await
}

/// An invitation as the coverage figure counts it.
#[derive(Debug, Clone, Copy, sea_orm::FromQueryResult)]
pub struct MadeInvitation {
    #[sea_orm(from_alias = "created_at")]
    pub made_at: chrono::DateTime<chrono::Utc>,
    pub episode_id: Option<Uuid>,
    pub answered: bool,
}

/// How many responses one participant has.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn count_for_participant(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    response::Entity::find()
        .filter(response::Column::ParticipantId.eq(participant))
        .count(db)
        .await
}
