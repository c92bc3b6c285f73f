//! Edits to support sessions made offline: applied when made against the current version,
//! otherwise kept beside it as a conflict until a specialist picks a version.

use crate::entities::{session_edit, support_session};
use chrono::{NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

/// What an edit writes into a session.
pub struct SessionFields<'a> {
    pub held_on: NaiveDate,
    pub duration_minutes: i32,
    pub stage: &'a str,
    pub activity: &'a str,
    pub note: &'a str,
}

/// Writes `fields` into the session as its next version: only while it is still at
/// `base_version` when one is given (an edit made offline), whatever its version otherwise (a
/// conflict resolved in favour of the edit). Whether the session was written.
#[tracing::instrument(skip_all, fields(%session_id), err(level = "debug"))]
pub async fn write_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    fields: SessionFields<'_>,
    base_version: Option<i32>,
) -> Result<bool, DbErr> {
    let mut update = support_session::Entity::update_many()
        .col_expr(support_session::Column::HeldOn, Expr::value(fields.held_on))
        .col_expr(
            support_session::Column::DurationMinutes,
            Expr::value(fields.duration_minutes),
        )
        .col_expr(support_session::Column::Stage, Expr::value(fields.stage))
        .col_expr(
            support_session::Column::Activity,
            Expr::value(fields.activity),
        )
        .col_expr(support_session::Column::Note, Expr::value(fields.note))
        .col_expr(
            support_session::Column::Version,
            Expr::col(support_session::Column::Version).add(1),
        )
        .col_expr(support_session::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(support_session::Column::Id.eq(session_id));
    if let Some(v) = base_version {
        update = update.filter(support_session::Column::Version.eq(v));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<session_edit::Model>, DbErr> {
    session_edit::Entity::find_by_id(id).one(db).await
}

/// The stale edits of a session still waiting to be resolved, oldest first.
#[tracing::instrument(skip_all, fields(%session_id), err(level = "debug"))]
pub async fn conflicts_of(
    db: &impl ConnectionTrait,
    session_id: Uuid,
) -> Result<Vec<session_edit::Model>, DbErr> {
    session_edit::Entity::find()
        .filter(session_edit::Column::SessionId.eq(session_id))
        .filter(session_edit::Column::Outcome.eq(CONFLICT))
        .order_by_asc(session_edit::Column::CreatedAt)
        .all(db)
        .await
}

/// One unresolved conflict of this session.
#[tracing::instrument(skip_all, fields(%session_id, %edit_id), err(level = "debug"))]
pub async fn open_conflict(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    edit_id: Uuid,
) -> Result<Option<session_edit::Model>, DbErr> {
    session_edit::Entity::find_by_id(edit_id)
        .filter(session_edit::Column::SessionId.eq(session_id))
        .filter(session_edit::Column::Outcome.eq(CONFLICT))
        .one(db)
        .await
}

/// The conflict leaves the list; the edit stays on record.
#[tracing::instrument(skip_all, fields(%edit_id), err(level = "debug"))]
pub async fn mark_resolved(db: &impl ConnectionTrait, edit_id: Uuid) -> Result<(), DbErr> {
    session_edit::Entity::update_many()
        .col_expr(session_edit::Column::Outcome, Expr::value(RESOLVED))
        .filter(session_edit::Column::Id.eq(edit_id))
        .exec(db)
        .await?;
    Ok(())
}

/// An edit's outcome, as stored.
pub const APPLIED: &str = "applied";
pub const CONFLICT: &str = "conflict";
pub const RESOLVED: &str = "resolved";
