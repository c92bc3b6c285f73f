//! The SWEMWBS translations screen in headless Chromium: an admin loads the Welsh translation
//! (a blank line refused beside its field first) and removes it after a confirmation; a Welsh
//! jobseeker's SWEMWBS link then shows the loaded words; a manager reads the screen; a
//! specialist has no access. The Welsh texts are placeholders for the test, not a translation.

use fantoccini::Locator;
use serde_json::{Value, json};
use soundings_tests::browser::{Browser, TABLET};
use soundings_tests::{body, id_of};
use uuid::Uuid;

use crate::pwa_admin::{admin_links, no_access, opened_well, refused_beside};
use crate::pwa_staff::{Setup, assert_accessible, click, fill, heading, log_in, setup, shots};

const PAGE: &str = "/staff/admin/swemwbs-translations";
const PATH: &str = "/api/settings/swemwbs-translations";

fn labels() -> Vec<String> {
    (1..=5).map(|i| format!("Label prawf {i}")).collect()
}

fn items() -> Vec<String> {
    (1..=7).map(|i| format!("Eitem prawf {i}")).collect()
}

async fn loaded(s: &Setup) -> Value {
    let res = s.app.get(PATH, Some(&s.admin)).await;
    assert_eq!(res.status(), 200);
    res.json::<Value>().await.unwrap()["loaded"].clone()
}

/// Logs `email` in on `b` and opens the screen from the menu.
async fn opens_from_menu(b: &Browser, s: &Setup, email: &str) {
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(b, email).await;
    heading(b, "Dashboard").await;
    click(b, &format!("nav a[href='{PAGE}']")).await;
    heading(b, "SWEMWBS translations").await;
}

/// A Welsh-speaking jobseeker with an open episode and a SWEMWBS start link; the link token.
async fn welsh_swemwbs_link(s: &Setup) -> String {
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let mut p = body::participant("jobseeker", "JS-CY");
    p["language"] = json!("cy");
    let pid = id_of(&s.app.create("/api/participants", &sam, &p).await);
    let ep = id_of(
        &s.app
            .create(
                "/api/episodes",
                &sam,
                &body::episode(pid, "2026-01-05", None),
            )
            .await,
    );
    let inv = s
        .app
        .create(
            "/api/invitations",
            &sam,
            &json!({"id": Uuid::new_v4(), "participant_id": pid, "episode_id": ep,
                    "instrument": "swemwbs", "timing": "start"}),
        )
        .await;
    inv["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn pwa_an_admin_loads_the_welsh_swemwbs_and_a_welsh_jobseeker_then_sees_its_words() {
    let s = setup().await;
    let link = welsh_swemwbs_link(&s).await;
    let b = Browser::start().await.unwrap();
    opens_from_menu(&b, &s, "admin@v.example.org").await;
    opened_well(&b, "SWEMWBS translations").await;
    b.wait_for_text("#tr-none", "English only").await.unwrap();
    // Each field shows the English line it translates.
    b.wait_for_text("#tr-item-1-original", domain::swemwbs::ITEMS[0])
        .await
        .unwrap();
    b.wait_for_text("#tr-label-5-original", domain::swemwbs::RESPONSES[4])
        .await
        .unwrap();
    assert_accessible(&b, "SWEMWBS translations, none loaded").await;
    shots(&b, "admin-translations").await;

    // Everything but the third label: refused beside it, and nothing is stored.
    fill(
        &b,
        "#tr-source",
        "Welsh translation, Warwick Medical School list",
    )
    .await;
    fill(&b, "#tr-title", "Teitl prawf").await;
    fill(&b, "#tr-instruction", "Cyfarwyddyd prawf").await;
    for (i, label) in labels().iter().enumerate() {
        if i != 2 {
            fill(&b, &format!("#tr-label-{}", i + 1), label).await;
        }
    }
    for (i, item) in items().iter().enumerate() {
        fill(&b, &format!("#tr-item-{}", i + 1), item).await;
    }
    click(&b, "#tr-save").await;
    refused_beside(
        &b,
        "tr-label-3",
        "exactly as the official translation has it",
    )
    .await;
    assert_accessible(&b, "SWEMWBS translations, with an error").await;
    assert_eq!(loaded(&s).await, json!([]));

    fill(&b, "#tr-label-3", &labels()[2]).await;
    click(&b, "#tr-save").await;
    b.wait_for_text("#tr-saved", "The Welsh translation is loaded")
        .await
        .unwrap();
    b.wait_for_text("#tr-loaded-source", "Warwick Medical School list")
        .await
        .unwrap();
    let stored = loaded(&s).await;
    assert_eq!(stored.as_array().unwrap().len(), 1);
    assert_eq!(stored[0]["texts"]["labels"], json!(labels()));
    assert_eq!(stored[0]["texts"]["items"], json!(items()));
    assert_accessible(&b, "SWEMWBS translations, Welsh loaded").await;

    // The jobseeker's link, in Welsh: the loaded title, items and labels.
    let p = Browser::start().await.unwrap();
    p.goto(&s.proxy.url(&format!("/#t={link}"))).await.unwrap();
    p.wait_for_text("h1", "Teitl prawf").await.unwrap();
    p.wait_for_text(".copyright", "© NHS Health Scotland")
        .await
        .unwrap();
    p.activate("button.button").await.unwrap();
    p.wait_for_text(".caption", "Cwestiwn 1 o 7").await.unwrap();
    p.wait_for_text("h1", &items()[0]).await.unwrap();
    assert_eq!(
        p.eval(
            "return [...document.querySelectorAll('.radios label')].map(l => l.textContent.trim())"
        )
        .await
        .unwrap(),
        json!(labels()),
    );
    p.close().await.unwrap();

    // Removed after a confirmation, by keyboard-reachable buttons.
    click(&b, "#tr-remove").await;
    b.wait_for_text("#tr-confirm-question", "English only")
        .await
        .unwrap();
    assert_accessible(&b, "SWEMWBS translations, confirming removal").await;
    click(&b, "#tr-confirm-remove").await;
    b.wait_for_text("#tr-saved", "removed").await.unwrap();
    b.wait_for_text("#tr-none", "English only").await.unwrap();
    assert_eq!(loaded(&s).await, json!([]));
    b.close().await.unwrap();
}

#[tokio::test]
async fn pwa_a_manager_reads_the_translations_and_a_specialist_has_no_access() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "mo@v.example.org", domain::Role::Manager)
        .await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let body = json!({
        "source": "Welsh translation, Warwick Medical School list",
        "title": "Teitl prawf", "instruction": "Cyfarwyddyd prawf",
        "labels": labels(), "items": items(),
    });
    let res = s
        .app
        .put(&format!("{PATH}/cy"), Some(&s.admin), &body)
        .await;
    assert_eq!(res.status(), 200);

    // A manager, on a tablet in Welsh: what is loaded, every control disabled, no removing.
    let b = Browser::start_sized(TABLET).await.unwrap();
    opens_from_menu(&b, &s, "mo@v.example.org").await;
    opened_well(&b, "SWEMWBS translations on a tablet").await;
    b.wait_for_text("#tr-loaded-source", "Warwick Medical School list")
        .await
        .unwrap();
    b.wait_for_text("#read-only", "only an admin")
        .await
        .unwrap();
    let disabled = b
        .eval(
            "return ['tr-source', 'tr-title', 'tr-item-7', 'tr-save']\
             .map(id => document.getElementById(id).matches(':disabled'))",
        )
        .await
        .unwrap();
    assert_eq!(disabled, json!([true, true, true, true]));
    assert!(b.client.find(Locator::Css("#tr-remove")).await.is_err());
    assert_eq!(
        b.eval("return document.getElementById('tr-item-7').value")
            .await
            .unwrap(),
        json!(items()[6])
    );
    assert_accessible(&b, "SWEMWBS translations, read by a manager").await;
    click(&b, ".language-switch").await;
    heading(&b, "Cyfieithiadau SWEMWBS").await;
    b.wait_for_text("#tr-loaded-title", "Cyfieithiadau wedi'u llwytho")
        .await
        .unwrap();
    assert_accessible(&b, "SWEMWBS translations in Welsh").await;
    shots(&b, "admin-translations-cy").await;
    b.close().await.unwrap();

    // A specialist: no menu entry, and the address says there is no access.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    heading(&b, "Caseload").await;
    assert_eq!(admin_links(&b).await, json!([]));
    b.goto(&s.proxy.url(PAGE)).await.unwrap();
    no_access(&b, "a specialist", PAGE).await;
    assert!(b.client.find(Locator::Css("#tr-source")).await.is_err());
    assert!(
        b.client
            .find(Locator::Css("#tr-loaded-source"))
            .await
            .is_err()
    );
    b.close().await.unwrap();
}
