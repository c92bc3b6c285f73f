//! The safeguarding list: comments and low ratings a manager has not yet marked handled.

use crate::{
    entities::{attention_handled, response},
    repo,
};
use chrono::Utc;
use domain::instrument::InstrumentKey;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

/// Satisfaction responses not yet handled that may need a manager's eye (a typed or recorded
/// comment, or any answer of 1 or 2 in the stored answers), oldest first. Candidates only: the
/// caller reads the answers to keep the ones that do.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn candidates(
    db: &impl ConnectionTrait,
    org: Uuid,
    limit: u64,
) -> Result<Vec<response::Model>, DbErr> {
    let handled = sea_orm::sea_query::Query::select()
        .column(attention_handled::Column::ResponseId)
        .from(attention_handled::Entity)
        .and_where(attention_handled::Column::OrganisationId.eq(org))
        .to_owned();
    response::Entity::find()
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::Id.not_in_subquery(handled))
        .filter(response::Column::InstrumentKey.ne(InstrumentKey::Swemwbs.as_str()))
        .filter(
            Condition::any()
                .add(response::Column::Comment.is_not_null())
                .add(response::Column::Id.in_subquery(repo::voice::response_ids_of(org)))
                .add(response::Column::Answers.contains("1"))
                .add(response::Column::Answers.contains("2")),
        )
        .order_by_asc(response::Column::AnsweredAt)
        .limit(limit)
        .all(db)
        .await
}

/// Marks a response handled; a unique clash means it already was.
#[tracing::instrument(skip_all, fields(%response_id), err(level = "debug"))]
pub async fn mark_handled(
    db: &impl ConnectionTrait,
    org: Uuid,
    response_id: Uuid,
    by: Uuid,
    note: &str,
) -> Result<(), DbErr> {
    attention_handled::ActiveModel {
        response_id: Set(response_id),
        organisation_id: Set(org),
        handled_by: Set(by),
        handled_at: Set(Utc::now()),
        note: Set(note.to_owned()),
    }
    .insert(db)
    .await?;
    Ok(())
}
