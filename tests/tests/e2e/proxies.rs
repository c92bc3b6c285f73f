//! The client address behind proxies: `X-Forwarded-For` counts only from a trusted proxy
//! (`SOUNDINGS_TRUSTED_PROXIES`), for the login and short-code throttles and the audit trail.
//! The tests reach the server from 127.0.0.1, so "behind a trusted proxy" means 127.0.0.1 is
//! configured as one and the test writes the header a proxy would.

use reqwest::StatusCode;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, id_of};

async fn failed_login(app: &TestApp, email: &str, forwarded_for: &str) -> StatusCode {
    app.http
        .post(app.url("/api/auth/login"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"email": email, "password": "wrong password!"}))
        .send()
        .await
        .unwrap()
        .status()
}

async fn failed_open(app: &TestApp, forwarded_for: &str) -> StatusCode {
    app.http
        .post(app.url("/api/invitations/open"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"short_code": "ZZZZ2222"}))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn a_spoofed_forwarded_header_from_an_untrusted_peer_does_not_dodge_the_login_throttle() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_address = 4).await;
    app.create_org("Org A", "admin@a.example.org").await;
    // A new made-up address and a new account on every try: only the peer address counts.
    for i in 0..4 {
        let status = failed_login(
            &app,
            &format!("guess{i}@a.example.org"),
            &format!("203.0.113.{i}"),
        )
        .await;
        assert_eq!(status, 401);
    }
    let status = failed_login(&app, "guess9@a.example.org", "198.51.100.1").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_a_trusted_proxy_two_clients_are_throttled_separately() {
    let app = TestApp::spawn_with(|c| {
        c.login_max_failures_per_address = 4;
        c.trusted_proxies = "127.0.0.0/8".parse().unwrap();
    })
    .await;
    app.create_org("Org A", "admin@a.example.org").await;
    for i in 0..4 {
        let status = failed_login(&app, &format!("guess{i}@a.example.org"), "203.0.113.1").await;
        assert_eq!(status, 401);
    }
    // Client 1 is throttled, even when it writes a made-up address in front of its own (the
    // proxy appends the address it saw, so the rightmost untrusted hop is still client 1).
    assert_eq!(
        failed_login(&app, "guess8@a.example.org", "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        failed_login(&app, "guess9@a.example.org", "198.51.100.50, 203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    // Client 2 behind the same proxy is not.
    assert_eq!(
        failed_login(&app, "guess9@a.example.org", "203.0.113.2").await,
        401
    );
    assert_eq!(
        app.login_response("admin@a.example.org", soundings_tests::PASSWORD)
            .await
            .status(),
        200,
        "the proxy's own address was not throttled by its clients' failures"
    );
}

#[tokio::test]
async fn the_short_code_throttle_follows_the_same_rule() {
    // Untrusted peer: changing the header does not help (20 failed opens per window).
    let app = TestApp::spawn().await;
    for i in 0..20 {
        assert_eq!(failed_open(&app, &format!("203.0.113.{i}")).await, 404);
    }
    assert_eq!(
        failed_open(&app, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Behind a trusted proxy: one client's guessing does not lock out the next.
    let app = TestApp::spawn_with(|c| c.trusted_proxies = "127.0.0.1".parse().unwrap()).await;
    for _ in 0..20 {
        assert_eq!(failed_open(&app, "203.0.113.1").await, 404);
    }
    assert_eq!(
        failed_open(&app, "203.0.113.1").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(failed_open(&app, "203.0.113.2").await, 404);
}

#[tokio::test]
async fn the_audit_trail_records_the_client_behind_a_trusted_proxy_and_the_peer_otherwise() {
    for (trusted, expected) in [(false, "127.0.0.1"), (true, "203.0.113.9")] {
        let app = TestApp::spawn_with(|c| {
            if trusted {
                c.trusted_proxies = "127.0.0.1".parse().unwrap();
            }
        })
        .await;
        let org = app.create_org("Org A", "admin@a.example.org").await;
        let admin = app.login("admin@a.example.org").await.access_token;
        app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
            .await;
        let sam = app.login("sam@a.example.org").await.access_token;
        let p = id_of(
            &app.create(
                "/api/participants",
                &sam,
                &body::participant("jobseeker", "JS-1"),
            )
            .await,
        );
        let res = app
            .http
            .get(app.url(&format!("/api/participants/{p}")))
            .bearer_auth(&sam)
            .header("x-forwarded-for", "203.0.113.9")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let entries: Vec<Value> = app
            .get(&format!("/api/audit?participant_id={p}"), Some(&admin))
            .await
            .json()
            .await
            .unwrap();
        let read = entries
            .iter()
            .find(|e| e["action"] == "read")
            .expect("the read is in the trail");
        assert_eq!(read["address"], expected, "trusted proxy: {trusted}");
    }
}
