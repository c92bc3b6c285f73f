//! Configuration: built-in defaults, overridden by environment variables, overridden by flags.
//! Secrets are wrapped so that `Debug` (and so any log line) never shows them.

use clap::{Args, ValueEnum};
use std::{
    fmt,
    net::{IpAddr, SocketAddr},
    path::PathBuf,
};

/// Every default, written once: the flags, the environment and `Config::for_database`
/// (what tests and tools start from) all take them from here.
pub mod defaults {
    pub const BIND: &str = "127.0.0.1:8080";
    pub const DATABASE_URL: &str = "sqlite://data/soundings.db?mode=rwc";
    pub const DB_WAIT_MS: u64 = 10_000;
    pub const SQLITE_WRITE_TURNS: bool = true;
    pub const ACCESS_TOKEN_MINUTES: i64 = 15;
    pub const REFRESH_TOKEN_DAYS: i64 = 30;
    pub const LOGIN_MAX_FAILURES: u64 = 10;
    pub const LOGIN_MAX_FAILURES_PER_ADDRESS: u64 = 100;
    pub const LOGIN_WINDOW_MINUTES: i64 = 15;
    pub const STATIC_DIR: &str = "frontend/dist";
    pub const PUBLIC_URL: &str = "http://127.0.0.1:8080";
    pub const MAIL_FROM: &str = "Soundings <soundings@localhost>";
    pub const MAIL_POLL_MS: u64 = 5000;
    pub const MAIL_LEASE_SECONDS: i64 = 120;
    pub const MAIL_MAX_ATTEMPTS: i32 = 8;
    pub const MAIL_RETRY_MS: i64 = 60_000;
    pub const SMTP_TIMEOUT_SECONDS: u64 = 30;
    pub const BODY_TIMEOUT_SECONDS: u64 = 10;
    pub const MAX_REQUESTS_PER_ADDRESS: usize = 256;
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address the server listens on.
    #[arg(
        long,
        env = "SOUNDINGS_BIND",
        default_value = defaults::BIND,
        global = true
    )]
    pub bind: SocketAddr,

    /// `sqlite://path?mode=rwc` (the default, one file) or `postgres://user:pass@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = defaults::DATABASE_URL,
        global = true
    )]
    pub database_url: Secret,

    /// Milliseconds a request waits for the database (a pooled connection, SQLite's write lock,
    /// a PostgreSQL row or table lock) before it is answered 503 "busy, try again" with
    /// `Retry-After`; clients' outboxes then send it again.
    #[arg(
        long,
        env = "SOUNDINGS_DB_WAIT_MS",
        default_value_t = defaults::DB_WAIT_MS,
        global = true
    )]
    pub db_wait_ms: u64,

    /// SQLite only: inserts of device records take first-come-first-served turns in the server
    /// rather than waiting on SQLite's write lock while holding a pooled connection (see
    /// `db::WriteTurns`). `false` is for comparing the two in `bench soak`.
    #[arg(
        long,
        env = "SOUNDINGS_SQLITE_WRITE_TURNS",
        default_value_t = defaults::SQLITE_WRITE_TURNS,
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
        default_value_t = defaults::ACCESS_TOKEN_MINUTES,
        global = true
    )]
    pub access_token_minutes: i64,

    /// Days a refresh token family lives without use.
    #[arg(
        long,
        env = "SOUNDINGS_REFRESH_TOKEN_DAYS",
        default_value_t = defaults::REFRESH_TOKEN_DAYS,
        global = true
    )]
    pub refresh_token_days: i64,

    /// Failed logins allowed per account in the throttle window before answering 429.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_MAX_FAILURES",
        default_value_t = defaults::LOGIN_MAX_FAILURES,
        global = true
    )]
    pub login_max_failures: u64,

    /// Failed logins allowed per client address in the throttle window.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_MAX_FAILURES_PER_ADDRESS",
        default_value_t = defaults::LOGIN_MAX_FAILURES_PER_ADDRESS,
        global = true
    )]
    pub login_max_failures_per_address: u64,

    /// Minutes a failed login counts against the throttle.
    #[arg(
        long,
        env = "SOUNDINGS_LOGIN_WINDOW_MINUTES",
        default_value_t = defaults::LOGIN_WINDOW_MINUTES,
        global = true
    )]
    pub login_window_minutes: i64,

    /// Directory of the built PWA (made by scripts/build-frontend).
    #[arg(
        long,
        env = "SOUNDINGS_STATIC_DIR",
        default_value = defaults::STATIC_DIR,
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
    pub trusted_proxies: TrustedProxies,

    /// Seconds a request's body may take to arrive, plus one for every 16 KiB it declares;
    /// a slower body is refused and its connection closed. The request line and headers get 5.
    #[arg(
        long,
        env = "SOUNDINGS_BODY_TIMEOUT_SECONDS",
        default_value_t = defaults::BODY_TIMEOUT_SECONDS,
        global = true
    )]
    pub body_timeout_seconds: u64,

    /// Requests one client address may have in flight at once (the address the throttles use);
    /// past it a request is refused with 429 and its connection closed. 0 for no cap.
    #[arg(
        long,
        env = "SOUNDINGS_MAX_REQUESTS_PER_ADDRESS",
        default_value_t = defaults::MAX_REQUESTS_PER_ADDRESS,
        global = true
    )]
    pub max_requests_per_address: usize,

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
        default_value = defaults::PUBLIC_URL,
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
        default_value = defaults::MAIL_FROM,
        global = true
    )]
    pub from: String,

    /// Milliseconds between the mail worker's looks at the queue.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_POLL_MS",
        default_value_t = defaults::MAIL_POLL_MS,
        global = true
    )]
    pub poll_ms: u64,

    /// Seconds a worker holds an email it is sending before another copy may take it over.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_LEASE_SECONDS",
        default_value_t = defaults::MAIL_LEASE_SECONDS,
        global = true
    )]
    pub lease_seconds: i64,

    /// Sending attempts before an email is marked failed.
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_MAX_ATTEMPTS",
        default_value_t = defaults::MAIL_MAX_ATTEMPTS,
        global = true
    )]
    pub max_attempts: i32,

    /// Wait before the first retry, in milliseconds; it doubles on each later one (at most 6 h).
    #[arg(
        long,
        env = "SOUNDINGS_MAIL_RETRY_MS",
        default_value_t = defaults::MAIL_RETRY_MS,
        global = true
    )]
    pub retry_ms: i64,

    /// Seconds one SMTP conversation may take.
    #[arg(
        long,
        env = "SOUNDINGS_SMTP_TIMEOUT_SECONDS",
        default_value_t = defaults::SMTP_TIMEOUT_SECONDS,
        global = true
    )]
    pub smtp_timeout_seconds: u64,
}

impl MailConfig {
    /// Settings that cannot work together. A worker keeps its lease on an email only for
    /// `lease_seconds`; if an SMTP conversation may last as long or longer, another worker (or
    /// server copy) takes the email over while the first is still sending it, and the person
    /// gets it twice or more.
    pub fn check(&self) -> anyhow::Result<()> {
        let timeout = i64::try_from(self.smtp_timeout_seconds).unwrap_or(i64::MAX);
        if self.lease_seconds <= timeout {
            anyhow::bail!(
                "SOUNDINGS_MAIL_LEASE_SECONDS ({}) must be longer than SOUNDINGS_SMTP_TIMEOUT_SECONDS ({}): \
                 otherwise another worker takes an email over while it is still being sent, and it is \
                 delivered more than once",
                self.lease_seconds,
                self.smtp_timeout_seconds
            );
        }
        Ok(())
    }
}

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            public_url: defaults::PUBLIC_URL.into(),
            smtp_url: None,
            from: defaults::MAIL_FROM.into(),
            poll_ms: defaults::MAIL_POLL_MS,
            lease_seconds: defaults::MAIL_LEASE_SECONDS,
            max_attempts: defaults::MAIL_MAX_ATTEMPTS,
            retry_ms: defaults::MAIL_RETRY_MS,
            smtp_timeout_seconds: defaults::SMTP_TIMEOUT_SECONDS,
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
    /// The defaults, on port 0 (the system picks a free one) and with this database.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Config {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: Secret::new(database_url),
            db_wait_ms: defaults::DB_WAIT_MS,
            sqlite_write_turns: defaults::SQLITE_WRITE_TURNS,
            jwt_secret: None,
            access_token_minutes: defaults::ACCESS_TOKEN_MINUTES,
            refresh_token_days: defaults::REFRESH_TOKEN_DAYS,
            login_max_failures: defaults::LOGIN_MAX_FAILURES,
            login_max_failures_per_address: defaults::LOGIN_MAX_FAILURES_PER_ADDRESS,
            login_window_minutes: defaults::LOGIN_WINDOW_MINUTES,
            static_dir: PathBuf::from(defaults::STATIC_DIR),
            body_timeout_seconds: defaults::BODY_TIMEOUT_SECONDS,
            max_requests_per_address: defaults::MAX_REQUESTS_PER_ADDRESS,
            log_format: LogFormat::Pretty,
            trusted_proxies: Default::default(),
            mail: MailConfig::default(),
        }
    }
}

/// One trusted proxy: an address or a CIDR block (`10.0.0.0/8`, `::1`, `192.0.2.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyNet(ipnet::IpNet);

impl std::str::FromStr for ProxyNet {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        s.parse::<ipnet::IpNet>()
            .or_else(|_| s.parse::<IpAddr>().map(ipnet::IpNet::from))
            .map(|n| ProxyNet(n.trunc()))
            .map_err(|_| format!("`{s}` is not an IP address or CIDR block"))
    }
}

impl ProxyNet {
    pub fn contains(&self, ip: IpAddr) -> bool {
        self.0.contains(&ip)
    }
}

/// The `SOUNDINGS_TRUSTED_PROXIES` list: comma-separated, empty (the default) for none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(pub Vec<ProxyNet>);

impl std::str::FromStr for TrustedProxies {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.split(',')
            .filter(|item| !item.trim().is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies)
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

    fn ip_addr(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn proxies_are_addresses_or_cidr_blocks() {
        let n: ProxyNet = " 192.0.2.0/24 ".parse().unwrap();
        assert!(n.contains(ip_addr("192.0.2.200")));
        assert!(!n.contains(ip_addr("192.0.3.1")));
        let one: ProxyNet = "::1".parse().unwrap();
        assert!(one.contains(ip_addr("::1")));
        assert!("example.org".parse::<ProxyNet>().is_err());
        assert!("10.0.0.0/33".parse::<ProxyNet>().is_err());
    }
}
