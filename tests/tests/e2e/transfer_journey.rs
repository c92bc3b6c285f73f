//! The episodes file carries the journey (referrals, jobs, hours before, the support end and,
//! when asked for, equality answers): a service's history round-trips into another
//! organisation with the same outcome figures, and a bad row is refused by row and column.

use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

/// A service with two specialists, its manager and admin tokens.
struct Service {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    jo: String,
    sam_id: Uuid,
    north: Uuid,
}

/// An organisation with Sam (North) and Jo (South), as in the other transfer tests.
async fn service(name: &str, domain: &str) -> Service {
    let app = TestApp::spawn().await;
    let org = app.create_org(name, &format!("admin@{domain}")).await;
    let admin = app.login(&format!("admin@{domain}")).await.access_token;
    app.create_staff_direct(org, &format!("manager@{domain}"), domain::Role::Manager)
        .await;
    let manager = app.login(&format!("manager@{domain}")).await.access_token;
    let (sam_id, north) = app
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    app.specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    Service {
        app,
        admin,
        manager,
        sam,
        jo,
        sam_id,
        north,
    }
}

async fn jobseeker(s: &Service, token: &str, reference: &str, equality: Value) -> Uuid {
    let mut p = body::participant("jobseeker", reference);
    p["equality"] = equality;
    id_of(&s.app.create("/api/participants", token, &p).await)
}

async fn referral(s: &Service, token: &str, person: Uuid, on: &str, extra: Value) -> Uuid {
    let mut r = json!({"id": Uuid::new_v4(), "participant_id": person, "programme": "seqf",
                       "referred_on": on, "source": "self"});
    merge(&mut r, extra);
    id_of(&s.app.create("/api/referrals", token, &r).await)
}

async fn episode(s: &Service, token: &str, person: Uuid, extra: Value) -> Uuid {
    let mut e = json!({"id": Uuid::new_v4(), "participant_id": person, "programme": "seqf"});
    merge(&mut e, extra);
    id_of(&s.app.create("/api/episodes", token, &e).await)
}

async fn job(s: &Service, token: &str, episode: Uuid, extra: Value) -> Uuid {
    let mut j = json!({"id": Uuid::new_v4(), "episode_id": episode, "outcome": "new_job",
                       "paid": true});
    merge(&mut j, extra);
    id_of(&s.app.create("/api/jobs", token, &j).await)
}

fn merge(into: &mut Value, extra: Value) {
    for (k, v) in extra.as_object().unwrap() {
        into[k] = v.clone();
    }
}

async fn patch_ok(s: &Service, token: &str, path: &str, body: Value) {
    let res = s.app.patch(path, Some(token), &body).await;
    let status = res.status();
    assert_eq!(status, 200, "PATCH {path}: {}", res.text().await.unwrap());
}

/// A year of journeys, FY 2025/26: five referrals (one declined, one never decided), four
/// episodes with profile starts, paid and unpaid jobs, a job that ended and a second one
/// within 28 days (one spell), one that ended for good, an apprenticeship after a work trial,
/// and a self-employment that ended with the support.
async fn journeys(s: &Service) {
    let (sam, jo) = (&s.sam, &s.jo);
    let j1 = jobseeker(
        s,
        sam,
        "J1",
        json!({"born_on": "1990-03-04", "gender": "woman",
        "ethnicity": "white", "disability": "autism", "living_situation": "with_family",
        "area": "urban"}),
    )
    .await;
    let j2 = jobseeker(s, sam, "J2", json!({"gender": "prefer_not_to_say"})).await;
    let j3 = jobseeker(
        s,
        jo,
        "J3",
        json!({"born_on": "2006-09-01", "gender": "man"}),
    )
    .await;
    let j4 = jobseeker(s, jo, "J4", json!({})).await;
    let j5 = jobseeker(
        s,
        sam,
        "J5",
        json!({"born_on": "1975-01-20", "area": "rural"}),
    )
    .await;

    let r1 = referral(s, sam, j1, "2025-04-10", json!({})).await;
    let e1 = episode(
        s,
        sam,
        j1,
        json!({"referral_id": r1, "started_on": "2025-04-20",
        "profile_started_on": "2025-05-01", "hours_before": 0}),
    )
    .await;
    let a = job(
        s,
        sam,
        e1,
        json!({"started_on": "2025-06-02", "sector": "I",
        "hours_per_week": 16, "hourly_pay": 12.21, "job_analysis": true,
        "title": "Kitchen porter"}),
    )
    .await;
    patch_ok(
        s,
        sam,
        &format!("/api/jobs/{a}"),
        json!({"ended_on": "2025-09-30", "end_reason": "resigned"}),
    )
    .await;
    job(
        s,
        sam,
        e1,
        json!({"started_on": "2025-10-15", "sector": "G",
        "hours_per_week": 20.5, "hourly_pay": 12.5}),
    )
    .await;
    patch_ok(
        s,
        sam,
        &format!("/api/episodes/{e1}"),
        json!({"ended_on": "2026-06-30", "end_reason": "sustained_in_work"}),
    )
    .await;

    referral(
        s,
        sam,
        j2,
        "2025-05-05",
        json!({"source": "job_centre", "accepted": false,
        "decided_on": "2025-05-12", "not_accepted_reason": "declined"}),
    )
    .await;

    let r3 = referral(
        s,
        jo,
        j3,
        "2025-06-01",
        json!({"source": "health", "accepted": true,
        "decided_on": "2025-06-05"}),
    )
    .await;
    let e3 = episode(
        s,
        jo,
        j3,
        json!({"referral_id": r3, "started_on": "2025-06-10",
        "profile_started_on": "2025-06-20", "hours_before": 4.5}),
    )
    .await;
    job(
        s,
        jo,
        e3,
        json!({"started_on": "2025-08-01", "ended_on": "2025-10-01",
        "end_reason": "dismissed", "sector": "C", "hours_per_week": 30,
        "hourly_pay": 10.0}),
    )
    .await;

    referral(s, jo, j4, "2025-07-01", json!({"source": "social_care"})).await;

    let e5 = episode(
        s,
        sam,
        j5,
        json!({"started_on": "2025-09-01",
        "profile_started_on": "2025-09-15"}),
    )
    .await;
    job(
        s,
        sam,
        e5,
        json!({"started_on": "2025-10-01", "paid": false,
        "outcome": "new_job"}),
    )
    .await;
    job(
        s,
        sam,
        e5,
        json!({"started_on": "2026-01-05", "outcome": "apprenticeship",
        "hours_per_week": 37.5, "hourly_pay": 7.55, "job_analysis": true,
        "sector": "Q"}),
    )
    .await;

    let r6 = referral(
        s,
        jo,
        j4,
        "2026-02-01",
        json!({"source": "school_college",
        "accepted": true, "decided_on": "2026-02-03"}),
    )
    .await;
    let e6 = episode(
        s,
        jo,
        j4,
        json!({"referral_id": r6, "started_on": "2026-02-10",
        "profile_started_on": "2026-02-20", "ended_on": "2026-03-31",
        "end_reason": "withdrew"}),
    )
    .await;
    job(
        s,
        jo,
        e6,
        json!({"started_on": "2026-03-01", "outcome": "self_employment",
        "ended_on": "2026-03-20", "end_reason": "health"}),
    )
    .await;
}

const FY: &str = "first=2025-04-01&last=2026-03-31&as_of=2026-11-30";

async fn get_json(app: &TestApp, token: &str, path: &str) -> Value {
    let res = app.get(path, Some(token)).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "GET {path}: {text}");
    serde_json::from_str(&text).unwrap()
}

async fn csv(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "GET {path}");
    res.text().await.unwrap()
}

async fn import(app: &TestApp, token: &str, file: &str) -> reqwest::Response {
    app.post_raw(
        "/api/import/episodes",
        Some(token),
        "text/csv",
        file.as_bytes().to_vec(),
    )
    .await
}

/// The cells of a CSV line written without quotes (none of these files needs any).
fn cells(line: &str) -> Vec<String> {
    line.split(',').map(String::from).collect()
}

/// The index of a column in the file's header.
fn column(file: &str, name: &str) -> usize {
    cells(file.lines().next().unwrap())
        .iter()
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

#[tokio::test]
async fn journeys_exported_and_imported_into_an_empty_organisation_give_the_same_outcomes() {
    let a = service("Org A", "a.example.org").await;
    journeys(&a).await;
    let before = get_json(&a.app, &a.manager, &format!("/api/outcomes?{FY}")).await;
    // The figures compared below are not empty.
    assert_eq!(before["kpi_a"]["rate"]["n"], 4, "{before}");
    assert_eq!(before["kpi_e"]["rate"]["n"], 4, "{before}");
    assert_eq!(before["kpi_e"]["rate"]["numerator"], 2, "{before}");
    assert_eq!(before["access"]["n"], 5, "{before}");
    assert!(before["kpi_b"]["weeks"]["mean"].is_number(), "{before}");

    let plain = csv(&a.app, &a.manager, "/api/export/episodes.csv").await;
    let file = csv(&a.app, &a.manager, "/api/export/episodes.csv?equality=true").await;
    // One row per job, one for each episode without a job, one per referral never started.
    assert_eq!(file.lines().count(), 1 + 6 + 2, "{file}");
    let born = column(&file, "born_on");
    assert!(plain.lines().skip(1).all(|l| cells(l)[born].is_empty()));
    assert!(file.contains(",1990-03-04,woman,white,autism,with_family,urban,"));
    assert!(!file.contains("Test Person"), "no names in the file");

    let b = service("Org B", "b.example.org").await;
    let res = import(&b.app, &b.admin, &file).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let after = get_json(&b.app, &b.manager, &format!("/api/outcomes?{FY}")).await;
    for figure in ["kpi_a", "kpi_b", "kpi_e", "access"] {
        assert_eq!(before[figure], after[figure], "{figure}");
    }
    assert_eq!(before, after, "every outcome figure");
    for path in [
        format!("/api/outcomes/equality?{FY}&by=age_band&working=true"),
        format!("/api/outcomes/equality?{FY}&by=gender&working=true"),
    ] {
        let x = get_json(&a.app, &a.manager, &path).await;
        let y = get_json(&b.app, &b.manager, &path).await;
        assert_eq!(x, y, "{path}");
    }
    let sam_a = format!("/api/outcomes?{FY}&specialist_id={}", a.sam_id);
    let sam_b = format!("/api/outcomes?{FY}&specialist_id={}", b.sam_id);
    assert_eq!(
        get_json(&a.app, &a.manager, &sam_a).await,
        get_json(&b.app, &b.manager, &sam_b).await
    );
    let north_a = format!("/api/outcomes?{FY}&team_id={}", a.north);
    let north_b = format!("/api/outcomes?{FY}&team_id={}", b.north);
    assert_eq!(
        get_json(&a.app, &a.manager, &north_a).await,
        get_json(&b.app, &b.manager, &north_b).await
    );
    // Exported again, it is the same file.
    let again = csv(&b.app, &b.manager, "/api/export/episodes.csv?equality=true").await;
    assert_eq!(sorted(&again), sorted(&file));
}

/// Lines in order, so two files that list the same rows compare equal.
fn sorted(file: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = file.lines().collect();
    lines.sort_unstable();
    lines
}

#[tokio::test]
async fn the_same_journeys_file_imported_twice_is_stored_once() {
    let a = service("Org A", "a.example.org").await;
    journeys(&a).await;
    let file = csv(&a.app, &a.manager, "/api/export/episodes.csv?equality=true").await;
    let b = service("Org B", "b.example.org").await;
    let first: Value = import(&b.app, &b.admin, &file).await.json().await.unwrap();
    assert_eq!(
        (first["imported"].clone(), first["unchanged"].clone()),
        (json!(8), json!(0))
    );
    let second: Value = import(&b.app, &b.admin, &file).await.json().await.unwrap();
    assert_eq!(
        (second["imported"].clone(), second["unchanged"].clone()),
        (json!(0), json!(8))
    );
    for (table, n) in [
        ("referral", 5),
        ("episode", 4),
        ("job", 6),
        ("participant", 5),
    ] {
        assert_eq!(b.app.count_rows(table).await, n, "{table}");
    }
}

#[tokio::test]
async fn a_job_before_the_service_start_is_refused_by_row_and_column_and_nothing_is_stored() {
    let a = service("Org A", "a.example.org").await;
    journeys(&a).await;
    let file = csv(&a.app, &a.manager, "/api/export/episodes.csv?equality=true").await;
    let (began, sector, reason) = (
        column(&file, "job_began_on"),
        column(&file, "job_sector"),
        column(&file, "not_accepted_reason"),
    );
    let mut lines: Vec<Vec<String>> = file.lines().map(cells).collect();
    // Row 1 is the first episode's first job (the rows are in start order): the service
    // started on 2025-04-20.
    lines[1][began] = "2025-04-15".into();
    lines[2][sector] = "Z".into();
    let accepted = lines
        .iter()
        .rposition(|l| l[column(&file, "referral_accepted")] == "true")
        .unwrap();
    assert!(accepted > 2, "a row of its own");
    lines[accepted][reason] = "declined".into();
    let bad: Vec<String> = lines.iter().map(|l| l.join(",")).collect();
    let b = service("Org B", "b.example.org").await;
    let res = import(&b.app, &b.admin, &bad.join("\n")).await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    let rows = body["rows"].as_array().unwrap();
    let named =
        |row: usize, field: &str| rows.iter().any(|r| r["row"] == row && r["field"] == field);
    assert!(named(1, "job_began_on"), "{body}");
    assert!(
        rows.iter().any(|r| r["row"] == 1
            && r["message"]
                .as_str()
                .unwrap()
                .contains("must not be before")),
        "{body}"
    );
    assert!(named(2, "job_sector"), "{body}");
    assert!(named(accepted, "not_accepted_reason"), "{body}");
    for table in ["referral", "episode", "job", "participant"] {
        assert_eq!(b.app.count_rows(table).await, 0, "{table}");
    }
}

const HEADER: &str = "episode_id,participant_id,participant_reference,specialist_email,programme,\
referred_on,started_on,profile_started_on,job_started_on,ended_on,employer_id,employer_reference,\
referral_id,referral_source,referral_accepted,referral_decided_on,not_accepted_reason,\
job_id,job_began_on,job_outcome,job_paid,job_hours_per_week,job_hourly_pay,gender";

/// A hand-made history: one episode with two jobs (two rows), a declined referral, and a
/// spreadsheet's yes/no; the columns it does not use are left out.
fn history(e: Uuid, p: Uuid, q: Uuid, r: Uuid, s: Uuid, jobs: [Uuid; 2]) -> String {
    let episode = format!(
        "{e},{p},H1,sam@a.example.org,seqf,2025-01-06,2025-01-13,2025-01-20,,,,,{r},self,yes,2025-01-08,"
    );
    [
        HEADER.to_owned(),
        format!("{episode},{},2025-03-03,new_job,yes,16,12.21,woman", jobs[0]),
        format!("{episode},{},2025-05-01,retained_job,yes,21.5,12.60,woman", jobs[1]),
        format!(",{q},H2,jo@a.example.org,ips,2025-02-02,,,,,,,{s},health,no,2025-02-09,could_not_contact,,,,,,,"),
    ]
    .join("\n")
}

#[tokio::test]
async fn a_spreadsheet_history_with_referrals_and_several_jobs_an_episode_imports() {
    let b = service("Org B", "b.example.org").await;
    let ids: Vec<Uuid> = (0..7).map(|_| Uuid::new_v4()).collect();
    let file = history(ids[0], ids[1], ids[2], ids[3], ids[4], [ids[5], ids[6]]);
    let res = import(&b.app, &b.admin, &file).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let jobs = get_json(
        &b.app,
        &b.manager,
        &format!("/api/episodes/{}/jobs", ids[0]),
    )
    .await;
    assert_eq!(jobs.as_array().unwrap().len(), 2, "{jobs}");
    assert_eq!(jobs[1]["hours_per_week"], 21.5);
    let referrals = get_json(&b.app, &b.manager, "/api/referrals").await;
    let declined = referrals
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == json!(ids[4]))
        .unwrap();
    assert_eq!(declined["accepted"], false);
    assert_eq!(declined["episode_id"], Value::Null);
    let person = get_json(&b.app, &b.manager, &format!("/api/participants/{}", ids[1])).await;
    assert_eq!(person["equality"]["gender"], "woman");

    // The two rows of one episode must agree on it: the second names another start.
    let other: Vec<Uuid> = (0..7).map(|_| Uuid::new_v4()).collect();
    let file = history(
        other[0],
        other[1],
        other[2],
        other[3],
        other[4],
        [other[5], other[6]],
    );
    let file = file.replace(",H1,", ",H3,").replace(",H2,", ",H4,");
    let mut lines: Vec<String> = file.lines().map(String::from).collect();
    lines[2] = lines[2].replacen("2025-01-13", "2025-01-14", 1);
    let res = import(&b.app, &b.admin, &lines.join("\n")).await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    assert_eq!(body["rows"][0]["row"], 2, "{body}");
    assert_eq!(body["rows"][0]["field"], "started_on", "{body}");
    assert!(
        body["rows"][0]["message"]
            .as_str()
            .unwrap()
            .contains("row 1")
    );
}
