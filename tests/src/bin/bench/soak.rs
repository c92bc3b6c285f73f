//! `bench soak`: the real server binary as its own process (so its RSS is the server's alone)
//! under a steady mixed load — response POSTs, KPI reads over a fixed year, logins — for a
//! while (default 10 minutes), sampling the server's RSS and the latencies every 10 s.
//!
//! Run: `cargo build --release -p soundings-tests --bins` then
//! `$CARGO_TARGET_DIR/release/bench soak` (SQLite; `SOUNDINGS_TEST_DB=postgres` for PostgreSQL).
//! Knobs (environment): `SOAK_SECONDS` (600), `SOAK_WRITES_PER_S` (100), `SOAK_KPI_PER_S` (2),
//! `SOAK_LOGINS_PER_S` (1).
//! - `SOAK_AT_PEAK_PCT=80`: first measure the peak write throughput (`SOAK_PEAK_CLIENTS`
//!   closed-loop clients, 16, for `SOAK_PEAK_SECONDS`, 20), then write at that share of it
//!   instead of `SOAK_WRITES_PER_S`; `SOAK_PEAK_WRITES_PER_S=n` gives the peak instead.
//! - `SOAK_TRACE=dir`: write every request (`requests.csv`) and a 100-ms timeline of the
//!   machine and the database (`samples.csv`: the SQLite WAL's frames and checkpoint progress
//!   read from its `-shm` index, an fsync probe on the same disk, dirty pages, load) there,
//!   and print every stall (requests over `SOAK_STALL_MS`, 1000) against that timeline.
//! - `SOAK_SERVER_ENV="K=V K=V"`: extra environment for the server (e.g. to compare settings).

use super::{answer, people};
use chrono::NaiveDate;
use rand::{SeedableRng, rngs::StdRng};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use soundings::entities::{participant, response};
use soundings_tests::{body, wait};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The server's resident memory (`VmRSS`), in MB; 0 once it is gone.
pub fn server_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// One finished request: its kind, when it started (s since the load began), its time.
#[derive(Clone, Copy)]
struct Done {
    kind: &'static str,
    at: f64,
    ms: f64,
    ok: bool,
    /// The HTTP status, or 0 when no answer came.
    status: u16,
}

/// One point of the timeline (SOAK_TRACE).
#[derive(Clone, Copy, Default)]
struct Sample {
    at: f64,
    /// The SQLite wal-index header: commits so far, frames in the WAL, frames checkpointed.
    commits: u32,
    wal_frames: u32,
    backfilled: u32,
    wal_bytes: u64,
    dirty_kb: u64,
    writeback_kb: u64,
    load1: f64,
    /// The server's SQLite worker threads (sqlx runs one per connection): how many were
    /// sleeping in SQLite's busy handler (waiting for the write lock), and how many were in
    /// uninterruptible disk wait (fsync).
    lock_waiters: u32,
    disk_waiters: u32,
    /// Time the server's threads spent ready to run but waiting for a CPU since the last
    /// sample (ms), summed over threads: CPU starvation.
    runq_ms: f64,
}

/// (lock waiters, disk waiters, total run-queue wait in ns) over the server's threads.
fn threads_of(pid: u32) -> (u32, u32, u64) {
    let (mut lock, mut disk, mut runq) = (0, 0, 0);
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return (0, 0, 0);
    };
    for t in tasks.flatten() {
        let dir = t.path();
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
        runq += read("schedstat")
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0);
        if !read("comm").starts_with("sqlx-sqlite") {
            continue;
        }
        let stat = read("stat");
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .unwrap_or("");
        if state == "D" {
            disk += 1;
        } else if read("wchan").contains("nanosleep") {
            lock += 1;
        }
    }
    (lock, disk, runq)
}

/// The first 136 bytes of the `-shm` file: `WalIndexHdr.iChange` at 8, `.mxFrame` at 16,
/// `WalCkptInfo.nBackfill` at 96, all native-endian (sqlite3 `wal.c`).
fn wal_index(db: &Path) -> Option<(u32, u32, u32)> {
    let mut shm = std::fs::File::open(format!("{}-shm", db.display())).ok()?;
    let mut b = [0u8; 136];
    shm.read_exact(&mut b).ok()?;
    let at = |i: usize| u32::from_ne_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    Some((at(8), at(16), at(96)))
}

fn meminfo_kb(key: &str) -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(rest.split('?').next()?))
}

#[derive(Default)]
struct Window {
    /// (kind, milliseconds) of every request finished since the last sample.
    times: Vec<(&'static str, f64)>,
    errors: u64,
}

/// The highest rate of acknowledged single-response POSTs `clients` closed-loop clients reach.
async fn peak_writes(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    person: Uuid,
    clients: u64,
    seconds: u64,
) -> f64 {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let done = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, token, done) = (
            http.clone(),
            format!("{base}/api/responses"),
            token.to_owned(),
            done.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let res = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&write_body(person))
                    .send()
                    .await;
                if matches!(&res, Ok(r) if r.status() == 201) {
                    done.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / seconds as f64
}

fn write_body(person: Uuid) -> Value {
    let at = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
    body::satisfaction(
        person,
        "jobseeker_satisfaction",
        4,
        &at,
        body::completion("self", "none", "staff_device"),
    )
}

/// The `server` binary built next to this one; panics, saying how to build it, if it is not
/// there (call it before a long fill, not after).
pub fn server_bin() -> PathBuf {
    let server_bin = std::env::current_exe().unwrap().with_file_name("server");
    assert!(
        server_bin.is_file(),
        "{} is missing: cargo build --release -p soundings-tests --bins",
        server_bin.display()
    );
    server_bin
}

/// The command that starts the server as its own process on `db_url`, on a free port of
/// 127.0.0.1, and the base URL it will answer on. Its log (stdout) is for the caller to place.
pub fn server_command(db_url: &str) -> (Command, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut command = Command::new(server_bin());
    command
        .arg("serve")
        .env("DATABASE_URL", db_url)
        .env("SOUNDINGS_BIND", format!("127.0.0.1:{port}"))
        .env(
            "SOUNDINGS_JWT_SECRET",
            "soak-test-signing-key-0123456789abcdef",
        )
        .env("SOUNDINGS_STATIC_DIR", "/nonexistent")
        // The soak measures the server under thousands of requests from one address at once.
        .env("SOUNDINGS_MAX_REQUESTS_PER_ADDRESS", "0")
        .env("RUST_LOG", "warn")
        .stderr(Stdio::inherit());
    (command, format!("http://127.0.0.1:{port}"))
}

pub async fn soak() {
    let seconds = env_num("SOAK_SECONDS", 600);
    let stall_ms = env_num("SOAK_STALL_MS", 1000) as f64;
    let trace: Option<PathBuf> = std::env::var("SOAK_TRACE").ok().map(PathBuf::from);
    server_bin();

    // Arrange: a database with one organisation, a manager, a specialist, a participant, and
    // 8,000 answers in FY 2025-26 for the KPI reads (a fixed amount of work per read).
    let dir = tempfile::tempdir().unwrap();
    let db_url = soundings_tests::fresh_database_url(&dir).await.unwrap();
    let db = soundings::db::connect(&db_url).await.unwrap();
    soundings::db::migrate(&db).await.unwrap();
    let org = soundings::repo::orgs::create(&db, "Soak").await.unwrap();
    let hash = soundings::auth::hash_password(soundings_tests::PASSWORD.into())
        .await
        .unwrap();
    let mut manager_id = Uuid::nil();
    for (email, role) in [
        ("manager@soak.example.org", domain::Role::Manager),
        ("sam@soak.example.org", domain::Role::Specialist),
    ] {
        let s = soundings::repo::staff::create(
            &db,
            soundings::repo::staff::NewStaff {
                organisation_id: org.id,
                team_id: None,
                name: "Staff",
                email,
                role,
                password_hash: hash.clone(),
            },
        )
        .await
        .unwrap();
        if role == domain::Role::Manager {
            manager_id = s.id;
        }
    }
    let year = (
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let history = people(org.id, "KPI", 200, manager_id);
    let ids: Vec<Uuid> = history.iter().map(|p| *p.id.as_ref()).collect();
    participant::Entity::insert_many(history)
        .exec(&db)
        .await
        .unwrap();
    let mut rng = StdRng::seed_from_u64(11);
    let rows: Vec<_> = (0..8_000)
        .map(|i| {
            let day = year.0 + chrono::Duration::days(i % 365);
            answer(&mut rng, org.id, ids[i as usize % ids.len()], day)
        })
        .collect();
    for chunk in rows.chunks(500) {
        response::Entity::insert_many(chunk.to_vec())
            .exec(&db)
            .await
            .unwrap();
    }
    db.close().await.unwrap();

    let (mut command, base) = server_command(&db_url);
    // The server logs to stdout: keep it with the trace, else drop it.
    match &trace {
        Some(out) => {
            std::fs::create_dir_all(out).unwrap();
            command.stdout(std::fs::File::create(out.join("server.log")).unwrap());
        }
        None => {
            command.stdout(Stdio::null());
        }
    }
    let extra = std::env::var("SOAK_SERVER_ENV").unwrap_or_default();
    for kv in extra.split_whitespace() {
        if let Some((k, v)) = kv.split_once('=') {
            command.env(k, v);
        }
    }
    let mut server = command.spawn().unwrap();
    let pid = server.id();
    let http = reqwest::Client::new();
    wait::until_ready(&http, &base, Duration::from_secs(30)).await;
    let login = |email: &'static str| {
        let (http, base) = (http.clone(), base.clone());
        async move {
            let v: Value = http
                .post(format!("{base}/api/auth/login"))
                .json(&json!({"email": email, "password": soundings_tests::PASSWORD}))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["access_token"].as_str().unwrap().to_owned()
        }
    };
    let sam = login("sam@soak.example.org").await;
    let manager = login("manager@soak.example.org").await;
    let person = body::participant("jobseeker", "SOAK-1");
    let pid_person: Uuid = serde_json::from_value(person["id"].clone()).unwrap();
    let r = http
        .post(format!("{base}/api/participants"))
        .bearer_auth(&sam)
        .json(&person)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);

    let mut writes_per_s = env_num("SOAK_WRITES_PER_S", 100) as f64;
    if let Ok(pct) = std::env::var("SOAK_AT_PEAK_PCT") {
        let pct: f64 = pct.parse().expect("SOAK_AT_PEAK_PCT is a number");
        let peak = match std::env::var("SOAK_PEAK_WRITES_PER_S") {
            Ok(p) => p.parse().expect("SOAK_PEAK_WRITES_PER_S is a number"),
            Err(_) => {
                let clients = env_num("SOAK_PEAK_CLIENTS", 16);
                let secs = env_num("SOAK_PEAK_SECONDS", 20);
                let load = load_average();
                let peak = peak_writes(&http, &base, &sam, pid_person, clients, secs).await;
                println!(
                    "soak: peak write throughput: {peak:.0} responses/s ({clients} closed-loop clients, {secs} s; load average before: {load})"
                );
                peak
            }
        };
        writes_per_s = (peak * pct / 100.0).round();
    }
    let rates = [
        ("write", writes_per_s),
        ("kpi", env_num("SOAK_KPI_PER_S", 2) as f64),
        ("login", env_num("SOAK_LOGINS_PER_S", 1) as f64),
    ];

    println!(
        "soak: server pid {pid}, {seconds} s at {} writes/s, {} KPI reads/s, {} logins/s ({}); load average {}",
        rates[0].1,
        rates[1].1,
        rates[2].1,
        soundings_tests::backend_under_test(),
        load_average(),
    );
    println!(
        "soak: t(s)  rss(MB)  requests  errors  p50(ms)  p99(ms)  write p99  kpi p50  login p50  load"
    );
    let window: Arc<Mutex<Window>> = Arc::default();
    let log: Arc<Mutex<Vec<Done>>> = Arc::default();
    let in_flight = Arc::new(AtomicU64::new(0));
    let max_in_flight = Arc::new(AtomicU64::new(0));
    let not_sent = Arc::new(AtomicU64::new(0));
    let failures: Arc<Mutex<std::collections::BTreeMap<String, u64>>> = Arc::default();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (kind, rate) in rates {
        if rate <= 0.0 {
            continue;
        }
        let (http, base, window, log) = (http.clone(), base.clone(), window.clone(), log.clone());
        let (sam, manager) = (sam.clone(), manager.clone());
        let (in_flight, max_in_flight, not_sent) =
            (in_flight.clone(), max_in_flight.clone(), not_sent.clone());
        let failures = failures.clone();
        tasks.push(tokio::spawn(async move {
            // Open loop: requests start on schedule (rate × elapsed time) whether or not the
            // last ones finished, so a slow server shows as latency, not as a lower rate.
            let mut tick = tokio::time::interval(Duration::from_millis(5));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            let url_kpi = format!(
                "{base}/api/kpi/jobseeker-satisfaction?first={}&last={}",
                year.0, year.1
            );
            let mut issued = 0u64;
            while Instant::now() < deadline {
                tick.tick().await;
                let due = (started.elapsed().as_secs_f64() * rate) as u64;
                while issued < due {
                    issued += 1;
                    // A stalled server must not make the client run out of sockets.
                    if in_flight.load(Ordering::Relaxed) >= 4000 {
                        not_sent.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    let n = in_flight.fetch_add(1, Ordering::Relaxed) + 1;
                    max_in_flight.fetch_max(n, Ordering::Relaxed);
                    let (http, base, window, log) =
                        (http.clone(), base.clone(), window.clone(), log.clone());
                    let (sam, manager, url_kpi) = (sam.clone(), manager.clone(), url_kpi.clone());
                    let (in_flight, failures) = (in_flight.clone(), failures.clone());
                    tokio::spawn(async move {
                        let t = Instant::now();
                        let at = started.elapsed().as_secs_f64();
                        let res = match kind {
                            "write" => {
                                http.post(format!("{base}/api/responses"))
                                    .bearer_auth(&sam)
                                    .json(&write_body(pid_person))
                                    .send()
                                    .await
                            }
                            "kpi" => http.get(&url_kpi).bearer_auth(&manager).send().await,
                            _ => {
                                http.post(format!("{base}/api/auth/login"))
                                    .json(&json!({"email": "sam@soak.example.org", "password": soundings_tests::PASSWORD}))
                                    .send()
                                    .await
                            }
                        };
                        // Read the whole body: the time is until the client has the answer.
                        let status = res.as_ref().map_or(0, |r| r.status().as_u16());
                        if let Err(e) = &res {
                            // What kind of failure: the error's innermost cause.
                            let mut cause: &dyn std::error::Error = e;
                            while let Some(inner) = cause.source() {
                                cause = inner;
                            }
                            *failures
                                .lock()
                                .unwrap()
                                .entry(format!("{kind}: {cause}"))
                                .or_default() += 1;
                        }
                        let ok = match res {
                            Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                            _ => false,
                        };
                        in_flight.fetch_sub(1, Ordering::Relaxed);
                        let ms = t.elapsed().as_secs_f64() * 1000.0;
                        log.lock().unwrap().push(Done {
                            kind,
                            at,
                            ms,
                            ok,
                            status,
                        });
                        let mut w = window.lock().unwrap();
                        if ok {
                            w.times.push((kind, ms));
                        } else {
                            w.errors += 1;
                        }
                    });
                }
            }
        }));
    }

    // The timeline: the database's WAL index and the machine, every 100 ms; an fsync probe
    // (4 KiB written and fdatasync'ed next to the database) every 200 ms in its own thread.
    let samples: Arc<Mutex<Vec<Sample>>> = Arc::default();
    let probes: Arc<Mutex<Vec<(f64, f64)>>> = Arc::default();
    let db_path = sqlite_path(&db_url);
    if trace.is_some() {
        let (samples, db_path) = (samples.clone(), db_path.clone());
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            let mut last_runq = threads_of(pid).2;
            while Instant::now() < deadline + Duration::from_secs(2) {
                tick.tick().await;
                let (lock_waiters, disk_waiters, runq) = threads_of(pid);
                let runq_ms = runq.saturating_sub(last_runq) as f64 / 1e6;
                last_runq = runq;
                let (commits, wal_frames, backfilled) =
                    db_path.as_deref().and_then(wal_index).unwrap_or_default();
                let wal_bytes = db_path
                    .as_ref()
                    .and_then(|p| std::fs::metadata(format!("{}-wal", p.display())).ok())
                    .map_or(0, |m| m.len());
                let load1 = load_average()
                    .split_whitespace()
                    .next()
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0.0);
                samples.lock().unwrap().push(Sample {
                    at: started.elapsed().as_secs_f64(),
                    commits,
                    wal_frames,
                    backfilled,
                    wal_bytes,
                    dirty_kb: meminfo_kb("Dirty:"),
                    writeback_kb: meminfo_kb("Writeback:"),
                    load1,
                    lock_waiters,
                    disk_waiters,
                    runq_ms,
                });
            }
        });
        let (probes, probe_file) = (probes.clone(), dir.path().join("fsync-probe"));
        std::thread::spawn(move || {
            let mut f = std::fs::File::create(&probe_file).unwrap();
            let block = [7u8; 4096];
            // A probe every 200 ms (its own thread, so a stalled fsync never holds up a task).
            let mut pace = wait::Ticker::new(Duration::from_millis(200));
            while Instant::now() < deadline + Duration::from_secs(2) {
                pace.tick();
                let at = started.elapsed().as_secs_f64();
                let t = Instant::now();
                f.write_all(&block).unwrap();
                f.sync_data().unwrap();
                probes
                    .lock()
                    .unwrap()
                    .push((at, t.elapsed().as_secs_f64() * 1000.0));
            }
        });
    }

    let mut rss = vec![server_rss_mb(pid)];
    let mut all: Vec<(&'static str, f64)> = Vec::new();
    let mut errors = 0;
    let mut loads = Vec::new();
    println!("soak: {:>4}  {:>7.1}", 0, rss[0]);
    // A report every 10 s, from 10 s in.
    let every = Duration::from_secs(10);
    let mut report = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    report.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    while Instant::now() < deadline + Duration::from_secs(2) {
        report.tick().await;
        let w = std::mem::take(&mut *window.lock().unwrap());
        let now_rss = server_rss_mb(pid);
        rss.push(now_rss);
        let mut ms: Vec<f64> = w.times.iter().map(|(_, m)| *m).collect();
        ms.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let of = |k: &str| {
            let mut v: Vec<f64> = w
                .times
                .iter()
                .filter(|(kind, _)| *kind == k)
                .map(|(_, m)| *m)
                .collect();
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            v
        };
        let load = load_average();
        println!(
            "soak: {:>4}  {:>7.1}  {:>8}  {:>6}  {:>7.1}  {:>7.1}  {:>9.1}  {:>7.1}  {:>9.1}  {}",
            started.elapsed().as_secs(),
            now_rss,
            ms.len(),
            w.errors,
            percentile(&ms, 50),
            percentile(&ms, 99),
            percentile(&of("write"), 99),
            percentile(&of("kpi"), 50),
            percentile(&of("login"), 50),
            load,
        );
        loads.push(load);
        errors += w.errors;
        all.extend(w.times);
    }
    for t in tasks {
        t.await.unwrap();
    }
    // Let the last requests finish (a stalled one would otherwise be missing from the log);
    // after half a minute, report without the ones still out.
    let drained = wait::within(Duration::from_secs(30), || async {
        in_flight.load(Ordering::Relaxed) == 0
    })
    .await;
    if drained.is_err() {
        println!(
            "soak: {} requests still in flight after 30 s, left out",
            in_flight.load(Ordering::Relaxed)
        );
    }
    let max = rss.iter().cloned().fold(0.0, f64::max);
    println!(
        "soak: server RSS start {:.1} MB, max {:.1} MB, end {:.1} MB; {} requests, {} errors; at most {} in flight, {} not sent (client backlog full)",
        rss[0],
        max,
        rss[rss.len() - 1],
        all.len(),
        errors,
        max_in_flight.load(Ordering::Relaxed),
        not_sent.load(Ordering::Relaxed),
    );
    let load1: Vec<f64> = loads
        .iter()
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    if !load1.is_empty() {
        println!(
            "soak: 1-minute load average over the run: min {:.2}, mean {:.2}, max {:.2} (2 cores)",
            load1.iter().cloned().fold(f64::INFINITY, f64::min),
            load1.iter().sum::<f64>() / load1.len() as f64,
            load1.iter().cloned().fold(0.0, f64::max),
        );
    }
    for kind in ["write", "kpi", "login"] {
        let mut v: Vec<f64> = all
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| *m)
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "soak: {kind}: n {} ({:.1}/s), p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            v.len(),
            v.len() as f64 / seconds as f64,
            percentile(&v, 50),
            percentile(&v, 99),
            v.last().copied().unwrap_or(f64::NAN)
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();

    let mut statuses: std::collections::BTreeMap<(&str, u16), u64> = Default::default();
    for d in log.lock().unwrap().iter().filter(|d| !d.ok) {
        *statuses.entry((d.kind, d.status)).or_default() += 1;
    }
    for ((kind, status), n) in statuses {
        println!("soak: failed {kind}: {n} with status {status} (0: no answer)");
    }
    for (what, n) in failures.lock().unwrap().iter() {
        println!("soak: no answer, {n} times: {what}");
    }
    if let Some(out) = trace {
        let log = log.lock().unwrap().clone();
        let samples = samples.lock().unwrap().clone();
        let probes = probes.lock().unwrap().clone();
        write_trace(&out, &log, &samples, &probes);
        report_stalls(&log, &samples, &probes, stall_ms);
    }
}

fn write_trace(out: &Path, log: &[Done], samples: &[Sample], probes: &[(f64, f64)]) {
    std::fs::create_dir_all(out).unwrap();
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("requests.csv")).unwrap());
    writeln!(f, "start_s,kind,ms,ok,status").unwrap();
    for d in log {
        writeln!(
            f,
            "{:.4},{},{:.2},{},{}",
            d.at, d.kind, d.ms, d.ok, d.status
        )
        .unwrap();
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("samples.csv")).unwrap());
    writeln!(
        f,
        "t_s,commits,wal_frames,backfilled,wal_bytes,dirty_kb,writeback_kb,load1,lock_waiters,disk_waiters,runq_ms"
    )
    .unwrap();
    for s in samples {
        writeln!(
            f,
            "{:.2},{},{},{},{},{},{},{},{},{},{:.1}",
            s.at,
            s.commits,
            s.wal_frames,
            s.backfilled,
            s.wal_bytes,
            s.dirty_kb,
            s.writeback_kb,
            s.load1,
            s.lock_waiters,
            s.disk_waiters,
            s.runq_ms
        )
        .unwrap();
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(out.join("fsync.csv")).unwrap());
    writeln!(f, "t_s,fsync_ms").unwrap();
    for (at, ms) in probes {
        writeln!(f, "{at:.3},{ms:.2}").unwrap();
    }
    println!("soak: trace written to {}", out.display());
}

/// Every stretch of time in which requests took longer than `stall_ms`, with what the database
/// and the disk were doing then.
fn report_stalls(log: &[Done], samples: &[Sample], probes: &[(f64, f64)], stall_ms: f64) {
    let mut slow: Vec<(f64, f64)> = log
        .iter()
        .filter(|d| d.ms > stall_ms)
        .map(|d| (d.at, d.at + d.ms / 1000.0))
        .collect();
    slow.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    let mut stalls: Vec<(f64, f64)> = Vec::new();
    for (a, b) in slow {
        match stalls.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => stalls.push((a, b)),
        }
    }
    println!(
        "soak: {} stalls (requests over {stall_ms:.0} ms); fsync probe overall: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        stalls.len(),
        {
            let mut v: Vec<f64> = probes.iter().map(|p| p.1).collect();
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            percentile(&v, 50)
        },
        {
            let mut v: Vec<f64> = probes.iter().map(|p| p.1).collect();
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            percentile(&v, 99)
        },
        probes.iter().map(|p| p.1).fold(0.0, f64::max),
    );
    for (a, b) in stalls {
        let hit = |k: &str| {
            log.iter()
                .filter(|d| d.kind == k && d.at < b && d.at + d.ms / 1000.0 > a && d.ms > stall_ms)
                .count()
        };
        let during: Vec<&Sample> = samples.iter().filter(|s| s.at >= a && s.at <= b).collect();
        let first = during.first().copied().copied().unwrap_or_default();
        let last = during.last().copied().copied().unwrap_or_default();
        // Probes that were running at any point in the stall (started before its end and
        // finished after its start).
        let probe_max = probes
            .iter()
            .filter(|(at, ms)| *at < b && at + ms / 1000.0 > a)
            .map(|p| p.1)
            .fold(0.0, f64::max);
        // Where commits stopped: the longest run of samples without a new commit.
        let mut frozen = 0.0f64;
        let mut since = first.at;
        let mut prev = first.commits;
        for s in &during {
            if s.commits != prev {
                prev = s.commits;
                since = s.at;
            }
            frozen = frozen.max(s.at - since);
        }
        println!(
            "soak: stall {a:.1}-{b:.1} s ({:.1} s): slow writes {}, KPI reads {}, logins {}; \
             commits {}->{} (none for {frozen:.1} s); WAL frames {}->{}, checkpointed {}->{}, \
             file {:.1} MB; longest fsync probe {probe_max:.0} ms; dirty {}-{} kB, writeback up to {} kB; load {:.2}; \
             SQLite workers waiting for the write lock up to {}, in disk wait up to {}; server threads waited {:.0} ms for a CPU",
            b - a,
            hit("write"),
            hit("kpi"),
            hit("login"),
            first.commits,
            last.commits,
            first.wal_frames,
            last.wal_frames,
            first.backfilled,
            last.backfilled,
            last.wal_bytes as f64 / 1e6,
            during.iter().map(|s| s.dirty_kb).min().unwrap_or(0),
            during.iter().map(|s| s.dirty_kb).max().unwrap_or(0),
            during.iter().map(|s| s.writeback_kb).max().unwrap_or(0),
            last.load1,
            during.iter().map(|s| s.lock_waiters).max().unwrap_or(0),
            during.iter().map(|s| s.disk_waiters).max().unwrap_or(0),
            during.iter().map(|s| s.runq_ms).sum::<f64>(),
        );
    }
}
