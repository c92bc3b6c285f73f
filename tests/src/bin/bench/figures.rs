//! `bench figures`: the manager's figures at a national host's scale, through the real server
//! binary as its own process (so its RSS is the server's alone): the whole dashboard, a
//! 36-month trend, a one-year KPI D and its size, and single-quarter figures filtered by a
//! team and by a specialist; the server's memory after start, after the calls and after 10 s
//! idle.
//!
//! The dataset: 1,000,000 responses. The measured organisation holds three financial years
//! (FY 2023-24 to FY 2025-26): each year 8,000 jobseeker and 2,000 employer answers (half of
//! them to invitations, as `answer()` makes them) and 1,200 support episodes with SWEMWBS at the
//! start and (for those that ended) the end, over 2 teams and 4 specialists; a tenth of the
//! episodes change hands once (holder history). Three in four jobseeker answers and half the
//! employer answers belong to an episode (the employer ones to an episode with a job) and carry
//! its holder at the moment of answering, team and programme, as the server stores them; the
//! rest belong to none. 200 other organisations hold the rest, over five years (`fill_to`).
//! Every figure asks for explicit dates, so the day the bench runs does not matter ("today" is
//! 15 March 2026 for the dashboard).
//!
//! Run: `cargo build --release -p soundings-tests --bins` then
//! `$CARGO_TARGET_DIR/release/bench figures` (SQLite; `SOUNDINGS_TEST_DB=postgres` for
//! PostgreSQL). `FIGURES_ROUNDS` (15): measured calls of each kind, after one that is not.
//! `FIGURES_RESPONSES` (1,000,000): responses in the database (fewer only to try the bench out;
//! the figures to compare are at 1M).
//! `FIGURES_DATABASE_URL=url`: build the dataset in that database and keep it (e.g.
//! `sqlite:///var/tmp/figures.db?mode=rwc`); if it already holds responses, measure it as it
//! is (a dataset an earlier run left), so one fill serves a before and an after.

use super::dashboard::{self, form, pct};
use super::soak::{load_average, server_command, server_rss_mb};
use super::{ORGS, TARGET_YEAR_RESPONSES, answer, fill_to, insert_all, other_orgs, people};
use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use domain::Role;
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{ActiveValue::Set, DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use soundings::entities::{episode, episode_holder, participant, response};
use soundings_tests::wait;
use std::process::{Child, Stdio};
use std::time::Instant;
use uuid::Uuid;

const MANAGER: &str = "manager@figures.example.org";
const TEAMS: [&str; 2] = ["Team A", "Team B"];
/// The specialists' emails and their teams (an index into `TEAMS`).
const SPECIALISTS: [(&str, usize); 4] = [
    ("sam@figures.example.org", 0),
    ("ali@figures.example.org", 0),
    ("jo@figures.example.org", 1),
    ("kim@figures.example.org", 1),
];
/// The financial years of the organisation's data, by the year they start in.
const YEARS: [i32; 3] = [2023, 2024, 2025];
const EMPLOYER_YEAR_RESPONSES: usize = 2_000;
const EPISODES_PER_YEAR: usize = 1_200;
const JOBSEEKERS: usize = 1_200;
const EMPLOYERS: usize = 150;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn fy(start: i32) -> (NaiveDate, NaiveDate) {
    (day(start, 4, 1), day(start + 1, 3, 31))
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&d.and_hms_opt(12, 0, 0).unwrap())
}

/// The last day the organisation has data for (the end of FY 2025-26).
fn last_day() -> NaiveDate {
    day(2026, 3, 31)
}

/// One support episode as generated: who held it from when (an index into the specialists).
struct Ep {
    id: Uuid,
    who: Uuid,
    programme: &'static str,
    started: NaiveDate,
    ended: Option<NaiveDate>,
    job: Option<(NaiveDate, Uuid)>,
    holders: Vec<(DateTime<Utc>, usize)>,
}

impl Ep {
    /// The holder when `at` happened; before the first entry, the first holder.
    fn holder_at(&self, at: DateTime<Utc>) -> usize {
        self.holders
            .iter()
            .rev()
            .find(|(since, _)| *since <= at)
            .unwrap_or(&self.holders[0])
            .1
    }

    fn until(&self) -> NaiveDate {
        self.ended.unwrap_or(last_day())
    }

    /// Days of the episode (from `from` on) inside `year`, if any.
    fn days_in(&self, from: NaiveDate, year: (NaiveDate, NaiveDate)) -> Option<(NaiveDate, i64)> {
        let first = from.max(year.0);
        let last = self.until().min(year.1);
        (first <= last).then(|| (first, (last - first).num_days() + 1))
    }
}

/// Who the organisation's people and staff are.
struct Org {
    id: Uuid,
    manager: Uuid,
    /// (staff id, team id) of each specialist.
    specialists: Vec<(Uuid, Uuid)>,
}

/// Sets a response's episode and the attribution the server stores with it: the holder at
/// the moment of answering, their team, the episode's programme.
fn attribute(row: &mut response::ActiveModel, ep: &Ep, org: &Org) {
    let (specialist, team) = org.specialists[ep.holder_at(*row.answered_at.as_ref())];
    row.episode_id = Set(Some(ep.id));
    row.specialist_id = Set(Some(specialist));
    row.team_id = Set(Some(team));
    row.programme = Set(Some(ep.programme.to_owned()));
}

async fn staff_and_teams(db: &DatabaseConnection) -> Org {
    let org = soundings::repo::orgs::create(db, "Target").await.unwrap();
    let hash = soundings::auth::hash_password(soundings_tests::PASSWORD.into())
        .await
        .unwrap();
    let mut teams = Vec::new();
    for name in TEAMS {
        teams.push(
            soundings::repo::teams::create(db, org.id, name)
                .await
                .unwrap()
                .id,
        );
    }
    let new =
        |email: &'static str, role: Role, team_id: Option<Uuid>| soundings::repo::staff::NewStaff {
            organisation_id: org.id,
            team_id,
            name: "Staff",
            email,
            role,
            password_hash: hash.clone(),
        };
    let manager = soundings::repo::staff::create(db, new(MANAGER, Role::Manager, None))
        .await
        .unwrap()
        .id;
    let mut specialists = Vec::new();
    for (email, team) in SPECIALISTS {
        let s = soundings::repo::staff::create(db, new(email, Role::Specialist, Some(teams[team])))
            .await
            .unwrap();
        specialists.push((s.id, teams[team]));
    }
    Org {
        id: org.id,
        manager,
        specialists,
    }
}

/// The measured organisation's three years; returns how many responses it holds.
async fn target(db: &DatabaseConnection, rng: &mut StdRng, org: &Org) -> usize {
    let jobseekers = people(org.id, "J", JOBSEEKERS, org.manager);
    let mut employers = people(org.id, "E", EMPLOYERS, org.manager);
    for e in &mut employers {
        e.kind = Set("employer".into());
    }
    let js: Vec<Uuid> = jobseekers.iter().map(|p| *p.id.as_ref()).collect();
    let es: Vec<Uuid> = employers.iter().map(|p| *p.id.as_ref()).collect();
    let all: Vec<_> = jobseekers.into_iter().chain(employers).collect();
    for chunk in all.chunks(500) {
        participant::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }

    // The episodes: 1,200 starting in each year, ended 90 to 300 days later (unless that is
    // after the data ends); a third find a job; a tenth change hands once.
    let mut eps = Vec::new();
    for (y, start) in YEARS.iter().enumerate() {
        let year = fy(*start);
        for i in 0..EPISODES_PER_YEAR {
            let started = year.0 + Duration::days(rng.gen_range(0..365));
            let ended =
                Some(started + Duration::days(rng.gen_range(90..300))).filter(|d| *d <= last_day());
            let until = ended.unwrap_or(last_day());
            let mut holders = vec![(noon(started), rng.gen_range(0..SPECIALISTS.len()))];
            let moved = started + Duration::days(rng.gen_range(30..90));
            if rng.gen_bool(0.1) && moved < until {
                let other =
                    (holders[0].1 + rng.gen_range(1..SPECIALISTS.len())) % SPECIALISTS.len();
                holders.push((noon(moved), other));
            }
            let job_on = started + Duration::days(rng.gen_range(30..120));
            let job = (rng.gen_bool(1.0 / 3.0) && job_on < until)
                .then(|| (job_on, es[rng.gen_range(0..es.len())]));
            eps.push(Ep {
                id: Uuid::new_v4(),
                who: js[(y * EPISODES_PER_YEAR + i) % js.len()],
                programme: if i % 3 == 0 { "ips" } else { "seqf" },
                started,
                ended,
                job,
                holders,
            });
        }
    }
    let mut rows = Vec::new();
    let mut episodes = Vec::new();
    let mut history = Vec::new();
    for ep in &eps {
        let (first, _) = ep.holders[0];
        let (last_at, last) = *ep.holders.last().unwrap();
        let (specialist, team) = org.specialists[last];
        episodes.push(episode::ActiveModel {
            id: Set(ep.id),
            organisation_id: Set(org.id),
            participant_id: Set(ep.who),
            specialist_id: Set(specialist),
            team_id: Set(Some(team)),
            programme: Set(ep.programme.into()),
            referred_on: Set(None),
            started_on: Set(ep.started),
            profile_started_on: Set(None),
            job_started_on: Set(ep.job.map(|j| j.0)),
            ended_on: Set(ep.ended),
            employer_id: Set(ep.job.map(|j| j.1)),
            referral_id: Set(None),
            hours_before: Set(None),
            end_reason: Set(None),
            created_by: Set(org.manager),
            body_hash: Set(String::new()),
            created_at: Set(first),
            updated_at: Set(last_at),
        });
        // An episode that changed hands has both entries; one that never did has none.
        if ep.holders.len() > 1 {
            for (at, h) in &ep.holders {
                let (specialist, team) = org.specialists[*h];
                history.push(episode_holder::ActiveModel {
                    episode_id: Set(ep.id),
                    effective_at: Set(*at),
                    organisation_id: Set(org.id),
                    specialist_id: Set(specialist),
                    team_id: Set(Some(team)),
                });
            }
        }
        let start_form = ep.started + Duration::days(rng.gen_range(0..14));
        let forms = [(Some(start_form), "start"), (ep.ended, "end")];
        for (on, timing) in forms {
            let Some(on) = on.filter(|d| *d <= last_day()) else {
                continue;
            };
            let mut row = form(rng, org.id, ep.who, on, "swemwbs", Some((ep.id, timing)));
            attribute(&mut row, ep, org);
            rows.push(row);
        }
    }
    // Each year's satisfaction answers: three in four jobseeker answers and half the employer
    // answers given during an episode (an employer's after the job started) and counted for it.
    for start in YEARS {
        let year = fy(start);
        let open: Vec<&Ep> = eps
            .iter()
            .filter(|e| e.days_in(e.started, year).is_some())
            .collect();
        let placed: Vec<&Ep> = eps
            .iter()
            .filter(|e| e.job.is_some_and(|(on, _)| e.days_in(on, year).is_some()))
            .collect();
        let anyday = |rng: &mut StdRng| year.0 + Duration::days(rng.gen_range(0..365));
        for _ in 0..TARGET_YEAR_RESPONSES {
            if rng.gen_bool(0.75) {
                let ep = open[rng.gen_range(0..open.len())];
                let (first, days) = ep.days_in(ep.started, year).unwrap();
                let on = first + Duration::days(rng.gen_range(0..days));
                let mut row = answer(rng, org.id, ep.who, on);
                attribute(&mut row, ep, org);
                rows.push(row);
            } else {
                let (on, who) = (anyday(rng), js[rng.gen_range(0..js.len())]);
                rows.push(answer(rng, org.id, who, on));
            }
        }
        for _ in 0..EMPLOYER_YEAR_RESPONSES {
            if rng.gen_bool(0.5) {
                let ep = placed[rng.gen_range(0..placed.len())];
                let (job_on, employer) = ep.job.unwrap();
                let (first, days) = ep.days_in(job_on, year).unwrap();
                let on = first + Duration::days(rng.gen_range(0..days));
                let mut row = form(rng, org.id, employer, on, "employer_satisfaction", None);
                attribute(&mut row, ep, org);
                rows.push(row);
            } else {
                let (on, who) = (anyday(rng), es[rng.gen_range(0..es.len())]);
                rows.push(form(rng, org.id, who, on, "employer_satisfaction", None));
            }
        }
    }
    for chunk in episodes.chunks(500) {
        episode::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }
    for chunk in history.chunks(500) {
        episode_holder::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await
            .unwrap();
    }
    let n = rows.len();
    insert_all(db, rows).await;
    n
}

/// The server process; killed when dropped, so a failed run leaves none behind.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// One GET: status, body, milliseconds until the whole body had arrived.
async fn get(http: &reqwest::Client, base: &str, token: &str, path: &str) -> (u16, Vec<u8>, f64) {
    let t = Instant::now();
    let res = http
        .get(format!("{base}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let body = res.bytes().await.unwrap().to_vec();
    (status, body, t.elapsed().as_secs_f64() * 1000.0)
}

/// The same GET `rounds` times one after another, each answered 200; sorted milliseconds.
async fn rounds(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    path: &str,
    rounds: usize,
) -> Vec<f64> {
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let (status, _, ms) = get(http, base, token, path).await;
        assert_eq!(status, 200, "{path}");
        times.push(ms);
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    times
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value's JSON with its objects' keys sorted and the ids left out (`response_ids`, a
/// wellbeing's `pairs`, any `ids`): the figures alone, to compare runs.
fn canonical(v: &Value, out: &mut String) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m
                .keys()
                .filter(|k| !matches!(k.as_str(), "response_ids" | "pairs" | "ids"))
                .collect();
            keys.sort();
            out.push('{');
            for k in keys {
                out.push_str(&format!("{k:?}:"));
                canonical(&m[k], out);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(a) => {
            out.push('[');
            for x in a {
                canonical(x, out);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// FNV-1a of the figures of an answer (ids left out): equal digests, equal figures.
fn digest(v: &Value) -> String {
    let mut s = String::new();
    canonical(v, &mut s);
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", h >> 32)
}

fn ids_in(v: &Value) -> usize {
    v["response_ids"].as_array().map_or(0, Vec::len)
}

/// What an answer's figures stand on, for the table.
fn read(v: &Value) -> String {
    let num = |v: &Value| v.as_u64().map(thousands).unwrap_or_else(|| "-".into());
    if let Some(d) = v["kpi_d"].as_array() {
        let sum = |key: &str, field: &str| -> u64 {
            v[key]
                .as_array()
                .map(|a| a.iter().filter_map(|p| p[field].as_u64()).sum())
                .unwrap_or_default()
        };
        return format!(
            "{} points; KPI D n = {}, KPI C n = {}, {} start/end pairs",
            d.len(),
            thousands(sum("kpi_d", "n")),
            thousands(sum("kpi_c", "n")),
            thousands(sum("wellbeing_change", "n")),
        );
    }
    if v.get("distribution").is_some() {
        return format!(
            "n = {}, mean {}, {} ids",
            num(&v["n"]),
            v["mean"],
            thousands(ids_in(v) as u64)
        );
    }
    if v.get("paired_n").is_some() {
        return format!(
            "{} start/end pairs, mean change {}",
            num(&v["paired_n"]),
            v["mean_change"]
        );
    }
    if v.get("swemwbs_start").is_some() {
        let due = |k: &str| format!("{}/{}", num(&v[k]["answered"]), num(&v[k]["due"]));
        return format!(
            "answered/due: KPI D {}, KPI C {}, SWEMWBS start {}, end {}",
            due("jobseeker_satisfaction"),
            due("employer_satisfaction"),
            due("swemwbs_start"),
            due("swemwbs_end"),
        );
    }
    String::new()
}

/// One row of the results table.
struct Row {
    call: String,
    read: String,
    digest: String,
    bytes: Option<usize>,
    p50: Option<f64>,
    p99: Option<f64>,
}

impl Row {
    fn note(call: String, read: String) -> Row {
        Row {
            call,
            read,
            digest: String::new(),
            bytes: None,
            p50: None,
            p99: None,
        }
    }
}

/// Asks for `path` once unmeasured (its answer is what the row reports) and then `n` times.
async fn measured(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    call: String,
    path: &str,
    n: usize,
) -> Row {
    let (status, body, _) = get(http, base, token, path).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let v: Value = serde_json::from_slice(&body).unwrap();
    let times = rounds(http, base, token, path, n).await;
    Row {
        call,
        read: read(&v),
        digest: digest(&v),
        bytes: Some(body.len()),
        p50: Some(pct(&times, 0.5)),
        p99: Some(pct(&times, 0.99)),
    }
}

/// A parameter the server may not take yet: a 400 says so, and so does an answer in which
/// `taken` sees no sign of it (the parameter was ignored); otherwise it is measured like any
/// call.
async fn optional(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    call: String,
    path: &str,
    taken: impl Fn(&Value) -> bool,
    n: usize,
) -> Row {
    let (status, body, _) = get(http, base, token, path).await;
    if status == 400 {
        let why: Value = serde_json::from_slice(&body).unwrap_or_default();
        return Row::note(call, format!("not supported yet (400: {})", why["message"]));
    }
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    let v: Value = serde_json::from_slice(&body).unwrap();
    if !taken(&v) {
        return Row::note(
            call,
            format!(
                "not supported yet (parameter ignored: {}, {} bytes)",
                read(&v),
                thousands(body.len() as u64)
            ),
        );
    }
    measured(http, base, token, call, path, n).await
}

async fn login(http: &reqwest::Client, base: &str) -> String {
    let v: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": MANAGER, "password": soundings_tests::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

/// The id of the first item of `list` whose `key` is `value`.
async fn id_of(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    list: &str,
    key: &str,
    value: &str,
) -> String {
    let (status, body, _) = get(http, base, token, list).await;
    assert_eq!(status, 200, "{list}");
    let v: Value = serde_json::from_slice(&body).unwrap();
    v.as_array()
        .and_then(|a| a.iter().find(|x| x[key] == value))
        .and_then(|x| x["id"].as_str())
        .unwrap_or_else(|| panic!("no {key} {value} in {list}"))
        .to_owned()
}

pub async fn figures() {
    let n: usize = std::env::var("FIGURES_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let size: usize = std::env::var("FIGURES_RESPONSES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let backend = soundings_tests::backend_under_test();
    super::soak::server_bin();

    // The dataset, written before the server starts; the connection closed after.
    let dir = tempfile::tempdir().unwrap();
    let db_url = match std::env::var("FIGURES_DATABASE_URL") {
        Ok(url) => url,
        Err(_) => soundings_tests::fresh_database_url(&dir).await.unwrap(),
    };
    let db = soundings::db::connect(&db_url).await.unwrap();
    soundings::db::migrate(&db).await.unwrap();
    let existing = response::Entity::find().count(&db).await.unwrap() as usize;
    let (total, built) = if existing > 0 {
        eprintln!("figures: measuring the dataset already in the database ({existing} responses)");
        (existing, "an earlier run's dataset, reused".to_owned())
    } else {
        let t = Instant::now();
        let mut rng = StdRng::seed_from_u64(7);
        let org = staff_and_teams(&db).await;
        let own = target(&db, &mut rng, &org).await;
        let target_s = t.elapsed().as_secs_f64();
        eprintln!("figures: the organisation's {own} responses written in {target_s:.1} s");
        let others = other_orgs(&db, org.manager).await;
        let t2 = Instant::now();
        let total = fill_to(&db, &mut rng, &others, own, size).await;
        let fill_s = t2.elapsed().as_secs_f64();
        eprintln!(
            "figures: filled to {total} responses ({} organisations) in {fill_s:.1} s",
            ORGS + 1
        );
        (
            total,
            format!(
                "the organisation's {} responses written in {target_s:.0} s, the other organisations' in {fill_s:.0} s",
                thousands(own as u64)
            ),
        )
    };
    db.close().await.unwrap();

    let (mut command, base) = server_command(&db_url);
    command.stdout(Stdio::null());
    let server = Server(command.spawn().unwrap());
    let pid = server.0.id();
    let http = reqwest::Client::builder()
        // Idle connections dropped before the server's keep-alive (5 s) closes them.
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap();
    wait::until_ready(&http, &base, std::time::Duration::from_secs(60)).await;
    let mut rss = vec![("idle, just started", server_rss_mb(pid))];
    let token = login(&http, &base).await;
    rss.push(("after the manager's login", server_rss_mb(pid)));
    let team = id_of(&http, &base, &token, "/api/teams", "name", TEAMS[0]).await;
    let specialist = id_of(
        &http,
        &base,
        &token,
        "/api/staff",
        "email",
        SPECIALISTS[0].0,
    )
    .await;
    let load_before = load_average();

    // The whole dashboard, as the page opens it on 15 March 2026.
    let today = day(2026, 3, 15);
    let whole = dashboard::measure(
        &http,
        &base,
        &token,
        today,
        &format!("{backend}: {total} responses, the whole dashboard through the server process"),
        n,
    )
    .await;
    rss.push(("after the dashboard", server_rss_mb(pid)));
    let mut rows = vec![Row {
        call: format!(
            "the whole dashboard ({} requests, at most 6 at a time)",
            whole.requests
        ),
        read: "as `bench dashboard` (table above)".into(),
        digest: String::new(),
        bytes: None,
        p50: Some(whole.p50),
        p99: Some(whole.p99),
    }];

    // A 36-month trend, monthly and (if the server takes it) by quarter.
    let trend = format!("/api/kpi/trend?first={}&last={}", fy(2023).0, fy(2025).1);
    rows.push(
        measured(
            &http,
            &base,
            &token,
            "trend, 36 months (FY 2023-24 to 2025-26)".into(),
            &trend,
            n,
        )
        .await,
    );
    let (_, monthly, _) = get(&http, &base, &token, &trend).await;
    let monthly: Value = serde_json::from_slice(&monthly).unwrap();
    rows.push(
        optional(
            &http,
            &base,
            &token,
            "trend, 36 months, `by=quarter`".into(),
            &format!("{trend}&by=quarter"),
            |v| v["kpi_d"] != monthly["kpi_d"],
            n,
        )
        .await,
    );
    rss.push(("after the trends", server_rss_mb(pid)));

    // One year of KPI D: its time and its size, without and with the ids.
    let year = fy(2025);
    let kpi_d = format!(
        "/api/kpi/jobseeker-satisfaction?first={}&last={}",
        year.0, year.1
    );
    let (_, plain, _) = get(&http, &base, &token, &kpi_d).await;
    let plain: Value = serde_json::from_slice(&plain).unwrap();
    rows.push(measured(&http, &base, &token, "KPI D, FY 2025-26".into(), &kpi_d, n).await);
    rows.push(
        optional(
            &http,
            &base,
            &token,
            "KPI D, FY 2025-26, `ids=true`".into(),
            &format!("{kpi_d}&ids=true"),
            |v| ids_in(v) > ids_in(&plain),
            n,
        )
        .await,
    );

    // This quarter's figures: the whole organisation, one team, one specialist.
    let quarter = (day(2026, 1, 1), day(2026, 3, 31));
    for (who, filter) in [
        ("whole organisation", String::new()),
        (TEAMS[0], format!("&team_id={team}")),
        ("one specialist", format!("&specialist_id={specialist}")),
    ] {
        for (name, path) in [
            ("KPI C", "employer-satisfaction"),
            ("KPI D", "jobseeker-satisfaction"),
            ("wellbeing", "wellbeing"),
            ("coverage", "coverage"),
        ] {
            let url = format!(
                "/api/kpi/{path}?first={}&last={}{filter}",
                quarter.0, quarter.1
            );
            rows.push(
                measured(
                    &http,
                    &base,
                    &token,
                    format!("{name}, Jan-Mar 2026, {who}"),
                    &url,
                    n,
                )
                .await,
            );
        }
    }
    rss.push(("after all the calls", server_rss_mb(pid)));

    // Ten seconds with nothing asked: does the server give memory back? (RSS each second.)
    let mut idle = Vec::new();
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
    tick.tick().await;
    for _ in 0..10 {
        tick.tick().await;
        idle.push(server_rss_mb(pid));
    }
    rss.push(("after 10 s idle", idle.last().copied().unwrap_or_default()));
    drop(server);

    println!(
        "\n### `bench figures`, {backend}: {} responses ({} organisations), {n} measured calls each\n",
        thousands(total as u64),
        ORGS + 1
    );
    println!(
        "Dataset: {built}. Load average before the calls {load_before}, after {}.\n",
        load_average()
    );
    println!("| call | what it read | figures digest | answer | p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    let ms = |v: Option<f64>| v.map(|v| format!("{v:.1} ms")).unwrap_or_default();
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            r.call,
            r.read,
            r.digest,
            r.bytes
                .map(|b| format!("{} bytes", thousands(b as u64)))
                .unwrap_or_default(),
            ms(r.p50),
            ms(r.p99),
        );
    }
    println!("\n| server RSS | MB |");
    println!("|---|---|");
    for (when, mb) in &rss {
        println!("| {when} | {mb:.1} |");
    }
    println!(
        "\nRSS each second of the 10 s idle: {}",
        idle.iter()
            .map(|m| format!("{m:.1}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
