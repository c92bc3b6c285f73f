//! What the retention job reads: the organisations that set a retention period, and their
//! people it may still have to erase.

use crate::entities::{organisation_setting, participant};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};
use uuid::Uuid;

/// The settings of every organisation that has a retention period.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn organisations_with_retention(
    db: &impl ConnectionTrait,
) -> Result<Vec<organisation_setting::Model>, DbErr> {
    organisation_setting::Entity::find()
        .filter(organisation_setting::Column::RetentionDays.is_not_null())
        .all(db)
        .await
}

/// The organisation's jobseekers not yet erased: retention counts from the end of support,
/// which only jobseekers receive.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn unerased_jobseekers(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org))
        .filter(participant::Column::ErasedAt.is_null())
        .filter(participant::Column::Kind.eq(domain::records::ParticipantKind::Jobseeker.as_str()))
        .all(db)
        .await
}
