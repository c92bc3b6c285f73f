//! Results links: each opens one participant's results until it expires. Only the hash of a
//! link's token is stored, so the table cannot be used to open anyone's results.

use crate::entities::results_link;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%org, %participant), err(level = "debug"))]
pub async fn insert(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
    token_hash: String,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<results_link::Model, DbErr> {
    results_link::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(org),
        participant_id: Set(participant),
        token_hash: Set(token_hash),
        created_at: Set(created_at),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_any(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<results_link::Model>, DbErr> {
    results_link::Entity::find_by_id(id).one(db).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_token_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<results_link::Model>, DbErr> {
    results_link::Entity::find()
        .filter(results_link::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

/// Deletes one participant's links (erasure); returns how many.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn delete_of_participant(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<u64, DbErr> {
    let r = results_link::Entity::delete_many()
        .filter(results_link::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Deletes links that expired before `cutoff`; returns how many.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn delete_expired_before(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let r = results_link::Entity::delete_many()
        .filter(results_link::Column::ExpiresAt.lt(cutoff))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
