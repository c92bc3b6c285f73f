//! Argon2id hashing (the crate's defaults: 19 MiB, 2 passes). Hashing is CPU-heavy, so it runs
//! on the blocking pool, never on a request worker.

use anyhow::Context;
use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Turns for logins: a login verifies one Argon2 hash (tens of milliseconds of a core and
/// 19 MiB) and does its throttle bookkeeping in the database, so a flood of logins (unknown
/// emails from many addresses) could take every core and every pooled connection from
/// everyone else (issue 20). At most one login per core runs at once; a few more wait, in
/// arrival order, holding nothing; beyond that a login is refused at once as busy (503 with
/// `Retry-After`), before it touches the database.
pub struct LoginTurns {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    wait: Duration,
}

/// No login turn now: the caller answers busy.
#[derive(Debug)]
pub struct NoLoginTurn;

impl LoginTurns {
    /// One running login per core (`cores`), `max_waiting` more waiting at most `wait` each.
    pub fn new(cores: usize, max_waiting: usize, wait: Duration) -> Self {
        LoginTurns {
            running: Arc::new(Semaphore::new(cores.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
            wait,
        }
    }

    /// This login's turn, held until the returned permit is dropped; refused at once when too
    /// many wait already, or when none came within the wait.
    pub async fn take(&self) -> Result<OwnedSemaphorePermit, NoLoginTurn> {
        if let Ok(permit) = self.running.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(NoLoginTurn);
        }
        let turn = tokio::time::timeout(self.wait, self.running.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match turn {
            Ok(Ok(permit)) => Ok(permit),
            // Timed out, or closed (never: the semaphore is never closed).
            _ => Err(NoLoginTurn),
        }
    }
}

pub async fn hash_password(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing a password: {e}"))
    })
    .await
    .context("password hashing task")?
}

/// Checks `password` against a stored PHC string. An unknown user is checked against a dummy
/// hash, so both answers cost the same time.
pub async fn verify_password(password: String, phc: String) -> anyhow::Result<bool> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&phc).map_err(|e| anyhow::anyhow!("stored hash: {e}"))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .context("password verification task")?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let h = hash_password("correct horse battery".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(
            verify_password("correct horse battery".into(), h.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify_password("wrong horse battery".into(), h)
                .await
                .unwrap()
        );
    }
}
