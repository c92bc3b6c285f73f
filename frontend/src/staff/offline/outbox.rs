//! The staff app's records in the shared outbox ([`crate::offline::outbox`]): each is saved
//! under the logged-in person, sent only with their login, then a sync is tried at once.

use domain::records::SessionEdit;
use leptos::task::spawn_local;
use serde::Serialize;
use uuid::Uuid;

use crate::offline::outbox::{self, Status};
use crate::staff::auth::Auth;

/// Saves a field record in the outbox under the logged-in person, then tries to send it. With
/// no signal it waits there; the server stores it once however often it is sent.
pub async fn enqueue<T: Serialize>(
    auth: Auth,
    kind: &str,
    id: Uuid,
    label: &str,
    body: &T,
) -> Result<(), String> {
    enqueue_part(auth, id, kind, id, label, body).await
}

/// Like [`enqueue`], for one of several records of one thing the person did (`action`, e.g.
/// the new client's id): the outbox counts them as one thing waiting.
pub async fn enqueue_part<T: Serialize>(
    auth: Auth,
    action: Uuid,
    kind: &str,
    id: Uuid,
    label: &str,
    body: &T,
) -> Result<(), String> {
    let (owner, text) = owner_and_text(auth, body)?;
    let action = action.to_string();
    outbox::enqueue_record(&owner, &action, kind, &id.to_string(), label, text)
        .await
        .map_err(|e| e.to_string())?;
    auth.outbox().sync();
    // If the app closes before the signal returns, the service worker sends it then.
    spawn_local(outbox::background_sync());
    Ok(())
}

/// Saves an edit of a session in the outbox under the logged-in person (replacing an edit of
/// it that still waits), then tries to send it. The server applies it, or keeps it beside a
/// newer version as a conflict; either way nothing is lost.
pub async fn enqueue_edit(
    auth: Auth,
    session: Uuid,
    label: &str,
    edit: &SessionEdit,
) -> Result<(), String> {
    let (owner, text) = owner_and_text(auth, edit)?;
    outbox::enqueue_edit(
        &owner,
        &format!("session:{session}"),
        &edit.id.to_string(),
        label,
        "PATCH",
        &format!("/api/sessions/{session}"),
        text,
    )
    .await
    .map_err(|e| e.to_string())?;
    auth.outbox().sync();
    Ok(())
}

/// Who the record is saved under, and its body as the outbox keeps it.
fn owner_and_text<T: Serialize>(auth: Auth, body: &T) -> Result<(String, String), String> {
    let owner = auth.me_untracked().ok_or("no login")?.id.to_string();
    let text = serde_json::to_string(body).map_err(|e| e.to_string())?;
    Ok((owner, text))
}

/// The keys of the logged-in person's records in the outbox that stand at `status`.
pub async fn my_keys(auth: Auth, status: Status) -> Vec<String> {
    let owner = auth
        .me_untracked()
        .map(|m| m.id.to_string())
        .unwrap_or_default();
    outbox::keys(&owner, status).await
}
