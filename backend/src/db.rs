//! Opening the database (SQLite or PostgreSQL, chosen by the URL) and migrating it.
//! SQLite runs in WAL mode with `synchronous=FULL`: a write we acknowledged is on disk.

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use std::time::Duration;

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    if let Some(dir) = sqlite_file(url).and_then(|p| std::path::Path::new(p).parent())
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database directory {}", dir.display()))?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    if url.starts_with("sqlite:") {
        opts.max_connections(8);
    } else {
        opts.max_connections(16);
    }
    Database::connect(opts)
        .await
        .context("connecting to the database")
}

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("applying migrations")
}

/// Whether the database answers: what `/health/ready` reports.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT 1",
    ))
    .await
    .is_ok()
}

/// The durability settings in force, as `(name, value)` pairs, for health checks and tests.
pub async fn durability_settings(db: &DatabaseConnection) -> anyhow::Result<Vec<(String, String)>> {
    let backend = db.get_database_backend();
    let queries: &[(&str, &str)] = match backend {
        DbBackend::Sqlite => &[
            ("journal_mode", "PRAGMA journal_mode"),
            ("synchronous", "PRAGMA synchronous"),
        ],
        _ => &[
            ("fsync", "SHOW fsync"),
            ("synchronous_commit", "SHOW synchronous_commit"),
        ],
    };
    let mut out = Vec::new();
    for (name, sql) in queries {
        let row = db
            .query_one_raw(Statement::from_string(backend, *sql))
            .await
            .with_context(|| format!("reading {name}"))?
            .with_context(|| format!("{name} returned no row"))?;
        let value = match row.try_get_by_index::<String>(0) {
            Ok(s) => s,
            Err(_) => row
                .try_get_by_index::<i64>(0)
                .map(|n| n.to_string())
                .with_context(|| format!("reading {name} value"))?,
        };
        out.push(((*name).to_owned(), value));
    }
    Ok(out)
}

fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}
