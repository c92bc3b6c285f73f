//! A specialist's phone in the field, as issue 20 found it: consent given only by a tick, a
//! count of things done rather than records, the signal's return noticed at once, a line that
//! says the phone is ready for offline use, and each client's history on the phone with the
//! caseload.

use std::time::Duration;

use serde_json::json;
use soundings_tests::browser::Browser;
use soundings_tests::{body, id_of, wait};
use uuid::Uuid;

use crate::pwa_staff::{
    add_client, assert_accessible, click, fill, heading, log_in, participants_named,
    ready_for_the_field, record_session, setup, specialist_in_the_field, wait_rows, wait_until,
    waiting,
};

/// Waits until the always-visible count says `n` things wait.
pub(crate) async fn waiting_is(b: &Browser, n: u64) {
    wait_until(
        b,
        &format!("{n} waiting"),
        &format!("document.querySelector('.staff-sync')?.dataset.waiting === '{n}'"),
        Duration::from_secs(10),
    )
    .await;
}

/// "No signal" is on screen (or not).
async fn no_signal_shown(b: &Browser, shown: bool) {
    let what = if shown {
        "\"No signal\" to show"
    } else {
        "\"No signal\" to go"
    };
    wait_until(
        b,
        what,
        &format!("(document.querySelector('.staff-offline') !== null) === {shown}"),
        Duration::from_secs(20),
    )
    .await;
}

#[tokio::test]
async fn the_consent_boxes_on_add_a_client_start_unticked_and_a_client_needs_one_ticked() {
    let s = setup().await;
    let b = specialist_in_the_field(&s).await;

    click(&b, "a.button[href='/staff/clients/new']").await;
    heading(&b, "Add a client").await;
    b.wait_for_text("label[for='consent-surveys']", "Surveys about our support")
        .await
        .unwrap();
    let ticked = b
        .eval(
            "return [document.getElementById('consent-surveys').checked, \
             document.getElementById('consent-email').checked]",
        )
        .await
        .unwrap();
    assert_eq!(
        ticked,
        json!([false, false]),
        "no consent is given by default"
    );

    // Saved without a tick: the form asks what the person agreed to and nothing is kept.
    fill(&b, "#reference", "JS-ASK").await;
    click(&b, "#save-client").await;
    b.wait_for_text(".error-summary", "Choose what the person agreed to")
        .await
        .unwrap();
    heading(&b, "Add a client").await;
    assert_eq!(waiting(&b).await, 0);

    // Ticked, as the person agreed: the client is added.
    click(&b, "label[for='consent-surveys']").await;
    click(&b, "#save-client").await;
    heading(&b, "JS-ASK").await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn records_waiting_counts_the_things_the_person_did_not_the_records_behind_them() {
    let s = setup().await;
    let sam = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    s.proxy.cut().await;
    add_client(&b, "JS-COUNT").await;
    // A new client is one thing done: their participant, consent and episode records.
    b.wait_for_text(".staff-sync", "Records waiting: 1")
        .await
        .unwrap();
    let records = b
        .outbox_after_flushes(Some(&sam.to_string()))
        .await
        .unwrap();
    assert_eq!(records.statuses, vec!["waiting"; 3]);

    record_session(&b, "Vocational profile", "45").await;
    b.wait_for_text(".staff-sync", "Records waiting: 2")
        .await
        .unwrap();
    assert_eq!(waiting(&b).await, 2);
    b.close().await.unwrap();
}

#[tokio::test]
async fn when_the_server_comes_back_what_waits_is_sent_with_no_click_and_no_signal_goes() {
    let s = setup().await;
    let b = specialist_in_the_field(&s).await;

    // The server stops answering while the phone keeps its network: the browser fires no
    // `online` event at any point in this test.
    s.proxy.cut().await;
    add_client(&b, "JS-BACK").await;
    no_signal_shown(&b, true).await;
    waiting_is(&b, 1).await;
    assert!(participants_named(&s.app, "JS-BACK").await.is_empty());

    // The server answers again. Nobody touches the phone: the records go, and "No signal"
    // goes with the first answer. (The app's own retry comes only every 30 s; this waits less.)
    s.proxy.restore();
    wait_until(
        &b,
        "the outbox to empty by itself",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(20),
    )
    .await;
    no_signal_shown(&b, false).await;
    assert_eq!(participants_named(&s.app, "JS-BACK").await.len(), 1);
    assert_eq!(s.app.count_rows("consent").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn records_left_when_the_app_closed_with_no_signal_are_sent_when_it_opens_with_signal() {
    let s = setup().await;
    let b = specialist_in_the_field(&s).await;

    s.proxy.cut().await;
    add_client(&b, "JS-CLOSED").await;
    waiting_is(&b, 1).await;
    // The app is closed; the signal comes back while it is.
    b.goto("about:blank").await.unwrap();
    s.proxy.restore();
    assert!(participants_named(&s.app, "JS-CLOSED").await.is_empty());

    // Opened again: the records go without a click.
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    heading(&b, "Caseload").await;
    wait_until(
        &b,
        "the outbox to empty",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(participants_named(&s.app, "JS-CLOSED").await.len(), 1);
    assert_eq!(s.app.count_rows("episode").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn with_the_staff_app_closed_the_service_worker_sends_its_records_when_the_signal_returns() {
    let s = setup().await;
    let b = specialist_in_the_field(&s).await;

    s.proxy.cut().await;
    add_client(&b, "JS-WORKER").await;
    waiting_is(&b, 1).await;
    // The staff app closes: the phone shows the participants' app (same site, same service
    // worker), which never sends a staff member's records itself.
    b.goto(&s.proxy.url("/")).await.unwrap();
    b.wait_for_text("main h1", "").await.unwrap();
    s.proxy.restore();

    // The browser wakes the service worker's background sync, as it does when it sees the
    // signal back. (The app's own registration, made with no signal, waits out the browser's
    // back-off of minutes after its failed attempt; a test cannot make the browser skip that,
    // so it registers a new tag, which the browser wakes at once.)
    let registered = b
        .eval_async(
            "const r = await navigator.serviceWorker.ready; \
             if (!r.sync) return 'no background sync here'; \
             await r.sync.register('soundings-outbox:signal-back'); return true;",
        )
        .await
        .unwrap();
    assert_eq!(registered, json!(true));
    // The batch's records are stored one by one, the episode last.
    assert_eq!(wait_rows(&s.app, "episode", 1).await, 1);
    assert_eq!(participants_named(&s.app, "JS-WORKER").await.len(), 1);
    assert_eq!(s.app.count_rows("consent").await, 1);

    // Logging out takes the worker's copy of the login off the phone.
    b.goto(&s.proxy.url("/staff/outbox")).await.unwrap();
    heading(&b, "Outbox").await;
    click(&b, "#logout").await;
    heading(&b, "Log in").await;
    wait::until(
        "the worker's login to be gone",
        Duration::from_secs(10),
        || async {
            b.eval_async(
                "const db = await new Promise((ok, no) => { \
                   const q = indexedDB.open('soundings'); q.onsuccess = () => ok(q.result); \
                   q.onerror = no; }); \
                 return await new Promise((ok) => { \
                   const q = db.transaction('meta').objectStore('meta').get('sender'); \
                   q.onsuccess = () => ok(q.result === undefined); });",
            )
            .await
            .unwrap()
                == json!(true)
        },
    )
    .await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn no_signal_shows_when_any_request_fails_and_goes_when_one_succeeds() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let p = id_of(
        &s.app
            .create(
                "/api/participants",
                &sam,
                &body::participant("jobseeker", "JS-SIGNAL"),
            )
            .await,
    );
    s.app
        .create("/api/episodes", &sam, &body::episode(p, "2026-01-05", None))
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    // Nothing waits to be sent; opening a client asks the server for their sessions, which
    // fails: that alone says there is no signal.
    s.proxy.cut().await;
    click(&b, ".caseload-link").await;
    heading(&b, "JS-SIGNAL").await;
    no_signal_shown(&b, true).await;
    assert_eq!(waiting(&b).await, 0);

    s.proxy.restore();
    no_signal_shown(&b, false).await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn the_caseload_says_when_the_phone_is_ready_for_offline_use() {
    let s = setup().await;
    let b = specialist_in_the_field(&s).await;
    b.wait_for_text("#offline-ready", "Ready for offline use")
        .await
        .unwrap();
    assert_accessible(&b, "caseload, ready for offline use").await;

    // In Welsh too, and still there when the app opens with no signal.
    click(&b, ".language-switch").await;
    b.wait_for_text("#offline-ready", "Yn barod i'w ddefnyddio all-lein")
        .await
        .unwrap();
    s.proxy.cut().await;
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    b.wait_for_text("#offline-ready", "all-lein").await.unwrap();
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_client_never_opened_online_shows_their_sessions_offline_and_the_next_starts_at_their_stage()
 {
    let s = setup().await;
    let sam_id = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let p = id_of(
        &s.app
            .create(
                "/api/participants",
                &sam,
                &body::participant("jobseeker", "JS-HISTORY"),
            )
            .await,
    );
    let episode = id_of(
        &s.app
            .create("/api/episodes", &sam, &body::episode(p, "2026-01-05", None))
            .await,
    );
    for (day, stage, activity) in [
        ("2026-01-12", "engagement", "First meeting"),
        ("2026-02-02", "job_finding", "Looked at local openings"),
    ] {
        s.app
            .create(
                "/api/sessions",
                &sam,
                &json!({"id": Uuid::new_v4(), "episode_id": episode, "held_on": day,
                        "duration_minutes": 45, "stage": stage, "activity": activity}),
            )
            .await;
    }

    // The caseload comes to the phone; the client's page is never opened with a signal.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    b.wait_for_text("#offline-ready", "Ready for offline use")
        .await
        .unwrap();
    // The cache is kept encrypted in IndexedDB: read through the page's own outbox code.
    let cached_sessions = format!(
        "const text = await self.soundingsOutbox.getCaseload('{sam_id}'); \
         return text ? (JSON.parse(text).records || []).length : 0"
    );
    wait::until(
        "the client's sessions to be on the phone",
        Duration::from_secs(20),
        || async { (b.eval_async(&cached_sessions).await.unwrap() == json!(2)).then_some(()) },
    )
    .await;

    s.proxy.cut().await;
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    click(&b, ".caseload-link").await;
    heading(&b, "JS-HISTORY").await;
    b.wait_for_text(".session-item", "Looked at local openings")
        .await
        .unwrap();
    b.wait_for_text(".session-item", "First meeting")
        .await
        .unwrap();
    click(&b, "a[href$='/session']").await;
    heading(&b, "Record a session").await;
    let stage = b
        .eval("return document.getElementById('stage').value")
        .await
        .unwrap();
    assert_eq!(
        stage,
        json!("job_finding"),
        "the stage the last session reached"
    );
    b.close().await.unwrap();
}
