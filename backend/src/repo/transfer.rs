//! The audit spreadsheet's queries: an organisation's participants, episodes (with their
//! referrals and jobs) and responses whole, in the order the files list them, and the inserts
//! that write an import.

use crate::entities::{episode, job, participant, referral, response, team};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Every participant of the organisation, in no particular order.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn participants(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org))
        .all(db)
        .await
}

/// Every episode of the organisation, oldest first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn episodes(db: &impl ConnectionTrait, org: Uuid) -> Result<Vec<episode::Model>, DbErr> {
    episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .order_by_asc(episode::Column::StartedOn)
        .order_by_asc(episode::Column::Id)
        .all(db)
        .await
}

/// Every referral of the organisation, oldest first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn referrals(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::OrganisationId.eq(org))
        .order_by_asc(referral::Column::ReferredOn)
        .order_by_asc(referral::Column::Id)
        .all(db)
        .await
}

/// Every job of the organisation, in the order they started.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn jobs(db: &impl ConnectionTrait, org: Uuid) -> Result<Vec<job::Model>, DbErr> {
    job::Entity::find()
        .filter(job::Column::OrganisationId.eq(org))
        .order_by_asc(job::Column::StartedOn)
        .order_by_asc(job::Column::Id)
        .all(db)
        .await
}

/// Every response of the organisation, in the order they were answered.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn responses(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::OrganisationId.eq(org))
        .order_by_asc(response::Column::AnsweredAt)
        .order_by_asc(response::Column::ReceivedAt)
        .all(db)
        .await
}

/// The stored responses with these ids, in any organisation: an import must see an id that
/// another organisation's record already has, to refuse it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn responses_any(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, response::Model>, DbErr> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in response::Entity::find()
            .filter(response::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            out.insert(r.id, r);
        }
    }
    Ok(out)
}

/// Creates teams under the ids an import has already given their responses (name to id).
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn insert_teams(
    db: &impl ConnectionTrait,
    org: Uuid,
    teams: HashMap<String, Uuid>,
) -> Result<(), DbErr> {
    for (name, id) in teams {
        team::ActiveModel {
            id: Set(id),
            organisation_id: Set(org),
            name: Set(name),
            created_at: Set(chrono::Utc::now()),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Inserts an import's new records one at a time, stopping at the first that fails (the
/// caller's transaction then writes none of them).
#[tracing::instrument(skip_all, fields(n = records.len()), err(level = "debug"))]
pub async fn insert_each<A>(db: &impl ConnectionTrait, records: Vec<A>) -> Result<(), DbErr>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    for r in records {
        r.insert(db).await?;
    }
    Ok(())
}
