//! Support sessions, and edits to them made offline: a stale edit is kept beside the
//! current version as a conflict, never lost.

use super::{body_hash, internal, same_record, store_once, stored};
use crate::repo::session_edits::{APPLIED, CONFLICT, SessionFields};
use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{session_edit, support_session},
    repo,
    state::AppState,
};
use chrono::Utc;
use domain::records::{
    Keep, NewSession, Session, SessionConflict, SessionEdit, SessionRecord, Stage,
};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

impl TryFrom<support_session::Model> for Session {
    type Error = ApiError;
    fn try_from(s: support_session::Model) -> Result<Self> {
        Ok(Session {
            id: s.id,
            episode_id: s.episode_id,
            author_id: s.author_id,
            held_on: s.held_on,
            duration_minutes: u16::try_from(s.duration_minutes)
                .map_err(|e| anyhow::anyhow!("stored duration: {e}"))?,
            stage: stored("stage", &s.stage, Stage::parse)?,
            activity: s.activity,
            note: (!s.note.is_empty()).then_some(s.note),
            version: s.version,
            updated_at: s.updated_at,
        })
    }
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn session(state: &AppState, user: &StaffUser, new: NewSession) -> Result<Session> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_session_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    new.check()?;
    new.check_dates(crate::time::utc_today())?;
    repo::records::visible_episode(&state.db, user, new.episode_id)
        .await?
        .ok_or_else(|| ApiError::invalid("episode_id", "no such episode on your caseload"))?;
    let now = Utc::now();
    let am = support_session::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        episode_id: Set(new.episode_id),
        author_id: Set(user.id),
        held_on: Set(new.held_on),
        duration_minutes: Set(i32::from(new.duration_minutes)),
        stage: Set(new.stage.as_str().to_owned()),
        activity: Set(new.activity.as_str().to_owned()),
        note: Set(new.note.map(String::from).unwrap_or_default()),
        version: Set(1),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = new.id;
    store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::records::find_session_any(&state.db, id),
        internal,
    )
    .await?
    .try_into()
}

/// The refusal a stale edit gets: it is kept, and the person is told to resolve it.
fn stale_edit(current_version: i32) -> ApiError {
    ApiError::conflict(
        "base_version",
        format!(
            "this session changed since your copy (it is now version {current_version}); \
             your edit is kept beside it as a conflict to resolve"
        ),
    )
}

/// A session this staff member may see, with its episode's visibility rules.
pub async fn visible_session(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<support_session::Model> {
    let s = repo::records::find_session_any(&state.db, id)
        .await?
        .filter(|s| s.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such session"))?;
    repo::records::visible_episode(&state.db, user, s.episode_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    Ok(s)
}

/// Applies an edit made against the current version; keeps a stale one as a conflict (409)
/// without touching the session. The same edit sent again gets the same answer.
#[tracing::instrument(skip_all, fields(%session_id, edit_id = %edit.id), err(level = "debug"))]
pub async fn edit_session(
    state: &AppState,
    user: &StaffUser,
    session_id: Uuid,
    edit: SessionEdit,
) -> Result<Session> {
    let current = visible_session(state, user, session_id).await?;
    let hash = body_hash(&(session_id, &edit));
    if let Some(done) = repo::session_edits::find(&state.db, edit.id).await? {
        return edit_outcome(state, done, user.organisation_id, &hash).await;
    }
    edit.check()?;
    edit.check_dates(crate::time::utc_today())?;
    let txn = crate::db::begin_write(&state.db).await?;
    let fields = SessionFields {
        held_on: edit.held_on,
        duration_minutes: i32::from(edit.duration_minutes),
        stage: edit.stage.as_str(),
        activity: edit.activity.as_str(),
        note: edit.note.as_ref().map(|n| n.as_str()).unwrap_or_default(),
    };
    let applied =
        repo::session_edits::write_session(&txn, session_id, fields, Some(edit.base_version))
            .await?;
    let row = session_edit::ActiveModel {
        id: Set(edit.id),
        organisation_id: Set(user.organisation_id),
        session_id: Set(session_id),
        author_id: Set(user.id),
        base_version: Set(edit.base_version),
        held_on: Set(edit.held_on),
        duration_minutes: Set(i32::from(edit.duration_minutes)),
        stage: Set(edit.stage.as_str().to_owned()),
        activity: Set(edit.activity.as_str().to_owned()),
        note: Set(edit.note.map(String::from).unwrap_or_default()),
        outcome: Set(if applied { APPLIED } else { CONFLICT }.to_owned()),
        body_hash: Set(hash.clone()),
        created_at: Set(Utc::now()),
    };
    match row.insert(&txn).await {
        Ok(_) => txn.commit().await?,
        Err(e) if repo::is_unique_violation(&e) => {
            // The same edit, sent twice at once: the other copy's answer stands.
            txn.rollback().await?;
            let done = repo::session_edits::find(&state.db, edit.id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("edit vanished after a unique violation"))?;
            return edit_outcome(state, done, user.organisation_id, &hash).await;
        }
        Err(e) => return Err(e.into()),
    }
    let now = repo::records::find_session_any(&state.db, session_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("session vanished during an edit"))?;
    if applied {
        tracing::info!(version = now.version, "session edited");
        now.try_into()
    } else {
        tracing::info!(
            current = current.version,
            "stale session edit kept as a conflict"
        );
        Err(stale_edit(now.version))
    }
}

/// The answer an edit already stored gets when it is sent again.
async fn edit_outcome(
    state: &AppState,
    done: session_edit::Model,
    org: Uuid,
    hash: &str,
) -> Result<Session> {
    if done.organisation_id != org || done.body_hash != hash {
        return Err(ApiError::conflict(
            "id",
            "this id was already used for a record with different content",
        ));
    }
    let now = repo::records::find_session_any(&state.db, done.session_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    match done.outcome.as_str() {
        APPLIED => now.try_into(),
        _ => Err(stale_edit(now.version)),
    }
}

/// A session with the stale edits still waiting to be resolved.
pub async fn session_record(state: &AppState, s: support_session::Model) -> Result<SessionRecord> {
    let conflicts = repo::session_edits::conflicts_of(&state.db, s.id)
        .await?
        .into_iter()
        .map(|e| {
            Ok(SessionConflict {
                edit_id: e.id,
                author_id: e.author_id,
                base_version: e.base_version,
                held_on: e.held_on,
                duration_minutes: u16::try_from(e.duration_minutes)
                    .map_err(|err| anyhow::anyhow!("stored duration: {err}"))?,
                stage: stored("stage", &e.stage, Stage::parse)?,
                activity: e.activity,
                note: (!e.note.is_empty()).then_some(e.note),
                made_at: e.created_at,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SessionRecord {
        session: s.try_into()?,
        conflicts,
    })
}

/// Resolves one conflict: keep the session as it stands, or apply the conflicting edit on top
/// of it (a new version). Either way the conflict leaves the list; the edit stays on record.
#[tracing::instrument(skip_all, fields(%session_id, %edit_id), err(level = "debug"))]
pub async fn resolve_session_conflict(
    state: &AppState,
    user: &StaffUser,
    session_id: Uuid,
    edit_id: Uuid,
    keep: Keep,
) -> Result<SessionRecord> {
    visible_session(state, user, session_id).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let e = repo::session_edits::open_conflict(&txn, session_id, edit_id)
        .await?
        .ok_or(ApiError::NotFound("no such conflict on this session"))?;
    if keep == Keep::Theirs {
        let fields = SessionFields {
            held_on: e.held_on,
            duration_minutes: e.duration_minutes,
            stage: &e.stage,
            activity: &e.activity,
            note: &e.note,
        };
        repo::session_edits::write_session(&txn, session_id, fields, None).await?;
    }
    repo::session_edits::mark_resolved(&txn, edit_id).await?;
    txn.commit().await?;
    tracing::info!(keep = keep.as_str(), "session conflict resolved");
    let s = repo::records::find_session_any(&state.db, session_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    session_record(state, s).await
}
