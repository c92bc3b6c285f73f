//! Published reports: frozen snapshots of the figures, never recomputed.

use crate::entities::published_report;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
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
