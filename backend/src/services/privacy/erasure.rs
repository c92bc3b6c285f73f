//! Erasing one participant: their personal data goes, in one transaction; their answers stay,
//! anonymous, unless they asked for those to go too.

use crate::{Result, entities::participant, repo};
use chrono::{DateTime, Utc};
use domain::privacy::ErasureReceipt;
use sea_orm::DatabaseConnection;

/// Erases one participant's personal data: contact details, equality and accessibility
/// answers, consent records, comments (typed and recorded, and quoted in published reports)
/// and session notes. Their answers
/// stay, anonymous, in figures unless `remove_answers`.
pub async fn erase(
    db: &DatabaseConnection,
    p: participant::Model,
    remove_answers: bool,
    now: DateTime<Utc>,
) -> Result<ErasureReceipt> {
    let (id, org) = (p.id, p.organisation_id);
    let txn = crate::db::begin_write(db).await?;
    // Write first: on SQLite a transaction that reads and then writes can be refused at once
    // (SQLITE_BUSY_SNAPSHOT) if another writer got in between; writing first takes the lock,
    // waiting for it if need be.
    repo::erasure::blank_participant(&txn, p, now).await?;
    repo::erasure::blank_sessions(&txn, id).await?;
    repo::erasure::delete_consents(&txn, id).await?;
    // A recording is what the person said, in their own voice: it goes, like a typed comment.
    let voices = repo::voice::delete_of_participant(&txn, id).await?;
    // A report quoting them keeps its figures but no longer their words.
    let unquoted = repo::published_reports::unquote(&txn, org, id).await?;
    // Emails hold the address and live links; results links open the person's results.
    crate::services::mail::erase_participant(&txn, id).await?;
    let (removed, kept) = if remove_answers {
        (repo::erasure::delete_responses(&txn, id).await?, 0)
    } else {
        let kept = repo::erasure::blank_comments(&txn, id).await?;
        // Handled-notes may name the person; the marks themselves stay, or a low rating
        // would come back to the list.
        repo::erasure::blank_handled_notes(&txn, id).await?;
        (0, kept)
    };
    txn.commit().await?;
    tracing::info!(participant_id = %id, removed, kept, voices, unquoted, "participant erased");
    Ok(ErasureReceipt {
        participant_id: id,
        erased_at: now,
        answers_removed: removed,
        answers_kept_anonymous: kept,
    })
}
