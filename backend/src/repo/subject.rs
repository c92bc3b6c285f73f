//! One participant's records across the tables, for subject access, erasure and retention.
//! The caller has already checked that the participant belongs to its organisation.

use crate::entities::{episode, invitation, mail_message, referral, response, support_session};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// The participant's support episodes, oldest first.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn episodes(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Vec<episode::Model>, DbErr> {
    episode::Entity::find()
        .filter(episode::Column::ParticipantId.eq(participant))
        .order_by_asc(episode::Column::StartedOn)
        .all(db)
        .await
}

/// The participant's referrals, oldest first.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn referrals(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Vec<referral::Model>, DbErr> {
    referral::Entity::find()
        .filter(referral::Column::ParticipantId.eq(participant))
        .order_by_asc(referral::Column::ReferredOn)
        .all(db)
        .await
}

/// The sessions of these episodes, by the day they were held.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn sessions(
    db: &impl ConnectionTrait,
    episodes: Vec<Uuid>,
) -> Result<Vec<support_session::Model>, DbErr> {
    support_session::Entity::find()
        .filter(support_session::Column::EpisodeId.is_in(episodes))
        .order_by_asc(support_session::Column::HeldOn)
        .all(db)
        .await
}

#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn invitations(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Vec<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::ParticipantId.eq(participant))
        .all(db)
        .await
}

/// The participant's answers, in the order they were given.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn responses(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Vec<response::Model>, DbErr> {
    response::Entity::find()
        .filter(response::Column::ParticipantId.eq(participant))
        .order_by_asc(response::Column::AnsweredAt)
        .all(db)
        .await
}

/// The emails sent or waiting to be sent to the participant, oldest first.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn emails(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<Vec<mail_message::Model>, DbErr> {
    mail_message::Entity::find()
        .filter(mail_message::Column::ParticipantId.eq(participant))
        .order_by_asc(mail_message::Column::CreatedAt)
        .all(db)
        .await
}
