//! KPI C, KPI D and wellbeing change through the API, on a hand-made dataset whose expected
//! figures are worked out by hand in the comments (DESIGN.md §4).

use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct World {
    app: TestApp,
    manager: String,
    sam: String,
    jo: String,
    sam_id: Uuid,
    jo_id: Uuid,
    north: Uuid,
    admin: String,
    episodes: Vec<Uuid>,
}

async fn person(app: &TestApp, token: &str, kind: &str, reference: &str) -> Uuid {
    id_of(
        &app.create(
            "/api/participants",
            token,
            &body::participant(kind, reference),
        )
        .await,
    )
}

async fn send(app: &TestApp, token: &str, b: Value) -> Value {
    app.create("/api/responses", token, &b).await
}

/// Two specialists (Sam in North, Jo in South), five jobseekers, two employers, March 2026.
async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let (sam_id, north) = app
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    let (jo_id, _south) = app
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    app.record_licence(&admin).await;

    let mut episodes = Vec::new();
    for (token, reference, start, end) in [
        (&sam, "J1", "2025-09-01", Some("2026-03-20")),
        (&sam, "J2", "2025-10-01", Some("2026-03-25")),
        (&jo, "J3", "2025-11-01", Some("2026-03-28")),
        (&sam, "J4", "2026-03-05", None),
        (&jo, "J5", "2025-06-01", Some("2026-03-10")),
    ] {
        let p = person(&app, token, "jobseeker", reference).await;
        let e = app
            .create("/api/episodes", token, &body::episode(p, start, end))
            .await;
        episodes.push(id_of(&e));
    }
    World {
        app,
        manager,
        sam,
        jo,
        sam_id,
        jo_id,
        north,
        admin,
        episodes,
    }
}

async fn participant_of(w: &World, episode: Uuid) -> Uuid {
    let e: Value = w
        .app
        .get(&format!("/api/episodes/{episode}"), Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    serde_json::from_value(e["participant_id"].clone()).unwrap()
}

async fn kpi(app: &TestApp, token: &str, path: &str, query: &str) -> Value {
    let res = app.get(&format!("{path}?{query}"), Some(token)).await;
    assert_eq!(res.status(), 200, "{path}?{query}");
    res.json().await.unwrap()
}

const MARCH: &str = "first=2026-03-01&last=2026-03-31";

#[tokio::test]
async fn kpi_d_counts_self_answers_in_the_period_by_local_date() {
    let w = world().await;
    let j: Vec<Uuid> = futures_ids(&w).await;
    let d = "jobseeker_satisfaction";
    let staff_dev = |r: &str, s: &str| body::completion(r, s, "staff_device");
    for b in [
        body::satisfaction(
            j[0],
            d,
            5,
            "2026-03-03T10:00:00Z",
            staff_dev("self", "none"),
        ),
        body::satisfaction(
            j[1],
            d,
            4,
            "2026-03-10T10:00:00Z",
            staff_dev("self", "read_aloud"),
        ),
        body::satisfaction(
            j[2],
            d,
            2,
            "2026-03-15T10:00:00Z",
            body::completion("self", "staff_assisted", "paper_transcribed"),
        ),
        // Someone answered for the person: stored, not counted.
        body::satisfaction(
            j[3],
            d,
            1,
            "2026-03-16T10:00:00Z",
            staff_dev("proxy", "none"),
        ),
        // 22:30 UTC on 31 March is 23:30 in London (BST): March, however late it syncs.
        body::satisfaction(
            j[4],
            d,
            4,
            "2026-03-31T22:30:00Z",
            staff_dev("self", "none"),
        ),
        // 23:30 UTC on 31 March is 00:30 on 1 April in London: April.
        body::satisfaction(
            j[4],
            d,
            1,
            "2026-03-31T23:30:00Z",
            staff_dev("self", "none"),
        ),
        // 23:30 UTC on 28 February is 23:30 GMT: February.
        body::satisfaction(
            j[0],
            d,
            3,
            "2026-02-28T23:30:00Z",
            staff_dev("self", "none"),
        ),
    ] {
        send(&w.app, &w.manager, b).await;
    }
    // Without asking for them, the ids behind the figure stay on the server.
    let plain = kpi(&w.app, &w.manager, "/api/kpi/jobseeker-satisfaction", MARCH).await;
    assert_eq!(plain["response_ids"], json!([]));
    let with_ids = format!("{MARCH}&ids=true");
    let k = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/jobseeker-satisfaction",
        &with_ids,
    )
    .await;
    assert_eq!(plain["mean"], k["mean"]);
    // Counted: 5, 4, 2, 4 -> n 4, mean 15 / 4 = 3.75.
    assert_eq!(k["n"], 4);
    assert_eq!(k["mean"], 3.75);
    // s = 1.2583, t(0.975, 3) = 3.1824: 3.75 ± 2.00 (computed apart, with Python's statistics).
    assert_eq!(k["mean_interval"], json!({"low": 1.75, "high": 5.75}));
    assert_eq!(k["distribution"], json!([0, 1, 0, 2, 1]));
    assert_eq!(k["excluded_proxy"], 1);
    assert_eq!(k["excluded_second_answers"], 0);
    assert_eq!(k["small_sample"], true);
    assert_eq!(k["response_ids"].as_array().unwrap().len(), 4);
    // By support: none 5 and 4 -> 4.50; read_aloud 4.00; staff_assisted 2.00.
    assert_eq!(
        k["by_support"],
        json!([
            // 4.50 ± t(0.975, 1) · 0.7071 / √2 = 4.50 ± 6.35: wide, as two answers are.
            {"key": "none", "n": 2, "mean": 4.5, "small_sample": true,
             "mean_interval": {"low": -1.85, "high": 10.85}},
            {"key": "read_aloud", "n": 1, "mean": 4.0, "small_sample": true, "mean_interval": null},
            {"key": "staff_assisted", "n": 1, "mean": 2.0, "small_sample": true, "mean_interval": null},
        ])
    );
    // By channel: staff_device 5, 4, 4 -> 13 / 3 = 4.33; paper 2.00.
    assert_eq!(k["by_channel"][0]["key"], "staff_device");
    assert_eq!(k["by_channel"][0]["mean"], 4.33);
    assert_eq!(
        k["by_channel"][0]["mean_interval"],
        json!({"low": 2.9, "high": 5.77})
    );
    assert_eq!(k["by_channel"][1]["key"], "paper_transcribed");

    let april = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/jobseeker-satisfaction",
        "first=2026-04-01&last=2026-04-30",
    )
    .await;
    assert_eq!(
        (april["n"].clone(), april["mean"].clone()),
        (json!(1), json!(1.0))
    );
    let feb = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/jobseeker-satisfaction",
        "first=2026-02-01&last=2026-02-28",
    )
    .await;
    assert_eq!(feb["n"], 1);
}

async fn futures_ids(w: &World) -> Vec<Uuid> {
    let mut out = Vec::new();
    for e in &w.episodes {
        out.push(participant_of(w, *e).await);
    }
    out
}

#[tokio::test]
async fn kpi_c_is_the_mean_of_employer_answers() {
    let w = world().await;
    let e1 = person(&w.app, &w.sam, "employer", "E1").await;
    let e2 = person(&w.app, &w.sam, "employer", "E2").await;
    let c = "employer_satisfaction";
    for (who, rating, at) in [
        (e1, 4, "2026-03-02T09:00:00Z"),
        (e2, 5, "2026-03-09T09:00:00Z"),
        (e1, 3, "2026-03-30T09:00:00Z"),
    ] {
        send(
            &w.app,
            &w.manager,
            body::satisfaction(
                who,
                c,
                rating,
                at,
                body::completion("self", "none", "own_device"),
            ),
        )
        .await;
    }
    let k = kpi(&w.app, &w.manager, "/api/kpi/employer-satisfaction", MARCH).await;
    // (4 + 5 + 3) / 3 = 4.00
    assert_eq!(k["n"], 3);
    assert_eq!(k["mean"], 4.0);
    assert_eq!(k["distribution"], json!([0, 0, 1, 1, 1]));
    // Jobseeker answers are not employer answers.
    let d = kpi(&w.app, &w.manager, "/api/kpi/jobseeker-satisfaction", MARCH).await;
    assert_eq!(d["n"], 0);
    assert_eq!(d["mean"], Value::Null);
}

/// SWEMWBS raw -> metric: 21 -> 19.25, 25 -> 22.35, 20 -> 18.59, 30 -> 27.03, 24 -> 21.54,
/// 28 -> 25.03, 23 -> 20.73, 17 -> 16.88.
async fn wellbeing_forms(w: &World) {
    let j = futures_ids(w).await;
    let ep = &w.episodes;
    let raw = body::items_for_raw;
    let mut incomplete = raw(21);
    incomplete[2] = None;
    let forms = [
        // EP1 (Sam): the earliest start is incomplete, so the next scored one pairs. +3.10
        body::swemwbs(
            j[0],
            ep[0],
            "start",
            &incomplete,
            "2025-09-01T10:00:00Z",
            "self",
        ),
        body::swemwbs(
            j[0],
            ep[0],
            "start",
            &raw(21),
            "2025-09-02T10:00:00Z",
            "self",
        ),
        body::swemwbs(j[0], ep[0], "end", &raw(25), "2026-03-20T10:00:00Z", "self"),
        // EP2 (Sam): the latest end pairs, not the earlier one. 21.54 - 18.59 = +2.95
        body::swemwbs(
            j[1],
            ep[1],
            "start",
            &raw(20),
            "2025-10-01T10:00:00Z",
            "self",
        ),
        body::swemwbs(j[1], ep[1], "end", &raw(30), "2026-03-24T10:00:00Z", "self"),
        body::swemwbs(j[1], ep[1], "end", &raw(24), "2026-03-25T10:00:00Z", "self"),
        // EP3 (Jo): a later proxy end form is never scored. 20.73 - 25.03 = -4.30
        body::swemwbs(
            j[2],
            ep[2],
            "start",
            &raw(28),
            "2025-11-01T10:00:00Z",
            "self",
        ),
        body::swemwbs(j[2], ep[2], "end", &raw(23), "2026-03-28T10:00:00Z", "self"),
        body::swemwbs(
            j[2],
            ep[2],
            "end",
            &raw(35),
            "2026-03-29T10:00:00Z",
            "proxy",
        ),
        // EP4 (Sam) started in March with no start form. EP5 (Jo) ended in March with a
        // scored start but no end form.
        body::swemwbs(
            j[4],
            ep[4],
            "start",
            &raw(17),
            "2025-06-01T10:00:00Z",
            "self",
        ),
    ];
    for f in forms {
        send(&w.app, &w.manager, f).await;
    }
}

#[tokio::test]
async fn wellbeing_change_pairs_start_and_end_exactly() {
    let w = world().await;
    wellbeing_forms(&w).await;
    let k = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/wellbeing",
        &format!("{MARCH}&ids=true"),
    )
    .await;
    assert_eq!(k["paired_n"], 3);
    // starts 19.25 + 18.59 + 25.03 = 62.87 / 3 = 20.9566 -> 20.96
    assert_eq!(k["mean_start"], 20.96);
    // ends 22.35 + 21.54 + 20.73 = 64.62 / 3 = 21.54
    assert_eq!(k["mean_end"], 21.54);
    // changes +3.10 +2.95 -4.30 = 1.75 / 3 = 0.5833 -> 0.58
    assert_eq!(k["mean_change"], 0.58);
    assert_eq!(
        (
            k["improved"].clone(),
            k["no_meaningful_change"].clone(),
            k["declined"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
    assert_eq!(k["improved_pct"], 33.33);
    assert_eq!(k["ended_without_end_score"], 1);
    assert_eq!(k["started_without_start_score"], 1);
    let pairs = k["pairs"].as_array().unwrap();
    let changes: Vec<f64> = pairs
        .iter()
        .map(|p| p["change"].as_f64().unwrap())
        .collect();
    let mut sorted = changes.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(sorted, vec![-4.3, 2.95, 3.1]);
}

#[tokio::test]
async fn a_caseload_moved_between_specialists_keeps_old_answers_with_the_old_specialist() {
    let w = world().await;
    wellbeing_forms(&w).await;
    let by_sam = format!("{MARCH}&specialist_id={}", w.sam_id);
    let before = kpi(&w.app, &w.manager, "/api/kpi/wellbeing", &by_sam).await;
    // Sam: +3.10 and +2.95 -> mean 6.05 / 2 = 3.025 -> 3.03
    assert_eq!(before["paired_n"], 2);
    assert_eq!(before["mean_change"], 3.03);
    // EP1 moves to Jo.
    let res = w
        .app
        .patch(
            &format!("/api/episodes/{}", w.episodes[0]),
            Some(&w.manager),
            &json!({"specialist_id": w.jo_id}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let after = kpi(&w.app, &w.manager, "/api/kpi/wellbeing", &by_sam).await;
    assert_eq!(after["paired_n"], 2);
    assert_eq!(after["mean_change"], 3.03);
    let by_team = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/wellbeing",
        &format!("{MARCH}&team_id={}", w.north),
    )
    .await;
    assert_eq!(by_team["paired_n"], 2);
}

#[tokio::test]
async fn a_specialist_sees_only_their_caseloads_aggregates() {
    let w = world().await;
    wellbeing_forms(&w).await;
    // Sam's own figures, without individual pairs, and no mean on fewer than 5 pairs.
    let mine = kpi(&w.app, &w.sam, "/api/kpi/wellbeing", MARCH).await;
    assert_eq!(mine["paired_n"], 2);
    assert_eq!(mine["pairs"], json!([]));
    assert_eq!(mine["mean_change"], Value::Null);
    assert_eq!(mine["small_sample"], true);
    // Not Jo's.
    let res = w
        .app
        .get(
            &format!("/api/kpi/wellbeing?{MARCH}&specialist_id={}", w.jo_id),
            Some(&w.sam),
        )
        .await;
    assert_eq!(res.status(), 403);
    error_body(res).await;
}

#[tokio::test]
async fn the_trend_gives_each_month_of_the_period() {
    let w = world().await;
    wellbeing_forms(&w).await;
    let t = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/trend",
        "first=2026-01-01&last=2026-03-31",
    )
    .await;
    let wb = t["wellbeing_change"].as_array().unwrap();
    assert_eq!(wb.len(), 3);
    assert_eq!(wb[0]["n"], 0);
    assert_eq!(wb[2]["n"], 3);
    assert_eq!(wb[2]["value"], 0.58);
    assert_eq!(wb[2]["period"]["first"], "2026-03-01");
    assert_eq!(t["kpi_c"].as_array().unwrap().len(), 3);
    // Coverage month by month: the four episodes that ended in March, three with end forms.
    let cov = t["coverage"].as_array().unwrap();
    assert_eq!(cov.len(), 3);
    assert_eq!(cov[2]["swemwbs_end"]["due"], 4);
    assert_eq!(cov[2]["swemwbs_end"]["answered"], 3);
    assert_eq!(cov[0]["swemwbs_end"]["due"], 0);
}

#[tokio::test]
async fn a_kpi_query_with_a_bad_date_names_the_field() {
    let w = world().await;
    for (q, field) in [
        ("first=2026-13-01&last=2026-03-31", "first"),
        ("first=2026-03-01&last=31/03/2026", "last"),
        ("last=2026-03-31", "first"),
        ("first=2026-03-31&last=2026-03-01", "last"),
        (&*format!("{MARCH}&team_id=north"), "team_id"),
        (&*format!("{MARCH}&programme=abc"), "programme"),
    ] {
        let res = w
            .app
            .get(
                &format!("/api/kpi/jobseeker-satisfaction?{q}"),
                Some(&w.manager),
            )
            .await;
        assert_eq!(res.status(), 400, "{q}");
        assert_eq!(error_body(res).await["field"], field, "{q}");
    }
    let _ = (&w.admin, &w.jo);
}

#[tokio::test]
async fn coverage_counts_who_was_due_a_survey_and_who_answered() {
    let w = world().await;
    wellbeing_forms(&w).await;
    let j = futures_ids(&w).await;
    // EP2's client started a job on 10 February with employer E1: the employer is due a
    // survey four weeks later, 10 March.
    let e1 = person(&w.app, &w.manager, "employer", "E1").await;
    let res = w
        .app
        .patch(
            &format!("/api/episodes/{}", w.episodes[1]),
            Some(&w.manager),
            &json!({"job_started_on": "2026-02-10", "employer_id": e1}),
        )
        .await;
    assert_eq!(res.status(), 200);
    // EP1's client answered the jobseeker survey (linked to the episode).
    let mut r = body::satisfaction(
        j[0],
        "jobseeker_satisfaction",
        5,
        "2026-03-21T10:00:00Z",
        body::completion("self", "none", "staff_device"),
    );
    r["episode_id"] = json!(w.episodes[0]);
    send(&w.app, &w.manager, r).await;

    let c = kpi(&w.app, &w.manager, "/api/kpi/coverage", MARCH).await;
    // Started in March: EP4, with no start form.
    assert_eq!(
        c["swemwbs_start"],
        json!({"due": 1, "answered": 0, "pct": 0.0, "pct_interval": null})
    );
    // Ended in March: EP1, EP2, EP3, EP5; end forms for the first three.
    assert_eq!(
        c["swemwbs_end"],
        // Wilson 3 of 4: 30.06% to 95.44%.
        json!({"due": 4, "answered": 3, "pct": 75.0, "pct_interval": {"low": 30.06, "high": 95.44}})
    );
    assert_eq!(
        c["jobseeker_satisfaction"],
        // Wilson 1 of 4: 4.56% to 69.94%.
        json!({"due": 4, "answered": 1, "pct": 25.0, "pct_interval": {"low": 4.56, "high": 69.94}})
    );
    assert_eq!(
        c["employer_satisfaction"],
        json!({"due": 1, "answered": 0, "pct": 0.0, "pct_interval": null})
    );
    assert_eq!(c["invitations_sent"], 0);
}

async fn kpi_d_and_c_answers(w: &World) {
    let j = futures_ids(w).await;
    let e1 = person(&w.app, &w.sam, "employer", "E1").await;
    for (who, instrument, rating, at, respondent) in [
        (
            j[0],
            "jobseeker_satisfaction",
            5,
            "2026-03-03T10:00:00Z",
            "self",
        ),
        (
            j[1],
            "jobseeker_satisfaction",
            2,
            "2026-03-31T22:30:00Z",
            "self",
        ),
        (
            j[2],
            "jobseeker_satisfaction",
            1,
            "2026-03-16T10:00:00Z",
            "proxy",
        ),
        (
            e1,
            "employer_satisfaction",
            4,
            "2026-03-09T09:00:00Z",
            "self",
        ),
    ] {
        send(
            &w.app,
            &w.manager,
            body::satisfaction(
                who,
                instrument,
                rating,
                at,
                body::completion(respondent, "none", "staff_device"),
            ),
        )
        .await;
    }
}

async fn csv(app: &TestApp, token: &str, path: &str) -> String {
    let res = app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    res.text().await.unwrap()
}

async fn import(app: &TestApp, token: &str, path: &str, file: &str) -> reqwest::Response {
    app.post_raw(path, Some(token), "text/csv", file.as_bytes().to_vec())
        .await
}

#[tokio::test]
async fn csv_export_imported_into_an_empty_organisation_gives_the_same_kpis() {
    let w = world().await;
    wellbeing_forms(&w).await;
    kpi_d_and_c_answers(&w).await;
    let episodes = csv(&w.app, &w.manager, "/api/export/episodes.csv").await;
    let responses = csv(&w.app, &w.manager, "/api/export/responses.csv").await;
    assert!(
        episodes.starts_with("episode_id,participant_id,participant_reference,specialist_email")
    );
    assert_eq!(responses.lines().count(), 1 + 10 + 4);
    assert!(
        !responses.contains("Test Person"),
        "no names in the audit file"
    );

    // Another installation, with the same staff.
    let other = TestApp::spawn().await;
    let org = other.create_org("Org B", "admin@b.example.org").await;
    let admin = other.login("admin@b.example.org").await.access_token;
    let (sam_b, _) = other
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    other
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let res = import(&other, &admin, "/api/import/episodes", &episodes).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["imported"], 5);
    let res = import(&other, &admin, "/api/import/responses", &responses).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["imported"], 14);

    for path in [
        "/api/kpi/jobseeker-satisfaction",
        "/api/kpi/employer-satisfaction",
        "/api/kpi/wellbeing",
        "/api/kpi/coverage",
    ] {
        let before = kpi(&w.app, &w.manager, path, MARCH).await;
        let after = kpi(&other, &admin, path, MARCH).await;
        assert_eq!(before, after, "{path}");
    }
    let sam_before = kpi(
        &w.app,
        &w.manager,
        "/api/kpi/wellbeing",
        &format!("{MARCH}&specialist_id={}", w.sam_id),
    )
    .await;
    let sam_after = kpi(
        &other,
        &admin,
        "/api/kpi/wellbeing",
        &format!("{MARCH}&specialist_id={sam_b}"),
    )
    .await;
    assert_eq!(sam_before, sam_after);
    // The KPI D sample is not empty: the comparison above compared something.
    assert_eq!(
        kpi(&other, &admin, "/api/kpi/jobseeker-satisfaction", MARCH).await["n"],
        2
    );

    // Importing the same files again changes nothing.
    let again: Value = import(&other, &admin, "/api/import/responses", &responses)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["imported"].clone(), again["unchanged"].clone()),
        (json!(0), json!(14))
    );
    assert_eq!(other.count_rows("response").await, 14);
}

#[tokio::test]
async fn a_csv_with_a_bad_row_is_refused_whole_with_the_row_named() {
    let w = world().await;
    kpi_d_and_c_answers(&w).await;
    let responses = csv(&w.app, &w.manager, "/api/export/responses.csv").await;
    let episodes = csv(&w.app, &w.manager, "/api/export/episodes.csv").await;
    let other = TestApp::spawn().await;
    let org = other.create_org("Org B", "admin@b.example.org").await;
    let admin = other.login("admin@b.example.org").await.access_token;
    other
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    other
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    assert_eq!(
        import(&other, &admin, "/api/import/episodes", &episodes)
            .await
            .status(),
        200
    );

    // Row 2: a rating of 6. Row 3: a date that is not a date.
    let set = |line: &str, column: usize, value: &str| {
        let mut cells: Vec<&str> = line.split(',').collect();
        cells[column] = value;
        cells.join(",")
    };
    let mut lines: Vec<String> = responses.lines().map(String::from).collect();
    lines[2] = set(&lines[2], 9, "6;4;4;4;4");
    lines[3] = set(&lines[3], 19, "last Tuesday");
    let bad = lines.join("\n");
    let before = other.count_rows("participant").await;
    let res = import(&other, &admin, "/api/import/responses", &bad).await;
    assert_eq!(res.status(), 400);
    let body = error_body(res).await;
    let rows = body["rows"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["row"] == 2 && r["field"] == "answers"),
        "{body}"
    );
    assert!(
        rows.iter()
            .any(|r| r["row"] == 3 && r["field"] == "answered_at"),
        "{body}"
    );
    assert_eq!(other.count_rows("response").await, 0);
    assert_eq!(other.count_rows("participant").await, before);
    // A file without the expected columns names the problem.
    let res = import(&other, &admin, "/api/import/responses", "id,rating\n1,5\n").await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "file");
    // Specialists may not import.
    let sam = other.login("sam@a.example.org").await.access_token;
    assert_eq!(
        import(&other, &sam, "/api/import/responses", &responses)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_mangled_csv_never_breaks_the_import_and_bad_rows_are_reported_by_line() {
    use rand::{Rng, SeedableRng, seq::SliceRandom};
    let w = world().await;
    kpi_d_and_c_answers(&w).await;
    let responses = csv(&w.app, &w.manager, "/api/export/responses.csv").await;
    let other = TestApp::spawn().await;
    let org = other.create_org("Org B", "admin@b.example.org").await;
    let admin = other.login("admin@b.example.org").await.access_token;
    other
        .specialist_in_team(org, &admin, "sam@a.example.org", "North")
        .await;
    other
        .specialist_in_team(org, &admin, "jo@a.example.org", "South")
        .await;
    let episodes = csv(&w.app, &w.manager, "/api/export/episodes.csv").await;
    assert_eq!(
        import(&other, &admin, "/api/import/episodes", &episodes)
            .await
            .status(),
        200
    );

    let mut rng = rand::rngs::StdRng::seed_from_u64(42);
    let junk = [
        "",
        "-",
        "7",
        "0",
        "x",
        "\"",
        ",",
        "2026-02-30",
        "9999-99-99T99:99:99Z",
        "null",
        "é",
        "1;2",
        ";;;;;;;;",
        "\u{0}",
    ];
    let lines: Vec<&str> = responses.lines().collect();
    for case in 0..60 {
        let mut rows: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let victim = rng.gen_range(1..rows.len());
        let mut cells: Vec<String> = rows[victim].split(',').map(String::from).collect();
        match rng.gen_range(0..4) {
            0 => {
                let c = rng.gen_range(0..cells.len());
                cells[c] = junk.choose(&mut rng).unwrap().to_string();
            }
            1 => {
                cells.pop();
            }
            2 => cells.push("extra".into()),
            _ => {
                let n = cells.len();
                cells.swap(rng.gen_range(0..n), rng.gen_range(0..n));
            }
        }
        rows[victim] = cells.join(",");
        let res = import(&other, &admin, "/api/import/responses", &rows.join("\n")).await;
        let status = res.status().as_u16();
        assert!(
            status == 200 || status == 400 || status == 409,
            "case {case}: {status}"
        );
        if status == 400 {
            let body = soundings_tests::error_body(res).await;
            if let Some(bad) = body["rows"].as_array() {
                assert!(
                    bad.iter()
                        .all(|r| r["row"].as_u64().unwrap() as usize <= lines.len()),
                    "{body}"
                );
                assert!(
                    bad.iter()
                        .any(|r| r["row"].as_u64().unwrap() as usize == victim),
                    "case {case}: row {victim} not named: {body}"
                );
            }
            // All or nothing: a refused file wrote nothing.
            assert_eq!(other.count_rows("response").await, 0, "case {case}");
        } else if status == 200 {
            // A harmless change (e.g. a swapped pair of equal cells) imports whole; start again.
            other
                .db
                .execute_unprepared("DELETE FROM response")
                .await
                .unwrap();
        }
    }
}
