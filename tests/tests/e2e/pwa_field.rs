//! A specialist's phone in the field, as issue 20 found it: consent given only by a tick, and
//! a count of things done rather than records.

use serde_json::json;
use soundings_tests::browser::Browser;

use crate::pwa_staff::{
    add_client, click, fill, heading, log_in, ready_for_the_field, record_session, setup, waiting,
};

#[tokio::test]
async fn the_consent_boxes_on_add_a_client_start_unticked_and_a_client_needs_one_ticked() {
    let s = setup().await;
    s.app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;

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
