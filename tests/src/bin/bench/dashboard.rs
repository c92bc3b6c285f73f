//! `bench dashboard`: how long the manager dashboard takes to fill, timed through HTTP exactly
//! as the page asks (frontend/src/staff/pages/dashboard/): five loads start together when the page
//! opens — the team list, the staff list, this quarter's figures, the previous quarter's
//! figures and the 12-month trend — and each quarter's figures are KPI C, KPI D and wellbeing
//! asked at once. So nine requests start together; like the browser (six connections per host)
//! the bench sends at most six at a time. Measured on the demo data and on a 1M-response
//! database.
//!
//! Run: `$CARGO_TARGET_DIR/release/bench dashboard` (SQLite; `SOUNDINGS_TEST_DB=postgres` for
//! PostgreSQL). `DASHBOARD_ROUNDS` (30) page loads each, after two unmeasured ones.

use super::{ORGS, TARGET_YEAR_RESPONSES, answer, fill_to, insert_all, other_orgs, people};
use chrono::{Datelike, Duration, Months, NaiveDate, TimeZone, Utc};
use domain::Role;
use domain::period::Period;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::Value;
use soundings::entities::{episode, participant, response};
use soundings_tests::TestApp;
use std::collections::BTreeMap;
use std::time::Instant;
use uuid::Uuid;

/// The twelve calendar months ending with the one that holds `day` (as the dashboard does).
fn twelve_months_to(day: NaiveDate) -> Period {
    let month = Period::month(day.year(), day.month()).unwrap();
    Period::new(month.first - Months::new(11), month.last).unwrap()
}

pub fn kpi_url(path: &str, p: Period) -> String {
    format!("/api/kpi/{path}?first={}&last={}", p.first, p.last)
}

/// A browser's connections to one host (HTTP/1.1): requests beyond them wait for one.
const BROWSER_CONNECTIONS: usize = 6;

/// One request of the page: its name in the tables and its path.
pub type Call = (String, String);

/// The page's loads on opening with its defaults (this quarter, no filters), as chains: the
/// chains run side by side, the calls inside one chain one after another. When the page asks
/// for something more (a quarterly trend, say), add it here: every bench that times the
/// dashboard (`dashboard`, `figures`) takes it from this list.
pub fn chains(today: NaiveDate) -> Vec<Vec<Call>> {
    let quarter = Period::quarter(today.year(), (today.month() - 1) / 3 + 1).unwrap();
    let previous = quarter.previous().unwrap();
    let figures = |label: &str, p: Period| {
        [
            (
                format!("KPI C, {label}"),
                kpi_url("employer-satisfaction", p),
            ),
            (
                format!("KPI D, {label}"),
                kpi_url("jobseeker-satisfaction", p),
            ),
            (format!("wellbeing, {label}"), kpi_url("wellbeing", p)),
        ]
    };
    let mut calls = vec![
        ("teams".to_owned(), "/api/teams".to_owned()),
        ("staff".into(), "/api/staff".into()),
        (
            "trend, 12 months".into(),
            format!(
                "{}&by=month",
                kpi_url("trend", twelve_months_to(quarter.last))
            ),
        ),
        (
            "late arrivals".into(),
            format!(
                "/api/reports/late?first={}&last={}",
                quarter.first, quarter.last
            ),
        ),
    ];
    calls.extend(figures("this quarter", quarter));
    calls.extend(figures("previous quarter", previous));
    calls.into_iter().map(|call| vec![call]).collect()
}

pub fn pct(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)]
}

/// The whole dashboard's wall time over the measured page loads.
pub struct Whole {
    pub requests: usize,
    pub p50: f64,
    pub p99: f64,
}

/// Opens the dashboard `rounds` times (after two unmeasured opens) against the server at
/// `base` and prints the table; returns the whole page's times.
pub async fn measure(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    today: NaiveDate,
    label: &str,
    rounds: usize,
) -> Whole {
    let chains = chains(today);
    let requests: usize = chains.iter().map(Vec::len).sum();
    let mut per_call: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut walls = Vec::new();
    let mut sizes: BTreeMap<String, String> = BTreeMap::new();
    for round in 0..rounds + 2 {
        let started = Instant::now();
        let mut tasks = Vec::new();
        let connections = std::sync::Arc::new(tokio::sync::Semaphore::new(BROWSER_CONNECTIONS));
        for chain in chains.clone() {
            let (http, base, token) = (http.clone(), base.to_owned(), token.to_owned());
            let connections = connections.clone();
            tasks.push(tokio::spawn(async move {
                let mut out = Vec::new();
                for (name, path) in chain {
                    let _connection = connections.acquire().await.unwrap();
                    let t = Instant::now();
                    let res = http
                        .get(format!("{base}{path}"))
                        .bearer_auth(&token)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(res.status(), 200, "{path}");
                    let v: Value = res.json().await.unwrap();
                    out.push((name, t.elapsed().as_secs_f64() * 1000.0, v));
                }
                out
            }));
        }
        let mut done = Vec::new();
        for t in tasks {
            done.extend(t.await.unwrap());
        }
        let wall = started.elapsed().as_secs_f64() * 1000.0;
        if round < 2 {
            for (name, _, v) in &done {
                // What the figures stand on, so the table says what was read.
                let n = match &v["n"] {
                    Value::Number(n) => format!("n = {n}"),
                    _ => match v {
                        Value::Array(a) => format!("{} rows", a.len()),
                        _ => v["kpi_d"]
                            .as_array()
                            .map(|m| {
                                let total: u64 = m.iter().filter_map(|p| p["n"].as_u64()).sum();
                                format!("{} months, KPI D n = {total}", m.len())
                            })
                            .unwrap_or_else(|| {
                                format!(
                                    "{} start/end pairs",
                                    v["paired_n"].as_u64().unwrap_or_default()
                                )
                            }),
                    },
                };
                sizes.insert(name.clone(), n);
            }
            continue;
        }
        walls.push(wall);
        for (name, ms, _) in done {
            per_call.entry(name).or_default().push(ms);
        }
    }
    walls.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "\n{label} (today = {today}; {rounds} page loads; load average {})\n",
        super::soak::load_average()
    );
    println!("| call | what it read | p50 | p99 |");
    println!("|---|---|---|---|");
    for chain in &chains {
        for (name, _) in chain {
            let mut v = per_call.remove(name).unwrap_or_default();
            v.sort_by(|a, b| a.partial_cmp(b).unwrap());
            println!(
                "| {name} | {} | {:.1} ms | {:.1} ms |",
                sizes.get(name).cloned().unwrap_or_default(),
                pct(&v, 0.5),
                pct(&v, 0.99)
            );
        }
    }
    let whole = Whole {
        requests,
        p50: pct(&walls, 0.5),
        p99: pct(&walls, 0.99),
    };
    println!(
        "| **the whole dashboard** ({requests} requests, at most {BROWSER_CONNECTIONS} at a time, as the page) | | **{:.1} ms** | **{:.1} ms** |",
        whole.p50, whole.p99
    );
    // The needs-attention page's one call (the dashboard itself does not ask for it).
    let mut att = Vec::new();
    let mut items = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        let res = http
            .get(format!("{base}/api/attention"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let v: Value = res.json().await.unwrap();
        att.push(t.elapsed().as_secs_f64() * 1000.0);
        items = v.as_array().map_or(0, Vec::len);
    }
    att.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "\nNeeds-attention page, `GET /api/attention` ({items} items): p50 {:.1} ms, p99 {:.1} ms",
        pct(&att, 0.5),
        pct(&att, 0.99)
    );
    whole
}

/// A satisfaction or SWEMWBS form of the target organisation.
pub fn form(
    rng: &mut StdRng,
    org: Uuid,
    person: Uuid,
    day: NaiveDate,
    instrument: &str,
    episode: Option<(Uuid, &str)>,
) -> response::ActiveModel {
    let mut row = answer(rng, org, person, day);
    row.instrument_key = Set(instrument.into());
    if instrument == "swemwbs" {
        let items: Vec<u8> = (0..7).map(|_| rng.gen_range(1..=5)).collect();
        let raw: u8 = items.iter().sum();
        row.answers = Set(serde_json::to_string(&items).unwrap());
        row.overall = Set(None);
        row.invitation_id = Set(None);
        row.swemwbs_raw = Set(Some(i16::from(raw)));
        row.swemwbs_metric = Set(domain::swemwbs::metric_for_raw(raw).map(|m| m.0 as i32));
        row.episode_id = Set(episode.map(|e| e.0));
        row.timing = Set(episode.map(|e| e.1.to_owned()));
    }
    row
}

pub async fn dashboard() {
    let rounds: usize = std::env::var("DASHBOARD_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let backend = soundings_tests::backend_under_test();

    // The demo data, as `soundings demo` lays it out backwards from today.
    {
        let app = TestApp::spawn().await;
        soundings::demo::seed(&app.db).await.unwrap();
        let token = app
            .login_response("manager@demo.example.org", soundings::demo::DEMO_PASSWORD)
            .await
            .json::<Value>()
            .await
            .unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let responses = app.count_rows("response").await;
        measure(
            &app.http,
            &app.address,
            &token,
            Utc::now().date_naive(),
            &format!("{backend}: demo data ({responses} responses)"),
            rounds,
        )
        .await;
    }

    // A national database of 1M responses. The target organisation, in FY 2025-26: 8,000
    // jobseeker and 2,000 employer answers, and 1,200 support episodes with SWEMWBS at the
    // start and (for those that ended) at the end.
    let app = TestApp::spawn().await;
    let target = app.create_org("Target", "admin@target.example.org").await;
    let manager = app
        .create_staff_direct(target, "manager@target.example.org", Role::Manager)
        .await;
    let token = app.login("manager@target.example.org").await.access_token;
    let mut rng = StdRng::seed_from_u64(7);
    let year = (
        NaiveDate::from_ymd_opt(2025, 4, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );
    let jobseekers = people(target, "J", 400, manager);
    let mut employers = people(target, "E", 60, manager);
    for e in &mut employers {
        e.kind = Set("employer".into());
    }
    let js: Vec<Uuid> = jobseekers.iter().map(|p| *p.id.as_ref()).collect();
    let es: Vec<Uuid> = employers.iter().map(|p| *p.id.as_ref()).collect();
    participant::Entity::insert_many(jobseekers.into_iter().chain(employers))
        .exec(&app.db)
        .await
        .unwrap();
    let day_in_year = |rng: &mut StdRng| year.0 + Duration::days(rng.gen_range(0..365));
    let mut rows = Vec::new();
    for _ in 0..TARGET_YEAR_RESPONSES {
        let (day, who) = (day_in_year(&mut rng), js[rng.gen_range(0..js.len())]);
        rows.push(answer(&mut rng, target, who, day));
    }
    for _ in 0..2_000 {
        let (day, who) = (day_in_year(&mut rng), es[rng.gen_range(0..es.len())]);
        rows.push(form(
            &mut rng,
            target,
            who,
            day,
            "employer_satisfaction",
            None,
        ));
    }
    let mut episodes = Vec::new();
    for i in 0..1_200 {
        let id = Uuid::new_v4();
        let who = js[i % js.len()];
        let started = year.0 - Duration::days(180) + Duration::days(rng.gen_range(0..540));
        let ended = Some(started + Duration::days(rng.gen_range(90..300))).filter(|d| *d <= year.1);
        let now = Utc.from_utc_datetime(&year.1.and_hms_opt(12, 0, 0).unwrap());
        episodes.push(episode::ActiveModel {
            id: Set(id),
            organisation_id: Set(target),
            participant_id: Set(who),
            specialist_id: Set(manager),
            team_id: Set(None),
            programme: Set(if i % 3 == 0 { "ips" } else { "seqf" }.into()),
            referred_on: Set(None),
            started_on: Set(started),
            profile_started_on: Set(None),
            job_started_on: Set(None),
            ended_on: Set(ended),
            employer_id: Set(None),
            referral_id: Set(None),
            hours_before: Set(None),
            end_reason: Set(None),
            created_by: Set(manager),
            body_hash: Set(String::new()),
            created_at: Set(now),
            updated_at: Set(now),
        });
        let first_form = started + Duration::days(rng.gen_range(0..14));
        rows.push(form(
            &mut rng,
            target,
            who,
            first_form,
            "swemwbs",
            Some((id, "start")),
        ));
        if let Some(end) = ended {
            rows.push(form(
                &mut rng,
                target,
                who,
                end,
                "swemwbs",
                Some((id, "end")),
            ));
        }
    }
    for chunk in episodes.chunks(500) {
        episode::Entity::insert_many(chunk.to_vec())
            .exec(&app.db)
            .await
            .unwrap();
    }
    insert_all(&app.db, rows).await;
    let others = other_orgs(&app.db, manager).await;
    let t = Instant::now();
    let total = app.count_rows("response").await as usize;
    let total = fill_to(&app.db, &mut rng, &others, total, 1_000_000).await;
    eprintln!(
        "filled to {total} responses ({} organisations) in {:.1} s",
        ORGS + 1,
        t.elapsed().as_secs_f64()
    );
    // 15 March 2026: "this quarter" is January to March 2026, the trend FY 2025-26.
    measure(
        &app.http,
        &app.address,
        &token,
        NaiveDate::from_ymd_opt(2026, 3, 15).unwrap(),
        &format!("{backend}: {total} responses, one organisation's dashboard"),
        rounds,
    )
    .await;
}
