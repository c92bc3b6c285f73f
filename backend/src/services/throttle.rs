//! Failed attempts counted in a window (logins per account and per address, survey codes per
//! address), kept in the database so every server copy sees the same counts. One rule for all:
//! past the limit the answer is 429 with `Retry-After` until the oldest failure ages out.
//!
//! An attempt is recorded *before* it is judged ([`Throttle::attempt`]) and taken back only if
//! it succeeds ([`Attempt::succeeded`]): a check that counted first and recorded the failure
//! afterwards let hundreds of simultaneous guesses all pass a count taken before any of them
//! had failed (issue 20). Each attempt sees its own row and every earlier one, so at most
//! `limit` get through however many arrive at once.

use crate::{ApiError, Result, auth, repo};
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

/// An attempt recorded as a failure until it is known to have succeeded.
#[must_use = "an attempt stays counted as a failure unless it succeeded"]
pub struct Attempt {
    id: i32,
}

impl Attempt {
    /// It was not a failure: take it back.
    pub async fn succeeded(self, db: &impl ConnectionTrait) -> Result<()> {
        Ok(repo::throttle::forget(db, self.id).await?)
    }

    /// It failed: it stays counted.
    pub fn failed(self) {}
}

/// The longest a slowed-down account makes the next attempt wait.
const MAX_SLOWDOWN_SECONDS: i64 = 60;

/// Failures counted against an account from anywhere, which slow its logins down rather than
/// lock it: past `free` failures in the window, each attempt must come a while after the
/// previous one (2 s, 4 s, 8 s ... at most a minute). Someone trying ten wrong passwords no
/// longer locks the real person out for the whole window (issue 20); guessing from many
/// addresses stays slow, and each address is limited on its own (`Throttle`).
pub struct Slowdown {
    subject: String,
    free: u64,
    window: Duration,
}

impl Slowdown {
    pub fn new(kind: &str, value: &str, free: u64, window: Duration) -> Self {
        Slowdown {
            subject: auth::token_hash(&format!("{kind}:{value}")),
            free,
            window,
        }
    }

    /// Records an attempt, then refuses it with 429 (and how long to wait) if it comes too
    /// soon after the previous one for the failures so far; a refused attempt is taken back.
    pub async fn attempt(&self, db: &impl ConnectionTrait) -> Result<Attempt> {
        let id = repo::throttle::record(db, &self.subject).await?;
        let now = Utc::now();
        let since = now - self.window;
        let before = repo::throttle::count_since(db, &self.subject, since)
            .await?
            .saturating_sub(1);
        if before < self.free {
            return Ok(Attempt { id });
        }
        let wait = slowdown(before - self.free);
        let previous = repo::throttle::latest_other(db, &self.subject, since, id).await?;
        let left = previous.map_or(Duration::zero(), |p| p + wait - now);
        if left <= Duration::zero() {
            return Ok(Attempt { id });
        }
        repo::throttle::forget(db, id).await?;
        tracing::warn!("slowed down");
        Err(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(left.num_seconds().max(1)).unwrap_or(1),
        })
    }

    /// Forgets this subject's failures (after a success).
    pub async fn clear(&self, db: &impl ConnectionTrait) -> Result<()> {
        let before: DateTime<Utc> = Utc::now() - self.window;
        Ok(repo::throttle::clear(db, &self.subject, before).await?)
    }
}

/// The wait after `beyond` failures past the free ones: 2 s, doubling, at most a minute.
fn slowdown(beyond: u64) -> Duration {
    let seconds = 2i64
        .checked_pow(u32::try_from(beyond.saturating_add(1)).unwrap_or(u32::MAX))
        .unwrap_or(MAX_SLOWDOWN_SECONDS);
    Duration::seconds(seconds.min(MAX_SLOWDOWN_SECONDS))
}

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

    /// Records an attempt, then refuses it with 429 (and when to try again) if it is beyond the
    /// limit; a refused attempt is taken back, so hammering never extends the wait.
    pub async fn attempt(&self, db: &impl ConnectionTrait) -> Result<Attempt> {
        let id = repo::throttle::record(db, &self.subject).await?;
        let since = Utc::now() - self.window;
        if repo::throttle::count_since(db, &self.subject, since).await? <= self.limit {
            return Ok(Attempt { id });
        }
        repo::throttle::forget(db, id).await?;
        Err(self.refusal(db, since).await?)
    }

    /// The 429 for this subject: try again when the oldest failure in the window ages out.
    async fn refusal(&self, db: &impl ConnectionTrait, since: DateTime<Utc>) -> Result<ApiError> {
        let oldest = repo::throttle::oldest_since(db, &self.subject, since)
            .await?
            .unwrap_or_else(Utc::now);
        let retry = (oldest + self.window - Utc::now()).num_seconds().max(1);
        tracing::warn!("throttled");
        Ok(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(retry).unwrap_or(1),
        })
    }

    /// Forgets this subject's failures (after a success), and everyone's that are out of the
    /// window.
    pub async fn clear(&self, db: &impl ConnectionTrait) -> Result<()> {
        let before: DateTime<Utc> = Utc::now() - self.window;
        Ok(repo::throttle::clear(db, &self.subject, before).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_accounts_slowdown_doubles_from_two_seconds_to_at_most_a_minute() {
        let waits: Vec<i64> = (0..8).map(|n| slowdown(n).num_seconds()).collect();
        assert_eq!(waits, [2, 4, 8, 16, 32, 60, 60, 60]);
        assert_eq!(slowdown(u64::MAX).num_seconds(), 60);
    }
}
