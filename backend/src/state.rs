//! What every request handler can reach: the database, the keys, the configuration. Nothing
//! here is state of this process alone: the key comes from the config or the database, so
//! several copies of the server behave as one.

use crate::{
    auth::{self, JwtKeys},
    config::Config,
    db, repo,
};
use anyhow::Context;
use sea_orm::{DatabaseConnection, DbBackend};
use std::{sync::Arc, time::Duration};

pub struct AppState {
    pub db: DatabaseConnection,
    pub keys: JwtKeys,
    /// Derives invitation link tokens (HMAC of the invitation id), so a resent invitation
    /// gets the same link back without the token being stored.
    pub token_secret: Vec<u8>,
    pub config: Arc<Config>,
    /// A real Argon2 hash of a random password: unknown users are verified against it so
    /// that a wrong email costs the same time as a wrong password.
    pub dummy_hash: String,
    /// Turns for inserting device records (SQLite's one writer at a time; see `db::WriteTurns`).
    pub turns: db::WriteTurns,
    /// Turns for logins, so a flood of them cannot take every core and connection
    /// (`auth::LoginTurns`).
    pub logins: auth::LoginTurns,
}

/// Logins that may wait for a turn, beyond those running; more are refused at once as busy.
const LOGINS_WAITING: usize = 32;

impl AppState {
    /// Loads (or on the first start makes) the server secret and derives the keys from it.
    pub async fn new(config: Config, db: DatabaseConnection) -> anyhow::Result<Self> {
        let secret = load_secret(&db, &config).await?;
        let keys = JwtKeys::from_secret(secret.as_bytes());
        let token_secret = auth::derive_key(secret.as_bytes(), "invitation-token");
        let dummy_hash = auth::hash_password(auth::random_token()).await?;
        let turns = db::WriteTurns::new(
            config.sqlite_write_turns && db.get_database_backend() == DbBackend::Sqlite,
            Duration::from_millis(config.db_wait_ms),
        );
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        let logins = auth::LoginTurns::new(
            cores,
            LOGINS_WAITING,
            Duration::from_millis(config.db_wait_ms),
        );
        Ok(AppState {
            db,
            turns,
            logins,
            keys,
            token_secret,
            config: Arc::new(config),
            dummy_hash,
        })
    }
}

/// The server secret: from the config when given, else the one stored in the database
/// (made on the first start of the first copy).
async fn load_secret(db: &DatabaseConnection, config: &Config) -> anyhow::Result<String> {
    let secret = match &config.jwt_secret {
        Some(s) => {
            anyhow::ensure!(
                s.expose().len() >= 32,
                "SOUNDINGS_JWT_SECRET must be at least 32 bytes"
            );
            s.expose().to_owned()
        }
        None => repo::settings::get_or_insert(db, "jwt_signing_key", auth::random_token())
            .await
            .context("loading the token signing key")?,
    };
    Ok(secret)
}
