//! Voice comments: at most one recording per response, stored with its fingerprint.

use crate::entities::voice_comment;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QuerySelect, sea_query::Query,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%response_id), err(level = "debug"))]
pub async fn find(
    db: &impl ConnectionTrait,
    response_id: Uuid,
) -> Result<Option<voice_comment::Model>, DbErr> {
    voice_comment::Entity::find_by_id(response_id).one(db).await
}

/// Stores a recording. A unique clash means the response has one already.
#[tracing::instrument(skip_all, fields(response_id = %row.response_id), err(level = "debug"))]
pub async fn insert(
    db: &impl ConnectionTrait,
    row: voice_comment::Model,
) -> Result<voice_comment::Model, DbErr> {
    row.into_active_model().reset_all().insert(db).await
}

/// The same row without its audio: what idempotency checks and listings need.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct Summary {
    pub response_id: Uuid,
    pub organisation_id: Uuid,
    pub content_type: String,
    pub sha256: String,
    pub byte_len: i64,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

fn summaries() -> sea_orm::Select<voice_comment::Entity> {
    use voice_comment::Column as C;
    voice_comment::Entity::find().select_only().columns([
        C::ResponseId,
        C::OrganisationId,
        C::ContentType,
        C::Sha256,
        C::ByteLen,
        C::CreatedAt,
    ])
}

#[tracing::instrument(skip_all, fields(%response_id), err(level = "debug"))]
pub async fn summary(
    db: &impl ConnectionTrait,
    response_id: Uuid,
) -> Result<Option<Summary>, DbErr> {
    summaries()
        .filter(voice_comment::Column::ResponseId.eq(response_id))
        .into_model::<Summary>()
        .one(db)
        .await
}

/// The voice comments among some responses, without their audio.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn summaries_of(
    db: &impl ConnectionTrait,
    response_ids: Vec<Uuid>,
) -> Result<Vec<Summary>, DbErr> {
    if response_ids.is_empty() {
        return Ok(Vec::new());
    }
    summaries()
        .filter(voice_comment::Column::ResponseId.is_in(response_ids))
        .into_model::<Summary>()
        .all(db)
        .await
}

/// A subquery of the response ids of an organisation's voice comments.
pub fn response_ids_of(org: Uuid) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(voice_comment::Column::ResponseId)
        .from(voice_comment::Entity)
        .and_where(voice_comment::Column::OrganisationId.eq(org))
        .to_owned()
}

/// Deletes the voice comments of one participant's responses; returns how many.
#[tracing::instrument(skip_all, fields(%participant_id), err(level = "debug"))]
pub async fn delete_of_participant(
    db: &impl ConnectionTrait,
    participant_id: Uuid,
) -> Result<u64, DbErr> {
    use crate::entities::response;
    let theirs = Query::select()
        .column(response::Column::Id)
        .from(response::Entity)
        .and_where(response::Column::ParticipantId.eq(participant_id))
        .to_owned();
    let r = voice_comment::Entity::delete_many()
        .filter(voice_comment::Column::ResponseId.in_subquery(theirs))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}
