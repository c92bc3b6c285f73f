//! The staff PWA in headless Chromium, through a proxy the test can cut (no signal) or make lose
//! one answer: a specialist's offline field work reaching the server exactly once, a shared
//! phone, a caseload nobody else sees, and a manager's dashboard agreeing with the API.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::{Datelike, Utc};
use fantoccini::Locator;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use soundings::entities::participant;
use soundings_tests::axe::{axe_violations, describe_violations};
use soundings_tests::browser::{Browser, TABLET};
use soundings_tests::proxy::Proxy;
use soundings_tests::{PASSWORD, TestApp, body, id_of, static_dir, wait};
use uuid::Uuid;

pub(crate) struct Setup {
    pub app: TestApp,
    pub proxy: Proxy,
    pub admin: String,
    pub org: Uuid,
}

pub(crate) async fn setup() -> Setup {
    assert!(
        static_dir().join("staff/index.html").is_file(),
        "the staff PWA is not built: run scripts/build-frontend (scripts/test does)"
    );
    let app = TestApp::spawn().await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    let admin = app.login("admin@v.example.org").await.access_token;
    app.record_licence(&admin).await;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    let proxy = Proxy::start(&upstream).await.unwrap();
    Setup {
        app,
        proxy,
        admin,
        org,
    }
}

fn screenshots() -> Option<PathBuf> {
    std::env::var_os("SOUNDINGS_SCREENSHOTS").map(PathBuf::from)
}

/// A picture of the page at the browser's width (`-phone` or `-tablet`), when asked for.
pub(crate) async fn shots(b: &Browser, name: &str) {
    let Some(dir) = screenshots() else { return };
    std::fs::create_dir_all(&dir).unwrap();
    b.eval("window.scrollTo(0, 0); return true").await.unwrap();
    let size = if b.screen == TABLET {
        "tablet"
    } else {
        "phone"
    };
    b.screenshot(&dir.join(format!("staff-{name}-{size}.png")))
        .await
        .unwrap();
}

/// Like [`shots`], with the element matching `css` scrolled to the top of the screen.
pub(crate) async fn shot_of(b: &Browser, name: &str, css: &str) {
    let Some(dir) = screenshots() else { return };
    std::fs::create_dir_all(&dir).unwrap();
    b.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView(); return true",
            vec![json!(css)],
        )
        .await
        .unwrap();
    let size = if b.screen == TABLET {
        "tablet"
    } else {
        "phone"
    };
    b.screenshot(&dir.join(format!("staff-{name}-{size}.png")))
        .await
        .unwrap();
    // Back to the top, so that taking pictures never changes what the test does next.
    b.eval("window.scrollTo(0, 0); return true").await.unwrap();
}

pub(crate) async fn assert_accessible(b: &Browser, page: &str) {
    let violations = axe_violations(&b.client).await.unwrap();
    assert!(
        violations.is_empty(),
        "{page}: axe found {}",
        describe_violations(&violations)
    );
    let unnamed = b.unnamed_controls().await.unwrap();
    assert!(
        unnamed.is_empty(),
        "{page}: controls without a name: {unnamed:?}"
    );
}

/// Sam, a specialist of team North, logs in on a new browser: the menu has no link to `path`,
/// and opening it by address shows the no-access page. The browser is left on that page.
pub(crate) async fn specialist_refused(s: &Setup, path: &str) -> Browser {
    s.app
        .specialist_in_team(s.org, &s.admin, "sam@v.example.org", "North")
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    let link = b
        .eval(&format!(
            "return document.querySelector(\"a[href='{path}']\") !== null"
        ))
        .await
        .unwrap();
    assert_eq!(link, json!(false), "{path} in a specialist's menu");
    b.goto(&s.proxy.url(path)).await.unwrap();
    heading(&b, "You do not have access to this page").await;
    b
}

/// Waits until a JavaScript expression is true in the page.
pub(crate) async fn wait_until(b: &Browser, what: &str, expression: &str, within: Duration) {
    let script = format!("return !!({expression})");
    wait::until(what, within, || async {
        b.eval(&script).await.unwrap_or(Value::Bool(false)) == Value::Bool(true)
    })
    .await;
}

/// Waits until every sync the page has started so far (a press of "Send now" included) has
/// finished and the page is not syncing. A test that shows a sync sent nothing more waits on
/// this, not on a length of time.
pub(crate) async fn syncs_finished(b: &Browser) {
    wait::until(
        "the outbox's syncs to finish",
        Duration::from_secs(90),
        || async {
            // Read under the lock each flush holds: answers once every flush asked for before
            // has ended. A flush still holding it when the driver's script timeout (30 s) runs
            // out is "not yet", asked again, and said (seen in full-suite runs on a 2-core
            // machine, never when the test runs alone).
            if let Err(e) = b.outbox_after_flushes(None).await {
                eprintln!(
                    "syncs_finished: outbox not read: {e:#}; locks: {}",
                    b.locks_report().await
                );
                return false;
            }
            // "Send now" is disabled while the app syncs, and while it runs again for a sync
            // asked for meanwhile.
            b.eval("return document.getElementById('sync-now')?.disabled === false")
                .await
                .unwrap()
                == json!(true)
        },
    )
    .await
}

/// From now on, keeps every file the page makes (a download, a recording to play) in
/// `window.__saved` (the CSP lets the page fetch nothing but its own origin, so they are caught
/// as they are made).
pub(crate) async fn catch_files(b: &Browser) {
    b.eval(
        "window.__saved = []; const make = URL.createObjectURL.bind(URL); \
         URL.createObjectURL = (blob) => { window.__saved.push(blob); return make(blob); }; return true",
    )
    .await
    .unwrap();
}

/// The text of the one file the page made since [`catch_files`] (or `window.__saved` was
/// emptied), once it is made.
pub(crate) async fn saved_text(b: &Browser) -> String {
    wait_until(
        b,
        "the download",
        "window.__saved.length === 1",
        Duration::from_secs(10),
    )
    .await;
    let text = b
        .client
        .execute_async(
            "const done = arguments[0]; window.__saved[0].text().then(done, e => done(String(e)))",
            vec![],
        )
        .await
        .unwrap();
    text.as_str().unwrap().to_owned()
}

pub(crate) async fn fill(b: &Browser, css: &str, text: &str) {
    let field = b
        .client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

pub(crate) async fn click(b: &Browser, css: &str) {
    b.click(css).await.unwrap();
}

pub(crate) async fn heading(b: &Browser, text: &str) {
    b.wait_for_text("h1", text).await.unwrap();
}

pub(crate) async fn waiting(b: &Browser) -> u64 {
    let v = b
        .eval("return document.querySelector('.staff-sync')?.dataset.waiting ?? '-1'")
        .await
        .unwrap();
    v.as_str().unwrap().parse().unwrap_or(u64::MAX)
}

/// Logs in through the form, as a person (or their password manager) does.
pub(crate) async fn log_in(b: &Browser, email: &str) {
    heading(b, "Log in").await;
    fill(b, "#email", email).await;
    fill(b, "#password", PASSWORD).await;
    click(b, "form button[type=submit]").await;
}

/// Logged in, the caseload and the survey wording on the device, and the staff shell in the
/// service worker's cache: the app now opens with no signal.
pub(crate) async fn ready_for_the_field(b: &Browser) {
    heading(b, "Caseload").await;
    b.wait_for_text(".hint", "Up to date").await.unwrap();
    assert!(b.service_worker_registered().await.unwrap());
    wait_until(
        b,
        "the staff shell to be cached",
        "document.documentElement.dataset.staffCached === 'true'",
        Duration::from_secs(20),
    )
    .await;
}

/// Sam, a specialist of the organisation, logged in on a phone that is ready for the field.
pub(crate) async fn specialist_in_the_field(s: &Setup) -> Browser {
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    b
}

/// Adds a client (reference `reference`) through the form; returns on their page.
pub(crate) async fn add_client(b: &Browser, reference: &str) {
    click(b, "a.button[href='/staff/clients/new']").await;
    heading(b, "Add a client").await;
    fill(b, "#reference", reference).await;
    click(b, "label[for='consent-surveys']").await;
    click(b, "#save-client").await;
    heading(b, reference).await;
}

pub(crate) async fn record_session(b: &Browser, activity: &str, minutes: &str) {
    click(b, "a[href$='/session']").await;
    heading(b, "Record a session").await;
    fill(b, "#minutes", minutes).await;
    fill(b, "#activity", activity).await;
    fill(b, "#note", "Talked through the plan").await;
    click(b, "#save-session").await;
    b.wait_for_text(".session-item", activity).await.unwrap();
}

pub(crate) async fn participants_named(app: &TestApp, reference: &str) -> Vec<participant::Model> {
    participant::Entity::find()
        .filter(participant::Column::Reference.eq(reference))
        .all(&app.db)
        .await
        .unwrap()
}

/// Waits until `table` has at least `n` rows, and returns how many it has.
pub(crate) async fn wait_rows(app: &TestApp, table: &str, n: i64) -> i64 {
    wait::until(
        &format!("{n} row(s) in {table}"),
        Duration::from_secs(20),
        || async {
            let found = app.count_rows(table).await;
            (found >= n).then_some(found)
        },
    )
    .await
}

#[tokio::test]
async fn a_specialist_offline_registers_a_client_records_sessions_and_swemwbs_and_each_reaches_the_server_once()
 {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    // The app draws the page once its wasm has loaded: audit what the person sees, not the
    // empty shell before it (on a busy machine axe could run first).
    b.wait_for_text("main h1", "").await.unwrap();
    assert_accessible(&b, "login").await;
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    assert_accessible(&b, "caseload (empty)").await;

    // No signal from here.
    s.proxy.cut().await;
    click(&b, "a.button[href='/staff/clients/new']").await;
    heading(&b, "Add a client").await;
    assert_accessible(&b, "new client").await;
    fill(&b, "#reference", "JS-0042").await;
    click(&b, "label[for='consent-surveys']").await;
    click(&b, "#save-client").await;
    heading(&b, "JS-0042").await;
    assert_accessible(&b, "client").await;

    click(&b, "a[href$='/session']").await;
    heading(&b, "Record a session").await;
    assert_accessible(&b, "session form").await;
    shots(&b, "session-form").await;
    fill(&b, "#minutes", "45").await;
    fill(&b, "#activity", "Vocational profile").await;
    click(&b, "#save-session").await;
    b.wait_for_text(".session-item", "Vocational profile")
        .await
        .unwrap();
    record_session(&b, "CV writing", "30").await;

    // Assisted SWEMWBS: items 4,4,3,3,4,3,4 = raw 25, metric 22.35 by the shared table.
    click(&b, "a[href$='/swemwbs']").await;
    heading(&b, "Wellbeing form").await;
    assert_accessible(&b, "SWEMWBS").await;
    for (i, v) in [4, 4, 3, 3, 4, 3, 4].iter().enumerate() {
        click(&b, &format!("label[for='item-{}-{v}']", i + 1)).await;
    }
    click(&b, "#save-swemwbs").await;
    let expected = domain::swemwbs::metric_for_raw(25).unwrap().to_string();
    b.wait_for_text("#swemwbs-score", &expected).await.unwrap();
    assert_accessible(&b, "SWEMWBS score").await;
    assert_eq!(s.app.count_rows("participant").await, 0);

    // A reload with no signal: the app opens from the service worker, the outbox is intact.
    b.goto(&s.proxy.url("/staff/outbox")).await.unwrap();
    heading(&b, "Outbox").await;
    // Six records, four things done: the client (participant, consent, episode), two
    // sessions and a SWEMWBS.
    wait_until(
        &b,
        "four things waiting after the reload",
        "document.querySelector('.staff-sync')?.dataset.waiting === '4'",
        Duration::from_secs(10),
    )
    .await;
    assert_accessible(&b, "outbox").await;
    shots(&b, "outbox").await;

    // Signal back: one sync sends all six, each once.
    s.proxy.restore();
    click(&b, "#sync-now").await;
    wait_until(
        &b,
        "the outbox to empty",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(20),
    )
    .await;
    let people = participants_named(&s.app, "JS-0042").await;
    assert_eq!(people.len(), 1);
    assert_eq!(s.app.count_rows("consent").await, 1);
    assert_eq!(s.app.count_rows("episode").await, 1);
    assert_eq!(s.app.count_rows("support_session").await, 2);
    assert_eq!(s.app.count_rows("response").await, 1);
    // Sending again (the person presses the button twice) changes nothing, once that sync
    // has finished.
    click(&b, "#sync-now").await;
    syncs_finished(&b).await;
    assert_eq!(s.app.count_rows("support_session").await, 2);
    assert_eq!(s.app.count_rows("response").await, 1);

    // The server scored the form as the phone did.
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let episode = s.app.get("/api/episodes", Some(&sam)).await;
    let episode: Value = episode.json().await.unwrap();
    assert_eq!(episode.as_array().unwrap().len(), 1);
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    heading(&b, "Caseload").await;
    b.wait_for_text(".caseload-link", "JS-0042").await.unwrap();
    assert_accessible(&b, "caseload").await;
    shots(&b, "caseload").await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn when_the_answer_to_a_sync_batch_is_lost_the_retry_duplicates_nothing() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    s.proxy.drop_next_answer_to("POST /api/sync");
    add_client(&b, "JS-LOST").await;
    // The batch reached the server, which stored it; the phone never heard back.
    wait_rows(&s.app, "episode", 1).await;
    wait::until(
        "the proxy to lose the answer",
        Duration::from_secs(10),
        || async { s.proxy.dropped_answers() > 0 },
    )
    .await;
    assert_eq!(s.proxy.dropped_answers(), 1);
    assert_eq!(participants_named(&s.app, "JS-LOST").await.len(), 1);

    // The records stayed in the outbox (their answer was lost) and are sent again, by the
    // app's own retry or the button; the server knows them by their ids.
    b.goto(&s.proxy.url("/staff/outbox")).await.unwrap();
    heading(&b, "Outbox").await;
    click(&b, "#sync-now").await;
    wait_until(
        &b,
        "the outbox to empty",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(participants_named(&s.app, "JS-LOST").await.len(), 1);
    assert_eq!(s.app.count_rows("consent").await, 1);
    assert_eq!(s.app.count_rows("episode").await, 1);
    let refused = b
        .eval("return document.querySelectorAll('.outbox-refused').length")
        .await
        .unwrap();
    assert_eq!(refused, json!(0));
    b.close().await.unwrap();
}

#[tokio::test]
async fn on_a_shared_phone_a_second_specialist_never_sends_the_first_ones_records() {
    let s = setup().await;
    let sam_id = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    s.app
        .create_staff_direct(s.org, "priya@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

    s.proxy.cut().await;
    add_client(&b, "JS-SAM").await;
    // Sam's login ends on this phone (expired) while the records still wait.
    b.eval("localStorage.removeItem('soundings-staff-login'); return true")
        .await
        .unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    heading(&b, "Log in").await;

    // Priya logs in on the same phone with signal: Sam's records stay put.
    s.proxy.restore();
    log_in(&b, "priya@v.example.org").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".hint", "Up to date").await.unwrap();
    click(&b, "a[href='/staff/outbox']").await;
    heading(&b, "Outbox").await;
    click(&b, "#sync-now").await;
    // Her sync has finished (Sam's records are still on the phone, so it is not an empty
    // outbox that shows it).
    syncs_finished(&b).await;
    assert_eq!(waiting(&b).await, 0, "Priya has nothing of her own waiting");
    assert!(participants_named(&s.app, "JS-SAM").await.is_empty());
    assert_eq!(s.app.count_rows("participant").await, 0);
    // Sam's client is not on Priya's screen either.
    let text = b.eval("return document.body.innerText").await.unwrap();
    assert!(!text.as_str().unwrap().contains("JS-SAM"));

    // Priya leaves; Sam logs in again and his records go under his name.
    click(&b, "#logout").await;
    log_in(&b, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    assert_eq!(wait_rows(&s.app, "episode", 1).await, 1);
    let sams = participants_named(&s.app, "JS-SAM").await;
    assert_eq!(sams.len(), 1);
    assert_eq!(sams[0].created_by, sam_id);
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_specialist_cannot_see_another_specialists_caseload_in_the_app_or_the_api() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    s.app
        .create_staff_direct(s.org, "jo@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let jo = s.app.login("jo@v.example.org").await.access_token;
    let p = id_of(
        &s.app
            .create(
                "/api/participants",
                &sam,
                &body::participant("jobseeker", "SAM-ONLY"),
            )
            .await,
    );
    s.app
        .create("/api/episodes", &sam, &body::episode(p, "2026-01-05", None))
        .await;

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "jo@v.example.org").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".hint", "Up to date").await.unwrap();
    b.wait_for_text("main", "No clients yet").await.unwrap();
    // Even by address, the page does not exist on Jo's device.
    b.goto(&s.proxy.url(&format!("/staff/clients/{p}")))
        .await
        .unwrap();
    heading(&b, "Not on this device").await;
    b.close().await.unwrap();

    let res = s
        .app
        .get(&format!("/api/participants/{p}"), Some(&jo))
        .await;
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND);
    let list: Value = s
        .app
        .get("/api/participants", Some(&jo))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list, json!([]));
    let episodes: Value = s
        .app
        .get("/api/episodes", Some(&jo))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(episodes, json!([]));
}

/// This calendar quarter, as the dashboard opens on it.
fn this_quarter() -> (String, String) {
    let today = Utc::now().date_naive();
    let q = (today.month() - 1) / 3 + 1;
    let p = domain::period::Period::quarter(today.year(), q).unwrap();
    (p.first.to_string(), p.last.to_string())
}

async fn tile_value(b: &Browser, id: &str) -> (String, String) {
    let v = b
        .eval(&format!(
            "const t = document.getElementById('{id}'); \
             return [t.querySelector('.tile-value').dataset.value, t.querySelector('.tile-n').dataset.n]"
        ))
        .await
        .unwrap();
    (
        v[0].as_str().unwrap().to_owned(),
        v[1].as_str().unwrap().to_owned(),
    )
}

fn api_mean(v: &Value) -> String {
    v["mean"].as_str().map(str::to_owned).unwrap_or_else(|| {
        v["mean"]
            .as_f64()
            .map(|m| format!("{m:.2}"))
            .unwrap_or_default()
    })
}

#[tokio::test]
async fn a_managers_dashboard_shows_the_apis_figures_and_filters_change_them_as_the_api_says() {
    let s = setup().await;
    let (sam, north) = s
        .app
        .specialist_in_team(s.org, &s.admin, "sam@v.example.org", "North")
        .await;
    let (_jo, _south) = s
        .app
        .specialist_in_team(s.org, &s.admin, "jo@v.example.org", "South")
        .await;
    let _ = sam;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let answered = (Utc::now() - chrono::Duration::minutes(2)).to_rfc3339();
    let mut voiced = None;
    // North: 4, 5, 3, 2, 5, 4 with Sam's help on his phone; South: 2, 1, 3 (a small sample)
    // alone on their own phones; with comments to handle.
    for (email, ratings, completion) in [
        (
            "sam@v.example.org",
            vec![4u8, 5, 3, 2, 5, 4],
            body::completion("self", "staff_assisted", "staff_device"),
        ),
        (
            "jo@v.example.org",
            vec![2, 1, 3],
            body::completion("self", "none", "own_device"),
        ),
    ] {
        let token = s.app.login(email).await.access_token;
        for (i, r) in ratings.iter().enumerate() {
            let p = id_of(
                &s.app
                    .create(
                        "/api/participants",
                        &token,
                        &body::participant("jobseeker", &format!("{email}-{i}")),
                    )
                    .await,
            );
            let e = id_of(
                &s.app
                    .create(
                        "/api/episodes",
                        &token,
                        &body::episode(p, "2026-01-05", None),
                    )
                    .await,
            );
            let mut response = body::satisfaction(
                p,
                "jobseeker_satisfaction",
                *r,
                &answered,
                completion.clone(),
            );
            // The episode carries the team and specialist the answer is attributed to.
            response["episode_id"] = json!(e);
            if *r <= 2 {
                response["comment"] = json!("Not enough help with the interview");
            }
            let made = id_of(&s.app.create("/api/responses", &token, &response).await);
            if *r == 5 && voiced.is_none() {
                // A recorded comment, played in the dashboard.
                let mut audio = b"\x1a\x45\xdf\xa3".to_vec();
                audio.extend((0..200u16).map(|i| (i % 251) as u8));
                let res = s
                    .app
                    .send_raw(
                        reqwest::Method::PUT,
                        &format!("/api/responses/{made}/voice"),
                        Some(&token),
                        "audio/webm",
                        audio,
                    )
                    .await;
                assert!(res.status().is_success(), "{}", res.status());
                voiced = Some(made);
            }
        }
    }
    let voiced = voiced.unwrap();
    // A client who started this quarter with no wellbeing form yet: a coverage gap.
    let sam_token = s.app.login("sam@v.example.org").await.access_token;
    let p = id_of(
        &s.app
            .create(
                "/api/participants",
                &sam_token,
                &body::participant("jobseeker", "JS-NEW"),
            )
            .await,
    );
    s.app
        .create(
            "/api/episodes",
            &sam_token,
            &body::episode(p, &Utc::now().date_naive().to_string(), None),
        )
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    let (first, last) = this_quarter();
    let api = |query: String| {
        let app = &s.app;
        let manager = manager.clone();
        async move {
            let v: Value = app
                .get(
                    &format!("/api/kpi/jobseeker-satisfaction?{query}"),
                    Some(&manager),
                )
                .await
                .json()
                .await
                .unwrap();
            v
        }
    };
    let all = api(format!("first={first}&last={last}")).await;
    let north_only = api(format!("first={first}&last={last}&team_id={north}")).await;
    assert_eq!(all["n"], json!(9));
    assert_eq!(north_only["n"], json!(6));

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "manager@v.example.org").await;
    let started = Instant::now();
    heading(&b, "Dashboard").await;
    wait_until(
        &b,
        "the dashboard's figures",
        "document.querySelector('.dashboard')?.dataset.loaded === 'true' && document.querySelector('#chart-kpi-d-title')",
        Duration::from_secs(20),
    )
    .await;
    eprintln!("dashboard with charts shown in {:?}", started.elapsed());
    assert_eq!(
        tile_value(&b, "kpi-d").await,
        (api_mean(&all), all["n"].to_string())
    );
    assert_accessible(&b, "dashboard").await;
    let query = format!("first={first}&last={last}");
    wait_until(
        &b,
        "coverage and comments",
        "document.querySelector('#coverage') && document.querySelector('#comments-count')",
        Duration::from_secs(20),
    )
    .await;

    // The split by completion mode is the API's, row by row.
    for (id, path) in [
        ("kpi-c", "employer-satisfaction"),
        ("kpi-d", "jobseeker-satisfaction"),
    ] {
        let k: Value = s
            .app
            .get(&format!("/api/kpi/{path}?{query}"), Some(&manager))
            .await
            .json()
            .await
            .unwrap();
        for split in ["support", "channel"] {
            let want: Vec<Value> = k[format!("by_{split}")]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| json!([r["key"], r["n"].to_string(), api_mean(r)]))
                .collect();
            let shown = b
                .eval(&format!(
                    "return [...document.querySelectorAll('#split-{id}-{split} tbody tr[data-key]')]\
                     .map(r => [r.dataset.key, r.dataset.n, r.dataset.mean])"
                ))
                .await
                .unwrap();
            assert_eq!(shown, json!(want), "{id} by {split}");
        }
    }
    let by_channel = b
        .eval("return [...document.querySelectorAll('#split-kpi-d-channel tbody tr[data-key]')].map(r => r.dataset.key)")
        .await
        .unwrap();
    assert_eq!(by_channel, json!(["own_device", "staff_device"]));

    // Coverage and its gaps are the API's.
    let coverage: Value = s
        .app
        .get(&format!("/api/kpi/coverage?{query}"), Some(&manager))
        .await
        .json()
        .await
        .unwrap();
    for key in [
        "swemwbs_start",
        "swemwbs_end",
        "jobseeker_satisfaction",
        "employer_satisfaction",
    ] {
        let shown = b
            .eval(&format!(
                "const r = document.querySelector('#coverage tr[data-key={key}]'); \
                 return [Number(r.dataset.due), Number(r.dataset.answered)]"
            ))
            .await
            .unwrap();
        assert_eq!(
            shown,
            json!([coverage[key]["due"], coverage[key]["answered"]]),
            "coverage of {key}"
        );
    }
    assert_eq!(coverage["swemwbs_start"]["due"], json!(1));
    b.wait_for_text(
        "#coverage tr[data-key=swemwbs_start] .coverage-missing",
        "1",
    )
    .await
    .unwrap();

    // The comments behind the ratings, newest first, as the API lists them.
    let comments: Value = s
        .app
        .get(&format!("/api/kpi/comments?{query}"), Some(&manager))
        .await
        .json()
        .await
        .unwrap();
    let want: Vec<Value> = comments
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["response_id"].clone())
        .collect();
    assert_eq!(want.len(), 4, "three typed comments and one recorded");
    let shown = b
        .eval("return [...document.querySelectorAll('.comment-item')].map(c => c.dataset.response)")
        .await
        .unwrap();
    assert_eq!(shown, json!(want));
    // The recorded one plays in the page, from the bytes the server holds.
    catch_files(&b).await;
    click(
        &b,
        &format!(".comment-item[data-response='{voiced}'] .play-voice"),
    )
    .await;
    wait_until(
        &b,
        "the recording to load",
        &format!("document.querySelector(\".comment-item[data-response='{voiced}'] audio\")?.src.startsWith('blob:')"),
        Duration::from_secs(10),
    )
    .await;
    let size = b.eval("return window.__saved[0].size").await.unwrap();
    assert_eq!(size, json!(204));

    // A CSV download holds exactly the API's bytes.
    b.eval("window.__saved = []; return true").await.unwrap();
    click(&b, "#download-responses").await;
    let downloaded = saved_text(&b).await;
    let api_csv = s
        .app
        .get("/api/export/responses.csv", Some(&manager))
        .await
        .text()
        .await
        .unwrap();
    assert!(api_csv.lines().count() > 9, "{api_csv}");
    assert_eq!(downloaded, api_csv);

    // The team filter asks the server again; the tile follows the API exactly.
    let team = b
        .client
        .find(Locator::Css(&format!("#team option[value='{north}']")))
        .await
        .unwrap();
    team.click().await.unwrap();
    let want = (api_mean(&north_only), north_only["n"].to_string());
    wait::until(
        &format!("the filtered KPI D to show {want:?}"),
        Duration::from_secs(10),
        || async {
            let shown = tile_value(&b, "kpi-d").await;
            if shown == want { Ok(()) } else { Err(shown) }
        },
    )
    .await;
    // Manager view: the small-sample mark for South alone (3 answers).
    let south = b
        .eval("return [...document.querySelectorAll('#team option')].find(o => o.textContent === 'South').value")
        .await
        .unwrap();
    let south = south.as_str().unwrap().to_owned();
    b.client
        .find(Locator::Css(&format!("#team option[value='{south}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    b.wait_for_text("#kpi-d", "Small sample").await.unwrap();

    // Needs attention: three low ratings with comments and the recorded comment; one is
    // handled with a note.
    click(&b, "a[href='/staff/attention']").await;
    heading(&b, "Needs attention").await;
    wait_until(
        &b,
        "the attention list",
        "document.getElementById('attention-count')",
        Duration::from_secs(10),
    )
    .await;
    assert_accessible(&b, "needs attention").await;
    let before = b
        .eval("return document.querySelectorAll('.attention-item').length")
        .await
        .unwrap();
    assert_eq!(before, json!(4));
    fill(
        &b,
        ".attention-item textarea",
        "Called back and arranged a mock interview",
    )
    .await;
    click(&b, ".attention-item button[type=submit]").await;
    wait_until(
        &b,
        "the handled item to leave the list",
        "document.querySelectorAll('.attention-item').length === 3",
        Duration::from_secs(10),
    )
    .await;
    let left: Value = s
        .app
        .get("/api/attention", Some(&manager))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(left.as_array().unwrap().len(), 3);
    // The picture for docs/screenshots, last (scrolling for it upsets later clicks at phone
    // width): the dashboard's tiles, below the filters.
    if screenshots().is_some() {
        click(&b, "a[href='/staff/dashboard']").await;
        b.wait_for_text("#kpi-d", "n = ").await.unwrap();
        shot_of(&b, "dashboard", "#period-shown").await;
    }
    b.close().await.unwrap();
}

async fn sessions_of(app: &TestApp, token: &str, episode: Uuid) -> Vec<Value> {
    let res = app
        .get(&format!("/api/episodes/{episode}/sessions"), Some(token))
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Waits until the phone's outbox holds no conflict of `owner`'s.
async fn no_conflict_on_the_phone(b: &Browser, owner: Uuid) {
    let owner = owner.to_string();
    wait::until(
        "the phone's outbox to hold no conflict",
        Duration::from_secs(10),
        || async {
            let outbox = b.outbox_after_flushes(Some(&owner)).await.unwrap();
            if outbox.statuses.iter().any(|s| s == "conflict") {
                Err(outbox.statuses)
            } else {
                Ok(())
            }
        },
    )
    .await;
}

#[tokio::test]
async fn a_stale_edit_produces_a_visible_conflict_and_both_versions_are_kept() {
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
                &body::participant("jobseeker", "JS-EDIT"),
            )
            .await,
    );
    let episode = id_of(
        &s.app
            .create("/api/episodes", &sam, &body::episode(p, "2026-01-05", None))
            .await,
    );
    let session = id_of(
        &s.app
            .create(
                "/api/sessions",
                &sam,
                &json!({"id": Uuid::new_v4(), "episode_id": episode, "held_on": "2026-02-01",
                        "duration_minutes": 45, "stage": "engagement",
                        "activity": "First meeting", "note": "Met at the cafe"}),
            )
            .await,
    );

    // The phone holds version 1 of the session.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    click(&b, ".caseload-link").await;
    heading(&b, "JS-EDIT").await;
    b.wait_for_text(".session-item", "Met at the cafe")
        .await
        .unwrap();

    // Another device edits it first (version 2).
    let other = json!({"id": Uuid::new_v4(), "base_version": 1, "held_on": "2026-02-01",
                       "duration_minutes": 50, "stage": "vocational_profiling",
                       "activity": "First meeting", "note": "Other phone's note"});
    let res = s
        .app
        .patch(&format!("/api/sessions/{session}"), Some(&sam), &other)
        .await;
    assert_eq!(res.status(), 200);

    // With no signal, the phone edits its old copy; the edit waits in the outbox.
    s.proxy.cut().await;
    click(&b, ".session-edit").await;
    heading(&b, "Edit a session").await;
    assert_accessible(&b, "edit session").await;
    fill(&b, "#minutes", "55").await;
    fill(&b, "#note", "A first draft").await;
    click(&b, "#save-session").await;
    heading(&b, "JS-EDIT").await;
    b.wait_for_text(".session-item", "Your changes wait to be sent")
        .await
        .unwrap();
    // Edited again before any signal: the form starts from the waiting edit, and the new
    // edit replaces it (one record waits, made from the same version 1).
    click(&b, ".session-edit").await;
    heading(&b, "Edit a session").await;
    let minutes = b
        .eval("return document.getElementById('minutes').value")
        .await
        .unwrap();
    assert_eq!(minutes, json!("55"));
    fill(&b, "#minutes", "60").await;
    fill(&b, "#note", "This phone's note").await;
    click(&b, "#save-session").await;
    heading(&b, "JS-EDIT").await;
    b.wait_for_text(".session-item", "This phone's note")
        .await
        .unwrap();
    assert_eq!(waiting(&b).await, 1);

    // Signal back: the server keeps the stale edit as a conflict, and the outbox settles it
    // (not retried, not refused) and says so.
    s.proxy.restore();
    click(&b, "a[href='/staff/outbox']").await;
    heading(&b, "Outbox").await;
    click(&b, "#sync-now").await;
    b.wait_for_text(".outbox-conflict", "JS-EDIT")
        .await
        .unwrap();
    assert_eq!(waiting(&b).await, 0);
    let refused = b
        .eval("return document.querySelectorAll('.outbox-refused').length")
        .await
        .unwrap();
    assert_eq!(refused, json!(0));
    assert_accessible(&b, "outbox with a conflict").await;

    // The server holds both versions.
    let records = sessions_of(&s.app, &sam, episode).await;
    assert_eq!(records.len(), 1);
    let r = &records[0];
    assert_eq!(r["session"]["note"], "Other phone's note");
    assert_eq!(r["session"]["duration_minutes"], 50);
    assert_eq!(r["session"]["version"], 2);
    let conflicts = r["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1);
    assert_eq!(conflicts[0]["note"], "This phone's note");
    assert_eq!(conflicts[0]["duration_minutes"], 60);
    assert_eq!(conflicts[0]["base_version"], 1);

    // The caseload says whose session has an edit to resolve.
    click(&b, "a[href='/staff/']").await;
    heading(&b, "Caseload").await;
    let flag = b
        .wait_for_text(".caseload-item .tag-conflict", "Edits to resolve: 1")
        .await
        .unwrap();
    assert_eq!(
        flag.attr("data-conflicts").await.unwrap().as_deref(),
        Some("1")
    );
    click(&b, "a[href='/staff/outbox']").await;
    heading(&b, "Outbox").await;

    // The client's page shows both, side by side.
    click(&b, ".outbox-conflict a").await;
    heading(&b, "JS-EDIT").await;
    b.wait_for_text(".conflict h4", "Two versions of this session")
        .await
        .unwrap();
    let current = b
        .wait_for_text(".version-current", "Other phone's note")
        .await
        .unwrap();
    let current = current.text().await.unwrap();
    assert!(current.contains("50 minutes"), "{current}");
    assert!(current.contains("Version 2"), "{current}");
    let edit = b
        .wait_for_text(".version-edit", "This phone's note")
        .await
        .unwrap();
    let edit = edit.text().await.unwrap();
    assert!(edit.contains("60 minutes"), "{edit}");
    assert!(edit.contains("(different)"), "{edit}");
    assert_eq!(
        b.button_names()
            .await
            .unwrap()
            .iter()
            .filter(|n| n.contains("Keep this version"))
            .count(),
        2
    );
    assert_accessible(&b, "conflict").await;
    shot_of(&b, "conflict", ".session-item:has(.conflict)").await;
    // On a phone the two versions are stacked: the second one gets its own picture.
    shot_of(&b, "conflict-edit", ".version-edit").await;

    // Keeping this phone's edit applies it as a new version; the other stays on record.
    click(&b, ".keep-edit").await;
    wait_until(
        &b,
        "the conflict to close",
        "document.querySelectorAll('.conflict').length === 0",
        Duration::from_secs(10),
    )
    .await;
    b.wait_for_text(".session-item", "This phone's note")
        .await
        .unwrap();
    let records = sessions_of(&s.app, &sam, episode).await;
    assert_eq!(records[0]["session"]["note"], "This phone's note");
    assert_eq!(records[0]["session"]["duration_minutes"], 60);
    assert_eq!(records[0]["session"]["version"], 3);
    assert_eq!(records[0]["conflicts"], json!([]));
    assert_eq!(s.app.count_rows("session_edit").await, 2);

    // Resolved, it leaves the outbox too. The pages list what the phone's outbox holds: wait
    // until it holds no conflict of Sam's (read after any sync), not for a length of time.
    click(&b, "a[href='/staff/outbox']").await;
    heading(&b, "Outbox").await;
    no_conflict_on_the_phone(&b, sam_id).await;
    let left = b
        .eval("return document.querySelectorAll('.outbox-conflict').length")
        .await
        .unwrap();
    assert_eq!(left, json!(0));
    // And the caseload no longer flags it.
    click(&b, "a[href='/staff/']").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".caseload-link", "JS-EDIT").await.unwrap();
    no_conflict_on_the_phone(&b, sam_id).await;
    let flags = b
        .eval("return document.querySelectorAll('.tag-conflict').length")
        .await
        .unwrap();
    assert_eq!(flags, json!(0));
    b.close().await.unwrap();
}

#[tokio::test]
async fn the_staff_pages_are_accessible_at_tablet_width() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    // This quarter's first day: the client started then (so coverage has something to count).
    let (started, _) = this_quarter();
    // A client with a session that two devices edited from the same copy.
    let p = id_of(
        &s.app
            .create(
                "/api/participants",
                &manager,
                &body::participant("jobseeker", "JS-0107"),
            )
            .await,
    );
    let episode = id_of(
        &s.app
            .create("/api/episodes", &manager, &body::episode(p, &started, None))
            .await,
    );
    let session = id_of(
        &s.app
            .create(
                "/api/sessions",
                &manager,
                &json!({"id": Uuid::new_v4(), "episode_id": episode, "held_on": started,
                        "duration_minutes": 45, "stage": "job_finding",
                        "activity": "Job search at the library", "note": "Two applications sent"}),
            )
            .await,
    );
    for (minutes, note, status) in [
        (50, "Two applications sent; interview on Friday", 200),
        (45, "Two applications sent, one to the garden centre", 409),
    ] {
        let edit = json!({"id": Uuid::new_v4(), "base_version": 1, "held_on": started,
                          "duration_minutes": minutes, "stage": "job_finding",
                          "activity": "Job search at the library", "note": note});
        let res = s
            .app
            .patch(&format!("/api/sessions/{session}"), Some(&manager), &edit)
            .await;
        assert_eq!(res.status().as_u16(), status);
    }
    // Answers for the dashboard, some with comments.
    let answered = (Utc::now() - chrono::Duration::minutes(5)).to_rfc3339();
    for (i, (rating, support, channel)) in [
        (5u8, "none", "own_device"),
        (4, "staff_assisted", "staff_device"),
        (2, "none", "own_device"),
        (4, "read_aloud", "own_device"),
        (5, "none", "own_device"),
    ]
    .into_iter()
    .enumerate()
    {
        let person = id_of(
            &s.app
                .create(
                    "/api/participants",
                    &manager,
                    &body::participant("jobseeker", &format!("JS-02{i:02}")),
                )
                .await,
        );
        let mut response = body::satisfaction(
            person,
            "jobseeker_satisfaction",
            rating,
            &answered,
            body::completion("self", support, channel),
        );
        if rating <= 2 {
            response["comment"] = json!("I could not get through on the phone");
        }
        s.app.create("/api/responses", &manager, &response).await;
    }

    let b = Browser::start_sized(TABLET).await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    let width = b.eval("return window.innerWidth").await.unwrap();
    assert_eq!(width, json!(820), "the tablet screen is emulated");
    log_in(&b, "manager@v.example.org").await;
    heading(&b, "Dashboard").await;
    wait_until(
        &b,
        "the dashboard",
        "document.querySelector('.dashboard')?.dataset.loaded === 'true' \
         && document.querySelector('#chart-kpi-d-title') && document.querySelector('#comments-count')",
        Duration::from_secs(20),
    )
    .await;
    assert_accessible(&b, "dashboard (tablet)").await;
    shots(&b, "dashboard").await;
    shot_of(&b, "dashboard-split", "#split-title").await;
    shot_of(&b, "dashboard-coverage", "#coverage-title").await;
    shot_of(&b, "dashboard-comments", "#comments-title").await;

    click(&b, "a[href='/staff/']").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".caseload-link", "JS-0107").await.unwrap();
    assert_accessible(&b, "caseload (tablet)").await;
    shots(&b, "caseload").await;

    b.client
        .find(Locator::LinkText("JS-0107"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    heading(&b, "JS-0107").await;
    b.wait_for_text(".version-edit", "garden centre")
        .await
        .unwrap();
    assert_accessible(&b, "conflict (tablet)").await;
    shot_of(&b, "conflict", ".session-item:has(.conflict)").await;

    // A session recorded with no signal waits in the outbox.
    s.proxy.cut().await;
    click(&b, "a[href$='/session']").await;
    heading(&b, "Record a session").await;
    fill(&b, "#minutes", "30").await;
    fill(&b, "#activity", "Interview practice").await;
    assert_accessible(&b, "session form (tablet)").await;
    shots(&b, "session-form").await;
    click(&b, "#save-session").await;
    heading(&b, "JS-0107").await;
    click(&b, "a[href='/staff/outbox']").await;
    heading(&b, "Outbox").await;
    b.wait_for_text(".outbox-item", "JS-0107").await.unwrap();
    assert_eq!(waiting(&b).await, 1);
    assert_accessible(&b, "outbox (tablet)").await;
    shots(&b, "outbox").await;
    b.close().await.unwrap();
}
