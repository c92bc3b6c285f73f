//! The organisation's time zone (DESIGN §4 "Which date counts"): an admin setting, an IANA
//! name; answers stored afterwards are dated in it, nothing stored before is re-dated.

use reqwest::Method;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct Org {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
}

async fn org() -> Org {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    Org {
        admin: app.login("admin@a.example.org").await.access_token,
        manager: app.login("manager@a.example.org").await.access_token,
        sam: app.login("sam@a.example.org").await.access_token,
        app,
    }
}

async fn put_time_zone(o: &Org, token: &str, body: &Value) -> reqwest::Response {
    o.app
        .send(
            Method::PUT,
            "/api/settings/time-zone",
            Some(token),
            Some(body),
        )
        .await
}

async fn settings(o: &Org) -> Value {
    let res = o.app.get("/api/settings", Some(&o.manager)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// KPI D for one day.
async fn kpi_d_on(o: &Org, day: &str) -> Value {
    let res = o
        .app
        .get(
            &format!("/api/kpi/jobseeker-satisfaction?first={day}&last={day}&ids=true"),
            Some(&o.manager),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// A jobseeker's satisfaction answer entered by Sam; returns the receipt.
async fn answer(o: &Org, reference: &str, overall: u8, answered_at: &str) -> Value {
    let p = id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("jobseeker", reference),
            )
            .await,
    );
    let b = body::satisfaction(
        p,
        "jobseeker_satisfaction",
        overall,
        answered_at,
        body::completion("self", "none", "staff_device"),
    );
    o.app.create("/api/responses", &o.sam, &b).await
}

fn ids(k: &Value) -> Vec<Uuid> {
    serde_json::from_value(k["response_ids"].clone()).unwrap()
}

#[tokio::test]
async fn after_an_admin_moves_the_time_zone_to_tokyo_a_late_evening_in_utc_counts_on_the_next_day()
{
    let o = org().await;
    assert_eq!(settings(&o).await["time_zone"], "Europe/London");
    // Answered before the change: 23:30 UTC on 9 November is 23:30 in London (GMT).
    let before = answer(&o, "JS-1", 2, "2026-11-09T23:30:00Z").await;
    assert_eq!(before["answered_on"], "2026-11-09");

    let res = put_time_zone(&o, &o.admin, &json!({"time_zone": "Asia/Tokyo"})).await;
    assert_eq!(res.status(), 200);
    let shown: Value = res.json().await.unwrap();
    assert_eq!(shown["time_zone"], "Asia/Tokyo");
    assert_eq!(settings(&o).await["time_zone"], "Asia/Tokyo");

    // 23:30 UTC on 10 November is 08:30 on 11 November in Tokyo (UTC+9).
    let after = answer(&o, "JS-2", 5, "2026-11-10T23:30:00Z").await;
    assert_eq!(after["answered_on"], "2026-11-11");
    let on_11th = kpi_d_on(&o, "2026-11-11").await;
    assert_eq!(on_11th["n"], 1);
    assert_eq!(on_11th["mean"], 5.0);
    assert_eq!(ids(&on_11th), vec![id_of(&after)]);
    let on_10th = kpi_d_on(&o, "2026-11-10").await;
    assert_eq!(on_10th["n"], 0);
    assert_eq!(ids(&on_10th), Vec::<Uuid>::new());

    // The answer stored before the change keeps its date (in Tokyo it would be the 10th).
    let on_9th = kpi_d_on(&o, "2026-11-09").await;
    assert_eq!(ids(&on_9th), vec![id_of(&before)]);
    assert_eq!(on_9th["mean"], 2.0);

    // The change is in the audit trail, old and new.
    let res = o.app.get("/api/audit", Some(&o.admin)).await;
    let trail: Vec<Value> = res.json().await.unwrap();
    let changes: Vec<&Value> = trail
        .iter()
        .filter(|e| e["entity"] == "settings" && e["action"] == "update")
        .collect();
    assert_eq!(changes.len(), 1, "{trail:?}");
    assert_eq!(
        changes[0]["detail"],
        "time_zone: Europe/London -> Asia/Tokyo"
    );
}

#[tokio::test]
async fn only_an_admin_sets_the_time_zone_and_only_to_an_iana_name() {
    let o = org().await;
    for token in [&o.manager, &o.sam] {
        let res = put_time_zone(&o, token, &json!({"time_zone": "America/New_York"})).await;
        assert_eq!(res.status(), 403);
        assert_eq!(error_body(res).await["error"], "forbidden");
    }
    let long = "Europe/".repeat(43);
    for bad in [
        json!({"time_zone": "Mars/Olympus"}),
        json!({"time_zone": ""}),
        json!({"time_zone": long}),
        json!({"time_zone": "europe/london"}),
        json!({"time_zone": " Europe/London"}),
        json!({"time_zone": 5}),
        json!({}),
    ] {
        let res = put_time_zone(&o, &o.admin, &bad).await;
        assert_eq!(res.status(), 400, "{bad}");
        assert_eq!(error_body(res).await["field"], "time_zone", "{bad}");
    }
    // Nothing changed, and nothing was recorded as changed.
    assert_eq!(settings(&o).await["time_zone"], "Europe/London");
    let trail: Vec<Value> = o
        .app
        .get("/api/audit", Some(&o.admin))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !trail.iter().any(|e| e["entity"] == "settings"),
        "{trail:?}"
    );
    // An answer is still dated in London: 23:30 UTC on 10 November (GMT) is the 10th.
    let r = answer(&o, "JS-1", 4, "2026-11-10T23:30:00Z").await;
    assert_eq!(r["answered_on"], "2026-11-10");
}

#[tokio::test]
async fn a_published_report_keeps_the_time_zone_it_was_made_with() {
    let o = org().await;
    let res = put_time_zone(&o, &o.admin, &json!({"time_zone": "America/New_York"})).await;
    assert_eq!(res.status(), 200);
    // 02:00 UTC on 1 November is still 31 October in New York (EDT, UTC-4).
    let r = answer(&o, "JS-1", 3, "2026-11-01T02:00:00Z").await;
    assert_eq!(r["answered_on"], "2026-10-31");
    let report = o
        .app
        .create(
            "/api/reports",
            &o.manager,
            &json!({"period": {"first": "2026-10-01", "last": "2026-10-31"}}),
        )
        .await;
    assert_eq!(report["snapshot"]["time_zone"], "America/New_York");
    assert_eq!(report["snapshot"]["kpi_d"]["n"], 1);

    let res = put_time_zone(&o, &o.admin, &json!({"time_zone": "Europe/London"})).await;
    assert_eq!(res.status(), 200);
    let id = report["id"].as_str().unwrap();
    let again: Value = o
        .app
        .get(&format!("/api/reports/{id}"), Some(&o.manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again, report);
    let page = o
        .app
        .get(&format!("/api/reports/{id}/print"), Some(&o.manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("dates in America/New_York"), "{page}");
}
