//! The admin screens in headless Chromium, as the admin: staff accounts (added, changed,
//! deactivated, a new password), teams, settings with their refusals beside the field (keeping
//! records and who reads the answers among them), and the audit trail with its filters (who,
//! whose record, action, kind of record, days) and CSV; in Welsh, on a phone and a tablet, by
//! keyboard; and what a specialist or a manager gets at their addresses.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use soundings_tests::browser::{Browser, TABLET};
use soundings_tests::id_of;
use uuid::Uuid;

use crate::pwa_dashboard::choose;
use crate::pwa_staff::{
    Setup, assert_accessible, catch_files, click, fill, heading, log_in, saved_text, setup, shots,
    wait_until,
};

const ADMIN: &str = "admin@v.example.org";

async fn api(s: &Setup, path: &str) -> Value {
    let res = s.app.get(path, Some(&s.admin)).await;
    assert_eq!(res.status(), 200, "{path}");
    res.json().await.unwrap()
}

/// The admin, logged in on `b` and opening `path` from the menu's Admin section.
async fn admin_opens(b: &Browser, s: &Setup, path: &str, title: &str) {
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(b, ADMIN).await;
    heading(b, "Dashboard").await;
    click(b, &format!("nav a[href='{path}']")).await;
    heading(b, title).await;
}

/// The page's heading has the focus (a new page is announced), and nothing scrolls sideways.
pub(crate) async fn opened_well(b: &Browser, page: &str) {
    wait_until(
        b,
        &format!("the focus on the heading of {page}"),
        "document.activeElement?.tagName === 'H1'",
        Duration::from_secs(10),
    )
    .await;
    let widths = b
        .eval("return [document.documentElement.scrollWidth, window.innerWidth]")
        .await
        .unwrap();
    assert!(
        widths[0].as_u64() <= widths[1].as_u64(),
        "{page} scrolls sideways: {widths}"
    );
}

/// A failed save: the summary at the top has the focus, and the field shows `message`.
pub(crate) async fn refused_beside(b: &Browser, field: &str, message: &str) {
    b.wait_for_text(&format!("#{field}-error"), message)
        .await
        .unwrap();
    wait_until(
        b,
        "the focus on the error summary",
        "document.activeElement?.classList.contains('error-summary')",
        Duration::from_secs(10),
    )
    .await;
    let invalid = b
        .eval(&format!(
            "return document.getElementById('{field}').getAttribute('aria-invalid')"
        ))
        .await
        .unwrap();
    assert_eq!(invalid, json!("true"), "{field} is marked invalid");
}

fn staff_named<'a>(list: &'a Value, email: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|s| s["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {list}"))
}

#[tokio::test]
async fn pwa_an_admin_adds_changes_deactivates_and_resets_a_staff_member() {
    let s = setup().await;
    let north = id_of(
        &s.app
            .create("/api/teams", &s.admin, &json!({"name": "North"}))
            .await,
    );
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/staff", "Staff").await;
    opened_well(&b, "staff").await;
    assert_accessible(&b, "staff").await;
    shots(&b, "admin-staff").await;

    // Nothing typed: the summary and the name field say what is missing; nothing is made.
    click(&b, "#add-staff").await;
    refused_beside(&b, "new-name", "Enter their name").await;
    assert_accessible(&b, "staff, with an error").await;
    let before = api(&s, "/api/staff").await.as_array().unwrap().len();

    // A manager in North, with a first password the admin passes on.
    fill(&b, "#new-name", "Rhian Jones").await;
    fill(&b, "#new-email", "rhian@v.example.org").await;
    click(&b, "label[for='new-role-manager']").await;
    click(&b, &format!("#new-team option[value='{north}']")).await;
    fill(&b, "#new-password", "first-password-42").await;
    click(&b, "#add-staff").await;
    b.wait_for_text("#staff-added", "Account made for Rhian Jones")
        .await
        .unwrap();
    b.wait_for_text("#staff-table", "rhian@v.example.org")
        .await
        .unwrap();
    let list = api(&s, "/api/staff").await;
    assert_eq!(list.as_array().unwrap().len(), before + 1);
    let rhian = staff_named(&list, "rhian@v.example.org");
    assert_eq!(rhian["role"], "manager");
    assert_eq!(rhian["team_id"], json!(north.to_string()));
    assert_eq!(rhian["active"], true);
    let id: Uuid = serde_json::from_value(rhian["id"].clone()).unwrap();
    let login = s
        .app
        .login_response("rhian@v.example.org", "first-password-42")
        .await;
    assert_eq!(login.status(), 200, "the new person logs in");

    // The same email again is refused beside the email field.
    fill(&b, "#new-name", "Rhian Again").await;
    fill(&b, "#new-email", "rhian@v.example.org").await;
    fill(&b, "#new-password", "first-password-42").await;
    click(&b, "#add-staff").await;
    refused_beside(&b, "new-email", "already has a Soundings account").await;

    // Her page: a specialist now.
    click(&b, &format!("a[href='/staff/admin/staff/{id}']")).await;
    heading(&b, "Rhian Jones").await;
    opened_well(&b, "a staff member").await;
    assert_accessible(&b, "a staff member").await;
    click(&b, "label[for='role-specialist']").await;
    click(&b, "#save-role").await;
    b.wait_for_text("#member-saved", "Role and team saved")
        .await
        .unwrap();
    let rhian = api(&s, &format!("/api/staff/{id}")).await;
    assert_eq!(rhian["role"], "specialist");
    assert_eq!(rhian["team_id"], json!(north.to_string()));

    // Deactivated, after a confirmation: she can no longer log in.
    click(&b, "#access-button").await;
    b.wait_for_text("#confirm-question", "Deactivate Rhian Jones?")
        .await
        .unwrap();
    assert_accessible(&b, "the confirmation").await;
    click(&b, "#confirm-access").await;
    wait_until(
        &b,
        "the account shown deactivated",
        "document.querySelector('#member-summary')?.dataset.active === 'false'",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(api(&s, &format!("/api/staff/{id}")).await["active"], false);
    let refused = s
        .app
        .login_response("rhian@v.example.org", "first-password-42")
        .await;
    assert_ne!(refused.status(), 200, "a deactivated account cannot log in");

    // Reactivated, with a new password: the new one works, the old one no longer.
    click(&b, "#access-button").await;
    click(&b, "#confirm-access").await;
    wait_until(
        &b,
        "the account shown active",
        "document.querySelector('#member-summary')?.dataset.active === 'true'",
        Duration::from_secs(10),
    )
    .await;
    fill(&b, "#reset-password", "short").await;
    click(&b, "#save-password").await;
    refused_beside(&b, "reset-password", "at least 12 characters").await;
    fill(&b, "#reset-password", "second-password-42").await;
    click(&b, "#save-password").await;
    b.wait_for_text("#member-saved", "New password set")
        .await
        .unwrap();
    let new = s
        .app
        .login_response("rhian@v.example.org", "second-password-42")
        .await;
    assert_eq!(new.status(), 200);
    let old = s
        .app
        .login_response("rhian@v.example.org", "first-password-42")
        .await;
    assert_ne!(old.status(), 200);

    // The admin cannot lock themselves out: the refusal shows beside the button.
    let me = staff_named(&api(&s, "/api/staff").await, ADMIN)["id"].clone();
    let me = me.as_str().unwrap().to_owned();
    b.goto(&s.proxy.url(&format!("/staff/admin/staff/{me}")))
        .await
        .unwrap();
    heading(&b, "Test Person").await;
    click(&b, "#access-button").await;
    click(&b, "#confirm-access").await;
    b.wait_for_text("#access-button-error", "your own account")
        .await
        .unwrap();
    assert_eq!(api(&s, &format!("/api/staff/{me}")).await["active"], true);
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_an_admin_manages_teams_and_settings_and_reads_the_audit_trail() {
    let s = setup().await;
    let sam = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/teams", "Teams").await;
    opened_well(&b, "teams").await;
    assert_accessible(&b, "teams").await;

    // A team added by keyboard alone: Tab to the field, type, Enter.
    b.tab_to("#team-name").await.unwrap();
    b.press("North").await.unwrap();
    b.press(&char::from(Key::Enter).to_string()).await.unwrap();
    b.wait_for_text("#team-saved", "Team North added")
        .await
        .unwrap();
    b.wait_for_text("#team-list", "North").await.unwrap();
    let teams = api(&s, "/api/teams").await;
    assert_eq!(teams[0]["name"], "North");
    let north = teams[0]["id"].as_str().unwrap().to_owned();

    // The same name again is refused beside the field.
    fill(&b, "#team-name", "North").await;
    click(&b, "#add-team").await;
    refused_beside(&b, "team-name", "already exists").await;

    // Renamed.
    click(&b, &format!("#rename-team option[value='{north}']")).await;
    fill(&b, "#rename-name", "North Wales").await;
    click(&b, "#rename").await;
    b.wait_for_text("#team-saved", "North Wales").await.unwrap();
    assert_eq!(
        api(&s, "/api/teams").await,
        json!([{"id": north, "name": "North Wales"}])
    );
    assert_accessible(&b, "teams, renamed").await;

    // Settings: a time zone saved, and the API then gives it.
    click(&b, "nav a[href='/staff/admin/settings']").await;
    heading(&b, "Settings").await;
    opened_well(&b, "settings").await;
    assert_accessible(&b, "settings").await;
    shots(&b, "admin-settings").await;
    fill(&b, "#time-zone", "Europe/Dublin").await;
    click(&b, "#save-zone").await;
    b.wait_for_text("#zone-saved", "Saved").await.unwrap();
    assert_eq!(api(&s, "/api/settings").await["time_zone"], "Europe/Dublin");

    // A bad value: the server's refusal beside its field, and nothing changes.
    let before = api(&s, "/api/settings").await;
    fill(&b, "#small-number", "1").await;
    click(&b, "#save-thresholds").await;
    refused_beside(&b, "small-number", "from 2 to 50").await;
    assert_accessible(&b, "settings, with an error").await;
    fill(&b, "#time-zone", "Mars/Olympus").await;
    click(&b, "#save-zone").await;
    refused_beside(&b, "time-zone", "Europe/London").await;
    assert_eq!(api(&s, "/api/settings").await, before);

    // Good thresholds and email settings are saved.
    fill(&b, "#small-number", "7").await;
    fill(&b, "#change-threshold", "2.5").await;
    click(&b, "#save-thresholds").await;
    b.wait_for_text("#thresholds-saved", "Saved").await.unwrap();
    let after = api(&s, "/api/settings").await;
    assert_eq!(after["small_number"], 7);
    assert_eq!(after["change_threshold"], 2.5);
    fill(&b, "#reminder-days", "31").await;
    click(&b, "#save-mail").await;
    refused_beside(&b, "reminder-days", "from 1 to 30").await;
    fill(&b, "#reminder-days", "9").await;
    click(&b, "#save-mail").await;
    b.wait_for_text("#mail-saved", "Saved").await.unwrap();
    assert_eq!(
        api(&s, "/api/settings/mail").await["reminder_after_days"],
        9
    );

    // The audit trail shows the time zone change, by the admin.
    click(&b, "nav a[href='/staff/admin/audit']").await;
    heading(&b, "Audit trail").await;
    opened_well(&b, "the audit trail").await;
    let change = "#audit-table tr[data-action='update'][data-entity='settings']";
    b.wait_for_text(change, "Europe/Dublin").await.unwrap();
    assert_accessible(&b, "the audit trail").await;
    shots(&b, "admin-audit").await;
    let me = staff_named(&api(&s, "/api/staff").await, ADMIN)["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Filtered to Sam: none of the admin's entries.
    click(&b, &format!("#audit-who option[value='{sam}']")).await;
    click(&b, "#audit-show").await;
    wait_until(
        &b,
        "only Sam's entries",
        &format!(
            "document.querySelector('#audit-count')?.dataset.n === '{}'",
            api(&s, &format!("/api/audit?staff_id={sam}"))
                .await
                .as_array()
                .unwrap()
                .len()
        ),
        Duration::from_secs(10),
    )
    .await;
    assert!(b.client.find(Locator::Css(change)).await.is_err());

    // Filtered to the admin: the change again, and the CSV download holds the API's bytes.
    click(&b, &format!("#audit-who option[value='{me}']")).await;
    click(&b, "#audit-show").await;
    b.wait_for_text(change, "Europe/Dublin").await.unwrap();
    catch_files(&b).await;
    click(&b, "#audit-download").await;
    let downloaded = saved_text(&b).await;
    assert!(downloaded.contains("Europe/Dublin"), "{downloaded}");
    // The trail's own pages read no personal data, so the API's file is still the same.
    let api_csv = s
        .app
        .get(&format!("/api/audit.csv?staff_id={me}"), Some(&s.admin))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(downloaded, api_csv);
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_the_admin_screens_work_in_welsh_on_a_tablet() {
    let s = setup().await;
    let b = Browser::start_sized(TABLET).await.unwrap();
    admin_opens(&b, &s, "/staff/admin/teams", "Teams").await;
    opened_well(&b, "teams on a tablet").await;
    // The switch keeps the focus (the person is still there); the page follows in Welsh.
    click(&b, ".language-switch").await;
    heading(&b, "Timau").await;
    b.wait_for_text("nav", "Gweinyddu").await.unwrap();
    assert_accessible(&b, "teams in Welsh").await;

    click(&b, "#add-team").await;
    refused_beside(&b, "team-name", "Rhowch enw'r tîm").await;
    fill(&b, "#team-name", "Gogledd").await;
    click(&b, "#add-team").await;
    b.wait_for_text("#team-saved", "Tîm Gogledd wedi'i ychwanegu")
        .await
        .unwrap();
    let teams = api(&s, "/api/teams").await;
    let id = teams[0]["id"].as_str().unwrap().to_owned();
    click(&b, &format!("#rename-team option[value='{id}']")).await;
    fill(&b, "#rename-name", "Gogledd Cymru").await;
    click(&b, "#rename").await;
    b.wait_for_text("#team-saved", "Gogledd Cymru")
        .await
        .unwrap();
    assert_eq!(api(&s, "/api/teams").await[0]["name"], "Gogledd Cymru");
    assert_accessible(&b, "teams in Welsh, renamed").await;

    for (path, title, shown) in [
        ("/staff/admin/staff", "Staff", "#staff-table"),
        ("/staff/admin/audit", "Trywydd archwilio", "#audit-table"),
        ("/staff/admin/settings", "Gosodiadau", "#time-zone"),
    ] {
        click(&b, &format!("nav a[href='{path}']")).await;
        heading(&b, title).await;
        opened_well(&b, title).await;
        b.client
            .wait()
            .for_element(Locator::Css(shown))
            .await
            .unwrap();
        assert_accessible(&b, &format!("{title} in Welsh on a tablet")).await;
    }
    shots(&b, "admin-settings-cy").await;
    b.close().await.unwrap();
}

/// The page says there is no access, and shows none of the data of any admin screen.
pub(crate) async fn no_access(b: &Browser, who: &str, path: &str) {
    heading(b, "You do not have access to this page").await;
    for data in [
        "#staff-table",
        "#team-list",
        "#audit-table",
        "#time-zone",
        "#member-summary",
    ] {
        assert!(
            b.client.find(Locator::Css(data)).await.is_err(),
            "{who} at {path} sees {data}"
        );
    }
}

/// The admin screens linked from the menu.
pub(crate) async fn admin_links(b: &Browser) -> Value {
    b.eval("return [...document.querySelectorAll(\"nav a[href^='/staff/admin']\")].map(a => a.getAttribute('href'))")
        .await
        .unwrap()
}

#[tokio::test]
async fn pwa_a_specialist_cannot_open_the_admin_screens_and_a_manager_only_reads_some() {
    let s = setup().await;
    let sam = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    s.app
        .create_staff_direct(s.org, "mo@v.example.org", domain::Role::Manager)
        .await;
    let every = [
        "/staff/admin/staff".to_owned(),
        format!("/staff/admin/staff/{sam}"),
        "/staff/admin/teams".to_owned(),
        "/staff/admin/audit".to_owned(),
        "/staff/admin/settings".to_owned(),
    ];

    // A specialist: no Admin menu, and every admin address says there is no access.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    assert_eq!(admin_links(&b).await, json!([]));
    for path in &every {
        b.goto(&s.proxy.url(path)).await.unwrap();
        no_access(&b, "a specialist", path).await;
    }
    opened_well(&b, "no access").await;
    assert_accessible(&b, "no access").await;
    b.close().await.unwrap();

    // A manager reads staff, teams and settings (as the API lets them), changes nothing, and
    // has no audit trail and no account page.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "mo@v.example.org").await;
    heading(&b, "Dashboard").await;
    assert_eq!(
        admin_links(&b).await,
        json!([
            "/staff/admin/staff",
            "/staff/admin/teams",
            "/staff/admin/settings",
            "/staff/admin/swemwbs-translations"
        ])
    );
    for path in [&every[1], &every[3]] {
        b.goto(&s.proxy.url(path)).await.unwrap();
        no_access(&b, "a manager", path).await;
    }
    click(&b, "nav a[href='/staff/admin/staff']").await;
    heading(&b, "Staff").await;
    b.wait_for_text("#staff-table", "sam@v.example.org")
        .await
        .unwrap();
    for control in ["#add-staff", "#staff-table a"] {
        assert!(
            b.client.find(Locator::Css(control)).await.is_err(),
            "{control}"
        );
    }
    click(&b, "nav a[href='/staff/admin/teams']").await;
    heading(&b, "Teams").await;
    b.wait_for_text("#team-count", "0 teams").await.unwrap();
    assert!(b.client.find(Locator::Css("#add-team")).await.is_err());
    click(&b, "nav a[href='/staff/admin/settings']").await;
    heading(&b, "Settings").await;
    b.wait_for_text("#read-only", "only an admin")
        .await
        .unwrap();
    let disabled = b
        .eval(
            "return ['time-zone', 'save-zone', 'small-number', 'save-targets', 'add-contract', \
             'retention-days', 'readers-en', 'save-readers']\
             .map(id => document.getElementById(id).matches(':disabled'))",
        )
        .await
        .unwrap();
    assert_eq!(disabled, json!(vec![true; 8]));
    assert_accessible(&b, "settings, read by a manager").await;
    b.close().await.unwrap();
}

/// Types a date into a date field as the browser's picker would leave it.
async fn set_date(b: &Browser, id: &str, value: &str) {
    b.client
        .execute(
            "const f = document.getElementById(arguments[0]); f.value = arguments[1]; \
             f.dispatchEvent(new Event('input', {bubbles: true})); \
             f.dispatchEvent(new Event('change', {bubbles: true})); return true",
            vec![json!(id), json!(value)],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn pwa_an_admin_sets_targets_and_contract_values_beside_the_bands() {
    let s = setup().await;
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/settings", "Settings").await;

    // The bands the figures use, as the API has them; KPI A has no band 3, and the page says so.
    b.wait_for_text("#kpi-a-bands-note", "no band scores 3")
        .await
        .unwrap();
    let outcomes = api(&s, "/api/settings/outcomes").await;
    let scores = b
        .eval(
            "return [...document.querySelectorAll('#kpi-a-bands-table tbody tr')]\
             .map(r => Number(r.dataset.score))",
        )
        .await
        .unwrap();
    let api_scores: Vec<Value> = outcomes["bands"]["kpi_a"]
        .as_array()
        .unwrap()
        .iter()
        .map(|band| band["score"].clone())
        .collect();
    assert_eq!(scores, json!(api_scores));

    // A target saved; a percentage over 100 refused beside its field, and nothing changes.
    fill(&b, "#target-access", "60").await;
    click(&b, "#save-targets").await;
    b.wait_for_text("#targets-saved", "Saved").await.unwrap();
    assert_eq!(
        api(&s, "/api/settings/outcomes").await["targets"]["access"],
        60.0
    );
    fill(&b, "#target-kpi-e", "150").await;
    click(&b, "#save-targets").await;
    refused_beside(&b, "target-kpi-e", "from 0 to 100").await;
    let before = api(&s, "/api/settings/outcomes").await;
    assert_eq!(before["targets"]["kpi_e"], Value::Null);
    fill(&b, "#target-kpi-e", "").await;

    // A contract value for FY 2025-26; one overlapping it is refused beside the amount.
    set_date(&b, "contract-first", "2025-04-01").await;
    set_date(&b, "contract-last", "2026-03-31").await;
    fill(&b, "#contract-amount", "45000").await;
    click(&b, "#add-contract").await;
    b.wait_for_text("#contract-saved", "Saved").await.unwrap();
    b.wait_for_text("#contract-table", "01/04/2025")
        .await
        .unwrap();
    let after = api(&s, "/api/settings/outcomes").await;
    assert_eq!(
        after["contract_values"],
        json!([{"first": "2025-04-01", "last": "2026-03-31", "amount": 45000.0}])
    );
    assert_eq!(after["targets"]["access"], 60.0, "the targets stay");
    set_date(&b, "contract-first", "2026-01-01").await;
    set_date(&b, "contract-last", "2026-06-30").await;
    click(&b, "#add-contract").await;
    refused_beside(&b, "contract-amount", "no overlap").await;
    assert_eq!(api(&s, "/api/settings/outcomes").await, after);
    assert_accessible(&b, "outcome settings, with an error").await;
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_an_admin_sets_the_help_after_a_survey_in_english_and_welsh() {
    let s = setup().await;
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/settings", "Settings").await;

    // A phone number of letters is refused beside it, and nothing is stored.
    let before = api(&s, "/api/settings/survey-texts").await;
    fill(&b, "#help-en", "Call the Valley Works team.").await;
    fill(&b, "#help-phone", "call me").await;
    click(&b, "#save-help").await;
    refused_beside(&b, "help-phone", "Enter a phone number").await;
    assert_eq!(api(&s, "/api/settings/survey-texts").await, before);

    fill(&b, "#help-cy", "Ffoniwch dîm Valley Works.").await;
    fill(&b, "#help-phone", "0800 123 4567").await;
    click(&b, "#save-help").await;
    b.wait_for_text("#help-saved", "Saved").await.unwrap();
    assert_eq!(
        api(&s, "/api/settings/survey-texts").await["help"],
        json!({
            "text": {"en": "Call the Valley Works team.", "cy": "Ffoniwch dîm Valley Works."},
            "phone": "0800 123 4567"
        })
    );
    b.close().await.unwrap();
}

/// The value of a text field or box as the page holds it.
pub(crate) async fn value_of(b: &Browser, id: &str) -> Value {
    b.client
        .execute(
            "return document.getElementById(arguments[0]).value",
            vec![json!(id)],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn pwa_an_admin_sets_how_long_records_are_kept_and_who_reads_the_answers() {
    const EN: &str = "Only our two managers read your answers. Your specialist sees totals only.";
    const CY: &str = "Dim ond ein dau reolwr sy'n darllen eich atebion. Dim ond cyfansymiau y mae eich arbenigwr yn eu gweld.";
    let s = setup().await;
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/settings", "Settings").await;

    // Until an admin sets them: records kept until erased, and the default notice shown.
    let before = api(&s, "/api/settings").await;
    assert_eq!(before["retention_days"], Value::Null);
    let default = api(&s, "/api/settings/survey-texts").await["readers"].clone();
    assert_eq!(before["readers"], default);
    b.wait_for_text("#retention-title", "Keeping records")
        .await
        .unwrap();
    assert_eq!(value_of(&b, "retention-days").await, json!(""));
    assert_eq!(value_of(&b, "readers-en").await, default["en"]);
    assert_eq!(value_of(&b, "readers-cy").await, default["cy"]);

    // Ten days is refused beside the field, and nothing is saved.
    fill(&b, "#retention-days", "10").await;
    click(&b, "#save-retention").await;
    refused_beside(&b, "retention-days", "from 30 to 3650").await;
    assert_accessible(&b, "keeping records, with an error").await;
    assert_eq!(api(&s, "/api/settings").await, before);

    // 400 days, then the notice in English and Welsh: each save keeps the other's value.
    fill(&b, "#retention-days", "400").await;
    click(&b, "#save-retention").await;
    b.wait_for_text("#retention-saved", "Saved").await.unwrap();
    fill(&b, "#readers-en", EN).await;
    fill(&b, "#readers-cy", CY).await;
    click(&b, "#save-readers").await;
    b.wait_for_text("#readers-saved", "Saved").await.unwrap();
    assert_accessible(&b, "keeping records and who reads the answers, saved").await;

    let after = api(&s, "/api/settings").await;
    assert_eq!(after["retention_days"], 400);
    assert_eq!(after["readers"], json!({"en": EN, "cy": CY}));
    assert_eq!(
        api(&s, "/api/settings/survey-texts").await["readers"],
        json!({"en": EN, "cy": CY}),
        "what a survey shows"
    );

    // Opened again, the screen shows what was saved.
    b.goto(&s.proxy.url("/staff/admin/settings")).await.unwrap();
    heading(&b, "Settings").await;
    b.wait_for_text("#readers-title", "Who reads your answers")
        .await
        .unwrap();
    assert_eq!(value_of(&b, "retention-days").await, json!("400"));
    assert_eq!(value_of(&b, "readers-en").await, json!(EN));
    assert_eq!(value_of(&b, "readers-cy").await, json!(CY));
    b.close().await.unwrap();
}

/// The ids of the entries the trail's table shows, top to bottom.
async fn rows_shown(b: &Browser) -> Value {
    b.eval("return [...document.querySelectorAll('#audit-table tbody tr')].map(r => Number(r.dataset.id))")
        .await
        .unwrap()
}

/// The ids of the entries the API gives for `query`, newest first.
async fn entry_ids(s: &Setup, query: &str) -> Value {
    let list = api(s, &format!("/api/audit?{query}")).await;
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].clone())
        .collect()
}

/// Presses "Show entries" and waits until the table holds as many entries as the API gives.
async fn shows_as_the_api(b: &Browser, s: &Setup, query: &str) {
    let ids = entry_ids(s, query).await;
    click(b, "#audit-show").await;
    wait_until(
        b,
        &format!("the entries of {query}"),
        &format!(
            "document.querySelector('#audit-count')?.dataset.n === '{}' && \
             document.querySelector('#audit-download')?.dataset.path === '/api/audit.csv?{query}'",
            ids.as_array().unwrap().len()
        ),
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(rows_shown(b).await, ids, "{query}");
}

#[tokio::test]
async fn pwa_an_admin_filters_the_audit_trail_by_action_kind_of_record_and_days() {
    let s = setup().await;
    // A team made and a specialist put in it; another staff member made through the API.
    s.app
        .specialist_in_team(s.org, &s.admin, "sam@v.example.org", "North")
        .await;
    s.app
        .create(
            "/api/staff",
            &s.admin,
            &json!({"name": "Rhian Jones", "email": "rhian@v.example.org",
                    "role": "manager", "password": "first-password-42"}),
        )
        .await;
    let b = Browser::start().await.unwrap();
    admin_opens(&b, &s, "/staff/admin/audit", "Audit trail").await;
    b.client
        .wait()
        .for_element(Locator::Css("#audit-table"))
        .await
        .unwrap();

    // What was created: the team and Rhian's account, as the API has them.
    choose(&b, "#audit-action", "create").await;
    shows_as_the_api(&b, &s, "action=create").await;
    assert_eq!(
        entry_ids(&s, "action=create")
            .await
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    b.wait_for_text("#audit-table", "Team").await.unwrap();
    b.wait_for_text("#audit-table", "Staff account")
        .await
        .unwrap();
    assert_accessible(&b, "the audit trail, filtered by action").await;

    // Only the team's, and the CSV file carries the same filters.
    choose(&b, "#audit-entity", "team").await;
    shows_as_the_api(&b, &s, "action=create&entity=team").await;
    catch_files(&b).await;
    click(&b, "#audit-download").await;
    let downloaded = saved_text(&b).await;
    let api_csv = s
        .app
        .get("/api/audit.csv?action=create&entity=team", Some(&s.admin))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(downloaded, api_csv);
    assert_eq!(
        downloaded.lines().count(),
        2,
        "a header and the team: {downloaded}"
    );

    // Days long past: nothing found, said in words; the file asks for the same days.
    set_date(&b, "audit-first", "2020-01-01").await;
    set_date(&b, "audit-last", "2020-01-31").await;
    shows_as_the_api(
        &b,
        &s,
        "action=create&entity=team&from=2020-01-01&to=2020-01-31",
    )
    .await;
    b.wait_for_text("#audit-none", "No entries match these filters")
        .await
        .unwrap();
    assert_accessible(&b, "the audit trail, nothing found").await;

    // The last day before the first is refused beside it, and the shown entries stay.
    set_date(&b, "audit-first", "2020-02-01").await;
    click(&b, "#audit-show").await;
    refused_beside(&b, "audit-last", "same as the first day or after it").await;
    assert_accessible(&b, "the audit trail, with an error").await;
    assert!(b.client.find(Locator::Css("#audit-none")).await.is_ok());

    // Any action of any kind again, over days that hold them all: every entry.
    choose(&b, "#audit-action", "").await;
    choose(&b, "#audit-entity", "").await;
    set_date(&b, "audit-first", "2020-01-01").await;
    set_date(&b, "audit-last", "2099-12-31").await;
    shows_as_the_api(&b, &s, "from=2020-01-01&to=2099-12-31").await;
    assert_eq!(rows_shown(&b).await, entry_ids(&s, "").await);
    b.close().await.unwrap();
}
