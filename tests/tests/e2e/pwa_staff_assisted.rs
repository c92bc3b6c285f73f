//! Assisted completion in headless Chromium: a specialist hands their phone to the client, with
//! no signal, and the client answers on the very screens of the participant app (one question
//! per page, Easy Read from their recorded needs); the answers wait in the specialist's outbox,
//! survive a reload, and reach the server once, recorded as answered on a staff device.

use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;
use soundings::entities::response;
use soundings_tests::browser::Browser;
use soundings_tests::{body, id_of};

use super::pwa_staff::{
    assert_accessible, click, fill, heading, log_in, ready_for_the_field, setup, shots,
    syncs_finished, wait_rows, wait_until,
};

/// One question page: choose `value` and continue.
async fn answer(b: &Browser, value: u8) {
    click(b, &format!("label[for='answer-{value}']")).await;
    click(b, "main button.button:not(.button-secondary)").await;
}

#[tokio::test]
async fn a_client_answers_on_the_specialists_phone_offline_and_each_answer_reaches_the_server_once()
{
    let s = setup().await;
    let sam_id = s
        .app
        .create_staff_direct(s.org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = s.app.login("sam@v.example.org").await.access_token;
    let mut p = body::participant("jobseeker", "JS-0077");
    p["accessibility"] = json!({"easy_read": true});
    let person = id_of(&s.app.create("/api/participants", &sam, &p).await);
    let episode = id_of(
        &s.app
            .create(
                "/api/episodes",
                &sam,
                &body::episode(person, "2026-01-05", None),
            )
            .await,
    );

    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url("/staff/")).await.unwrap();
    log_in(&b, "sam@v.example.org").await;
    ready_for_the_field(&b).await;
    click(&b, "a.caseload-link").await;
    heading(&b, "JS-0077").await;

    let start_form = "document.querySelector(\"li[data-form='swemwbs-start']\")?.dataset.state";
    assert_eq!(
        b.eval(&format!("return {start_form}")).await.unwrap(),
        json!("due")
    );

    // No signal from here: a café with no coverage.
    s.proxy.cut().await;
    click(&b, "a[href$='/ask/swemwbs']").await;
    heading(&b, "Hand the phone to JS-0077").await;
    assert_accessible(&b, "hand over: SWEMWBS").await;
    shots(&b, "hand-over").await;
    // How they will answer is the specialist's to say: nothing is assumed.
    click(&b, "#hand-over").await;
    b.wait_for_text(".error-summary", "Choose how they will answer")
        .await
        .unwrap();
    click(&b, "label[for='how-alone']").await;
    click(&b, "#hand-over").await;

    // The client's screens: the participant app's, with the staff menus out of sight.
    heading(&b, "Mental Wellbeing Scale").await;
    let menus = b
        .eval("return document.querySelectorAll('.staff-nav, .staff-sync').length")
        .await
        .unwrap();
    assert_eq!(
        menus,
        json!(0),
        "the caseload menus are hidden from the client"
    );
    assert_accessible(&b, "handed over: intro").await;
    click(&b, "main button.button").await;
    heading(&b, "feeling optimistic about the future").await;
    assert_accessible(&b, "handed over: question").await;
    shots(&b, "handed-over-question").await;
    // 4,4,3,3,4,3,4 = raw 25, metric 22.35 by the shared table.
    for value in [4u8, 4, 3, 3, 4, 3, 4] {
        answer(&b, value).await;
    }
    heading(&b, "Check your answers").await;
    // The answers so far are kept on the phone encrypted with Sam's key, never in clear.
    let handed_over = format!(
        "const text = await self.soundingsOutbox.getDraft('assisted:{sam_id}'); \
         return text ? Object.keys(JSON.parse(text)).length : 0"
    );
    assert_eq!(b.eval_async(&handed_over).await.unwrap(), json!(1));
    let in_clear = b
        .eval(
            "return Object.entries(localStorage)\
             .some(([k, v]) => k.startsWith('soundings.assisted.') || v.includes('JS-0077'))",
        )
        .await
        .unwrap();
    assert_eq!(in_clear, json!(false));
    click(&b, "main button.button").await;
    heading(&b, "Thank you").await;
    let expected = domain::swemwbs::metric_for_raw(25).unwrap().to_string();
    b.wait_for_text(".score", &expected).await.unwrap();
    b.wait_for_text(".delivery", "saved on this phone")
        .await
        .unwrap();
    b.wait_for_text("main", "give the phone back to Test Person")
        .await
        .unwrap();
    assert_accessible(&b, "handed over: thank you").await;
    click(&b, "#hand-back").await;
    heading(&b, "JS-0077").await;
    b.wait_for_text(".score-line", &expected).await.unwrap();
    assert_eq!(
        b.eval(&format!("return {start_form}")).await.unwrap(),
        json!("done"),
        "the start form shows as done before it is sent"
    );

    // The satisfaction survey, with the specialist's help: Easy Read, from the person's needs.
    click(&b, "a[href$='/ask/satisfaction']").await;
    heading(&b, "Hand the phone to JS-0077").await;
    click(&b, "label[for='how-helped']").await;
    click(&b, "#hand-over").await;
    heading(&b, "Your views on our support").await;
    let easy = b
        .eval("return document.querySelector('#format-easy-read')?.checked ?? null")
        .await
        .unwrap();
    assert_eq!(
        easy,
        json!(true),
        "Easy Read is chosen from the person's needs"
    );
    click(&b, "main button.button:not(.button-secondary)").await;
    for value in [5u8, 4, 5, 4, 5] {
        answer(&b, value).await;
    }
    fill(&b, "#comment", "Sam helped me a lot").await;
    click(&b, "main button.button:not(.button-secondary)").await;
    heading(&b, "Check your answers").await;
    click(&b, "main button.button").await;
    heading(&b, "Thank you").await;
    click(&b, "#hand-back").await;
    heading(&b, "JS-0077").await;

    // A reload with no signal: both answers still wait on the phone.
    b.goto(&s.proxy.url("/staff/outbox")).await.unwrap();
    heading(&b, "Outbox").await;
    wait_until(
        &b,
        "two answers waiting after the reload",
        "document.querySelector('.staff-sync')?.dataset.waiting === '2'",
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(s.app.count_rows("response").await, 0);

    // Signal back: each answer once, however often the phone sends.
    s.proxy.restore();
    click(&b, "#sync-now").await;
    wait_until(
        &b,
        "the outbox to empty",
        "document.querySelector('.staff-sync')?.dataset.waiting === '0'",
        Duration::from_secs(20),
    )
    .await;
    assert_eq!(wait_rows(&s.app, "response", 2).await, 2);
    click(&b, "#sync-now").await;
    syncs_finished(&b).await;
    assert_eq!(s.app.count_rows("response").await, 2);

    let stored = response::Entity::find()
        .filter(response::Column::ParticipantId.eq(person))
        .order_by_asc(response::Column::AnsweredAt)
        .all(&s.app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    let (wellbeing, satisfaction) = (&stored[0], &stored[1]);
    assert_eq!(wellbeing.instrument_key, "swemwbs");
    assert_eq!(wellbeing.episode_id, Some(episode));
    assert_eq!(wellbeing.invitation_id, None);
    assert_eq!(wellbeing.timing.as_deref(), Some("start"));
    assert_eq!(
        serde_json::from_str::<Vec<Option<u8>>>(&wellbeing.answers).unwrap(),
        [4, 4, 3, 3, 4, 3, 4].map(Some).to_vec()
    );
    assert_eq!(
        (
            wellbeing.respondent.as_str(),
            wellbeing.support.as_str(),
            wellbeing.channel.as_str()
        ),
        ("self", "none", "staff_device")
    );
    // The server's score is the one the client was shown.
    assert_eq!(wellbeing.swemwbs_raw, Some(25));
    assert_eq!(
        domain::Hundredths(i64::from(wellbeing.swemwbs_metric.unwrap())).to_string(),
        expected
    );

    assert_eq!(satisfaction.instrument_key, "jobseeker_satisfaction");
    assert_eq!(satisfaction.episode_id, Some(episode));
    assert_eq!(
        serde_json::from_str::<Vec<Option<u8>>>(&satisfaction.answers).unwrap(),
        [5, 4, 5, 4, 5].map(Some).to_vec()
    );
    assert_eq!(
        (
            satisfaction.support.as_str(),
            satisfaction.channel.as_str(),
            satisfaction.format.as_str()
        ),
        ("staff_assisted", "staff_device", "easy_read")
    );
    assert_eq!(satisfaction.comment.as_deref(), Some("Sam helped me a lot"));

    // Nothing of the client's answers stays on the phone once sent.
    assert_eq!(b.eval_async(&handed_over).await.unwrap(), json!(0));
    b.close().await.unwrap();
}
