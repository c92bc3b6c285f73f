//! "You said, we did" actions: drafts staff write and change, published once for an audience.
//! Their texts are stored as JSON, written and read by the feedback service.

use crate::entities::{feedback_action, response};
use chrono::{DateTime, NaiveDate, Utc};
use domain::period::Period;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use std::collections::HashSet;
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(id = %row.id), err(level = "debug"))]
pub async fn insert(
    db: &impl ConnectionTrait,
    row: feedback_action::Model,
) -> Result<feedback_action::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

#[tracing::instrument(skip_all, fields(%org, %id), err(level = "debug"))]
pub async fn get(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<Option<feedback_action::Model>, DbErr> {
    feedback_action::Entity::find_by_id(id)
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .one(db)
        .await
}

/// The organisation's actions, drafts and published, newest first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<feedback_action::Model>, DbErr> {
    feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .order_by_desc(feedback_action::Column::CreatedAt)
        .all(db)
        .await
}

/// The organisation's published actions, last published first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn published(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<feedback_action::Model>, DbErr> {
    feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .filter(feedback_action::Column::PublishedAt.is_not_null())
        .order_by_desc(feedback_action::Column::PublishedAt)
        .all(db)
        .await
}

/// New values for some of an action's columns (texts already JSON); `None` leaves one as it is.
/// Only these columns are written, so a publish landing meanwhile is not undone.
pub struct Change {
    pub audience: Option<String>,
    pub period: Option<Period>,
    pub response_ids: Option<String>,
    pub you_said: Option<String>,
    pub we_did: Option<String>,
    pub easy_read: Option<String>,
    pub done_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
}

#[tracing::instrument(skip_all, fields(id = %current.id), err(level = "debug"))]
pub async fn update(
    db: &impl ConnectionTrait,
    current: feedback_action::Model,
    change: Change,
) -> Result<feedback_action::Model, DbErr> {
    let mut am: feedback_action::ActiveModel = current.into();
    if let Some(a) = change.audience {
        am.audience = Set(a);
    }
    if let Some(p) = change.period {
        am.period_first = Set(Some(p.first));
        am.period_last = Set(Some(p.last));
    }
    if let Some(ids) = change.response_ids {
        am.response_ids = Set(ids);
    }
    if let Some(t) = change.you_said {
        am.you_said = Set(t);
    }
    if let Some(t) = change.we_did {
        am.we_did = Set(t);
    }
    if let Some(e) = change.easy_read {
        am.easy_read = Set(Some(e));
    }
    if let Some(d) = change.done_on {
        am.done_on = Set(d);
    }
    am.updated_at = Set(change.updated_at);
    am.update(db).await
}

/// Marks a draft published. `false` when it was published already: of two managers publishing
/// at once, only one gets `true` (and queues the digests).
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn publish(
    db: &impl ConnectionTrait,
    id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let r = feedback_action::Entity::update_many()
        .col_expr(feedback_action::Column::PublishedAt, Expr::value(at))
        .col_expr(feedback_action::Column::PublishedBy, Expr::value(by))
        .filter(feedback_action::Column::Id.eq(id))
        .filter(feedback_action::Column::PublishedAt.is_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Which of these ids are responses of the organisation (the ones an action may name).
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn responses_among(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<HashSet<Uuid>, DbErr> {
    Ok(response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}
