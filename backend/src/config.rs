//! Configuration: built-in defaults, overridden by environment variables, overridden by flags.
//! Secrets are wrapped so that `Debug` (and so any log line) never shows them.

use clap::{Args, ValueEnum};
use std::{fmt, net::SocketAddr, path::PathBuf};

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address the server listens on.
    #[arg(
        long,
        env = "SOUNDINGS_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// `sqlite://path?mode=rwc` (the default, one file) or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/soundings.db?mode=rwc",
        global = true
    )]
    pub database_url: Secret,

    /// Key that signs access tokens (at least 32 bytes). When unset, a random key is made on
    /// first start and kept in the database, so every server copy shares it.
    #[arg(long, env = "SOUNDINGS_JWT_SECRET", global = true)]
    pub jwt_secret: Option<Secret>,

    /// Minutes an access token lives.
    #[arg(
        long,
        env = "SOUNDINGS_ACCESS_TOKEN_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub access_token_minutes: i64,

    /// Days a refresh token family lives without use.
    #[arg(
        long,
        env = "SOUNDINGS_REFRESH_TOKEN_DAYS",
        default_value_t = 30,
        global = true
    )]
    pub refresh_token_days: i64,

    /// Failed logins allowed per account in the throttle window before answering 429.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_MAX_FAILURES",
        default_value_t = 10,
        global = true
    )]
    pub login_max_failures: u64,

    /// Failed logins allowed per client address in the throttle window.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_MAX_FAILURES_PER_ADDRESS",
        default_value_t = 100,
        global = true
    )]
    pub login_max_failures_per_address: u64,

    /// Minutes a failed login counts against the throttle.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_WINDOW_MINUTES",
        default_value_t = 15,
        global = true
    )]
    pub login_window_minutes: i64,

    /// Directory of the built PWA (made by scripts/build-frontend).
    #[arg(
        long,
        env = "SOUNDINGS_STATIC_DIR",
        default_value = "frontend/dist",
        global = true
    )]
    pub static_dir: PathBuf,

    /// Log format: `pretty` for people, `json` for log collectors.
    #[arg(long, env = "SOUNDINGS_LOG_FORMAT", value_enum, default_value_t = LogFormat::Pretty, global = true)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Pretty,
    Json,
}

/// A string that never appears in `Debug` output.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_owned()))
    }
}

impl Config {
    /// Defaults for everything, with the given database: what tests and tools start from.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: Secret::new(database_url),
            jwt_secret: None,
            access_token_minutes: 15,
            refresh_token_days: 30,
            login_max_failures: 10,
            login_max_failures_per_address: 100,
            login_window_minutes: 15,
            static_dir: PathBuf::from("frontend/dist"),
            log_format: LogFormat::Pretty,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let mut c = Config::for_database("postgres://u:hunter2@localhost/db");
        c.jwt_secret = Some(Secret::new("topsecretkey"));
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("topsecretkey"));
    }
}
