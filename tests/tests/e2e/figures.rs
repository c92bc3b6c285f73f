//! Periods, trends by quarter and 95% intervals through the API (DESIGN.md §4), on hand-made
//! answers whose expected figures are computed apart and written here.

use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct World {
    app: TestApp,
    manager: String,
    jobseeker: Uuid,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    let manager = app.login("manager@a.example.org").await.access_token;
    let jobseeker = id_of(
        &app.create(
            "/api/participants",
            &manager,
            &body::participant("jobseeker", "J1"),
        )
        .await,
    );
    World {
        app,
        manager,
        jobseeker,
    }
}

async fn rate(w: &World, overall: u8, answered_at: &str) {
    w.app
        .create(
            "/api/responses",
            &w.manager,
            &body::satisfaction(
                w.jobseeker,
                "jobseeker_satisfaction",
                overall,
                answered_at,
                body::completion("self", "none", "staff_device"),
            ),
        )
        .await;
}

async fn get(w: &World, path: &str) -> Value {
    let res = w.app.get(path, Some(&w.manager)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_mean_carries_its_95_percent_interval() {
    let w = world().await;
    for (i, overall) in [1, 2, 3, 4, 5].into_iter().enumerate() {
        rate(&w, overall, &format!("2026-03-0{}T10:00:00Z", i + 1)).await;
    }
    let k = get(
        &w,
        "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-31",
    )
    .await;
    // n = 5, mean 3.00, s = 1.5811, t(0.975, 4) = 2.7764: 3.00 ± 1.96.
    assert_eq!(k["n"], 5);
    assert_eq!(k["mean"], 3.0);
    assert_eq!(k["mean_interval"], json!({"low": 1.04, "high": 4.96}));
    // One answer: no interval at all.
    let one = get(
        &w,
        "/api/kpi/jobseeker-satisfaction?first=2026-03-01&last=2026-03-01",
    )
    .await;
    assert_eq!(one["n"], 1);
    assert_eq!(one["mean_interval"], Value::Null);
    // The trend's point carries the same interval.
    let t = get(&w, "/api/kpi/trend?first=2026-03-01&last=2026-03-31").await;
    assert_eq!(
        t["kpi_d"][0]["interval"],
        json!({"low": 1.04, "high": 4.96})
    );
}

#[tokio::test]
async fn the_31st_of_march_and_the_1st_of_april_fall_in_different_financial_years() {
    let w = world().await;
    // London is on GMT in March until the 29th, on BST from then: 31 March 12:00 UTC is 13:00
    // local, still 31 March; 1 April 08:00 UTC is 09:00 local.
    rate(&w, 2, "2026-03-31T12:00:00Z").await;
    rate(&w, 4, "2026-04-01T08:00:00Z").await;
    rate(&w, 5, "2026-05-20T08:00:00Z").await;

    // FY 2026-27 Q1 is April to June.
    let q1 = get(
        &w,
        "/api/kpi/jobseeker-satisfaction?first=2026-04-01&last=2026-06-30",
    )
    .await;
    assert_eq!(
        (q1["n"].clone(), q1["mean"].clone()),
        (json!(2), json!(4.5))
    );
    // FY 2025-26 ends on 31 March.
    let fy = get(
        &w,
        "/api/kpi/jobseeker-satisfaction?first=2025-04-01&last=2026-03-31",
    )
    .await;
    assert_eq!(
        (fy["n"].clone(), fy["mean"].clone()),
        (json!(1), json!(2.0))
    );

    // By financial quarter over 15 March to 10 July: the parts are clipped to the period.
    let t = get(
        &w,
        "/api/kpi/trend?first=2026-03-15&last=2026-07-10&by=financial_quarter",
    )
    .await;
    let points = t["kpi_d"].as_array().unwrap();
    let parts: Vec<(Value, Value, Value)> = points
        .iter()
        .map(|p| {
            (
                p["period"]["first"].clone(),
                p["period"]["last"].clone(),
                p["n"].clone(),
            )
        })
        .collect();
    assert_eq!(
        parts,
        vec![
            (json!("2026-03-15"), json!("2026-03-31"), json!(1)),
            (json!("2026-04-01"), json!("2026-06-30"), json!(2)),
            (json!("2026-07-01"), json!("2026-07-10"), json!(0)),
        ]
    );
    assert_eq!(points[1]["value"], 4.5);
    // Every indicator has the same parts.
    for series in ["kpi_c", "wellbeing_change", "coverage"] {
        assert_eq!(t[series].as_array().unwrap().len(), 3, "{series}");
    }
    // By month: five parts, March to July.
    let t = get(&w, "/api/kpi/trend?first=2026-03-15&last=2026-07-10").await;
    let ns: Vec<u64> = t["kpi_d"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["n"].as_u64().unwrap())
        .collect();
    assert_eq!(ns, vec![1, 1, 1, 0, 0]);
    // Each quarter's point equals the quarter asked alone.
    let t = get(
        &w,
        "/api/kpi/trend?first=2026-01-01&last=2026-12-31&by=quarter",
    )
    .await;
    assert_eq!(t["kpi_d"].as_array().unwrap().len(), 4);
    assert_eq!(t["kpi_d"][1]["n"], q1["n"]);
    assert_eq!(t["kpi_d"][1]["value"], q1["mean"]);
    assert_eq!(t["kpi_d"][1]["interval"], q1["mean_interval"]);
}

#[tokio::test]
async fn a_bad_trend_part_or_ids_flag_is_refused_naming_the_parameter() {
    let w = world().await;
    for (query, field) in [
        ("first=2026-01-01&last=2026-03-31&by=week", "by"),
        ("first=2026-01-01&last=2026-03-31&by=", "by"),
        ("first=2026-01-01&last=2026-03-31&ids=yes", "ids"),
    ] {
        let path = if field == "by" {
            format!("/api/kpi/trend?{query}")
        } else {
            format!("/api/kpi/jobseeker-satisfaction?{query}")
        };
        let res = w.app.get(&path, Some(&w.manager)).await;
        assert_eq!(res.status(), 400, "{path}");
        assert_eq!(error_body(res).await["field"], field, "{path}");
    }
}
