//! "You said, we did" in headless Chromium: a manager writes an action about one comment made
//! in the chosen days (ticked among the period's comments), saves it as a draft, publishes it
//! after the confirmation and is told how many emails were queued; the API then has it
//! published with exactly that response and the words typed. A manager reaches it from the
//! dashboard's comments and changes a draft's "We did" in English and Welsh. A specialist
//! cannot reach it.

use std::time::Duration;

use serde_json::json;
use soundings_tests::browser::Browser;
use soundings_tests::{body, id_of};
use uuid::Uuid;

use crate::pwa_admin::value_of;
use crate::pwa_dashboard::api;
use crate::pwa_staff::{
    Setup, assert_accessible, click, fill, heading, log_in, setup, specialist_refused, wait_until,
};

/// A jobseeker's satisfaction answer with a comment, entered by the manager; its response id.
async fn commented(s: &Setup, token: &str, rating: u8, at: &str, comment: &str) -> Uuid {
    let person = id_of(
        &s.app
            .create(
                "/api/participants",
                token,
                &body::participant("jobseeker", &format!("JS-{}", Uuid::new_v4())),
            )
            .await,
    );
    let mut answer = body::satisfaction(
        person,
        "jobseeker_satisfaction",
        rating,
        at,
        body::completion("self", "none", "own_device"),
    );
    answer["comment"] = json!(comment);
    id_of(&s.app.create("/api/responses", token, &answer).await)
}

/// Sets a date field as a date picker does, and tells the page.
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
async fn a_manager_writes_and_publishes_an_action_about_a_comment() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    let slow = commented(
        &s,
        &manager,
        2,
        "2025-05-13T10:00:00Z",
        "Nobody called me back for two weeks",
    )
    .await;
    let other = commented(&s, &manager, 5, "2025-06-10T10:00:00Z", "Lovely job club").await;

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "manager@v.example.org").await;
    heading(&b, "Dashboard").await;
    click(&b, "a[href='/staff/actions']").await;
    heading(&b, "You said, we did").await;
    b.wait_for_text("#actions-none", "No action has been written yet")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: empty list and the form").await;

    // Nothing written yet: refused beside "You said", with the summary linking there.
    click(&b, "#act-save").await;
    b.wait_for_text(".error-summary", "Enter what people said, in English")
        .await
        .unwrap();
    b.wait_for_text("#act-you-said-en-error", "Enter what people said")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: the form with an error").await;
    assert_eq!(api(&s, &manager, "/api/actions").await, json!([]));

    // Who it is for, the words in English (and Welsh), Easy Read, and when it was done.
    click(&b, "label[for=act-audience-jobseekers]").await;
    fill(&b, "#act-you-said-en", "We were slow to call back.").await;
    fill(&b, "#act-you-said-cy", "Roeddem yn araf yn galw'n ôl.").await;
    fill(
        &b,
        "#act-we-did-en",
        "Every call is now returned within two days.",
    )
    .await;
    fill(&b, "#act-er-you-said-en", "You waited too long for a call.").await;
    fill(&b, "#act-er-we-did-en", "Now we call back in 2 days.").await;
    set_date(&b, "act-done-on", "2025-07-01").await;

    // The comments of April to June: tick the one about calling back.
    set_date(&b, "act-first", "2025-04-01").await;
    set_date(&b, "act-last", "2025-06-30").await;
    click(&b, "#act-show-comments").await;
    b.wait_for_text(
        &format!("#act-comments li[data-response='{slow}']"),
        "Nobody called me back for two weeks",
    )
    .await
    .unwrap();
    b.wait_for_text(
        &format!("#act-comments li[data-response='{other}']"),
        "Lovely job club",
    )
    .await
    .unwrap();
    b.wait_for_text(
        &format!("#act-comments li[data-response='{slow}']"),
        "Rated 2 out of 5",
    )
    .await
    .unwrap();
    click(&b, &format!("label[for='act-comment-{slow}']")).await;
    b.wait_for_text("#act-chosen", "Comments chosen: 1")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: the form with the comments").await;

    click(&b, "#act-save").await;
    b.wait_for_text("#actions-note", "Action saved")
        .await
        .unwrap();
    b.wait_for_text(".action-item .action-status", "Draft")
        .await
        .unwrap();
    let drafts = api(&s, &manager, "/api/actions").await;
    assert_eq!(drafts[0]["published_at"], json!(null));

    // Publishing asks first, and says what it means.
    click(&b, ".action-item .action-publish").await;
    b.wait_for_text(".action-item .admin-confirm", "results emails may be sent")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: publishing confirmation").await;
    click(&b, ".action-item .action-confirm-publish").await;
    b.wait_for_text("#actions-note", "Published. Results emails queued:")
        .await
        .unwrap();
    b.wait_for_text(".action-item .action-status", "Published on")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: a published action").await;

    let actions = api(&s, &manager, "/api/actions").await;
    assert_eq!(actions.as_array().map(Vec::len), Some(1), "{actions}");
    let action = &actions[0];
    assert!(action["published_at"].is_string(), "{action}");
    assert_eq!(action["response_ids"], json!([slow]));
    assert_eq!(action["audience"], "jobseekers");
    assert_eq!(
        action["you_said"],
        json!({"en": "We were slow to call back.", "cy": "Roeddem yn araf yn galw'n ôl."})
    );
    assert_eq!(
        action["we_did"],
        json!({"en": "Every call is now returned within two days.", "cy": null}),
        "no Welsh typed, none stored"
    );
    assert_eq!(
        action["easy_read"]["you_said"]["en"],
        "You waited too long for a call."
    );
    assert_eq!(
        action["easy_read"]["we_did"]["en"],
        "Now we call back in 2 days."
    );
    assert_eq!(action["done_on"], "2025-07-01");
    assert_eq!(
        action["period"],
        json!({"first": "2025-04-01", "last": "2025-06-30"})
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_manager_changes_what_was_done_in_a_draft_reached_from_the_dashboard() {
    const EN: &str = "Every call is now returned the same day.";
    const CY: &str = "Mae pob galwad bellach yn cael ei dychwelyd yr un diwrnod.";
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "manager@v.example.org", domain::Role::Manager)
        .await;
    let manager = s.app.login("manager@v.example.org").await.access_token;
    let draft = s
        .app
        .create(
            "/api/actions",
            &manager,
            &json!({
                "audience": "both",
                "you_said": {"en": "It took too long to hear back.",
                             "cy": "Roedd hi'n rhy hir cyn clywed yn ôl."},
                "we_did": {"en": "We now call back within two working days."},
                "done_on": "2025-07-01"
            }),
        )
        .await;
    let id = id_of(&draft);
    let item = format!(".action-item[data-action='{id}']");

    // From the comments on the dashboard to the page, and Edit on the draft.
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "manager@v.example.org").await;
    heading(&b, "Dashboard").await;
    click(&b, "#comments-actions a[href='/staff/actions']").await;
    heading(&b, "You said, we did").await;
    b.wait_for_text(&item, "We now call back within two working days.")
        .await
        .unwrap();
    click(&b, &format!("{item} .action-edit")).await;
    b.wait_for_text("#action-form-title", "Change an action")
        .await
        .unwrap();
    wait_until(
        &b,
        "the focus on the form's heading",
        "document.activeElement?.id === 'action-form-title'",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(
        value_of(&b, "act-we-did-en").await,
        json!("We now call back within two working days.")
    );
    assert_eq!(
        value_of(&b, "act-you-said-cy").await,
        json!("Roedd hi'n rhy hir cyn clywed yn ôl.")
    );

    // The new words, in English and Welsh, saved.
    fill(&b, "#act-we-did-en", EN).await;
    fill(&b, "#act-we-did-cy", CY).await;
    assert_accessible(&b, "you said, we did: changing an action").await;
    click(&b, "#act-save").await;
    b.wait_for_text("#actions-note", "Action saved")
        .await
        .unwrap();
    b.wait_for_text(&item, EN).await.unwrap();
    b.wait_for_text("#action-form-title", "Write an action")
        .await
        .unwrap();
    assert_accessible(&b, "you said, we did: a changed action").await;

    let action = api(&s, &manager, &format!("/api/actions/{id}")).await;
    assert_eq!(action["we_did"], json!({"en": EN, "cy": CY}));
    assert_eq!(action["you_said"], draft["you_said"], "what was said stays");
    assert_eq!(action["audience"], "both");
    assert_eq!(action["done_on"], "2025-07-01");
    assert_eq!(
        action["period"],
        json!(null),
        "no days were chosen, none given"
    );
    assert_eq!(action["published_at"], json!(null), "still a draft");
    let all = api(&s, &manager, "/api/actions").await;
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(1),
        "changed, not added: {all}"
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_specialist_cannot_open_you_said_we_did() {
    let s = setup().await;
    let b = specialist_refused(&s, "/staff/actions").await;
    let form = b
        .eval("return document.getElementById('action-form') !== null")
        .await
        .unwrap();
    assert_eq!(form, json!(false));
    b.close().await.unwrap();
}
