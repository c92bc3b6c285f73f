//! Failed-login counting, kept in the database so every server copy sees the same counts.
//! Old attempts age out of the window, so a real user is never locked out for good.

use crate::entities::login_attempt;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set,
};

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn count_since(
    db: &impl ConnectionTrait,
    subject: &str,
    since: DateTime<Utc>,
) -> Result<u64, DbErr> {
    login_attempt::Entity::find()
        .filter(login_attempt::Column::Subject.eq(subject))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .count(db)
        .await
}

/// The oldest attempt still inside the window: when it ages out, the subject may try again.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn oldest_since(
    db: &impl ConnectionTrait,
    subject: &str,
    since: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(login_attempt::Entity::find()
        .filter(login_attempt::Column::Subject.eq(subject))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .order_by_asc(login_attempt::Column::AttemptedAt)
        .one(db)
        .await?
        .map(|a| a.attempted_at))
}

/// Records one attempt; returns its id, so an attempt that turns out not to be a failure can
/// be taken back.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn record(db: &impl ConnectionTrait, subject: &str) -> Result<i32, DbErr> {
    let row = login_attempt::ActiveModel {
        subject: Set(subject.to_owned()),
        attempted_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

/// The latest attempt in the window other than `not`: what a slowed-down attempt must be far
/// enough from.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn latest_other(
    db: &impl ConnectionTrait,
    subject: &str,
    since: DateTime<Utc>,
    not: i32,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(login_attempt::Entity::find()
        .filter(login_attempt::Column::Subject.eq(subject))
        .filter(login_attempt::Column::AttemptedAt.gt(since))
        .filter(login_attempt::Column::Id.ne(not))
        .order_by_desc(login_attempt::Column::AttemptedAt)
        .one(db)
        .await?
        .map(|a| a.attempted_at))
}

/// Takes back one recorded attempt.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn forget(db: &impl ConnectionTrait, id: i32) -> Result<(), DbErr> {
    login_attempt::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// Forgets a subject's attempts (after a successful login) and anything older than `before`.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn clear(
    db: &impl ConnectionTrait,
    subject: &str,
    before: DateTime<Utc>,
) -> Result<(), DbErr> {
    login_attempt::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(login_attempt::Column::Subject.eq(subject))
                .add(login_attempt::Column::AttemptedAt.lt(before)),
        )
        .exec(db)
        .await?;
    Ok(())
}
