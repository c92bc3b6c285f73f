//! Erasure's writes, each run in the caller's transaction: a person's row is blanked rather
//! than deleted, and so are the notes, comments and fingerprints that hang off it.

use crate::entities::{
    attention_handled, consent, episode, participant, response, support_session,
};
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, Query},
};
use uuid::Uuid;

/// The fingerprint an erased record is left with: nothing a resend can match.
pub const ERASED: &str = "erased";

/// Blanks the participant's contact details and equality and accessibility answers, marks
/// them erased (and withdrawn, if they were not already) and gives them a reference that
/// names nobody.
#[tracing::instrument(skip_all, fields(id = %p.id), err(level = "debug"))]
pub async fn blank_participant(
    db: &impl ConnectionTrait,
    p: participant::Model,
    now: DateTime<Utc>,
) -> Result<participant::Model, DbErr> {
    let reference = format!("erased-{}", &p.id.simple().to_string()[..8]);
    let mut am: participant::ActiveModel = p.into();
    am.reference = Set(reference);
    am.name = Set(None);
    am.email = Set(None);
    am.phone = Set(None);
    am.accessibility = Set("{}".into());
    am.equality = Set("{}".into());
    am.erased_at = Set(Some(now));
    if am.withdrawn_at.as_ref().is_none() {
        am.withdrawn_at = Set(Some(now));
    }
    am.body_hash = Set(ERASED.to_owned());
    am.updated_at = Set(now);
    am.update(db).await
}

/// Blanks the notes of every session of the participant's episodes.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn blank_sessions(db: &impl ConnectionTrait, participant: Uuid) -> Result<(), DbErr> {
    let episode_ids: Vec<Uuid> = episode::Entity::find()
        .filter(episode::Column::ParticipantId.eq(participant))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    // Fingerprints of the original bodies go too: a hash of a name can confirm a guess.
    // (A device resending an erased record then gets 409, which never restores anything.)
    support_session::Entity::update_many()
        .col_expr(support_session::Column::Note, Expr::value(""))
        .col_expr(support_session::Column::Activity, Expr::value("(erased)"))
        .col_expr(support_session::Column::BodyHash, Expr::value(ERASED))
        .filter(support_session::Column::EpisodeId.is_in(episode_ids))
        .exec(db)
        .await?;
    Ok(())
}

#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn delete_consents(db: &impl ConnectionTrait, participant: Uuid) -> Result<(), DbErr> {
    consent::Entity::delete_many()
        .filter(consent::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the participant's answers; returns how many.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn delete_responses(db: &impl ConnectionTrait, participant: Uuid) -> Result<u64, DbErr> {
    let r = response::Entity::delete_many()
        .filter(response::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Keeps the participant's answers but blanks their comments and fingerprints; returns how
/// many answers were kept.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn blank_comments(db: &impl ConnectionTrait, participant: Uuid) -> Result<u64, DbErr> {
    let r = response::Entity::update_many()
        .col_expr(
            response::Column::Comment,
            Expr::value(Option::<String>::None),
        )
        .col_expr(response::Column::BodyHash, Expr::value(ERASED))
        .filter(response::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Blanks the notes staff wrote on handling the participant's answers; the marks stay.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn blank_handled_notes(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<(), DbErr> {
    let theirs = Query::select()
        .column(response::Column::Id)
        .from(response::Entity)
        .and_where(response::Column::ParticipantId.eq(participant))
        .to_owned();
    attention_handled::Entity::update_many()
        .col_expr(attention_handled::Column::Note, Expr::value("(erased)"))
        .filter(attention_handled::Column::ResponseId.in_subquery(theirs))
        .exec(db)
        .await?;
    Ok(())
}
