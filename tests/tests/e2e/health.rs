use soundings_tests::TestApp;

#[tokio::test]
async fn liveness_answers_without_a_database_check() {
    let app = TestApp::spawn().await;
    let res = app.get("/health/live", None).await;
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "live");
}

#[tokio::test]
async fn readiness_says_ready_when_the_database_answers() {
    let app = TestApp::spawn().await;
    let res = app.get("/health/ready", None).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn the_database_runs_with_durable_settings() {
    let app = TestApp::spawn().await;
    let settings = soundings::db::durability_settings(&app.db).await.unwrap();
    let get = |k: &str| {
        settings
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.to_lowercase())
            .unwrap()
    };
    if soundings_tests::backend_under_test() == "postgres" {
        assert_eq!(get("fsync"), "on");
        assert_eq!(get("synchronous_commit"), "on");
    } else {
        assert_eq!(get("journal_mode"), "wal");
        // PRAGMA synchronous: 2 = FULL
        assert_eq!(get("synchronous"), "2");
    }
}

#[tokio::test]
async fn responses_carry_hardening_headers() {
    let app = TestApp::spawn().await;
    let res = app.get("/health/live", None).await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
}
