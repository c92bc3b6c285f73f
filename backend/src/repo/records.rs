//! Participants, consent, episodes and sessions: the records a specialist creates in the field.
//! Reads take the organisation id; caseload rules are applied here so every caller gets them.

use crate::auth::StaffUser;
use crate::entities::{consent, episode, participant, response, support_session};
use domain::{Role, attribution::Attribution};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Query,
};
use uuid::Uuid;

/// Participants this staff member may see: managers and admins see the organisation;
/// a specialist sees people they added and people on (or employing someone on) their caseload.
fn caseload_condition(user: &StaffUser) -> Condition {
    let org = Condition::all().add(participant::Column::OrganisationId.eq(user.organisation_id));
    if user.is_at_least(Role::Manager) {
        return org;
    }
    let mine = Query::select()
        .column(episode::Column::ParticipantId)
        .from(episode::Entity)
        .and_where(episode::Column::SpecialistId.eq(user.id))
        .to_owned();
    let my_employers = Query::select()
        .column(episode::Column::EmployerId)
        .from(episode::Entity)
        .and_where(episode::Column::SpecialistId.eq(user.id))
        .and_where(episode::Column::EmployerId.is_not_null())
        .to_owned();
    org.add(
        Condition::any()
            .add(participant::Column::CreatedBy.eq(user.id))
            .add(participant::Column::Id.in_subquery(mine))
            .add(participant::Column::Id.in_subquery(my_employers)),
    )
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_participant_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<participant::Model>, DbErr> {
    participant::Entity::find_by_id(id).one(db).await
}

/// The references of these participants (any organisation: the caller has scoped the ids).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn references_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for p in participant::Entity::find()
            .filter(participant::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(p.id, p.reference);
        }
    }
    Ok(out)
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn visible_participant(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    id: Uuid,
) -> Result<Option<participant::Model>, DbErr> {
    participant::Entity::find_by_id(id)
        .filter(caseload_condition(user))
        .one(db)
        .await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_participants(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    limit: u64,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(caseload_condition(user))
        .order_by_asc(participant::Column::Reference)
        .limit(limit)
        .all(db)
        .await
}

/// The organisation's episodes with these ids.
#[tracing::instrument(skip_all, fields(n = ids.len()), err(level = "debug"))]
pub async fn episodes_by_ids(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<episode::Model>, DbErr> {
    let mut out = Vec::with_capacity(ids.len());
    // SQLite allows a limited number of bound parameters per statement.
    for chunk in ids.chunks(500) {
        out.extend(
            episode::Entity::find()
                .filter(episode::Column::OrganisationId.eq(org))
                .filter(episode::Column::Id.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_episode_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<episode::Model>, DbErr> {
    episode::Entity::find_by_id(id).one(db).await
}

/// An episode this staff member may see: a specialist only their own.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn visible_episode(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    id: Uuid,
) -> Result<Option<episode::Model>, DbErr> {
    let mut q = episode::Entity::find_by_id(id)
        .filter(episode::Column::OrganisationId.eq(user.organisation_id));
    if !user.is_at_least(Role::Manager) {
        q = q.filter(episode::Column::SpecialistId.eq(user.id));
    }
    q.one(db).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_episodes(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    participant_id: Option<Uuid>,
    limit: u64,
) -> Result<Vec<episode::Model>, DbErr> {
    let mut q =
        episode::Entity::find().filter(episode::Column::OrganisationId.eq(user.organisation_id));
    if !user.is_at_least(Role::Manager) {
        q = q.filter(episode::Column::SpecialistId.eq(user.id));
    }
    if let Some(p) = participant_id {
        q = q.filter(episode::Column::ParticipantId.eq(p));
    }
    q.order_by_desc(episode::Column::StartedOn)
        .limit(limit)
        .all(db)
        .await
}

/// Every episode of the organisation that starts or ends in `first..=last`, of the programme
/// asked and ever held by the team or specialist asked (for the wellbeing gaps; whether each
/// gap is theirs is decided by the holder on its day).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn episodes_touching(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    who: &Attribution,
) -> Result<Vec<episode::Model>, DbErr> {
    episode::Entity::find()
        .filter(episodes_of(org, who))
        .filter(
            Condition::any()
                .add(episode::Column::StartedOn.between(first, last))
                .add(episode::Column::EndedOn.between(first, last)),
        )
        .all(db)
        .await
}

/// The organisation's episodes of the programme `who` asks for, ever held by the team or
/// specialist it asks for.
pub fn episodes_of(org: Uuid, who: &Attribution) -> Condition {
    let mut c = Condition::all().add(episode::Column::OrganisationId.eq(org));
    if let Some(p) = who.programme {
        c = c.add(episode::Column::Programme.eq(p.as_str()));
    }
    if let Some(held) = super::holders::ever_held_by(org, who) {
        c = c.add(held);
    }
    c
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_consent_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<consent::Model>, DbErr> {
    consent::Entity::find_by_id(id).one(db).await
}

#[tracing::instrument(skip_all, fields(%participant_id), err(level = "debug"))]
pub async fn consents_of(
    db: &impl ConnectionTrait,
    participant_id: Uuid,
) -> Result<Vec<consent::Model>, DbErr> {
    consent::Entity::find()
        .filter(consent::Column::ParticipantId.eq(participant_id))
        .order_by_asc(consent::Column::GivenAt)
        .all(db)
        .await
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_session_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<support_session::Model>, DbErr> {
    support_session::Entity::find_by_id(id).one(db).await
}

/// An episode's sessions, oldest first.
#[tracing::instrument(skip_all, fields(%episode), err(level = "debug"))]
pub async fn sessions_of_episode(
    db: &impl ConnectionTrait,
    episode: Uuid,
) -> Result<Vec<support_session::Model>, DbErr> {
    support_session::Entity::find()
        .filter(support_session::Column::EpisodeId.eq(episode))
        .order_by_asc(support_session::Column::HeldOn)
        .order_by_asc(support_session::Column::CreatedAt)
        .all(db)
        .await
}

/// The participant no longer agrees that any of their comments may be quoted.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn withdraw_quotation(db: &impl ConnectionTrait, participant: Uuid) -> Result<(), DbErr> {
    response::Entity::update_many()
        .col_expr(
            response::Column::MayQuote,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(response::Column::ParticipantId.eq(participant))
        .filter(response::Column::MayQuote.eq(true))
        .exec(db)
        .await?;
    Ok(())
}

/// Every consent of the participant still in force ends at `at`.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn withdraw_consents(
    db: &impl ConnectionTrait,
    participant: Uuid,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    consent::Entity::update_many()
        .col_expr(
            consent::Column::WithdrawnAt,
            sea_orm::sea_query::Expr::value(at),
        )
        .filter(consent::Column::ParticipantId.eq(participant))
        .filter(consent::Column::WithdrawnAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
