//! The retention job: erases the people whose support ended longer ago than their
//! organisation keeps records, and writes each erasure to the audit trail.

use super::erase;
use crate::{Result, entities::participant, repo};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

/// Erases every participant whose support ended longer ago than their organisation's
/// retention period, as of `now`. Returns the ids erased.
pub async fn run_retention(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let mut erased = Vec::new();
    for s in repo::retention::organisations_with_retention(db).await? {
        let Some(days) = s.retention_days else {
            continue;
        };
        let cutoff = (now - Duration::days(i64::from(days))).date_naive();
        for p in repo::retention::unerased_jobseekers(db, s.organisation_id).await? {
            if support_ended_before(db, &p, cutoff).await? {
                erased.push(erase_expired(db, s.organisation_id, p, now).await?);
            }
        }
    }
    Ok(erased)
}

/// Whether every one of the person's episodes has ended, the last before the cutoff.
async fn support_ended_before(
    db: &DatabaseConnection,
    p: &participant::Model,
    cutoff: NaiveDate,
) -> Result<bool> {
    let eps = repo::subject::episodes(db, p.id).await?;
    let last_end = eps
        .iter()
        .map(|e| e.ended_on)
        .collect::<Option<Vec<_>>>()
        .and_then(|v| v.into_iter().max());
    Ok(!eps.is_empty() && last_end.is_some_and(|d| d < cutoff))
}

/// Erases one person (keeping their answers, anonymous) and records that the system did it.
async fn erase_expired(
    db: &DatabaseConnection,
    org: Uuid,
    p: participant::Model,
    now: DateTime<Utc>,
) -> Result<Uuid> {
    let id = erase(db, p, false, now).await?.participant_id;
    let system = repo::audit::Actor {
        organisation_id: org,
        kind: "system",
        id: None,
        address: String::new(),
    };
    crate::services::audit::log(db, &system, "erase", "participant", Some(id), Some(id)).await?;
    Ok(id)
}
