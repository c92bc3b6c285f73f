//! Referrals and jobs: the steps of an episode's journey beside the episode itself.

use crate::auth::StaffUser;
use crate::entities::{episode, job, referral};
use domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_referral_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<referral::Model>, DbErr> {
    referral::Entity::find_by_id(id).one(db).await
}

/// A referral this staff member may see: a specialist only those they hold.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn visible_referral(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    id: Uuid,
) -> Result<Option<referral::Model>, DbErr> {
    let mut q = referral::Entity::find_by_id(id)
        .filter(referral::Column::OrganisationId.eq(user.organisation_id));
    if !user.is_at_least(Role::Manager) {
        q = q.filter(referral::Column::SpecialistId.eq(user.id));
    }
    q.one(db).await
}

/// The referrals this staff member may see, newest first (of one person when asked).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_referrals(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    participant_id: Option<Uuid>,
) -> Result<Vec<referral::Model>, DbErr> {
    let mut q =
        referral::Entity::find().filter(referral::Column::OrganisationId.eq(user.organisation_id));
    if !user.is_at_least(Role::Manager) {
        q = q.filter(referral::Column::SpecialistId.eq(user.id));
    }
    if let Some(p) = participant_id {
        q = q.filter(referral::Column::ParticipantId.eq(p));
    }
    q.order_by_desc(referral::Column::ReferredOn).all(db).await
}

/// The organisation's referrals made in `first..=last`.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn referrals_between(
    db: &impl ConnectionTrait,
    org: Uuid,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
) -> Result<Vec<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::OrganisationId.eq(org))
        .filter(referral::Column::ReferredOn.between(first, last))
        .all(db)
        .await
}

/// The episode started from a referral, if one has.
#[tracing::instrument(skip_all, fields(%referral_id), err(level = "debug"))]
pub async fn episode_from_referral(
    db: &impl ConnectionTrait,
    referral_id: Uuid,
) -> Result<Option<episode::Model>, DbErr> {
    episode::Entity::find()
        .filter(episode::Column::ReferralId.eq(referral_id))
        .one(db)
        .await
}

/// Of these referrals, those support has started from, with the episode each started.
#[tracing::instrument(skip_all, fields(n = ids.len()), err(level = "debug"))]
pub async fn episodes_from_referrals(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, Uuid>, DbErr> {
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for e in episode::Entity::find()
            .filter(episode::Column::ReferralId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            if let Some(r) = e.referral_id {
                out.insert(r, e.id);
            }
        }
    }
    Ok(out)
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_job_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<job::Model>, DbErr> {
    job::Entity::find_by_id(id).one(db).await
}

/// An episode's jobs, in the order they started.
#[tracing::instrument(skip_all, fields(%episode_id), err(level = "debug"))]
pub async fn jobs_of_episode(
    db: &impl ConnectionTrait,
    episode_id: Uuid,
) -> Result<Vec<job::Model>, DbErr> {
    job::Entity::find()
        .filter(job::Column::EpisodeId.eq(episode_id))
        .order_by_asc(job::Column::StartedOn)
        .order_by_asc(job::Column::Id)
        .all(db)
        .await
}

/// The jobs of these episodes (any organisation: the caller has scoped the ids).
#[tracing::instrument(skip_all, fields(n = ids.len()), err(level = "debug"))]
pub async fn jobs_of_episodes(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<job::Model>, DbErr> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            job::Entity::find()
                .filter(job::Column::EpisodeId.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}

/// The organisation's episodes of the programme asked, ever held by the team or specialist
/// asked, that had started by `by` (the outcome figures' candidates).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn episodes_started_by(
    db: &impl ConnectionTrait,
    org: Uuid,
    by: chrono::NaiveDate,
    who: &domain::attribution::Attribution,
) -> Result<Vec<episode::Model>, DbErr> {
    episode::Entity::find()
        .filter(super::records::episodes_of(org, who))
        .filter(episode::Column::StartedOn.lte(by))
        .all(db)
        .await
}

/// The stored equality answers (JSON) of these participants (any organisation: the caller has
/// scoped the ids).
#[tracing::instrument(skip_all, fields(n = ids.len()), err(level = "debug"))]
pub async fn equality_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, String>, DbErr> {
    use crate::entities::participant;
    let mut out = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        for p in participant::Entity::find()
            .filter(participant::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(p.id, p.equality);
        }
    }
    Ok(out)
}

/// Responses by id (any organisation: the caller has scoped the ids).
#[tracing::instrument(skip_all, fields(n = ids.len()), err(level = "debug"))]
pub async fn responses_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<crate::entities::response::Model>, DbErr> {
    use crate::entities::response;
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            response::Entity::find()
                .filter(response::Column::Id.is_in(chunk.iter().copied()))
                .all(db)
                .await?,
        );
    }
    Ok(out)
}
