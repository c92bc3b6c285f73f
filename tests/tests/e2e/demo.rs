//! The demo organisation that `scripts/run` seeds: its logins work and its figures show a
//! year and a half of work.

use chrono::{Duration, Utc};
use serde_json::Value;
use soundings_tests::TestApp;

#[tokio::test]
async fn the_demo_has_logins_and_eighteen_months_of_figures() {
    let app = TestApp::spawn().await;
    assert!(soundings::demo::seed(&app.db).await.unwrap());
    // Seeding again into a database that has an organisation does nothing.
    assert!(!soundings::demo::seed(&app.db).await.unwrap());
    for (email, ..) in soundings::demo::DEMO_STAFF {
        let res = app
            .login_response(email, soundings::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(res.status(), 200, "{email}");
    }
    let manager: Value = app
        .login_response("manager@demo.example.org", soundings::demo::DEMO_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let token = manager["access_token"].as_str().unwrap();
    let today = Utc::now().date_naive();
    let q = format!("first={}&last={}", today - Duration::days(365), today);
    let get = |path: String| {
        let app = &app;
        async move {
            let res = app.get(&path, Some(token)).await;
            assert_eq!(res.status(), 200, "{path}");
            res.json::<Value>().await.unwrap()
        }
    };
    let d = get(format!("/api/kpi/jobseeker-satisfaction?{q}")).await;
    let c = get(format!("/api/kpi/employer-satisfaction?{q}")).await;
    let w = get(format!("/api/kpi/wellbeing?{q}")).await;
    assert!(d["n"].as_u64().unwrap() >= 20, "{}", d["n"]);
    assert!(c["n"].as_u64().unwrap() >= 10, "{}", c["n"]);
    assert!(w["paired_n"].as_u64().unwrap() >= 20, "{}", w["paired_n"]);
    let mean = d["mean"].as_f64().unwrap();
    assert!((3.0..=5.0).contains(&mean), "{mean}");
    // Every way of completing a survey shows up somewhere.
    assert!(d["by_support"].as_array().unwrap().len() >= 2);
    let trend = get(format!("/api/kpi/trend?{q}")).await;
    let months_with_answers = trend["kpi_d"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["n"].as_u64() > Some(0))
        .count();
    assert!(months_with_answers >= 8, "{months_with_answers}");
}

#[tokio::test]
async fn the_demo_codes_in_the_readme_open_their_surveys() {
    let app = TestApp::spawn().await;
    assert!(soundings::demo::seed(&app.db).await.unwrap());
    for (code, instrument, language) in [
        ("JBSK 7777", "jobseeker_satisfaction", "en"),
        ("cymr7777", "jobseeker_satisfaction", "cy"),
        ("EMPY7777", "employer_satisfaction", "en"),
        ("SWEM7777", "swemwbs", "en"),
    ] {
        let res = app
            .post(
                "/api/invitations/open",
                None,
                &serde_json::json!({"short_code": code}),
            )
            .await;
        assert_eq!(res.status(), 200, "{code}");
        let v: serde_json::Value = res.json().await.unwrap();
        assert_eq!(v["survey"]["instrument"]["key"], instrument, "{code}");
        assert_eq!(v["survey"]["language"], language, "{code}");
    }
    assert!(
        include_str!("../../../README.md").contains("JBSK7777"),
        "the README names the demo codes"
    );
}
