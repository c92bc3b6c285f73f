//! Unsubscribes: a participant who used an unsubscribe link gets no email of any kind again,
//! nor does any record of the organisation with the address that unsubscribed.

use crate::entities::mail_optout;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn has_opted_out(db: &impl ConnectionTrait, participant: Uuid) -> Result<bool, DbErr> {
    Ok(mail_optout::Entity::find_by_id(participant)
        .one(db)
        .await?
        .is_some())
}

/// Whether this participant, or anyone of the organisation at this normalised `address`,
/// has unsubscribed. One query, by primary key or the (organisation, address) index.
#[tracing::instrument(skip_all, fields(%org, %participant), err(level = "debug"))]
pub async fn is_opted_out(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
    address: Option<&str>,
) -> Result<bool, DbErr> {
    let mut who = Condition::any().add(mail_optout::Column::ParticipantId.eq(participant));
    if let Some(address) = address {
        who = who.add(
            Condition::all()
                .add(mail_optout::Column::OrganisationId.eq(org))
                .add(mail_optout::Column::Address.eq(address)),
        );
    }
    Ok(mail_optout::Entity::find()
        .filter(who)
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
    address: Option<String>,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    if has_opted_out(db, participant).await? {
        return Ok(());
    }
    let am = mail_optout::ActiveModel {
        participant_id: Set(participant),
        organisation_id: Set(org),
        at: Set(at),
        address: Set(address),
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
