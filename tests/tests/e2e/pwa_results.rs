//! Closing the loop in the browser (issue 7): an emailed invitation link opens its survey, a
//! results link shows the person's own wellbeing change in plain words (a decline with where to
//! find support), the service's figure (hidden below the small-number threshold) and "you
//! said, we did" in English, Welsh and Easy Read, and an unsubscribe link works without login.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings::config::Secret;
use soundings_tests::axe::assert_accessible;
use soundings_tests::browser::Browser;
use soundings_tests::proxy::Proxy;
use soundings_tests::smtp::SmtpServer;
use soundings_tests::{TestApp, body, id_of, static_dir};
use uuid::Uuid;

pub(crate) struct World {
    pub app: TestApp,
    pub proxy: Proxy,
    pub admin: String,
    pub manager: String,
    pub sam: String,
}

pub(crate) async fn world(smtp: Option<&SmtpServer>) -> World {
    assert!(
        static_dir().join("index.html").is_file(),
        "the PWA is not built: run scripts/build-frontend (scripts/test does)"
    );
    let smtp = smtp.map(SmtpServer::url);
    let app = TestApp::spawn_with(|c| {
        c.mail.smtp_url = smtp.map(Secret::new);
        c.mail.public_url = "https://soundings.example.org".into();
        c.mail.from = "Valley Works <surveys@valley.example.org>".into();
        c.mail.poll_ms = 25;
        c.mail.retry_ms = 50;
    })
    .await;
    let org = app.create_org("Valley Works", "admin@v.example.org").await;
    app.create_staff_direct(org, "manager@v.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@v.example.org", domain::Role::Specialist)
        .await;
    let upstream = app.address.trim_start_matches("http://").to_owned();
    World {
        proxy: Proxy::start(&upstream).await.unwrap(),
        admin: app.login("admin@v.example.org").await.access_token,
        manager: app.login("manager@v.example.org").await.access_token,
        sam: app.login("sam@v.example.org").await.access_token,
        app,
    }
}

/// A jobseeker on Sam's caseload who consented to email, with an open episode.
pub(crate) async fn jobseeker(w: &World, email: &str, language: &str) -> (Uuid, Uuid) {
    let p = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &json!({"id": Uuid::new_v4(), "kind": "jobseeker",
                        "reference": format!("JS-{}", &Uuid::new_v4().simple().to_string()[..8]),
                        "email": email, "language": language}),
            )
            .await,
    );
    w.app
        .create(
            "/api/consents",
            &w.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": p, "scopes": ["surveys", "email"],
                    "given_by": "person", "method": "written", "text_version": "v1",
                    "given_at": (Utc::now() - Duration::days(1)).to_rfc3339()}),
        )
        .await;
    let e = id_of(
        &w.app
            .create(
                "/api/episodes",
                &w.sam,
                &body::episode(p, "2026-01-05", None),
            )
            .await,
    );
    (p, e)
}

/// SWEMWBS at the start and the end of `episode`, entered by Sam.
async fn wellbeing(w: &World, p: Uuid, episode: Uuid, start_raw: u8, end_raw: u8) {
    let at = |days: i64| (Utc::now() - Duration::days(days)).to_rfc3339();
    for (timing, raw, days) in [("start", start_raw, 30), ("end", end_raw, 1)] {
        w.app
            .create(
                "/api/responses",
                &w.sam,
                &body::swemwbs(
                    p,
                    episode,
                    timing,
                    &body::items_for_raw(raw),
                    &at(days),
                    "self",
                ),
            )
            .await;
    }
}

/// The fragment of a link (`#r=…`) opened at the test's own address.
pub(crate) fn local(w: &World, link: &str) -> String {
    let fragment = &link[link.find('#').expect("a link with a fragment")..];
    w.proxy.url(&format!("/{fragment}"))
}

#[tokio::test]
async fn an_emailed_invitation_link_opens_its_survey_and_the_unsubscribe_link_works_without_login()
{
    let smtp = SmtpServer::start();
    let w = world(Some(&smtp)).await;
    let (ann, _) = jobseeker(&w, "ann@example.org", "cy").await;
    let inv = w
        .app
        .create(
            "/api/invitations",
            &w.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": ann,
                    "instrument": "jobseeker_satisfaction", "send_email": true}),
        )
        .await;
    let worker = w.app.start_mail_worker("w1");
    smtp.wait_for_messages(1, std::time::Duration::from_secs(20))
        .await;
    worker.abort();
    let mail = smtp.received().remove(0);
    let text = mail.decoded();
    let link = text
        .split_whitespace()
        .find(|w| w.contains("/#t="))
        .expect("the invitation link in the email")
        .to_owned();
    assert!(link.ends_with(inv["token"].as_str().unwrap()), "{link}");

    let b = Browser::start().await.unwrap();
    b.goto(&local(&w, &link)).await.unwrap();
    // Ann asked for Welsh: the survey she was invited to, in Welsh.
    b.wait_for_text("h1", "Eich barn am ein cymorth")
        .await
        .unwrap();

    let unsubscribe = text
        .split_whitespace()
        .find(|w| w.contains("/#u="))
        .expect("the unsubscribe link in the email")
        .trim_end_matches(['>', ')', '.'])
        .to_owned();
    b.goto(&local(&w, &unsubscribe)).await.unwrap();
    b.wait_for_text("h1", "Ni fyddwch yn cael e-byst gennym mwyach")
        .await
        .unwrap();
    assert_accessible(&b, "unsubscribed (cy)").await;
    b.close().await.unwrap();

    // No more email: a new invitation by email is refused for her.
    let res = w
        .app
        .post(
            "/api/invitations",
            Some(&w.sam),
            &json!({"id": Uuid::new_v4(), "participant_id": ann,
                    "instrument": "jobseeker_satisfaction", "send_email": true}),
        )
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn a_results_link_shows_own_wellbeing_service_results_and_actions_in_each_format() {
    let w = world(None).await;
    w.app.record_licence(&w.admin).await;
    // Ann improved (raw 14 -> 21: metric 15.32 -> 19.25, +3.93); Bob declined (25 -> 18).
    let (ann, ann_ep) = jobseeker(&w, "ann@example.org", "en").await;
    wellbeing(&w, ann, ann_ep, 14, 21).await;
    let (bob, bob_ep) = jobseeker(&w, "bob@example.org", "cy").await;
    wellbeing(&w, bob, bob_ep, 25, 18).await;
    // A published action for jobseekers.
    let draft = w
        .app
        .create(
            "/api/actions",
            &w.manager,
            &json!({
                "audience": "jobseekers",
                "you_said": {"en": "It took too long to hear back.", "cy": "Roedd hi'n rhy hir cyn clywed yn ôl."},
                "we_did": {"en": "We now call back within two working days.", "cy": "Rydym nawr yn ffonio'n ôl o fewn dau ddiwrnod gwaith."},
                "easy_read": {"you_said": {"en": "You waited too long."}, "we_did": {"en": "We call you back in 2 days."}},
                "done_on": "2026-10-15"
            }),
        )
        .await;
    let res = w
        .app
        .post(
            &format!("/api/actions/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.manager),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let link_for = |p: Uuid| {
        let app = &w.app;
        let sam = w.sam.clone();
        async move {
            let v: Value = app
                .create(
                    &format!("/api/participants/{p}/results-link"),
                    &sam,
                    &json!({}),
                )
                .await;
            v["link"].as_str().unwrap().to_owned()
        }
    };

    // Ann, standard English.
    let b = Browser::start().await.unwrap();
    b.goto(&local(&w, &link_for(ann).await)).await.unwrap();
    b.wait_for_text("h1", "Your results").await.unwrap();
    b.wait_for_text(
        ".wellbeing",
        "When you started, your wellbeing score was 15.32. At the end, it was 19.25.",
    )
    .await
    .unwrap();
    b.wait_for_text(
        ".wellbeing-meaning",
        "went up by 3.93 points. That is a real improvement.",
    )
    .await
    .unwrap();
    // Only her own result is on the page.
    assert_eq!(
        b.eval("return document.querySelectorAll('.wellbeing').length")
            .await
            .unwrap(),
        json!(1)
    );
    b.wait_for_text(".actions", "We now call back within two working days.")
        .await
        .unwrap();
    // Too few answers last quarter: said so, with no figure.
    b.wait_for_text(".service-result", "Not enough people answered")
        .await
        .unwrap();
    assert_accessible(&b, "results (en, standard)").await;
    if let Some(dir) = std::env::var_os("SOUNDINGS_SCREENSHOTS") {
        b.eval("window.scrollTo(0, 0); return true").await.unwrap();
        b.screenshot(&std::path::Path::new(&dir).join("participant-results.png"))
            .await
            .unwrap();
    }
    // Easy Read.
    // A radio group is one Tab stop: Tab to it, then the arrow key chooses.
    b.tab_to("#format-standard").await.unwrap();
    b.press("\u{e015}").await.unwrap();
    b.wait_for_text(
        ".wellbeing-meaning",
        "Your score went up. That is good news.",
    )
    .await
    .unwrap();
    b.wait_for_text(".actions", "We call you back in 2 days.")
        .await
        .unwrap();
    assert_accessible(&b, "results (en, Easy Read)").await;
    b.close().await.unwrap();

    // Bob, Welsh: a decline shown with where to find support.
    let b = Browser::start().await.unwrap();
    b.goto(&local(&w, &link_for(bob).await)).await.unwrap();
    b.wait_for_text("h1", "Eich canlyniadau").await.unwrap();
    b.wait_for_text(".wellbeing-meaning", "Aeth eich sgôr lles i lawr")
        .await
        .unwrap();
    b.wait_for_text("[data-band=declined] .support-box", "116 123")
        .await
        .unwrap();
    b.wait_for_text(
        ".actions",
        "Rydym nawr yn ffonio'n ôl o fewn dau ddiwrnod gwaith.",
    )
    .await
    .unwrap();
    assert_accessible(&b, "results (cy, decline)").await;
    if let Some(dir) = std::env::var_os("SOUNDINGS_SCREENSHOTS") {
        b.eval("window.scrollTo(0, 0); return true").await.unwrap();
        b.screenshot(&std::path::Path::new(&dir).join("participant-results-decline-cy.png"))
            .await
            .unwrap();
    }

    // A made-up results link: the friendly page, not a blank one.
    b.goto(&w.proxy.url("/#r=made-up")).await.unwrap();
    b.wait_for_text(
        "[data-problem=not-found] h1",
        "Nid oeddem yn gallu dod o hyd",
    )
    .await
    .unwrap();
    b.close().await.unwrap();
}

#[tokio::test]
async fn after_the_end_swemwbs_the_person_sees_their_own_change_at_once() {
    let w = world(None).await;
    w.app.record_licence(&w.admin).await;
    let (ann, episode) = jobseeker(&w, "ann@example.org", "en").await;
    // The start form, a month ago (raw 14: metric 15.32).
    w.app
        .create(
            "/api/responses",
            &w.sam,
            &body::swemwbs(
                ann,
                episode,
                "start",
                &body::items_for_raw(14),
                &(Utc::now() - Duration::days(30)).to_rfc3339(),
                "self",
            ),
        )
        .await;
    let inv = w
        .app
        .create(
            "/api/invitations",
            &w.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": ann, "instrument": "swemwbs",
                    "episode_id": episode, "timing": "end"}),
        )
        .await;
    let b = Browser::start().await.unwrap();
    b.goto(
        &w.proxy
            .url(&format!("/#t={}", inv["token"].as_str().unwrap())),
    )
    .await
    .unwrap();
    b.wait_for_text("h1", "Warwick-Edinburgh").await.unwrap();
    b.activate("button.button").await.unwrap();
    // Every item "Often" (4): raw 28, metric 25.03.
    for i in 0..7 {
        b.wait_for_text(".caption", &format!("Question {} of 7", i + 1))
            .await
            .unwrap();
        b.tab_to("input[name=answer]").await.unwrap();
        for _ in 0..3 {
            b.press("\u{e015}").await.unwrap();
        }
        assert!(b.focused_is("#answer-4:checked").await.unwrap());
        b.activate("button.button").await.unwrap();
    }
    b.wait_for_text("h1", "Check your answers").await.unwrap();
    b.activate("button.button").await.unwrap();
    b.wait_for_text("h1", "Thank you").await.unwrap();
    b.wait_for_text(".delivery", "have been sent")
        .await
        .unwrap();
    b.activate(".button-secondary").await.unwrap();
    b.wait_for_text("h1", "Your results").await.unwrap();
    let metric = domain::swemwbs::metric_for_raw(28).unwrap();
    b.wait_for_text(
        ".wellbeing",
        &format!("When you started, your wellbeing score was 15.32. At the end, it was {metric}."),
    )
    .await
    .unwrap();
    b.wait_for_text(".wellbeing-meaning", "That is a real improvement.")
        .await
        .unwrap();
    b.close().await.unwrap();
}
