//! Wellbeing change: the episodes whose change a participant may read, and the declines staff
//! have talked through (so they leave the prompt list).

use crate::entities::{episode, wellbeing_prompt_done};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};
use std::collections::HashSet;
use uuid::Uuid;

/// The ids of one participant's episodes; `only` narrows them to that one.
#[tracing::instrument(skip_all, fields(%org, %participant), err(level = "debug"))]
pub async fn episode_ids_of(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
    only: Option<Uuid>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut q = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .filter(episode::Column::ParticipantId.eq(participant));
    if let Some(id) = only {
        q = q.filter(episode::Column::Id.eq(id));
    }
    Ok(q.all(db).await?.into_iter().map(|e| e.id).collect())
}

/// Which of these declines (named by their end form's response id) were talked through.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn done_among(
    db: &impl ConnectionTrait,
    org: Uuid,
    end_response_ids: impl IntoIterator<Item = Uuid>,
) -> Result<HashSet<Uuid>, DbErr> {
    Ok(wellbeing_prompt_done::Entity::find()
        .filter(wellbeing_prompt_done::Column::OrganisationId.eq(org))
        .filter(wellbeing_prompt_done::Column::EndResponseId.is_in(end_response_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.end_response_id)
        .collect())
}

/// Records a decline as talked through. Marking it again keeps the first record.
#[tracing::instrument(skip_all, fields(%org, %end_response_id), err(level = "debug"))]
pub async fn mark_done(
    db: &impl ConnectionTrait,
    org: Uuid,
    end_response_id: Uuid,
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    let am = wellbeing_prompt_done::ActiveModel {
        end_response_id: Set(end_response_id),
        organisation_id: Set(org),
        done_by: Set(by),
        done_at: Set(at),
    };
    match am.insert(db).await {
        Ok(_) => Ok(()),
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}
