//! Opening the database (SQLite or PostgreSQL, chosen by the URL) and migrating it.
//! SQLite runs in WAL mode with `synchronous=FULL`: a write we acknowledged is on disk.

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnAcquireErr, ConnectOptions, ConnectionTrait, Database, DatabaseConnection,
    DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use std::time::Duration;

/// How long a request waits for the database when the configuration does not say.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(10);

pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_waiting(url, DEFAULT_WAIT).await
}

/// Connects with `wait` as the longest a statement waits for a pooled connection or a lock
/// (SQLite's busy timeout, PostgreSQL's `lock_timeout`): past it the statement fails with an
/// error [`is_busy`] recognises, which the API answers 503 with `Retry-After`. A request never
/// waits without bound behind a long transaction, and never holds a connection while it waits
/// for the pool.
pub async fn connect_waiting(url: &str, wait: Duration) -> anyhow::Result<DatabaseConnection> {
    if let Some(dir) = sqlite_file(url).and_then(|p| std::path::Path::new(p).parent())
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the database directory {}", dir.display()))?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(wait)
        .map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(wait)
                .create_if_missing(true)
        })
        .map_sqlx_postgres_opts(move |o| {
            o.options([("lock_timeout", format!("{}ms", wait.as_millis()))])
        });
    if url.starts_with("sqlite:") {
        opts.max_connections(8);
    } else {
        opts.max_connections(16);
    }
    // A copy opening a brand-new SQLite file while another sets it up (WAL mode, migrations)
    // can be told "database is locked" before its busy timeout applies: wait and try again.
    let deadline = std::time::Instant::now() + MIGRATION_LOCK_WAIT;
    loop {
        match Database::connect(opts.clone()).await {
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            result => return result.context("connecting to the database"),
        }
    }
}

/// Applies pending migrations, safe when several copies start at once on one empty database:
/// the whole run is one transaction that first takes a lock, so one copy migrates and the
/// others wait, then find nothing left to do. PostgreSQL: a transaction-scoped advisory lock
/// (released by commit, rollback or a dropped connection). SQLite: `BEGIN IMMEDIATE` takes the
/// database's write lock at once (the others wait in the busy handler, then retry).
/// A copy that dies mid-migration rolls back, so nobody ever sees half a schema.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let deadline = std::time::Instant::now() + MIGRATION_LOCK_WAIT;
    loop {
        match migrate_once(db).await {
            Ok(()) => return Ok(()),
            Err(e) if is_busy(&e) && std::time::Instant::now() < deadline => {
                tracing::info!("another copy is migrating the database; waiting");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => return Err(anyhow::Error::new(e).context("applying migrations")),
        }
    }
}

/// How long a copy waits for another copy's migrations before giving up.
const MIGRATION_LOCK_WAIT: Duration = Duration::from_secs(120);

/// The advisory-lock key for migrations: any fixed number no other code uses ("SOUNDMIG").
const PG_MIGRATION_LOCK: i64 = 0x534f_554e_444d_4947;

/// Begins a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting in the busy handler up to the busy timeout): a deferred
/// transaction that reads first and then writes is refused at once, without waiting
/// (`SQLITE_BUSY_SNAPSHOT`), whenever another writer committed in between, which under
/// concurrent requests turned a short settings change into a 503. PostgreSQL locks rows, so
/// there it is a plain `BEGIN`.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            db.begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
        }
        _ => db.begin().await,
    }
}

async fn migrate_once(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = match db.get_database_backend() {
        DbBackend::Sqlite => begin_write(db).await?,
        backend => {
            let txn = db.begin().await?;
            txn.execute_raw(Statement::from_string(
                backend,
                format!("SELECT pg_advisory_xact_lock({PG_MIGRATION_LOCK})"),
            ))
            .await?;
            txn
        }
    };
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// The database did not answer in time: no pooled connection came free, SQLite's write lock
/// stayed taken past its busy timeout, or a PostgreSQL lock past `lock_timeout`. The statement
/// did nothing, so the request may simply be sent again.
pub fn is_busy(e: &DbErr) -> bool {
    if matches!(e, DbErr::ConnectionAcquire(ConnAcquireErr::Timeout)) {
        return true;
    }
    let text = e.to_string();
    text.contains("database is locked")
        || text.contains("SQLITE_BUSY")
        || text.contains("due to lock timeout")
}

/// First-come-first-served turns for the inserts of records made on devices, on SQLite only.
///
/// SQLite has one write lock. Writers that find it taken wait in SQLite's busy handler, which
/// sleeps between tries *while holding a pooled connection*; a burst of them (or one writer
/// descheduled on a busy machine) parks most of the pool, and reads (the dashboard, logins)
/// queue behind them. With a turn, writers wait here instead, holding nothing, in arrival
/// order, and SQLite sees one writer of ours at a time. The wait is bounded like every
/// other database wait: past it the request is refused as busy (503, send again).
/// PostgreSQL locks rows, not the database, so there every writer goes at once.
#[derive(Clone)]
pub struct WriteTurns {
    gate: Option<std::sync::Arc<tokio::sync::Semaphore>>,
    wait: Duration,
}

/// No turn came within the wait: the caller answers busy.
#[derive(Debug)]
pub struct NoTurn;

impl WriteTurns {
    /// Turns when `on` (SQLite); otherwise every writer goes at once.
    pub fn new(on: bool, wait: Duration) -> Self {
        WriteTurns {
            gate: on.then(|| std::sync::Arc::new(tokio::sync::Semaphore::new(1))),
            wait,
        }
    }

    /// Waits for this writer's turn; the turn ends when the returned guard is dropped.
    pub async fn take(&self) -> Result<Option<tokio::sync::SemaphorePermit<'_>>, NoTurn> {
        let Some(gate) = &self.gate else {
            return Ok(None);
        };
        match tokio::time::timeout(self.wait, gate.acquire()).await {
            Ok(Ok(permit)) => Ok(Some(permit)),
            // Timed out, or closed (never: the semaphore is never closed).
            _ => Err(NoTurn),
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn write_turns_go_one_at_a_time_in_arrival_order_and_a_wait_past_the_limit_is_busy() {
        let turns = WriteTurns::new(true, Duration::from_millis(200));
        let first = turns.take().await.unwrap();
        assert!(first.is_some());
        // A second writer while the first holds its turn: refused after the wait.
        let started = std::time::Instant::now();
        assert!(turns.take().await.is_err());
        assert!(started.elapsed() >= Duration::from_millis(200));
        // Writers queued behind a turn get theirs in the order they came.
        let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut waiting = Vec::new();
        for n in 0..3 {
            let (turns, order) = (turns.clone(), order.clone());
            waiting.push(tokio::spawn(async move {
                let _turn = turns.take().await.unwrap();
                order.lock().unwrap().push(n);
            }));
            // Let each one reach the queue before the next arrives.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(first);
        for w in waiting {
            w.await.unwrap();
        }
        assert_eq!(*order.lock().unwrap(), vec![0, 1, 2]);
    }

    #[tokio::test]
    async fn without_turns_every_writer_goes_at_once() {
        let turns = WriteTurns::new(false, Duration::from_millis(1));
        let a = turns.take().await.unwrap();
        let b = turns.take().await.unwrap();
        assert!(a.is_none() && b.is_none());
    }
}
