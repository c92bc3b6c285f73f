//! Benchmark (not a test): responses per second through HTTP, and one organisation's yearly
//! KPI latency as the database grows to 10k, 100k and 1M responses across many organisations.
//! Run: `cargo run --release -p soundings-tests --bin bench` (SQLite), add
//! `SOUNDINGS_TEST_DB=postgres` for PostgreSQL. Results go in docs/performance.md.
//! Modes: (none) KPI latency by database size; `writes` against the ceiling; `soak` the
//! server as its own process under a steady mixed load (see bench/soak.rs); `dashboard` the
//! manager dashboard's calls on load, on the demo data and at 1M responses (bench/dashboard.rs);
//! `figures` the manager's figures (dashboard, a 36-month trend, filtered quarters) and the
//! server's memory, through the server as its own process at 1M responses (bench/figures.rs);
//! `first-load` a survey link on an emulated slow phone, cold and warm (bench/first_load.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use domain::Role;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait};
use serde_json::Value;
use soundings::entities::{participant, response};
use soundings_tests::{TestApp, body};
use std::time::Instant;
use uuid::Uuid;

#[path = "bench/soak.rs"]
mod soak;

#[path = "bench/dashboard.rs"]
mod dashboard;

#[path = "bench/figures.rs"]
mod figures;

#[path = "bench/first_load.rs"]
mod first_load;

const TARGET_YEAR_RESPONSES: usize = 8_000;
const ORGS: usize = 200;
const PEOPLE_PER_ORG: usize = 50;

fn people(org: Uuid, prefix: &str, n: usize, author: Uuid) -> Vec<participant::ActiveModel> {
    (0..n)
        .map(|i| participant::ActiveModel {
            id: Set(Uuid::new_v4()),
            organisation_id: Set(org),
            kind: Set("jobseeker".into()),
            reference: Set(format!("{prefix}-{i:05}")),
            name: Set(None),
            email: Set(None),
            phone: Set(None),
            language: Set("en".into()),
            accessibility: Set("{}".into()),
            equality: Set("{}".into()),
            withdrawn_at: Set(None),
            erased_at: Set(None),
            created_by: Set(author),
            body_hash: Set(String::new()),
            created_at: Set(Utc::now()),
            updated_at: Set(Utc::now()),
        })
        .collect()
}

fn answer(rng: &mut StdRng, org: Uuid, person: Uuid, day: NaiveDate) -> response::ActiveModel {
    let at = Utc.from_utc_datetime(&day.and_hms_opt(12, 0, 0).unwrap());
    let overall: i16 = rng.gen_range(1..=5);
    response::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(org),
        invitation_id: Set(if rng.gen_bool(0.5) {
            Some(Uuid::new_v4())
        } else {
            None
        }),
        participant_id: Set(person),
        episode_id: Set(None),
        instrument_key: Set("jobseeker_satisfaction".into()),
        instrument_version: Set(1),
        timing: Set(None),
        answers: Set(format!("[{overall},4,4,4,4]")),
        overall: Set(Some(overall)),
        swemwbs_raw: Set(None),
        swemwbs_metric: Set(None),
        complete: Set(true),
        respondent: Set(if rng.gen_bool(0.05) { "proxy" } else { "self" }.into()),
        support: Set(["none", "read_aloud", "staff_assisted"][rng.gen_range(0..3)].into()),
        channel: Set(
            ["own_device", "staff_device", "paper_transcribed"][rng.gen_range(0..3)].into(),
        ),
        format: Set("standard".into()),
        language: Set("en".into()),
        answered_at: Set(at),
        answered_on: Set(day),
        received_at: Set(at + Duration::minutes(5)),
        author_id: Set(None),
        participant_session_id: Set(None),
        specialist_id: Set(None),
        team_id: Set(None),
        programme: Set(None),
        comment: Set(None),
        may_quote: Set(false),
        body_hash: Set(String::new()),
    }
}

async fn insert_all(db: &DatabaseConnection, rows: Vec<response::ActiveModel>) {
    for chunk in rows.chunks(500) {
        response::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

async fn kpi_latency(app: &TestApp, token: &str, year: (NaiveDate, NaiveDate)) -> (f64, f64, u64) {
    let url = format!(
        "/api/kpi/jobseeker-satisfaction?first={}&last={}",
        year.0, year.1
    );
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..15 {
        let t = Instant::now();
        let res = app.get(&url, Some(token)).await;
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        n = v["n"].as_u64().unwrap();
    }
    let p95 = {
        let mut s = times.clone();
        s.sort_by(|a, b| a.partial_cmp(b).unwrap());
        s[(s.len() * 95 / 100).min(s.len() - 1)]
    };
    (median(times), p95, n)
}

async fn throughput(
    app: &TestApp,
    token: &str,
    person: Uuid,
    seconds: u64,
    concurrency: usize,
) -> f64 {
    let deadline = Instant::now() + std::time::Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let http = app.http.clone();
        let url = app.url("/api/responses");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while Instant::now() < deadline {
                let b = body::satisfaction(
                    person,
                    "jobseeker_satisfaction",
                    4,
                    &(Utc::now() - Duration::minutes(1)).to_rfc3339(),
                    body::completion("self", "none", "staff_device"),
                );
                let res = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&b)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 201);
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    total as f64 / seconds as f64
}

fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmRSS:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Latency percentiles and rate of single POSTs at a given concurrency.
async fn write_run(
    app: &TestApp,
    token: &str,
    person: Uuid,
    seconds: u64,
    concurrency: usize,
) -> (f64, f64, f64) {
    let deadline = Instant::now() + std::time::Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let http = app.http.clone();
        let url = app.url("/api/responses");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            while Instant::now() < deadline {
                let b = body::satisfaction(
                    person,
                    "jobseeker_satisfaction",
                    4,
                    &(Utc::now() - Duration::minutes(1)).to_rfc3339(),
                    body::completion("self", "none", "staff_device"),
                );
                let t = Instant::now();
                let res = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&b)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(res.status(), 201);
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            lat
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let p = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    (all.len() as f64 / seconds as f64, p(0.5), p(0.99))
}

/// The write ceiling: the same rows inserted straight into the database by one task, one
/// commit per row (what the server does per acknowledged record), no HTTP.
async fn ceiling(app: &TestApp, org: Uuid, person: Uuid, seconds: u64) -> f64 {
    let mut rng = StdRng::seed_from_u64(1);
    let deadline = Instant::now() + std::time::Duration::from_secs(seconds);
    let mut n = 0u64;
    while Instant::now() < deadline {
        let row = answer(&mut rng, org, person, Utc::now().date_naive());
        response::Entity::insert(row).exec(&app.db).await.unwrap();
        n += 1;
    }
    n as f64 / seconds as f64
}

async fn writes() {
    let app = TestApp::spawn().await;
    let backend = soundings_tests::backend_under_test();
    let org = app.create_org("Target", "admin@target.example.org").await;
    let staff = app
        .create_staff_direct(org, "sam@target.example.org", Role::Specialist)
        .await;
    let token = app.login("sam@target.example.org").await.access_token;
    let person = people(org, "W", 1, staff).remove(0);
    let pid = *person.id.as_ref();
    participant::Entity::insert(person)
        .exec(&app.db)
        .await
        .unwrap();
    let ceil = ceiling(&app, org, pid, 5).await;
    println!("{backend}: ceiling (direct insert, one commit per row): {ceil:.0} rows/s");
    println!("| clients | responses/s | ratio to ceiling | p50 | p99 | process RSS |");
    println!("|---|---|---|---|---|---|");
    for c in [1usize, 16, 64] {
        let (rate, p50, p99) = write_run(&app, &token, pid, 8, c).await;
        println!(
            "| {c} | {rate:.0} | {:.2} | {p50:.1} ms | {p99:.1} ms | {:.0} MB |",
            rate / ceil,
            rss_mb()
        );
    }
    // An offline backlog of 1,000 records through the batch endpoint, 200 a request.
    let records: Vec<Value> = (0..1000)
        .map(|_| {
            let b = body::satisfaction(
                pid,
                "jobseeker_satisfaction",
                3,
                &(Utc::now() - Duration::hours(2)).to_rfc3339(),
                body::completion("self", "none", "staff_device"),
            );
            serde_json::json!({"kind": "response", "body": b})
        })
        .collect();
    let t = Instant::now();
    for chunk in records.chunks(200) {
        let res = app
            .post(
                "/api/sync",
                Some(&token),
                &serde_json::json!({"records": chunk}),
            )
            .await;
        assert_eq!(res.status(), 200);
    }
    println!(
        "{backend}: 1,000-record backlog through /api/sync (5 batches of 200): {:.2} s",
        t.elapsed().as_secs_f64()
    );
}

/// The other organisations of a national database: `ORGS` of them, `PEOPLE_PER_ORG` each.
async fn other_orgs(db: &DatabaseConnection, author: Uuid) -> Vec<(Uuid, Vec<Uuid>)> {
    let mut others = Vec::new();
    for i in 0..ORGS {
        let org = soundings::repo::orgs::create(db, &format!("Org {i}"))
            .await
            .unwrap();
        let ps = people(org.id, "B", PEOPLE_PER_ORG, author);
        let ids: Vec<Uuid> = ps.iter().map(|p| *p.id.as_ref()).collect();
        participant::Entity::insert_many(ps).exec(db).await.unwrap();
        others.push((org.id, ids));
    }
    others
}

/// Adds answers of the other organisations, spread over five years, until the database holds
/// `size` responses; returns the new total.
async fn fill_to(
    db: &DatabaseConnection,
    rng: &mut StdRng,
    others: &[(Uuid, Vec<Uuid>)],
    mut total: usize,
    size: usize,
) -> usize {
    let mut rows = Vec::with_capacity(size.saturating_sub(total).min(50_000));
    while total + rows.len() < size {
        let (org, ids) = &others[rng.gen_range(0..others.len())];
        let day = NaiveDate::from_ymd_opt(2022, 1, 1).unwrap()
            + Duration::days(rng.gen_range(0..5 * 365));
        let person = ids[rng.gen_range(0..ids.len())];
        rows.push(answer(rng, *org, person, day));
        if rows.len() == 50_000 {
            total += rows.len();
            insert_all(db, std::mem::take(&mut rows)).await;
        }
    }
    total += rows.len();
    insert_all(db, rows).await;
    total
}

#[tokio::main]
async fn main() {
    if std::env::args().nth(1).as_deref() == Some("writes") {
        writes().await;
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("soak") {
        soak::soak().await;
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("dashboard") {
        dashboard::dashboard().await;
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("figures") {
        figures::figures().await;
        return;
    }
    if std::env::args().nth(1).as_deref() == Some("first-load") {
        first_load::first_load().await;
        return;
    }
    let app = TestApp::spawn().await;
    let backend = soundings_tests::backend_under_test();
    let target = app.create_org("Target", "admin@target.example.org").await;
    let admin_id = app
        .create_staff_direct(target, "manager@target.example.org", Role::Manager)
        .await;
    let token = app.login("manager@target.example.org").await.access_token;
    let mut rng = StdRng::seed_from_u64(7);

    // Responses per second through HTTP (one write per request, each acknowledged on disk).
    let person = people(target, "HTTP", 1, admin_id).remove(0);
    let person_id = *person.id.as_ref();
    participant::Entity::insert(person)
        .exec(&app.db)
        .await
        .unwrap();

    // The target organisation: 8,000 answers in its measured year (FY 2025-26).
    let year = (
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let target_people = people(target, "B", PEOPLE_PER_ORG, admin_id);
    let target_ids: Vec<Uuid> = target_people.iter().map(|p| *p.id.as_ref()).collect();
    participant::Entity::insert_many(target_people)
        .exec(&app.db)
        .await
        .unwrap();
    let rows: Vec<_> = (0..TARGET_YEAR_RESPONSES)
        .map(|_| {
            let day = year.0 + Duration::days(rng.gen_range(0..365));
            let person = target_ids[rng.gen_range(0..target_ids.len())];
            answer(&mut rng, target, person, day)
        })
        .collect();
    insert_all(&app.db, rows).await;

    // Other organisations, over five years.
    let others = other_orgs(&app.db, admin_id).await;
    let mut total = app.count_rows("response").await as usize;
    println!("| responses in database | KPI D for one organisation's year: median | p95 | n |");
    println!("|---|---|---|---|");
    for size in [10_000usize, 100_000, 1_000_000] {
        let t = Instant::now();
        total = fill_to(&app.db, &mut rng, &others, total, size).await;
        eprintln!("filled to {total} in {:.1} s", t.elapsed().as_secs_f64());
        let (med, p95, n) = kpi_latency(&app, &token, year).await;
        println!("| {size} | {med:.1} ms | {p95:.1} ms | {n} |");
    }
    // Responses per second through HTTP, with the database at a million rows: one write per
    // request, each acknowledged only once it is on disk.
    let rps = throughput(&app, &token, person_id, 10, 16).await;
    println!("{backend}: POST /api/responses, 16 concurrent clients, 10 s: {rps:.0} responses/s");
}
