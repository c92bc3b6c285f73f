//! A field worker's phone back from an offline spell longer than the access token's life
//! (issue 20): the app wakes with several requests at once, each finding its token expired.
//! They must share one refresh (the phone) or be let through as the same login (the server's
//! grace for a just-rotated refresh token); the specialist stays logged in and every record
//! made offline reaches the server once.

use std::time::Duration;

use serde_json::Value;
use soundings_tests::browser::Browser;
use soundings_tests::proxy::Proxy;
use soundings_tests::{TestApp, wait};

use crate::pwa_staff::{
    add_client, heading, log_in, ready_for_the_field, record_session, wait_rows, wait_until,
};

/// The access token the phone holds now.
async fn phone_token(b: &Browser) -> String {
    let login = b
        .eval("return localStorage.getItem('soundings-staff-login')")
        .await
        .unwrap();
    let login: Value = serde_json::from_str(login.as_str().unwrap()).unwrap();
    login["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn back_from_a_spell_offline_longer_than_the_token_the_specialist_stays_logged_in_and_everything_is_sent_once()
 {
    // One-minute access tokens, as the reproduction had.
    let app = TestApp::spawn_with(|c| c.access_token_minutes = 1).await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    let admin = app.login("admin@v.example.org").await.access_token;
    app.record_licence(&admin).await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    let proxy = Proxy::start(&upstream).await.unwrap();

    let b = Browser::start().await.unwrap();
    b.goto(&proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    // No signal: a client and two sessions recorded on the phone.
    proxy.cut().await;
    add_client(&b, "JS-0077").await;
    record_session(&b, "Vocational profile", "45").await;
    record_session(&b, "CV writing", "30").await;

    // Still offline when the phone's access token runs out (the server says so).
    let token = phone_token(&b).await;
    wait::until(
        "the phone's access token to expire",
        Duration::from_secs(120),
        || async { app.get("/api/auth/me", Some(&token)).await.status() == 401 },
    )
    .await;

    // Signal back, and the app opened afresh: its first requests all go at once with the
    // expired token.
    proxy.restore();
    b.goto(&proxy.url("/staff/")).await.unwrap();
    heading(&b, "Caseload").await;
    wait_until(
        &b,
        "the outbox to empty",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(60),
    )
    .await;
    assert_eq!(wait_rows(&app, "participant", 1).await, 1);
    assert_eq!(wait_rows(&app, "support_session", 2).await, 2);

    // Still the same login: another fresh start keeps the specialist in, with a token the
    // server takes.
    b.goto(&proxy.url("/staff/")).await.unwrap();
    heading(&b, "Caseload").await;
    b.wait_for_text(".caseload-link", "JS-0077").await.unwrap();
    let token = phone_token(&b).await;
    assert_eq!(app.get("/api/auth/me", Some(&token)).await.status(), 200);
    assert_eq!(app.count_rows("participant").await, 1);
    assert_eq!(app.count_rows("support_session").await, 2);
    b.close().await.unwrap();
}
