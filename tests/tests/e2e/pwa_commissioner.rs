//! Commissioners in headless Chromium: an admin shares the organisation's reports with one on
//! the Commissioners screen; a manager publishes a report; the commissioner logs in and lands
//! on the reports shared with them, reading the grade, the key messages and the headline figures
//! the API gives, with the printable page, and nothing about any one person. A commissioner
//! opens nothing else; a specialist or a manager cannot open their page or the admin's screen;
//! an address that already reads another service's reports needs nothing but itself; the admin
//! stops sharing after a confirmation; and the page reads in Welsh on a tablet.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{Value, json};
use soundings_tests::browser::{Browser, TABLET};
use soundings_tests::{PASSWORD, body, id_of, wait};

use crate::pwa_dashboard::answer;
use crate::pwa_staff::{
    Setup, assert_accessible, click, fill, heading, log_in, setup, shot_of, shots, wait_until,
};

const ADMIN: &str = "admin@v.example.org";
const MANAGER: &str = "manager@v.example.org";
const COMMISSIONER: &str = "ceri@council.example.org";
/// Participants' references: they must never reach a commissioner.
const REFERENCE: &str = "JS-1";
const SUPPORTED: &str = "JS-2";

/// FY 2025-26 Q1: April to June 2025.
const FIRST: &str = "2025-04-01";
const LAST: &str = "2025-06-30";

const MESSAGES: [&str; 2] = [
    "Jobseekers rate the service higher than last quarter.",
    "Two new employers joined the job club in May.",
];
const REASON: &str = "Satisfaction is up and the team met every benchmark it could.";

async fn get(s: &Setup, token: &str, path: &str) -> Value {
    let res = s.app.get(path, Some(token)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// The text of the page, whatever window is current.
async fn page_text(b: &Browser) -> String {
    b.eval("return document.body ? document.body.innerText : ''")
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The whole document as the browser holds it (attributes and hidden text included).
async fn page_html(b: &Browser) -> String {
    b.eval("return document.documentElement.outerHTML")
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Nothing scrolls sideways: the page fits the screen (wide tables scroll in their own box).
async fn fits(b: &Browser, page: &str) {
    let widths = b
        .eval("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await
        .unwrap();
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{page} scrolls sideways: {widths}"
    );
}

/// A manager of the organisation, with the quarter's answers: KPI D from jobseekers, one of
/// them `REFERENCE`, so the report has figures that come from a named person's record.
async fn manager_with_answers(s: &Setup) -> String {
    s.app
        .create_staff_direct(s.org, MANAGER, domain::Role::Manager)
        .await;
    let manager = s.app.login(MANAGER).await.access_token;
    let named = id_of(
        &s.app
            .create(
                "/api/participants",
                &manager,
                &body::participant("jobseeker", REFERENCE),
            )
            .await,
    );
    s.app
        .create(
            "/api/responses",
            &manager,
            &body::satisfaction(
                named,
                "jobseeker_satisfaction",
                5,
                "2025-04-08T10:00:00Z",
                body::completion("self", "none", "own_device"),
            ),
        )
        .await;
    for (rating, at) in [(4, "2025-05-13T10:00:00Z"), (5, "2025-06-10T10:00:00Z")] {
        answer(
            s,
            &manager,
            "jobseeker",
            "jobseeker_satisfaction",
            rating,
            at,
        )
        .await;
    }
    manager
}

/// Seed 002's money questions get answers: `SUPPORTED` is supported by Sam from April and
/// starts a paid job in May, and the admin records the quarter's contract value, so the report
/// has a cost per participant and per job outcome.
async fn supported_into_a_job_with_a_contract_value(s: &Setup) {
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let person = id_of(
        &s.app
            .create(
                "/api/participants",
                &sam,
                &body::participant("jobseeker", SUPPORTED),
            )
            .await,
    );
    let episode = id_of(
        &s.app
            .create(
                "/api/episodes",
                &sam,
                &body::episode(person, "2025-04-07", None),
            )
            .await,
    );
    s.app
        .create(
            "/api/jobs",
            &sam,
            &body::job(episode, "2025-05-12", "new_job", true),
        )
        .await;
    let mut settings = get(s, &s.admin, "/api/settings/outcomes").await;
    settings["contract_values"] = json!([{"first": FIRST, "last": LAST, "amount": 15000.0}]);
    let res = s
        .app
        .put("/api/settings/outcomes", Some(&s.admin), &settings)
        .await;
    assert_eq!(res.status(), 200);
}

/// The manager publishes the quarter's report, graded Green with two key messages.
async fn publish(s: &Setup, manager: &str) -> Value {
    s.app
        .create(
            "/api/reports",
            manager,
            &json!({
                "period": {"first": FIRST, "last": LAST},
                "key_messages": MESSAGES,
                "grade": "green",
                "grade_reason": REASON,
            }),
        )
        .await
}

/// The admin shares the reports with the commissioner through the API.
async fn share(s: &Setup, email: &str, name: &str) {
    let res = s
        .app
        .post(
            "/api/commissioners",
            Some(&s.admin),
            &json!({"email": email, "name": name, "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201, "{email} shared with");
}

/// `who` logs in on a new phone at `/staff/`.
async fn logged_in(s: &Setup, who: &str) -> Browser {
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, who).await;
    b
}

/// The page says there is no access and shows nothing of a commissioner's or admin's data.
async fn no_access(b: &Browser, who: &str, path: &str) {
    heading(b, "You do not have access to this page").await;
    for data in [".shared-org", "#comm-list", "#comm-share", "#staff-table"] {
        assert!(
            b.client.find(Locator::Css(data)).await.is_err(),
            "{who} at {path} sees {data}"
        );
    }
}

/// The menu's links.
async fn menu_links(b: &Browser) -> Value {
    b.eval("return [...document.querySelectorAll('nav a')].map(a => a.getAttribute('href'))")
        .await
        .unwrap()
}

#[tokio::test]
async fn pwa_an_admin_shares_the_reports_and_the_commissioner_reads_them_without_anyone_s_records()
{
    let s = setup().await;
    let manager = manager_with_answers(&s).await;
    supported_into_a_job_with_a_contract_value(&s).await;

    // The admin opens Commissioners from the menu: nobody shares yet.
    let admin = logged_in(&s, ADMIN).await;
    heading(&admin, "Dashboard").await;
    click(&admin, "nav a[href='/staff/admin/commissioners']").await;
    heading(&admin, "Commissioners").await;
    admin
        .wait_for_text("#comm-none", "any commissioner yet")
        .await
        .unwrap();
    fits(&admin, "Commissioners").await;
    assert_accessible(&admin, "Commissioners, none yet").await;

    // A new address without a name is refused beside the name, and nobody is shared with.
    fill(&admin, "#comm-email", COMMISSIONER).await;
    fill(&admin, "#comm-password", PASSWORD).await;
    click(&admin, "#comm-share").await;
    admin
        .wait_for_text("#comm-name-error", "Enter their name")
        .await
        .unwrap();
    assert_accessible(&admin, "Commissioners, with an error").await;
    assert_eq!(get(&s, &s.admin, "/api/commissioners").await, json!([]));

    // A staff member's address is refused beside the email.
    fill(&admin, "#comm-email", MANAGER).await;
    fill(&admin, "#comm-name", "Mo Manager").await;
    fill(&admin, "#comm-password", PASSWORD).await;
    click(&admin, "#comm-share").await;
    admin
        .wait_for_text("#comm-email-error", "belongs to a staff account")
        .await
        .unwrap();

    // Ceri, at the council, with a first password the admin passes on.
    fill(&admin, "#comm-email", COMMISSIONER).await;
    fill(&admin, "#comm-name", "Ceri Council").await;
    fill(&admin, "#comm-password", PASSWORD).await;
    click(&admin, "#comm-share").await;
    admin
        .wait_for_text("#comm-invited", "Account made for Ceri Council")
        .await
        .unwrap();
    admin
        .wait_for_text("#comm-list", COMMISSIONER)
        .await
        .unwrap();
    let listed = get(&s, &s.admin, "/api/commissioners").await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["email"], COMMISSIONER);
    assert_eq!(listed[0]["name"], "Ceri Council");
    assert_accessible(&admin, "Commissioners, one shared with").await;
    shots(&admin, "admin-commissioners").await;
    admin.close().await.unwrap();

    // The manager publishes the quarter's report.
    let published = publish(&s, &manager).await;

    // Ceri logs in and lands on the reports shared with them; the menu has nothing else.
    let b = logged_in(&s, COMMISSIONER).await;
    heading(&b, "Reports shared with you").await;
    wait_until(
        &b,
        "the address of the commissioner's page",
        "location.pathname === '/staff/shared'",
        Duration::from_secs(10),
    )
    .await;
    b.wait_for_text(".shared-org h2", "Valley Works")
        .await
        .unwrap();
    assert_eq!(menu_links(&b).await, json!(["/staff/shared"]));
    assert!(b.client.find(Locator::Css("#sign-out")).await.is_ok());

    // What the API gives the commissioner is what the page shows.
    let ceri = s.app.login(COMMISSIONER).await.access_token;
    let shared = get(&s, &ceri, "/api/commissioner/reports").await;
    assert_eq!(shared.as_array().map(Vec::len), Some(1), "{shared}");
    let report = &shared[0];
    assert_eq!(report["id"], published["id"]);
    assert_eq!(report["organisation"], "Valley Works");
    assert_eq!(report["key_messages"], json!(MESSAGES));
    assert_eq!(report["grade"]["grade"], "green");
    b.wait_for_text(".shared-latest h3", report["title"].as_str().unwrap())
        .await
        .unwrap();
    b.wait_for_text(".shared-grade", "Green").await.unwrap();
    b.wait_for_text(".shared-reason", REASON).await.unwrap();
    let messages = b
        .eval("return [...document.querySelectorAll('.key-messages li')].map(li => li.textContent)")
        .await
        .unwrap();
    assert_eq!(messages, json!(MESSAGES));
    let expected: Vec<Value> = report["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let value = h["value"]
                .as_f64()
                .map(|v| format!("{v:.2}"))
                .unwrap_or_default();
            json!([h["name"], value, h["rag"].as_str().unwrap_or_default()])
        })
        .collect();
    assert!(!expected.is_empty(), "headline figures in {report}");
    let shown = b
        .eval(
            "return [...document.querySelectorAll('.shared-latest .headline')]\
             .map(h => [h.dataset.name, h.dataset.value, h.dataset.rag])",
        )
        .await
        .unwrap();
    assert_eq!(shown, json!(expected));
    // KPI D's mean, as the person reads it.
    let kpi_d = report["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"].as_str().unwrap_or_default().starts_with("KPI D"))
        .expect("KPI D among the headlines");
    let mean = format!("{:.2}", kpi_d["value"].as_f64().unwrap());
    b.wait_for_text(".shared-latest .headline-list", &mean)
        .await
        .unwrap();
    // The money, in pounds, judged against seed 002's figures with the word beside the colour.
    let cost = report["headlines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == "Cost per job outcome (£)")
        .expect("the cost per job outcome among the headlines");
    assert!(cost["value"].is_number(), "a cost per job outcome: {cost}");
    let cost_card = ".shared-latest .headline[data-name='Cost per job outcome (£)']";
    b.wait_for_text(cost_card, "£").await.unwrap();
    if let Some(rag) = cost["rag"].as_str() {
        let word = format!("{}{}", rag[..1].to_uppercase(), &rag[1..]);
        b.wait_for_text(cost_card, &word).await.unwrap();
    }
    // The trend has one column per report and a row per figure.
    let trend = b
        .eval(
            "return [document.querySelectorAll('.trend-table thead th').length, \
             document.querySelectorAll('.trend-table tbody tr').length]",
        )
        .await
        .unwrap();
    assert_eq!(trend, json!([2, expected.len()]));
    fits(&b, "the commissioner's page").await;
    assert_accessible(&b, "the commissioner's page").await;
    shots(&b, "commissioner").await;
    shot_of(&b, "commissioner-figures", ".shared-latest .headline-list").await;
    shot_of(&b, "commissioner-trend", ".trend-table").await;

    // Nobody's reference anywhere in the page.
    let (text, html) = (page_text(&b).await, page_html(&b).await);
    for reference in [REFERENCE, SUPPORTED] {
        assert!(!text.contains(reference), "{reference} in {text}");
        assert!(!html.contains(reference), "{reference} in the page's HTML");
    }

    // The printable page opens, with the messages and the grade, and without the reference.
    let before = b.client.windows().await.unwrap();
    click(&b, ".report-item .report-open").await;
    let opened = wait::until("the report to open", Duration::from_secs(10), || async {
        let now = b.client.windows().await.unwrap();
        now.into_iter().find(|w| !before.contains(w)).ok_or(())
    })
    .await;
    b.client.switch_to_window(opened).await.unwrap();
    let text = wait::until("the printable page", Duration::from_secs(10), || async {
        let text = page_text(&b).await;
        if text.contains(MESSAGES[1]) {
            Ok(text)
        } else {
            Err(text)
        }
    })
    .await;
    assert!(text.contains(MESSAGES[0]), "{text}");
    assert!(text.contains("Green"), "{text}");
    assert!(text.contains(&mean), "KPI D's mean {mean}: {text}");
    let html = page_html(&b).await;
    for reference in [REFERENCE, SUPPORTED] {
        assert!(
            !html.contains(reference),
            "the printable page names {reference}"
        );
    }
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_a_commissioner_opens_only_their_page_and_staff_cannot_open_theirs() {
    let s = setup().await;
    s.app
        .specialist_in_team(s.org, &s.admin, "sam@v.example.org", "North")
        .await;
    s.app
        .create_staff_direct(s.org, MANAGER, domain::Role::Manager)
        .await;
    share(&s, COMMISSIONER, "Ceri Council").await;

    // The commissioner: nothing shared yet is said in a sentence; every staff page is refused.
    // The masthead names the app for them, not for staff.
    let b = logged_in(&s, COMMISSIONER).await;
    heading(&b, "Reports shared with you").await;
    b.wait_for_text(".masthead .app-name", "Soundings for commissioners")
        .await
        .unwrap();
    b.wait_for_text(
        "#shared-none",
        "No organisation shares its reports with you yet",
    )
    .await
    .unwrap();
    assert_accessible(&b, "the commissioner's page, empty").await;
    for path in [
        "/staff/dashboard",
        "/staff/attention",
        "/staff/reports",
        "/staff/clients/new",
        "/staff/outbox",
        "/staff/admin/staff",
        "/staff/admin/settings",
        "/staff/admin/commissioners",
    ] {
        b.goto(&s.proxy.url(path)).await.unwrap();
        no_access(&b, "a commissioner", path).await;
    }
    assert_accessible(&b, "no access, for a commissioner").await;
    // The way back is their own page; the app's start address is their page too.
    click(&b, "#main a[href='/staff/shared']").await;
    heading(&b, "Reports shared with you").await;
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    heading(&b, "Reports shared with you").await;
    // Signing out ends the login.
    click(&b, "#sign-out").await;
    heading(&b, "Log in").await;
    b.close().await.unwrap();

    // A specialist: the staff's app, no link to either, and both addresses refused.
    let b = logged_in(&s, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    b.wait_for_text(".masthead .app-name", "Soundings for staff")
        .await
        .unwrap();
    let links = menu_links(&b).await;
    for path in ["/staff/shared", "/staff/admin/commissioners"] {
        assert!(
            !links.as_array().unwrap().contains(&json!(path)),
            "{path} in {links}"
        );
        b.goto(&s.proxy.url(path)).await.unwrap();
        no_access(&b, "a specialist", path).await;
    }
    b.close().await.unwrap();

    // A manager reads some admin screens, but not this one.
    let b = logged_in(&s, MANAGER).await;
    heading(&b, "Dashboard").await;
    let links = menu_links(&b).await;
    assert!(
        !links
            .as_array()
            .unwrap()
            .contains(&json!("/staff/admin/commissioners")),
        "{links}"
    );
    for path in ["/staff/admin/commissioners", "/staff/shared"] {
        b.goto(&s.proxy.url(path)).await.unwrap();
        no_access(&b, "a manager", path).await;
    }
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_an_admin_shares_with_a_commissioner_of_another_service_and_stops_after_a_confirmation()
{
    let s = setup().await;
    // Ceri already reads another service's reports, with their own password.
    s.app
        .create_org("Afon Jobs", "admin@afon.example.org")
        .await;
    let afon = s.app.login("admin@afon.example.org").await.access_token;
    let res = s
        .app
        .post(
            "/api/commissioners",
            Some(&afon),
            &json!({"email": COMMISSIONER, "name": "Ceri Council", "password": PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201);

    // The address alone is enough: Ceri gains these reports and keeps their name and password.
    let admin = logged_in(&s, ADMIN).await;
    heading(&admin, "Dashboard").await;
    click(&admin, "nav a[href='/staff/admin/commissioners']").await;
    heading(&admin, "Commissioners").await;
    admin
        .wait_for_text("#comm-existing-hint", "keep their own name and password")
        .await
        .unwrap();
    fill(&admin, "#comm-email", COMMISSIONER).await;
    click(&admin, "#comm-share").await;
    admin
        .wait_for_text("#comm-invited", "already had a commissioner's account")
        .await
        .unwrap();
    admin
        .wait_for_text("#comm-list", "Ceri Council")
        .await
        .unwrap();
    assert_eq!(
        s.app.login_response(COMMISSIONER, PASSWORD).await.status(),
        200,
        "their own password still works"
    );

    // Asked first; Cancel keeps it.
    click(&admin, ".comm-stop").await;
    admin
        .wait_for_text(
            ".admin-confirm",
            "Stop sharing your reports with Ceri Council?",
        )
        .await
        .unwrap();
    wait_until(
        &admin,
        "the focus on the confirmation",
        "document.activeElement?.classList.contains('comm-confirm')",
        Duration::from_secs(10),
    )
    .await;
    assert_accessible(&admin, "the confirmation to stop sharing").await;
    click(&admin, ".comm-cancel").await;
    wait_until(
        &admin,
        "the focus back on Stop sharing",
        "document.activeElement?.classList.contains('comm-stop')",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        get(&s, &s.admin, "/api/commissioners")
            .await
            .as_array()
            .map(Vec::len),
        Some(1)
    );

    // Confirmed: gone from the list and the API; the commissioner sees nothing of ours.
    click(&admin, ".comm-stop").await;
    click(&admin, ".comm-confirm").await;
    admin
        .wait_for_text("#comm-stopped", "no longer shared with Ceri Council")
        .await
        .unwrap();
    admin
        .wait_for_text("#comm-none", "any commissioner yet")
        .await
        .unwrap();
    assert_eq!(get(&s, &s.admin, "/api/commissioners").await, json!([]));
    let ceri = s.app.login(COMMISSIONER).await.access_token;
    assert_eq!(get(&s, &ceri, "/api/commissioner/reports").await, json!([]));
    admin.close().await.unwrap();
}

#[tokio::test]
async fn pwa_the_commissioner_s_page_reads_in_welsh_on_a_tablet() {
    let s = setup().await;
    let manager = manager_with_answers(&s).await;
    share(&s, COMMISSIONER, "Ceri Council").await;
    publish(&s, &manager).await;

    let b = Browser::start_sized(TABLET).await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, COMMISSIONER).await;
    heading(&b, "Reports shared with you").await;
    b.wait_for_text(".shared-org h2", "Valley Works")
        .await
        .unwrap();
    click(&b, ".language-switch").await;
    heading(&b, "Adroddiadau a rennir â chi").await;
    b.wait_for_text(".masthead .app-name", "Soundings i gomisiynwyr")
        .await
        .unwrap();
    b.wait_for_text(".shared-latest h3", "Yr adroddiad diweddaraf")
        .await
        .unwrap();
    b.wait_for_text(".shared-org", "Tuedd y prif ffigurau")
        .await
        .unwrap();
    b.wait_for_text(".shared-grade", "Gwyrdd").await.unwrap();
    b.wait_for_text(".shared-latest .headline-name", "Boddhad ceiswyr gwaith")
        .await
        .unwrap();
    fits(&b, "the commissioner's page in Welsh on a tablet").await;
    assert_accessible(&b, "the commissioner's page in Welsh").await;
    shots(&b, "commissioner-cy").await;
    b.close().await.unwrap();
}
