//! The PWA shell, served by the real server, in headless Chromium.

use soundings_tests::{
    TestApp,
    axe::{axe_violations, describe_violations},
    browser::Browser,
    static_dir,
};

fn require_build() {
    assert!(
        static_dir().join("index.html").is_file(),
        "the PWA is not built: run scripts/build-frontend (scripts/test does)"
    );
}

#[tokio::test]
async fn the_served_pwa_shows_its_heading_registers_its_worker_and_opens_offline() {
    require_build();
    let app = TestApp::spawn().await;
    let browser = Browser::start().await.unwrap();
    browser.goto(&app.url("/")).await.unwrap();
    browser
        .wait_for_text(".app-name", "Soundings")
        .await
        .unwrap();
    // Up: nothing to tell a participant, so the line is there but not shown.
    browser
        .wait_for_text("p.status[data-state=up]", "")
        .await
        .unwrap();
    assert!(browser.service_worker_registered().await.unwrap());
    // The page's own "Loading Soundings…" line has gone once the app runs.
    let loading = browser
        .client
        .execute(
            "return document.getElementById('boot-loading') === null",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(loading, serde_json::json!(true), "the loading line stayed");
    let errors = browser.console_errors().await.unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // No signal: the installed shell still opens, and says so plainly.
    app.stop().await;
    browser.client.refresh().await.unwrap();
    browser
        .wait_for_text(".app-name", "Soundings")
        .await
        .unwrap();
    browser
        .wait_for_text("p.status", "cannot be reached")
        .await
        .unwrap();
    // A deep link opens the shell too.
    browser.goto(&app.url("/survey/somewhere")).await.unwrap();
    browser
        .wait_for_text(".app-name", "Soundings")
        .await
        .unwrap();
    let errors = browser.console_errors().await.unwrap();
    let unexpected: Vec<_> = errors
        .iter()
        .filter(|e| !e.contains("ERR_CONNECTION_REFUSED") && !e.contains("Failed to fetch"))
        .collect();
    assert!(
        unexpected.is_empty(),
        "console errors offline: {unexpected:?}"
    );
    browser.close().await.unwrap();
}

#[tokio::test]
async fn the_app_shell_has_no_accessibility_violations() {
    require_build();
    let app = TestApp::spawn().await;
    let browser = Browser::start().await.unwrap();
    browser.goto(&app.url("/")).await.unwrap();
    // Up: nothing to tell a participant, so the line is there but not shown.
    browser
        .wait_for_text("p.status[data-state=up]", "")
        .await
        .unwrap();
    let violations = axe_violations(&browser.client).await.unwrap();
    assert!(
        violations.is_empty(),
        "axe found {} problems:\n{}",
        violations.len(),
        describe_violations(&violations)
    );
    // The audit ran under the page's own CSP (no inline scripts) without tripping it...
    let errors = browser.console_errors().await.unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    // ...and it is live: a picture without a text alternative is caught.
    browser
        .client
        .execute(
            "const img = document.createElement('img'); img.src = '/icons/icon-192.png'; \
             document.querySelector('main, body').append(img);",
            vec![],
        )
        .await
        .unwrap();
    let violations = axe_violations(&browser.client).await.unwrap();
    assert!(
        violations.iter().any(|v| v["id"] == "image-alt"),
        "axe missed an image without alt text: {}",
        describe_violations(&violations)
    );
    browser.close().await.unwrap();
}
