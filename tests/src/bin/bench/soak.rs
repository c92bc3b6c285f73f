//! `bench soak`: the real server binary as its own process (so its RSS is the server's alone)
//! under a steady mixed load — response POSTs, KPI reads over a fixed year, logins — for a
//! while (default 10 minutes), sampling the server's RSS and the latencies every 10 s.
//!
//! Run: `cargo build --release -p soundings-tests --bins` then
//! `$CARGO_TARGET_DIR/release/bench soak` (SQLite; `SOUNDINGS_TEST_DB=postgres` for PostgreSQL).
//! Knobs (environment): `SOAK_SECONDS` (600), `SOAK_WRITES_PER_S` (100), `SOAK_KPI_PER_S` (2),
//! `SOAK_LOGINS_PER_S` (1).

use super::{answer, people};
use chrono::NaiveDate;
use rand::{SeedableRng, rngs::StdRng};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use soundings::entities::{participant, response};
use soundings_tests::body;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn server_rss_mb(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn percentile(sorted: &[f64], p: usize) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

#[derive(Default)]
struct Window {
    /// (kind, milliseconds) of every request finished since the last sample.
    times: Vec<(&'static str, f64)>,
    errors: u64,
}

pub async fn soak() {
    let seconds = env_num("SOAK_SECONDS", 600);
    let rates = [
        ("write", env_num("SOAK_WRITES_PER_S", 100)),
        ("kpi", env_num("SOAK_KPI_PER_S", 2)),
        ("login", env_num("SOAK_LOGINS_PER_S", 1)),
    ];
    let server_bin = std::env::current_exe().unwrap().with_file_name("server");
    assert!(
        server_bin.is_file(),
        "{} is missing: cargo build --release -p soundings-tests --bins",
        server_bin.display()
    );

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

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = Command::new(&server_bin)
        .arg("serve")
        .env("DATABASE_URL", &db_url)
        .env("SOUNDINGS_BIND", format!("127.0.0.1:{port}"))
        .env(
            "SOUNDINGS_JWT_SECRET",
            "soak-test-signing-key-0123456789abcdef",
        )
        .env("SOUNDINGS_STATIC_DIR", "/nonexistent")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let pid = server.id();
    let http = reqwest::Client::new();
    let mut ready = false;
    for _ in 0..600 {
        if let Ok(r) = http.get(format!("{base}/health/ready")).send().await
            && r.status() == 200
        {
            ready = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(ready, "the server did not start");
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

    println!(
        "soak: server pid {pid}, {seconds} s at {} writes/s, {} KPI reads/s, {} logins/s ({})",
        rates[0].1,
        rates[1].1,
        rates[2].1,
        soundings_tests::backend_under_test()
    );
    println!(
        "soak: t(s)  rss(MB)  requests  errors  p50(ms)  p99(ms)  write p99  kpi p50  login p50"
    );
    let window: Arc<Mutex<Window>> = Arc::default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for (kind, rate) in rates {
        if rate == 0 {
            continue;
        }
        let (http, base, window) = (http.clone(), base.clone(), window.clone());
        let (sam, manager) = (sam.clone(), manager.clone());
        tasks.push(tokio::spawn(async move {
            // Open loop: a request starts every 1/rate s whether or not the last one finished,
            // so a slow server shows as latency, not as a lower rate.
            let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / rate as f64));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let url_kpi = format!(
                "{base}/api/kpi/jobseeker-satisfaction?first={}&last={}",
                year.0, year.1
            );
            while Instant::now() < deadline {
                tick.tick().await;
                let (http, base, window) = (http.clone(), base.clone(), window.clone());
                let (sam, manager, url_kpi) = (sam.clone(), manager.clone(), url_kpi.clone());
                tokio::spawn(async move {
                    let t = Instant::now();
                    let res = match kind {
                        "write" => {
                            let at =
                                (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
                            let b = body::satisfaction(
                                pid_person,
                                "jobseeker_satisfaction",
                                4,
                                &at,
                                body::completion("self", "none", "staff_device"),
                            );
                            http.post(format!("{base}/api/responses"))
                                .bearer_auth(&sam)
                                .json(&b)
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
                    let ok = match res {
                        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
                        _ => false,
                    };
                    let ms = t.elapsed().as_secs_f64() * 1000.0;
                    let mut w = window.lock().unwrap();
                    if ok {
                        w.times.push((kind, ms));
                    } else {
                        w.errors += 1;
                    }
                });
            }
        }));
    }

    let started = Instant::now();
    let mut rss = vec![server_rss_mb(pid)];
    let mut all: Vec<(&'static str, f64)> = Vec::new();
    let mut errors = 0;
    println!("soak: {:>4}  {:>7.1}", 0, rss[0]);
    while Instant::now() < deadline + Duration::from_secs(2) {
        tokio::time::sleep(Duration::from_secs(10)).await;
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
        println!(
            "soak: {:>4}  {:>7.1}  {:>8}  {:>6}  {:>7.1}  {:>7.1}  {:>9.1}  {:>7.1}  {:>9.1}",
            started.elapsed().as_secs(),
            now_rss,
            ms.len(),
            w.errors,
            percentile(&ms, 50),
            percentile(&ms, 99),
            percentile(&of("write"), 99),
            percentile(&of("kpi"), 50),
            percentile(&of("login"), 50),
        );
        errors += w.errors;
        all.extend(w.times);
    }
    for t in tasks {
        t.await.unwrap();
    }
    let max = rss.iter().cloned().fold(0.0, f64::max);
    println!(
        "soak: server RSS start {:.1} MB, max {:.1} MB, end {:.1} MB; {} requests, {} errors",
        rss[0],
        max,
        rss[rss.len() - 1],
        all.len(),
        errors
    );
    for kind in ["write", "kpi", "login"] {
        let mut v: Vec<f64> = all
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, m)| *m)
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "soak: {kind}: n {}, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
            v.len(),
            percentile(&v, 50),
            percentile(&v, 99),
            v.last().copied().unwrap_or(f64::NAN)
        );
    }
    server.kill().unwrap();
    server.wait().unwrap();
}
