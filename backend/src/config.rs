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

    /// Milliseconds a request waits for the database (a pooled connection, SQLite's write lock,
    /// a PostgreSQL row or table lock) before it is answered 503 "busy, try again" with
    /// `Retry-After`; clients' outboxes then send it again.
    #[arg(
        long,
        env = "SOUNDINGS_DB_WAIT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub db_wait_ms: u64,

    /// SQLite only: inserts of device records take first-come-first-served turns in the server
    /// rather than waiting on SQLite's write lock while holding a pooled connection (see
    /// `db::WriteTurns`). `false` is for comparing the two in `bench soak`.
    #[arg(
        long,
        env = "SOUNDINGS_SQLITE_WRITE_TURNS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub sqlite_write_turns: bool,

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

    /// Proxies (addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` is believed
    /// for the client address used by throttles and the audit trail. Default: none, so the
    /// header is ignored and the peer address is used.
    #[arg(
        long,
        env = "SOUNDINGS_TRUSTED_PROXIES",
        default_value = "",
        hide_default_value = true,
        global = true
    )]
    pub trusted_proxies: crate::client_addr::TrustedProxies,

    #[command(flatten)]
    pub mail: MailConfig,
}

/// Email: links in emails, the SMTP server, and the queue worker's pace.
#[derive(Debug, Clone, Args)]
pub struct MailConfig {
    /// The PWA's public address, for links in emails (`{url}/#t=<token>`).
    #[arg(
        long,
        env = "SOUNDINGS_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080",
        global = true
    )]
    pub public_url: String,

    /// SMTP server, `smtp://host:port` (user and password may go before the host). With the
    /// `smtp-tls` build feature also `smtp://host:587?tls=required` and `smtps://host`. Unset:
    /// nothing is sent; emails stay in the queue as a local outbox managers can read.
    #[arg(long, env = "SOUNDINGS_SMTP_URL", global = true)]
    pub smtp_url: Option<Secret>,

    /// The From address of every email.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_FROM",
        default_value = "Soundings <soundings@localhost>",
        global = true
    )]
    pub from: String,

    /// Milliseconds between the mail worker's looks at the queue.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_POLL_MS",
        default_value_t = 5000,
        global = true
    )]
    pub poll_ms: u64,

    /// Seconds a worker holds an email it is sending before another copy may take it over.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_LEASE_SECONDS",
        default_value_t = 120,
        global = true
    )]
    pub lease_seconds: i64,

    /// Sending attempts before an email is marked failed.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_MAX_ATTEMPTS",
        default_value_t = 8,
        global = true
    )]
    pub max_attempts: i32,

    /// Wait before the first retry, in milliseconds; it doubles on each later one (at most 6 h).
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_RETRY_MS",
        default_value_t = 60_000,
        global = true
    )]
    pub retry_ms: i64,

    /// Seconds one SMTP conversation may take.
    #[arg(
        long,
        env = "SOUNDINGS_SMTP_TIMEOUT_SECONDS",
        default_value_t = 30,
        global = true
    )]
    pub smtp_timeout_seconds: u64,
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            public_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            from: "Soundings <soundings@localhost>".into(),
            poll_ms: 5000,
            lease_seconds: 120,
            max_attempts: 8,
            retry_ms: 60_000,
            smtp_timeout_seconds: 30,
        }
    }
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
            db_wait_ms: 10_000,
            sqlite_write_turns: true,
            jwt_secret: None,
            access_token_minutes: 15,
            refresh_token_days: 30,
            login_max_failures: 10,
            login_max_failures_per_address: 100,
            login_window_minutes: 15,
            static_dir: PathBuf::from("frontend/dist"),
            log_format: LogFormat::Pretty,
            trusted_proxies: Default::default(),
            mail: MailConfig::default(),
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
        c.mail.smtp_url = Some(Secret::new("smtp://user:mailpass@localhost:25"));
        let shown = format!("{c:?}");
        assert!(!shown.contains("hunter2"));
        assert!(!shown.contains("topsecretkey"));
        assert!(!shown.contains("mailpass"));
    }
}
