//! Unsubscribes: a participant who used an unsubscribe link gets no email of any kind again.

use crate::entities::mail_optout;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn has_opted_out(db: &impl ConnectionTrait, participant: Uuid) -> Result<bool, DbErr> {
    Ok(mail_optout::Entity::find_by_id(participant)
        .one(db)
        .await?
        .is_some())
}

/// Records an unsubscribe; one already recorded (even by a request racing this one) is kept.
#[tracing::instrument(skip_all, fields(%org, %participant), err(level = "debug"))]
pub async fn record(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if has_opted_out(db, participant).await? {
        return Ok(());
    }
    let am = mail_optout::ActiveModel {
        participant_id: Set(participant),
        organisation_id: Set(org),
        at: Set(at),
    };
    match am.insert(db).await {
        Err(e) if !super::is_unique_violation(&e) => Err(e),
        _ => Ok(()),
    }
}

/// Deletes a participant's unsubscribe (erasure); returns how many.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn delete_of_participant(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<u64, DbErr> {
    let r = mail_optout::Entity::delete_many()
        .filter(mail_optout::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
