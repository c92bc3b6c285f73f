//! The participant PWA in headless Chromium, served by the real server through a proxy the test
//! can cut: opening an invitation link, answering every question by keyboard only, Easy Read,
//! read aloud, Welsh, voice comments, losing the signal half-way, and links that cannot open.

use std::path::PathBuf;
use std::time::Duration;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use soundings::entities::response;
use soundings_tests::axe::assert_accessible;
use soundings_tests::browser::Browser;
use soundings_tests::proxy::Proxy;
use soundings_tests::{TestApp, body, id_of, static_dir, wait};
use uuid::Uuid;

const ENTER: &str = "\u{e007}";
const UP: &str = "\u{e013}";
const DOWN: &str = "\u{e015}";

pub(crate) struct Setup {
    pub app: TestApp,
    pub proxy: Proxy,
    sam: String,
}

pub(crate) async fn setup() -> Setup {
    assert!(
        static_dir().join("index.html").is_file(),
        "the PWA is not built: run scripts/build-frontend (scripts/test does)"
    );
    let app = TestApp::spawn().await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@v.example.org").await.access_token;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    let proxy = Proxy::start(&upstream).await.unwrap();
    Setup { app, proxy, sam }
}

/// A participant on Sam's caseload with an open episode, in `language`, with `needs`.
pub(crate) async fn participant(
    s: &Setup,
    kind: &str,
    language: &str,
    needs: Value,
) -> (Uuid, Uuid) {
    let mut p = body::participant(kind, &format!("{kind}-{}", Uuid::new_v4().simple()));
    p["language"] = json!(language);
    p["accessibility"] = needs;
    let id = id_of(&s.app.create("/api/participants", &s.sam, &p).await);
    // An employer is on the caseload through a jobseeker placed with them.
    let (jobseeker, employer) = if kind == "employer" {
        let j = body::participant("jobseeker", &format!("placed-{}", Uuid::new_v4().simple()));
        (
            id_of(&s.app.create("/api/participants", &s.sam, &j).await),
            Some(id),
        )
    } else {
        (id, None)
    };
    let mut episode = body::episode(jobseeker, "2026-01-05", None);
    if let Some(employer) = employer {
        episode["employer_id"] = json!(employer);
    }
    let e = id_of(&s.app.create("/api/episodes", &s.sam, &episode).await);
    (id, e)
}

/// An invitation for `participant`; returns (invitation id, link token, short code).
pub(crate) async fn invite(
    s: &Setup,
    participant: Uuid,
    episode: Uuid,
    instrument: &str,
) -> (Uuid, String, String) {
    let mut b =
        json!({"id": Uuid::new_v4(), "participant_id": participant, "instrument": instrument});
    if instrument == "swemwbs" {
        b["episode_id"] = json!(episode);
        b["timing"] = json!("start");
    }
    let inv = s.app.create("/api/invitations", &s.sam, &b).await;
    (
        id_of(&inv),
        inv["token"].as_str().unwrap().to_owned(),
        inv["short_code"].as_str().unwrap().to_owned(),
    )
}

async fn responses_to(app: &TestApp, invitation: Uuid) -> Vec<response::Model> {
    response::Entity::find()
        .filter(response::Column::InvitationId.eq(invitation))
        .all(&app.db)
        .await
        .unwrap()
}

/// Waits until the server has `n` responses to the invitation (the outbox sends on its own).
async fn wait_for_responses(app: &TestApp, invitation: Uuid, n: usize) -> Vec<response::Model> {
    wait::until(
        &format!("{n} response(s) to the invitation on the server"),
        Duration::from_secs(20),
        || async {
            let found = responses_to(app, invitation).await;
            (found.len() >= n).then_some(found)
        },
    )
    .await
}

fn screenshots() -> Option<PathBuf> {
    std::env::var_os("SOUNDINGS_SCREENSHOTS").map(PathBuf::from)
}

async fn shot(b: &Browser, name: &str) {
    if let Some(dir) = screenshots() {
        std::fs::create_dir_all(&dir).unwrap();
        // The whole page from its top, as a person first sees it.
        b.eval("window.scrollTo(0, 0); return true").await.unwrap();
        b.screenshot(&dir.join(format!("{name}.png")))
            .await
            .unwrap();
    }
}

/// Answers the question on screen with `value` by keyboard, as a person does with a radio
/// group (one Tab stop): Tab into the group, arrows to the answer (Space if it is the one
/// focused), Tab to Continue, Enter.
async fn answer_by_keyboard(b: &Browser, value: u8) {
    // A new page moves the focus to its heading; wait for it, so keys go to this page.
    wait::until(
        "the question's heading to take the focus",
        Duration::from_secs(10),
        || async {
            b.focused_is("h1, .error-summary, .read-aloud")
                .await
                .unwrap()
        },
    )
    .await;
    b.tab_to("input[name=answer]").await.unwrap();
    let focused = b
        .eval("return Number(document.activeElement.value)")
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    let target = u64::from(value);
    if focused == target {
        b.press(" ").await.unwrap();
    } else {
        let key = if target > focused { DOWN } else { UP };
        for _ in 0..target.abs_diff(focused) {
            b.press(key).await.unwrap();
        }
    }
    assert!(
        b.focused_is(&format!("#answer-{value}:checked"))
            .await
            .unwrap(),
        "answer {value} was not chosen by keyboard"
    );
    b.activate("button.button").await.unwrap();
}

async fn heading(b: &Browser, text: &str) {
    b.wait_for_text("h1", text).await.unwrap();
}

#[tokio::test]
async fn a_jobseeker_answers_every_question_by_keyboard_and_the_answer_is_stored_as_given() {
    let s = setup().await;
    // Where to get help afterwards: the organisation's own words and number (DESIGN §7).
    let admin = s.app.login("admin@v.example.org").await.access_token;
    let res = s
        .app
        .send(
            reqwest::Method::PUT,
            "/api/settings/help",
            Some(&admin),
            Some(
                &json!({"text": {"en": "Worried? Talk to Ana, our wellbeing lead."},
                         "phone": "0800 123 4567"}),
            ),
        )
        .await;
    assert_eq!(res.status(), 200);
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();

    // The intro: what this is, who reads the answers, and the choice of format.
    heading(&b, "Your views on our support").await;
    b.wait_for_text(".readers", "Who will read your answers")
        .await
        .unwrap();
    let url = b.client.current_url().await.unwrap();
    assert!(
        !url.as_str().contains(&token),
        "the token stays in the address bar: {url}"
    );
    assert_accessible(&b, "intro").await;
    shot(&b, "participant-intro").await;
    b.activate("button.button").await.unwrap();

    let answers = [4u8, 5, 3, 4, 2];
    for (i, value) in answers.iter().enumerate() {
        b.wait_for_text(".caption", &format!("Question {} of 5", i + 1))
            .await
            .unwrap();
        // Nothing is chosen for the person.
        let checked = b
            .eval("return document.querySelectorAll('input[name=answer]:checked').length")
            .await
            .unwrap();
        assert_eq!(checked, json!(0), "question {} came pre-selected", i + 1);
        if i == 0 {
            // Continue without a choice: a clear error, and the page stays.
            b.activate("button.button").await.unwrap();
            b.wait_for_text(".error-summary", "Choose an answer")
                .await
                .unwrap();
            assert_accessible(&b, "question with error").await;
            shot(&b, "participant-question-error").await;
        }
        if i == 1 {
            assert_accessible(&b, "question").await;
            shot(&b, "participant-question").await;
        }
        answer_by_keyboard(&b, *value).await;
    }

    // The comment, typed.
    b.wait_for_text("label[for=comment]", "anything else")
        .await
        .unwrap();
    b.tab_to("#comment").await.unwrap();
    b.press("The job coach was brilliant").await.unwrap();
    assert_accessible(&b, "comment").await;
    shot(&b, "participant-comment").await;
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();

    // Check your answers, change one, send.
    heading(&b, "Check your answers").await;
    b.wait_for_text(".summary-list", "Satisfied (4)")
        .await
        .unwrap();
    assert_accessible(&b, "check").await;
    shot(&b, "participant-check").await;
    b.activate(".summary-row:nth-child(5) .link-button")
        .await
        .unwrap();
    b.wait_for_text(".caption", "Question 5 of 5")
        .await
        .unwrap();
    answer_by_keyboard(&b, 1).await;
    b.wait_for_text("label[for=comment]", "anything else")
        .await
        .unwrap();
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Check your answers").await;
    b.wait_for_text(".summary-list", "Very dissatisfied (1)")
        .await
        .unwrap();
    b.activate("button.button").await.unwrap();

    heading(&b, "Thank you").await;
    b.wait_for_text(".delivery", "have been sent")
        .await
        .unwrap();
    b.wait_for_text(".help-text", "Talk to Ana, our wellbeing lead")
        .await
        .unwrap();
    let call = b
        .eval("return document.querySelector('.help-phone a')?.getAttribute('href')")
        .await
        .unwrap();
    assert_eq!(
        call,
        json!("tel:08001234567"),
        "the number can be called with a tap"
    );
    assert_accessible(&b, "thank you").await;
    shot(&b, "participant-thank-you").await;

    let stored = wait_for_responses(&s.app, inv, 1).await;
    assert_eq!(stored.len(), 1);
    let r = &stored[0];
    assert_eq!(
        serde_json::from_str::<Value>(&r.answers).unwrap(),
        json!([4, 5, 3, 4, 1])
    );
    assert_eq!(r.overall, Some(4));
    assert_eq!(
        (
            r.respondent.as_str(),
            r.support.as_str(),
            r.channel.as_str(),
            r.format.as_str(),
            r.language.as_str()
        ),
        ("self", "none", "own_device", "standard", "en")
    );
    assert_eq!(r.comment.as_deref(), Some("The job coach was brilliant"));
    assert!(!r.may_quote, "nobody is quoted without ticking the box");
    let errors = b.console_errors().await.unwrap();
    assert!(errors.is_empty(), "console errors: {errors:?}");
    b.close().await.unwrap();
}

#[tokio::test]
async fn an_employer_answers_in_easy_read_in_welsh_with_read_aloud_from_recorded_clips() {
    let s = setup().await;
    // The employer's recorded needs: Welsh, Easy Read, larger text.
    let (p, e) = participant(
        &s,
        "employer",
        "cy",
        json!({"easy_read": true, "large_text": true}),
    )
    .await;
    let (inv, token, _) = invite(&s, p, e, "employer_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();

    heading(&b, "Arolwg boddhad cyflogwyr").await;
    assert_eq!(
        b.eval("return document.documentElement.lang")
            .await
            .unwrap(),
        json!("cy")
    );
    assert_eq!(
        b.eval("return document.documentElement.classList.contains('large-text')")
            .await
            .unwrap(),
        json!(true),
        "the person's larger-text need is applied"
    );
    // Easy Read is chosen for them (they can change it).
    assert_eq!(
        b.eval("return document.getElementById('format-easy-read').checked")
            .await
            .unwrap(),
        json!(true)
    );
    assert_accessible(&b, "intro (cy)").await;
    b.activate("button.button").await.unwrap();

    b.wait_for_text(".caption", "Cwestiwn 1 o 5").await.unwrap();
    heading(&b, "Ydych chi'n hapus gyda'n gwasanaeth?").await;
    // Five faces, each with its word and number; a picture beside the sentence.
    let faces = b.eval("return [...document.querySelectorAll('.faces label')].map(l => l.textContent.trim().replace(/\\s+/g, ' '))").await.unwrap();
    assert_eq!(
        faces,
        json!([
            "Anhapus iawn1",
            "Anhapus2",
            "Iawn3",
            "Hapus4",
            "Hapus iawn5"
        ])
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('.faces img.face').length")
            .await
            .unwrap(),
        json!(5)
    );
    assert_eq!(
        b.eval("return document.querySelectorAll('img.easy-read-picture').length")
            .await
            .unwrap(),
        json!(1)
    );
    assert_accessible(&b, "easy read question (cy)").await;
    shot(&b, "participant-easy-read-cy").await;

    // Read aloud: headless Chromium has no voices, so the recorded Welsh clips play.
    b.activate("button.read-aloud").await.unwrap();
    wait::until(
        "the question and its five options to be played from clips",
        Duration::from_secs(10),
        || async {
            let clips = b
                .eval("return performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/clips/cy/')).length")
                .await
                .unwrap();
            clips.as_u64().unwrap_or(0) >= 6
        },
    )
    .await;

    for value in [5u8, 4, 4, 5, 3] {
        answer_by_keyboard(&b, value).await;
    }
    // Easy Read comment prompt, in Welsh; no comment this time.
    b.wait_for_text("label[for=comment]", "Dywedwch unrhyw beth arall wrthym")
        .await
        .unwrap();
    assert_accessible(&b, "easy read comment (cy)").await;
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Gwiriwch eich atebion").await;
    assert_accessible(&b, "easy read check (cy)").await;
    b.activate("button.button").await.unwrap();
    heading(&b, "Diolch").await;
    b.wait_for_text(".delivery", "wedi cael eu hanfon")
        .await
        .unwrap();
    assert_accessible(&b, "easy read thank you (cy)").await;

    let stored = wait_for_responses(&s.app, inv, 1).await;
    let r = &stored[0];
    assert_eq!(
        serde_json::from_str::<Value>(&r.answers).unwrap(),
        json!([5, 4, 4, 5, 3])
    );
    assert_eq!(
        (
            r.support.as_str(),
            r.format.as_str(),
            r.language.as_str(),
            r.channel.as_str()
        ),
        ("read_aloud", "easy_read", "cy", "own_device")
    );
    assert_eq!(r.comment, None);
    b.close().await.unwrap();
}

#[tokio::test]
async fn swemwbs_keeps_its_exact_english_words_in_a_welsh_interface_and_shows_the_servers_score() {
    let s = setup().await;
    let admin = s.app.login("admin@v.example.org").await.access_token;
    s.app.record_licence(&admin).await;
    let (p, e) = participant(&s, "jobseeker", "cy", json!({"easy_read": true})).await;
    let (inv, _, code) = invite(&s, p, e, "swemwbs").await;
    let b = Browser::start().await.unwrap();
    // By short code this time, typed on the start page, with spaces and in lower case.
    b.goto(&s.proxy.url("/")).await.unwrap();
    heading(&b, "Answer a survey").await;
    b.tab_to("#code").await.unwrap();
    let typed = format!("{} {}", &code[..4], &code[4..]).to_lowercase();
    b.press(&typed).await.unwrap();
    b.press(ENTER).await.unwrap();

    heading(&b, "Warwick-Edinburgh").await;
    // No Easy Read for SWEMWBS, and its words stay in English (no official Welsh loaded).
    assert_eq!(
        b.eval("return document.getElementById('format-easy-read')")
            .await
            .unwrap(),
        Value::Null
    );
    b.wait_for_text(".copyright", "© NHS Health Scotland")
        .await
        .unwrap();
    assert_accessible(&b, "swemwbs intro (cy interface)").await;
    b.activate("button.button").await.unwrap();
    let raw = [3u8, 4, 2, 3, 4, 3, 3];
    for (i, value) in raw.iter().enumerate() {
        b.wait_for_text(".caption", &format!("Cwestiwn {} o 7", i + 1))
            .await
            .unwrap();
        b.wait_for_text("h1", domain::swemwbs::ITEMS[i])
            .await
            .unwrap();
        assert_eq!(
            b.eval("return [...document.querySelectorAll('.radios label')].map(l => l.textContent.trim())").await.unwrap(),
            json!(domain::swemwbs::RESPONSES),
        );
        b.wait_for_text(".copyright", "University of Warwick")
            .await
            .unwrap();
        if i == 0 {
            assert_accessible(&b, "swemwbs question (cy interface)").await;
        }
        answer_by_keyboard(&b, *value).await;
    }
    heading(&b, "Gwiriwch eich atebion").await;
    b.activate("button.button").await.unwrap();
    heading(&b, "Diolch").await;

    let stored = wait_for_responses(&s.app, inv, 1).await;
    let r = &stored[0];
    assert_eq!(r.swemwbs_raw, Some(22));
    assert_eq!(r.language, "en", "SWEMWBS was shown in English");
    let metric = domain::swemwbs::metric_for_raw(22).unwrap();
    assert_eq!(r.swemwbs_metric.map(i64::from), Some(metric.0));
    b.wait_for_text(".score", &metric.to_string())
        .await
        .unwrap();
    b.close().await.unwrap();
}

#[tokio::test]
async fn answers_given_with_no_signal_wait_on_the_phone_and_reach_the_server_once() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    heading(&b, "Your views on our support").await;
    assert!(b.service_worker_registered().await.unwrap());

    // The signal goes half-way through.
    b.activate("button.button").await.unwrap();
    answer_by_keyboard(&b, 4).await;
    s.proxy.cut().await;
    for value in [4u8, 4, 4, 4] {
        answer_by_keyboard(&b, value).await;
    }
    b.tab_to("#comment").await.unwrap();
    b.press("Sent from a field").await.unwrap();
    // The person agrees, by keyboard, that these words may be quoted in a report.
    b.wait_for_text("label[for=may-quote]", "can be quoted in reports")
        .await
        .unwrap();
    b.tab_to("#may-quote").await.unwrap();
    b.press(" ").await.unwrap();
    assert!(b.focused_is("#may-quote:checked").await.unwrap());
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Check your answers").await;
    b.wait_for_text(
        ".summary-list .quoted",
        "You agreed that this comment can be quoted",
    )
    .await
    .unwrap();
    b.activate("button.button").await.unwrap();
    heading(&b, "Thank you").await;
    b.wait_for_text(".delivery", "saved on this phone")
        .await
        .unwrap();
    b.wait_for_text(".outbox-status", "Waiting to be sent: 1")
        .await
        .unwrap();
    shot(&b, "participant-waiting").await;
    assert_accessible(&b, "thank you, waiting to send").await;
    assert!(responses_to(&s.app, inv).await.is_empty());

    // Reloading with no signal: the app opens from the phone, the answers still wait.
    b.client.refresh().await.unwrap();
    b.wait_for_text(".outbox-status", "Waiting to be sent: 1")
        .await
        .unwrap();

    // Signal back: the browser says so, and the outbox sends.
    s.proxy.restore();
    b.eval("window.dispatchEvent(new Event('online')); return true")
        .await
        .unwrap();
    let stored = wait_for_responses(&s.app, inv, 1).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(
        serde_json::from_str::<Value>(&stored[0].answers).unwrap(),
        json!([4, 4, 4, 4, 4])
    );
    assert_eq!(stored[0].comment.as_deref(), Some("Sent from a field"));
    assert!(
        stored[0].may_quote,
        "the agreement travelled with the answers"
    );

    // Another sync, and another reload, change nothing: exactly once.
    b.client.refresh().await.unwrap();
    b.wait_for_text("h1", "").await.unwrap();
    b.eval("window.dispatchEvent(new Event('online')); return true")
        .await
        .unwrap();
    // Not a pause for time: wait until the phone has finished every sync started so far (the
    // one on reload and the one for the event) and holds nothing more to send, so no later
    // sync can add anything; only then count what the server has.
    wait::until(
        "the reloaded page's syncs to finish with nothing left to send",
        Duration::from_secs(20),
        || async { b.outbox_after_flushes(None).await.unwrap().waiting == 0 },
    )
    .await;
    assert_eq!(responses_to(&s.app, inv).await.len(), 1);
    assert_eq!(s.app.count_rows("response").await, 1);
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_half_answered_survey_is_kept_on_the_phone_and_continues_where_it_stopped() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (_, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    heading(&b, "Your views on our support").await;
    b.activate("button.button").await.unwrap();
    answer_by_keyboard(&b, 2).await;
    answer_by_keyboard(&b, 3).await;
    b.wait_for_text(".caption", "Question 3 of 5")
        .await
        .unwrap();

    // The person closes the page and opens the link again later.
    b.goto("about:blank").await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text(".caption", "Question 3 of 5")
        .await
        .unwrap();
    // Back keeps the earlier answers.
    b.activate("button.back-link").await.unwrap();
    b.wait_for_text(".caption", "Question 2 of 5")
        .await
        .unwrap();
    assert_eq!(
        b.eval("return document.getElementById('answer-3').checked")
            .await
            .unwrap(),
        json!(true)
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn a_voice_comment_is_recorded_played_back_and_sent_with_the_answers() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    heading(&b, "Your views on our support").await;
    b.activate("button.button").await.unwrap();
    for value in [3u8, 3, 3, 3, 3] {
        answer_by_keyboard(&b, value).await;
    }
    b.wait_for_text("label[for=comment]", "anything else")
        .await
        .unwrap();
    // Counts the chunks of audio the recorder hands the page (the app asks for one a second),
    // so the test stops recording once it holds at least the second and a half of audio it
    // checks for below (two chunks), not after a guess at how long that takes.
    b.eval(
        "window.recordedChunks = 0; const start = MediaRecorder.prototype.start; \
         MediaRecorder.prototype.start = function (...args) { \
           this.addEventListener('dataavailable', (e) => { if (e.data && e.data.size) window.recordedChunks += 1; }); \
           return start.apply(this, args); }; return true",
    )
    .await
    .unwrap();
    b.activate(".voice button").await.unwrap();
    b.wait_for_text(".voice .recording", "Recording")
        .await
        .unwrap();
    wait::until(
        "two seconds' chunks of recorded audio",
        Duration::from_secs(15),
        || async {
            b.eval("return window.recordedChunks")
                .await
                .unwrap()
                .as_u64()
                >= Some(2)
        },
    )
    .await;
    b.activate(".voice button").await.unwrap();
    b.wait_for_text(".voice", "Voice comment recorded")
        .await
        .unwrap();
    assert_eq!(
        b.eval("return !!document.querySelector('.voice audio[src^=\"blob:\"]')")
            .await
            .unwrap(),
        json!(true)
    );
    assert_accessible(&b, "voice comment").await;
    shot(&b, "participant-voice").await;
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Check your answers").await;
    b.wait_for_text(".summary-list", "Recorded").await.unwrap();
    b.activate("button.button").await.unwrap();
    heading(&b, "Thank you").await;
    b.wait_for_text(".delivery", "have been sent")
        .await
        .unwrap();
    let stored = wait_for_responses(&s.app, inv, 1).await;
    let id = stored[0].id;
    // The audio reaches the server after the response (the outbox keeps their order).
    wait::until(
        "the voice comment to arrive",
        Duration::from_secs(15),
        || async { s.app.count_rows("voice_comment").await >= 1 },
    )
    .await;
    let admin = s.app.login("admin@v.example.org").await.access_token;
    let audio = s
        .app
        .get(&format!("/api/responses/{id}/voice"), Some(&admin))
        .await;
    assert_eq!(audio.status(), 200);
    assert!(
        audio.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("audio/")
    );
    assert!(
        audio.bytes().await.unwrap().len() > 1000,
        "a second and a half of audio"
    );
    b.close().await.unwrap();
}

/// The pages after the questions come in chunks of their own (frontend/src/later.rs). With no
/// chunk answering at all (so neither the app's early fetch nor the service worker gets one),
/// a survey's first question still opens and is answered, which is why the size check does not
/// count them; the comment page then says it did not load, the answers stay, and Try again
/// shows it once the signal is back.
#[tokio::test]
async fn a_page_the_phone_could_not_fetch_says_so_and_comes_with_try_again() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    s.proxy.refuse_answers_to("GET /pkg/split_");
    s.proxy.refuse_answers_to("GET /pkg/chunk_");
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    heading(&b, "Your views on our support").await;
    b.activate("button.button").await.unwrap();
    for value in [5u8, 4, 3, 4, 5] {
        answer_by_keyboard(&b, value).await;
    }
    b.wait_for_text("[data-problem=not-loaded] h1", "This page did not load")
        .await
        .unwrap();
    assert!(b.focused_is("[data-problem=not-loaded] h1").await.unwrap());
    assert_accessible(&b, "a page that did not load").await;
    shot(&b, "participant-page-not-loaded").await;

    s.proxy.answer_all();
    b.activate("[data-problem=not-loaded] button")
        .await
        .unwrap();
    b.wait_for_text("label[for=may-quote]", "can be quoted in reports")
        .await
        .unwrap();
    b.tab_to("#comment").await.unwrap();
    b.press("Fetched on the second try").await.unwrap();
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Check your answers").await;
    b.activate("button.button").await.unwrap();
    heading(&b, "Thank you").await;
    let stored = wait_for_responses(&s.app, inv, 1).await;
    assert_eq!(
        serde_json::from_str::<Value>(&stored[0].answers).unwrap(),
        json!([5, 4, 3, 4, 5]),
        "the answers given before the page failed were kept"
    );
    assert_eq!(
        stored[0].comment.as_deref(),
        Some("Fetched on the second try")
    );
    b.close().await.unwrap();
}

/// On a phone whose service worker never installed (here its script never answers), the
/// survey fetches its last pages once a question shows, so a signal lost half-way loses
/// nothing: the comment, check and thank-you pages open with no signal and the answers wait on
/// the phone until it returns.
#[tokio::test]
async fn with_no_service_worker_a_signal_lost_half_way_still_reaches_the_last_page() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    s.proxy.refuse_answers_to("GET /sw.js");
    let b = Browser::start().await.unwrap();
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    heading(&b, "Your views on our support").await;
    b.activate("button.button").await.unwrap();
    // Whole, as the browser's timing entries say (an entry is written when the last byte
    // arrives): a chunk cut off half-way would be no use.
    let fetched = r#"
        return ["/pkg/split_survey_end.", "/pkg/chunk_"].every((path) =>
            performance.getEntriesByType("resource").some(
                (e) => new URL(e.name).pathname.startsWith(path) && e.responseEnd > 0,
            ),
        );
    "#;
    wait::until(
        "the survey's last pages to be fetched once a question shows",
        Duration::from_secs(20),
        || async { b.eval(fetched).await.unwrap() == json!(true) },
    )
    .await;
    s.proxy.cut().await;
    for value in [2u8, 3, 4, 5, 1] {
        answer_by_keyboard(&b, value).await;
    }
    b.wait_for_text("label[for=may-quote]", "can be quoted in reports")
        .await
        .unwrap();
    b.activate("button.button:not(.button-secondary)")
        .await
        .unwrap();
    heading(&b, "Check your answers").await;
    b.activate("button.button").await.unwrap();
    heading(&b, "Thank you").await;
    b.wait_for_text(".delivery", "saved on this phone")
        .await
        .unwrap();
    let worker = b
        .eval("return navigator.serviceWorker.getRegistration().then((r) => !!(r && r.active))")
        .await
        .unwrap();
    assert_eq!(worker, json!(false), "no service worker kept the pages");

    s.proxy.restore();
    b.eval("window.dispatchEvent(new Event('online')); return true")
        .await
        .unwrap();
    let stored = wait_for_responses(&s.app, inv, 1).await;
    assert_eq!(
        serde_json::from_str::<Value>(&stored[0].answers).unwrap(),
        json!([2, 3, 4, 5, 1])
    );
    b.close().await.unwrap();
}

#[tokio::test]
async fn links_that_cannot_open_show_a_clear_friendly_page() {
    let s = setup().await;
    let (p, e) = participant(&s, "jobseeker", "en", json!({})).await;
    let b = Browser::start().await.unwrap();

    // Made up.
    b.goto(&s.proxy.url("/#t=not-a-real-token")).await.unwrap();
    b.wait_for_text(
        "[data-problem=not-found] h1",
        "We could not find that survey",
    )
    .await
    .unwrap();
    assert_accessible(&b, "not found").await;
    shot(&b, "participant-not-found").await;

    // Expired.
    let (inv, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    s.app.backdate_invitation(inv, 40, 2).await;
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text("[data-problem=closed] h1", "This survey has closed")
        .await
        .unwrap();
    assert_accessible(&b, "closed").await;

    // Used: answered from another phone.
    let (_, token, _) = invite(&s, p, e, "jobseeker_satisfaction").await;
    let opened: Value = s
        .app
        .post("/api/invitations/open", None, &json!({"token": token}))
        .await
        .json()
        .await
        .unwrap();
    let participant_token = opened["access_token"].as_str().unwrap();
    let res = s
        .app
        .post(
            "/api/survey/responses",
            Some(participant_token),
            &json!({"id": Uuid::new_v4(), "answers": [4, 4, 4, 4, 4],
                    "completion": body::completion("self", "none", "own_device"),
                    "answered_at": chrono::Utc::now().to_rfc3339()}),
        )
        .await;
    assert_eq!(res.status(), 201);
    b.goto(&s.proxy.url(&format!("/#t={token}"))).await.unwrap();
    b.wait_for_text("[data-problem=already-answered] h1", "already answered")
        .await
        .unwrap();
    assert_accessible(&b, "already answered").await;

    // A code typed wrong on the start page: said beside the field (GOV.UK's error summary, with
    // the focus on it), the code kept as typed so one character can be put right.
    b.goto(&s.proxy.url("/")).await.unwrap();
    heading(&b, "Answer a survey").await;
    b.tab_to("#code").await.unwrap();
    b.press("ZZZZ ZZZZ").await.unwrap();
    b.press(ENTER).await.unwrap();
    b.wait_for_text(".error-summary", "No survey has that code")
        .await
        .unwrap();
    b.wait_for_text("#code-error", "No survey has that code")
        .await
        .unwrap();
    assert!(b.focused_is(".error-summary").await.unwrap());
    assert_eq!(
        b.eval(
            "const field = document.getElementById('code'); \
             return [field.value, field.getAttribute('aria-invalid'), field.getAttribute('aria-describedby'), \
                     document.getElementById('code-error').closest('.form-group') === field.closest('.form-group')]"
        )
        .await
        .unwrap(),
        json!(["ZZZZ ZZZZ", "true", "code-hint code-error", true])
    );
    assert_accessible(&b, "start page with an unknown code").await;
    shot(&b, "participant-unknown-code").await;
    // The summary's link goes to the field.
    b.activate(".error-summary a").await.unwrap();
    assert!(b.focused_is("#code").await.unwrap());
    // An expired code: said there too, in the person's words.
    let (inv, _, code) = invite(&s, p, e, "jobseeker_satisfaction").await;
    s.app.backdate_invitation(inv, 40, 2).await;
    b.eval("const f = document.getElementById('code'); f.value = ''; f.dispatchEvent(new Event('input')); return true")
        .await
        .unwrap();
    b.tab_to("#code").await.unwrap();
    b.press(&code).await.unwrap();
    b.press(ENTER).await.unwrap();
    b.wait_for_text("#code-error", "has closed").await.unwrap();
    // Typing again clears the error.
    b.tab_to("#code").await.unwrap();
    b.press("\u{e003}").await.unwrap();
    b.wait_for_text("h1", "Answer a survey").await.unwrap();
    assert!(
        b.eval("return !document.querySelector('.error-summary')")
            .await
            .unwrap()
            == json!(true)
    );
    // An empty code: an error naming the field, not a request.
    b.eval("const f = document.getElementById('code'); f.value = ''; f.dispatchEvent(new Event('input')); return true")
        .await
        .unwrap();
    b.activate("button[type=submit]").await.unwrap();
    b.wait_for_text(".error-summary", "Type the survey code")
        .await
        .unwrap();
    assert_accessible(&b, "start page with an error").await;
    assert_eq!(
        b.eval("return document.getElementById('code').getAttribute('aria-invalid')")
            .await
            .unwrap(),
        json!("true")
    );
    b.close().await.unwrap();
}
