//! Failed attempts counted in a window (logins per account and per address, survey codes per
//! address), kept in the database so every server copy sees the same counts. One rule for all:
//! past the limit the answer is 429 with `Retry-After` until the oldest failure ages out.

use crate::{ApiError, Result, auth, repo};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

/// What is being counted, and how much is allowed.
pub struct Throttle {
    /// Hashed: the table must not become a list of who tried what.
    subject: String,
    limit: u64,
    window: Duration,
}

impl Throttle {
    /// `kind` keeps the counts of different things apart (`account`, `address`, `open`).
    pub fn new(kind: &str, value: &str, limit: u64, window: Duration) -> Self {
        Throttle {
            subject: auth::token_hash(&format!("{kind}:{value}")),
            limit,
            window,
        }
    }

    /// Refuses with 429 (and when to try again) once the failures in the window reach the limit.
    pub async fn check(&self, db: &impl ConnectionTrait) -> Result<()> {
        let since = Utc::now() - self.window;
        if repo::throttle::count_since(db, &self.subject, since).await? < self.limit {
            return Ok(());
        }
        let oldest = repo::throttle::oldest_since(db, &self.subject, since)
            .await?
            .unwrap_or_else(Utc::now);
        let retry = (oldest + self.window - Utc::now()).num_seconds().max(1);
        tracing::warn!("throttled");
        Err(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(retry).unwrap_or(1),
        })
    }

    /// Counts one failure.
    pub async fn fail(&self, db: &impl ConnectionTrait) -> Result<()> {
        Ok(repo::throttle::record(db, &self.subject).await?)
    }

    /// Forgets this subject's failures (after a success), and everyone's that are out of the
    /// window.
    pub async fn clear(&self, db: &impl ConnectionTrait) -> Result<()> {
        let before: DateTime<Utc> = Utc::now() - self.window;
        Ok(repo::throttle::clear(db, &self.subject, before).await?)
    }
}
