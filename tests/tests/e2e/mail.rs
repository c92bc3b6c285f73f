//! Closing the loop: email through a real SMTP server on loopback (invitations, one reminder,
//! results digests, unsubscribing), the queue's behaviour under crashes, two server copies and
//! a dead SMTP server, and what a results link shows (only the reader's own wellbeing; service
//! figures hidden below the small-number threshold).

use chrono::{Datelike, Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use soundings::config::Secret;
use soundings_tests::{TestApp, body, error_body, id_of, smtp::SmtpServer, wait};
use uuid::Uuid;

struct World {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
}

/// An organisation whose server emails through `smtp` (or nowhere, for the local outbox), with
/// a fast worker; `tweak` changes the mail settings further.
async fn world_with(
    smtp: Option<String>,
    tweak: impl FnOnce(&mut soundings::config::MailConfig),
) -> World {
    let app = TestApp::spawn_with(|c| {
        c.mail.smtp_url = smtp.map(Secret::new);
        c.mail.public_url = "https://soundings.example.org".into();
        c.mail.from = "Demo Service <surveys@service.example.org>".into();
        c.mail.poll_ms = 25;
        c.mail.retry_ms = 50;
        tweak(&mut c.mail);
    })
    .await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    World {
        admin: app.login("admin@a.example.org").await.access_token,
        manager: app.login("manager@a.example.org").await.access_token,
        sam: app.login("sam@a.example.org").await.access_token,
        app,
    }
}

async fn world(smtp: &SmtpServer) -> World {
    world_with(Some(smtp.url()), |_| {}).await
}

/// A participant with an email address, and (if `consent`) consent to be emailed.
async fn person(w: &World, kind: &str, email: &str, language: &str, consent: bool) -> Uuid {
    let reference = format!("REF-{}", &Uuid::new_v4().simple().to_string()[..8]);
    let id = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &json!({"id": Uuid::new_v4(), "kind": kind, "reference": reference,
                        "email": email, "language": language}),
            )
            .await,
    );
    let scopes = if consent {
        json!(["surveys", "email"])
    } else {
        json!(["surveys"])
    };
    w.app
        .create(
            "/api/consents",
            &w.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": id, "scopes": scopes,
                    "given_by": "person", "method": "written", "text_version": "v1",
                    "given_at": (Utc::now() - Duration::days(1)).to_rfc3339()}),
        )
        .await;
    id
}

async fn invite(w: &World, participant: Uuid, instrument: &str) -> Value {
    w.app
        .create(
            "/api/invitations",
            &w.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": participant,
                    "instrument": instrument, "send_email": true}),
        )
        .await
}

async fn mail_list(w: &World) -> Vec<Value> {
    let res = w.app.get("/api/mail", Some(&w.manager)).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

/// Waits until `done` holds. The limit only stops a broken test from hanging; nothing here
/// asserts how fast anything is.
async fn eventually<F, Fut>(what: &str, done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    wait::until(what, std::time::Duration::from_secs(30), done).await
}

async fn all_mail_in(w: &World, status: &str, n: usize) {
    eventually(&format!("{n} emails {status}"), || async {
        let list = mail_list(w).await;
        list.len() == n && list.iter().all(|m| m["status"] == status)
    })
    .await;
}

#[tokio::test]
async fn an_invitation_email_reaches_the_person_once_and_its_link_opens_that_survey() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    let inv = invite(&w, ann, "jobseeker_satisfaction").await;
    // The same record resent from the phone queues nothing more.
    let again = json!({"id": inv["id"], "participant_id": ann,
                       "instrument": "jobseeker_satisfaction", "send_email": true});
    w.app.create("/api/invitations", &w.sam, &again).await;
    let worker = w.app.start_mail_worker("w1");
    all_mail_in(&w, "sent", 1).await;
    worker.abort();

    let got = smtp.received();
    assert_eq!(got.len(), 1);
    let m = &got[0];
    assert_eq!(m.to, vec!["ann@example.org".to_owned()]);
    assert_eq!(m.from, "surveys@service.example.org");
    assert!(m.subject().contains("Org A"), "{}", m.subject());
    let listed = &mail_list(&w).await[0];
    assert_eq!(listed["kind"], "invitation");
    assert_eq!(m.message_id(), listed["message_id"].as_str().unwrap());
    assert!(
        listed["text_body"].is_null(),
        "bodies only for the local outbox"
    );
    let unsubscribe = m.header("List-Unsubscribe").unwrap();
    assert!(unsubscribe.starts_with("<https://soundings.example.org/#u="));
    assert!(m.data.contains("multipart/alternative"));
    assert!(m.data.contains("text/plain") && m.data.contains("text/html"));
    let decoded = m.decoded();
    assert!(decoded.contains("https://soundings.example.org/#t="));

    // The link in the email opens the survey it was sent for.
    let token = m.token_after("#t=").unwrap();
    assert_eq!(token, inv["token"].as_str().unwrap());
    let res = w
        .app
        .post("/api/invitations/open", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);
    let opened: Value = res.json().await.unwrap();
    assert_eq!(opened["survey"]["invitation_id"], inv["id"]);

    // The log tells the email's story without its address or any of its links' tokens.
    let unsubscribe_token = m.token_after("#u=").unwrap();
    let res = w
        .app
        .post(
            "/api/unsubscribe",
            None,
            &json!({"token": unsubscribe_token}),
        )
        .await;
    assert_eq!(res.status(), 200);
    if std::env::var("TEST_LOG").is_err() {
        let log = soundings_tests::captured_logs();
        let id = listed["id"].as_str().unwrap();
        assert!(
            log.contains(&format!("mail_id={id}")),
            "the sending was not logged"
        );
        for secret in [
            "ann@example.org",
            token.as_str(),
            unsubscribe_token.as_str(),
            m.message_id().as_str(),
        ] {
            assert!(!log.contains(secret), "{secret} reached the log");
        }
    }
}

#[tokio::test]
async fn an_invitation_email_needs_an_address_and_consent_to_email() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let no_consent = person(&w, "jobseeker", "bob@example.org", "en", false).await;
    let no_address = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", "JS-NA"),
            )
            .await,
    );
    for p in [no_consent, no_address] {
        let res = w
            .app
            .post(
                "/api/invitations",
                Some(&w.sam),
                &json!({"id": Uuid::new_v4(), "participant_id": p,
                        "instrument": "jobseeker_satisfaction", "send_email": true}),
            )
            .await;
        assert_eq!(res.status(), 400);
        assert_eq!(error_body(res).await["field"], "send_email");
    }
    assert_eq!(w.app.count_rows("invitation").await, 0);
    assert_eq!(w.app.count_rows("mail_message").await, 0);
}

#[tokio::test]
async fn one_reminder_goes_after_the_set_days_only_to_those_who_have_not_answered() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let res = w
        .app
        .send(
            Method::PUT,
            "/api/settings/mail",
            Some(&w.admin),
            Some(&json!({"reminder_after_days": 2, "results_link_days": 30})),
        )
        .await;
    assert_eq!(res.status(), 200);
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    let cai = person(&w, "jobseeker", "cai@example.org", "cy", true).await;
    let bob = person(&w, "jobseeker", "bob@example.org", "en", true).await;
    let _ann_inv = invite(&w, ann, "jobseeker_satisfaction").await;
    let _cai_inv = invite(&w, cai, "jobseeker_satisfaction").await;
    let bob_inv = invite(&w, bob, "jobseeker_satisfaction").await;
    let now = Utc::now();
    w.app.mailer.tick("test", now).await.unwrap();
    assert_eq!(smtp.received().len(), 3);

    // Bob answers.
    let opened: Value = w
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": bob_inv["token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let answer = json!({"id": Uuid::new_v4(), "answers": [5, 4, 4, 4, 4],
        "completion": {"respondent": "self", "support": "none", "channel": "own_device",
                       "format": "standard", "language": "en"},
        "answered_at": Utc::now().to_rfc3339()});
    let res = w
        .app
        .post(
            "/api/survey/responses",
            Some(opened["access_token"].as_str().unwrap()),
            &answer,
        )
        .await;
    assert_eq!(res.status(), 201);

    // A day on: too early.
    let tick = w
        .app
        .mailer
        .tick("test", now + Duration::days(1))
        .await
        .unwrap();
    assert_eq!(tick.reminders_queued, 0);
    assert_eq!(smtp.received().len(), 3);
    // Three days on: one reminder each to Ann and Cai (in Welsh), none to Bob.
    let tick = w
        .app
        .mailer
        .tick("test", now + Duration::days(3))
        .await
        .unwrap();
    assert_eq!(tick.reminders_queued, 2);
    let got = smtp.received();
    assert_eq!(got.len(), 5);
    let reminders = &got[3..];
    let mut to: Vec<String> = reminders.iter().map(|m| m.to[0].clone()).collect();
    to.sort();
    assert_eq!(to, ["ann@example.org", "cai@example.org"]);
    for m in reminders {
        if m.to[0] == "cai@example.org" {
            assert!(m.subject().starts_with("Nodyn atgoffa"), "{}", m.subject());
        } else {
            assert!(m.subject().starts_with("Reminder"), "{}", m.subject());
        }
        // A reminder is an email of its own, with its own Message-ID.
        assert!(got[..3].iter().all(|i| i.message_id() != m.message_id()));
    }
    // Only one reminder, ever.
    let tick = w
        .app
        .mailer
        .tick("test", now + Duration::days(10))
        .await
        .unwrap();
    assert_eq!(tick.reminders_queued, 0);
    assert_eq!(smtp.received().len(), 5);
}

async fn action_body(audience: &str) -> Value {
    json!({
        "audience": audience,
        "period": {"first": "2026-07-01", "last": "2026-09-30"},
        "you_said": {"en": "It took too long to hear back.", "cy": "Roedd hi'n rhy hir cyn clywed yn ôl."},
        "we_did": {"en": "We now call back within two working days."},
        "easy_read": {"you_said": {"en": "You waited too long."}, "we_did": {"en": "We call you back in 2 days."}},
        "done_on": "2026-10-15"
    })
}

#[tokio::test]
async fn a_digest_goes_once_to_each_consenting_person_of_the_audience_with_a_results_link() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let _ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    let _cai = person(&w, "jobseeker", "cai@example.org", "cy", true).await;
    let _bob = person(&w, "jobseeker", "bob@example.org", "en", false).await;
    let emp = person(&w, "employer", "hr@employer.example.org", "en", true).await;

    let draft = w
        .app
        .create("/api/actions", &w.manager, &action_body("jobseekers").await)
        .await;
    assert!(draft["published_at"].is_null());
    let publish = format!("/api/actions/{}/publish", draft["id"].as_str().unwrap());
    let res = w.app.post(&publish, Some(&w.manager), &json!({})).await;
    assert_eq!(res.status(), 200);
    let outcome: Value = res.json().await.unwrap();
    assert_eq!(outcome["emails_queued"], 2);
    assert!(outcome["action"]["published_at"].is_string());
    // Publishing again sends nothing more.
    let again: Value = w
        .app
        .post(&publish, Some(&w.manager), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["emails_queued"], 0);

    let worker = w.app.start_mail_worker("w1");
    all_mail_in(&w, "sent", 2).await;
    worker.abort();
    let got = smtp.received();
    let mut to: Vec<&str> = got.iter().map(|m| m.to[0].as_str()).collect();
    to.sort();
    assert_eq!(to, ["ann@example.org", "cai@example.org"]);
    let cai_mail = got.iter().find(|m| m.to[0] == "cai@example.org").unwrap();
    assert!(
        cai_mail.subject().contains("dywedoch chi"),
        "{}",
        cai_mail.subject()
    );
    assert!(cai_mail.decoded().contains("rhy hir"));
    let ann_mail = got.iter().find(|m| m.to[0] == "ann@example.org").unwrap();
    assert!(
        ann_mail
            .decoded()
            .contains("We now call back within two working days.")
    );

    // The results link in the email opens the reader's results.
    let token = ann_mail.token_after("#r=").unwrap();
    let res = w
        .app
        .post("/api/results/open", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);
    let session: Value = res.json().await.unwrap();
    assert_eq!(session["audience"], "jobseeker");
    let reader = session["access_token"].as_str().unwrap();
    let actions: Vec<Value> = w
        .app
        .get("/api/results/actions", Some(reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(
        actions[0]["we_did"]["en"],
        "We now call back within two working days."
    );
    assert!(actions[0].get("response_ids").is_none());

    // An employer sees no action published to jobseekers only.
    let link: Value = w
        .app
        .create(
            &format!("/api/participants/{emp}/results-link"),
            &w.sam,
            &json!({}),
        )
        .await;
    assert!(
        link["link"]
            .as_str()
            .unwrap()
            .starts_with("https://soundings.example.org/#r=")
    );
    let session: Value = w
        .app
        .post("/api/results/open", None, &json!({"token": link["token"]}))
        .await
        .json()
        .await
        .unwrap();
    let actions: Vec<Value> = w
        .app
        .get(
            "/api/results/actions",
            Some(session["access_token"].as_str().unwrap()),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(actions.is_empty());
}

#[tokio::test]
async fn an_action_needs_its_easy_read_version_and_real_responses_before_it_is_published() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let mut b = action_body("both").await;
    b["response_ids"] = json!([Uuid::new_v4()]);
    let res = w.app.post("/api/actions", Some(&w.manager), &b).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "response_ids[0]");
    let mut b = action_body("both").await;
    b.as_object_mut().unwrap().remove("easy_read");
    let draft = w.app.create("/api/actions", &w.manager, &b).await;
    let id = draft["id"].as_str().unwrap();
    let res = w
        .app
        .post(
            &format!("/api/actions/{id}/publish"),
            Some(&w.manager),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "easy_read");
    let res = w
        .app
        .patch(
            &format!("/api/actions/{id}"),
            Some(&w.manager),
            &json!({"easy_read": {"you_said": {"en": "You said A."}, "we_did": {"en": "We did B."}}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w
        .app
        .post(
            &format!("/api/actions/{id}/publish"),
            Some(&w.manager),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let res = w
        .app
        .post(
            "/api/actions",
            Some(&w.manager),
            &json!({"audience": "everyone"}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "audience");
}

#[tokio::test]
async fn an_unsubscribed_person_gets_nothing_more_and_what_was_waiting_is_cancelled() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    invite(&w, ann, "jobseeker_satisfaction").await;
    w.app.mailer.tick("test", Utc::now()).await.unwrap();
    let first = smtp.received();
    assert_eq!(first.len(), 1);
    // A second invitation is queued, but not yet sent, when she unsubscribes.
    invite(&w, ann, "jobseeker_satisfaction").await;
    let token = first[0].token_after("#u=").unwrap();
    let res = w
        .app
        .post("/api/unsubscribe", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    assert_eq!(v["unsubscribed"], true);
    // Doing it twice is fine.
    let res = w
        .app
        .post("/api/unsubscribe", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);

    w.app
        .mailer
        .tick("test", Utc::now() + Duration::days(6))
        .await
        .unwrap();
    assert_eq!(smtp.received().len(), 1, "nothing after unsubscribing");
    let list = mail_list(&w).await;
    assert!(
        list.iter()
            .any(|m| m["status"] == "cancelled" && m["last_error"] == "cancelled: unsubscribed")
    );
    // No new invitation email, and no digest.
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
    assert_eq!(error_body(res).await["field"], "send_email");
    let draft = w
        .app
        .create("/api/actions", &w.manager, &action_body("both").await)
        .await;
    let outcome: Value = w
        .app
        .post(
            &format!("/api/actions/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.manager),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["emails_queued"], 0);

    // Bad tokens are refused plainly.
    let res = w
        .app
        .post(
            "/api/unsubscribe",
            None,
            &json!({"token": format!("{}.x", Uuid::new_v4().simple())}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = w.app.post("/api/unsubscribe", None, &json!({})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "token");
}

#[tokio::test]
async fn a_withdrawn_person_receives_nothing_even_what_was_already_queued() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    invite(&w, ann, "jobseeker_satisfaction").await;
    let res = w
        .app
        .post(
            &format!("/api/participants/{ann}/withdraw"),
            Some(&w.sam),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let draft = w
        .app
        .create("/api/actions", &w.manager, &action_body("both").await)
        .await;
    let outcome: Value = w
        .app
        .post(
            &format!("/api/actions/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.manager),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["emails_queued"], 0);
    w.app
        .mailer
        .tick("test", Utc::now() + Duration::days(6))
        .await
        .unwrap();
    assert!(smtp.received().is_empty());
    let list = mail_list(&w).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["status"], "cancelled");
}

#[tokio::test]
async fn a_worker_killed_mid_send_loses_nothing_and_the_resend_keeps_its_message_id() {
    let smtp = SmtpServer::start();
    let w = world_with(Some(smtp.url()), |m| {
        m.lease_seconds = 2;
        m.smtp_timeout_seconds = 1;
    })
    .await;
    for i in 0..3 {
        let p = person(&w, "jobseeker", &format!("p{i}@example.org"), "en", true).await;
        invite(&w, p, "jobseeker_satisfaction").await;
    }
    // The server takes the first email and then says nothing: the worker dies waiting.
    smtp.hold_replies(true);
    let first = w.app.start_mail_worker("doomed");
    eventually("the first email to arrive", || async {
        !smtp.received().is_empty()
    })
    .await;
    first.abort();
    let _ = first.await;
    smtp.hold_replies(false);
    let in_flight = smtp.received()[0].message_id();

    // A new worker takes over once the dead one's lease runs out.
    let second = w.app.start_mail_worker("survivor");
    all_mail_in(&w, "sent", 3).await;
    second.abort();

    let got = smtp.received();
    let list = mail_list(&w).await;
    let mut queued_ids: Vec<String> = list
        .iter()
        .map(|m| m["message_id"].as_str().unwrap().to_owned())
        .collect();
    queued_ids.sort();
    let mut arrived: Vec<String> = got.iter().map(|m| m.message_id()).collect();
    arrived.sort();
    arrived.dedup();
    assert_eq!(arrived, queued_ids, "every queued email arrived");
    // Only the one in flight went twice, both times with the same Message-ID.
    assert_eq!(got.len(), 4);
    assert_eq!(
        got.iter().filter(|m| m.message_id() == in_flight).count(),
        2
    );
}

#[tokio::test]
async fn two_server_copies_on_one_database_send_each_email_once() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    for i in 0..12 {
        let p = person(&w, "jobseeker", &format!("p{i}@example.org"), "en", true).await;
        invite(&w, p, "jobseeker_satisfaction").await;
    }
    let copy = w
        .app
        .second_copy(|c| {
            c.mail.smtp_url = Some(Secret::new(smtp.url()));
            c.mail.poll_ms = 5;
        })
        .await;
    let a = w.app.start_mail_worker("copy-a");
    let b = copy.start_mail_worker("copy-b");
    all_mail_in(&w, "sent", 12).await;
    a.abort();
    b.abort();
    let got = smtp.received();
    let mut ids: Vec<String> = got.iter().map(|m| m.message_id()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(got.len(), 12, "each email sent once");
    assert_eq!(ids.len(), 12);
}

#[tokio::test]
async fn when_the_smtp_server_is_down_sends_are_retried_the_failure_shows_and_nothing_else_stops() {
    // A port with nothing listening.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let w = world_with(Some(format!("smtp://127.0.0.1:{port}")), |m| {
        m.max_attempts = 4;
        m.retry_ms = 100;
    })
    .await;
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    invite(&w, ann, "jobseeker_satisfaction").await;
    let worker = w.app.start_mail_worker("w1");
    eventually("a failed attempt to show", || async {
        let list = mail_list(&w).await;
        list[0]["attempts"].as_i64().unwrap() >= 1 && list[0]["last_error"].is_string()
    })
    .await;
    let shown = &mail_list(&w).await[0];
    assert!(!shown["last_error"].as_str().unwrap().contains("ann@"));
    // The rest of the product carries on.
    let bob = person(&w, "jobseeker", "bob@example.org", "en", true).await;
    assert_eq!(
        w.app.get("/api/participants", Some(&w.sam)).await.status(),
        200
    );

    // The server comes back: the waiting emails go.
    let smtp = SmtpServer::start_on(port);
    all_mail_in(&w, "sent", 1).await;
    assert!(mail_list(&w).await[0]["attempts"].as_i64().unwrap() >= 2);
    assert_eq!(smtp.received().len(), 1);

    // It goes away again: after four attempts the email is marked failed, for managers to see.
    smtp.stop();
    invite(&w, bob, "jobseeker_satisfaction").await;
    eventually("the email to be marked failed", || async {
        mail_list(&w).await.iter().any(|m| m["status"] == "failed")
    })
    .await;
    worker.abort();
    let failed = mail_list(&w)
        .await
        .into_iter()
        .find(|m| m["status"] == "failed")
        .unwrap();
    assert_eq!(failed["attempts"], 4);
    assert!(failed["last_error"].is_string());
    let res = w.app.get("/api/mail?status=failed", Some(&w.manager)).await;
    assert_eq!(res.json::<Vec<Value>>().await.unwrap().len(), 1);
    let res = w.app.get("/api/mail?status=lost", Some(&w.manager)).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "status");
    assert_eq!(w.app.get("/api/mail", Some(&w.sam)).await.status(), 403);
}

#[tokio::test]
async fn without_an_smtp_server_emails_stay_in_a_local_outbox_managers_can_read() {
    let w = world_with(None, |_| {}).await;
    let ann = person(&w, "jobseeker", "ann@example.org", "en", true).await;
    invite(&w, ann, "jobseeker_satisfaction").await;
    w.app.mailer.tick("test", Utc::now()).await.unwrap();
    let list = mail_list(&w).await;
    assert_eq!(list[0]["status"], "local_outbox");
    assert!(
        list[0]["text_body"]
            .as_str()
            .unwrap()
            .contains("https://soundings.example.org/#t=")
    );
    assert!(
        list[0]["html_body"]
            .as_str()
            .unwrap()
            .contains("<html lang=\"en\">")
    );
}

/// Stores a scored SWEMWBS start and end for a new episode of a new jobseeker.
async fn wellbeing_pair(w: &World, start_raw: u8, end_raw: u8) -> (Uuid, Uuid, Uuid) {
    let p = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", &format!("JS-{}", Uuid::new_v4().simple())),
            )
            .await,
    );
    let ep = id_of(
        &w.app
            .create(
                "/api/episodes",
                &w.sam,
                &body::episode(p, "2026-01-05", None),
            )
            .await,
    );
    let at = |days: i64| (Utc::now() - Duration::days(days)).to_rfc3339();
    w.app
        .create(
            "/api/responses",
            &w.sam,
            &body::swemwbs(
                p,
                ep,
                "start",
                &body::items_for_raw(start_raw),
                &at(30),
                "self",
            ),
        )
        .await;
    let end = w
        .app
        .create(
            "/api/responses",
            &w.sam,
            &body::swemwbs(p, ep, "end", &body::items_for_raw(end_raw), &at(1), "self"),
        )
        .await;
    (p, ep, id_of(&end))
}

async fn results_session(w: &World, participant: Uuid) -> String {
    let link = w
        .app
        .create(
            &format!("/api/participants/{participant}/results-link"),
            &w.sam,
            &json!({}),
        )
        .await;
    let res = w
        .app
        .post("/api/results/open", None, &json!({"token": link["token"]}))
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    v["access_token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_participant_sees_only_their_own_wellbeing_and_a_decline_prompts_their_specialist() {
    let w = world_with(None, |_| {}).await;
    w.app.record_licence(&w.admin).await;
    // Ann: raw 14 -> 21, metric 15.32 -> 19.25 (+3.93, improved). Bob: 25 -> 18 (declined).
    let (ann, ann_ep, _) = wellbeing_pair(&w, 14, 21).await;
    let (bob, bob_ep, bob_end) = wellbeing_pair(&w, 25, 18).await;
    let reader = results_session(&w, ann).await;
    let mine: Vec<Value> = w
        .app
        .get("/api/results/wellbeing", Some(&reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["episode_id"], json!(ann_ep));
    assert_eq!(mine[0]["start"], json!(15.32));
    assert_eq!(mine[0]["end"], json!(19.25));
    assert_eq!(mine[0]["change"], json!(3.93));
    assert_eq!(mine[0]["band"], "improved");
    assert_eq!(mine[0]["threshold"], json!(3.0));
    let res = w
        .app
        .get(&format!("/api/results/wellbeing/{ann_ep}"), Some(&reader))
        .await;
    assert_eq!(res.status(), 200);
    // Another person's episode is simply not there.
    let res = w
        .app
        .get(&format!("/api/results/wellbeing/{bob_ep}"), Some(&reader))
        .await;
    assert_eq!(res.status(), 404);
    error_body(res).await;

    let bobs = results_session(&w, bob).await;
    let his: Value = w
        .app
        .get(&format!("/api/results/wellbeing/{bob_ep}"), Some(&bobs))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(his["band"], "declined");
    // Nothing about wellbeing is ever emailed: no email exists at all.
    assert_eq!(w.app.count_rows("mail_message").await, 0);
    // Sam is prompted to talk Bob's decline through, and marks it done.
    let prompts: Vec<Value> = w
        .app
        .get("/api/prompts", Some(&w.sam))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(prompts.len(), 1);
    assert_eq!(prompts[0]["participant_id"], json!(bob));
    assert_eq!(prompts[0]["id"], json!(bob_end));
    let res = w
        .app
        .post(
            &format!("/api/prompts/{bob_end}/done"),
            Some(&w.sam),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let prompts: Vec<Value> = w
        .app
        .get("/api/prompts", Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert!(prompts.is_empty());

    // A results token opens results only, and a survey token opens no results.
    assert_eq!(w.app.get("/api/survey", Some(&reader)).await.status(), 401);
    assert_eq!(
        w.app.get("/api/participants", Some(&reader)).await.status(),
        401
    );
    // An expired link no longer opens, and sessions from it end.
    use sea_orm::{EntityTrait, sea_query::Expr};
    soundings::entities::results_link::Entity::update_many()
        .col_expr(
            soundings::entities::results_link::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .exec(&w.app.db)
        .await
        .unwrap();
    assert_eq!(
        w.app
            .get("/api/results/wellbeing", Some(&reader))
            .await
            .status(),
        401
    );
}

/// The last UK financial quarter that is over, as `GET /api/results/service` reports it.
/// (Judged in UTC here, the server uses Europe/London: they differ only in the first hour of a
/// quarter.)
fn last_closed_quarter() -> (chrono::NaiveDate, chrono::NaiveDate) {
    let today = Utc::now().date_naive();
    let (first_month, year) = match today.month() {
        4..=6 => (1, today.year()),
        7..=9 => (4, today.year()),
        10..=12 => (7, today.year()),
        _ => (10, today.year() - 1),
    };
    let first = chrono::NaiveDate::from_ymd_opt(year, first_month, 1).unwrap();
    let last = first
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        .pred_opt()
        .unwrap();
    (first, last)
}

async fn new_jobseeker(w: &World) -> Uuid {
    let reference = format!("JS-{}", Uuid::new_v4().simple());
    id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", &reference),
            )
            .await,
    )
}

#[tokio::test]
async fn service_results_are_hidden_below_the_small_number_and_shown_at_it() {
    let w = world_with(None, |_| {}).await;
    let ann = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", "JS-READER"),
            )
            .await,
    );
    let reader = results_session(&w, ann).await;
    let (first, last) = last_closed_quarter();
    let mid = (first + Duration::days(20))
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_utc()
        .to_rfc3339();
    // Threshold − 1 answers: the figure is hidden, saying how many there are.
    for _ in 0..4 {
        let p = new_jobseeker(&w).await;
        w.app
            .create(
                "/api/responses",
                &w.sam,
                &body::satisfaction(
                    p,
                    "jobseeker_satisfaction",
                    4,
                    &mid,
                    body::completion("self", "none", "staff_device"),
                ),
            )
            .await;
    }
    let shown: Value = w
        .app
        .get("/api/results/service", Some(&reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["period"]["first"], first.to_string());
    assert_eq!(shown["period"]["last"], last.to_string());
    assert_eq!(shown["satisfaction"]["shown"], "too_few_answers");
    assert_eq!(shown["satisfaction"]["n"], 4);
    assert_eq!(shown["satisfaction"]["needed"], 5);
    assert!(shown["satisfaction"].get("value").is_none());
    // At the threshold it is shown.
    let p = new_jobseeker(&w).await;
    w.app
        .create(
            "/api/responses",
            &w.sam,
            &body::satisfaction(
                p,
                "jobseeker_satisfaction",
                5,
                &mid,
                body::completion("self", "none", "staff_device"),
            ),
        )
        .await;
    let shown: Value = w
        .app
        .get("/api/results/service", Some(&reader))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["satisfaction"]["shown"], "value");
    assert_eq!(shown["satisfaction"]["n"], 5);
    assert_eq!(shown["satisfaction"]["value"], json!(4.2));
}

/// An unsubscribe follows the address, not the record (issue 20): the same person added again
/// by another specialist, their address typed in capitals, is not emailed either.
#[tokio::test]
async fn an_unsubscribe_follows_the_address_across_records_of_the_organisation() {
    let smtp = SmtpServer::start();
    let w = world(&smtp).await;
    let first = person(&w, "employer", "same.person@x.example.com", "en", true).await;
    invite(&w, first, "employer_satisfaction").await;
    w.app.mailer.tick("test", Utc::now()).await.unwrap();
    let sent = smtp.received();
    assert_eq!(sent.len(), 1);
    let token = sent[0].token_after("#u=").unwrap();
    let res = w
        .app
        .post("/api/unsubscribe", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);

    // Jo adds the employer again, as a record of her own.
    let res = w
        .app
        .post(
            "/api/staff",
            Some(&w.admin),
            &json!({"name": "Jo", "email": "jo@a.example.org", "role": "specialist",
                    "password": soundings_tests::PASSWORD}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let jo = w.app.login("jo@a.example.org").await.access_token;
    let again = id_of(
        &w.app
            .create(
                "/api/participants",
                &jo,
                &json!({"id": Uuid::new_v4(), "kind": "employer", "reference": "EMP-AGAIN",
                        "email": " SAME.PERSON@X.EXAMPLE.COM ", "language": "en"}),
            )
            .await,
    );
    w.app
        .create(
            "/api/consents",
            &jo,
            &json!({"id": Uuid::new_v4(), "participant_id": again,
                    "scopes": ["surveys", "email"], "given_by": "person",
                    "method": "written", "text_version": "v1",
                    "given_at": (Utc::now() - Duration::days(1)).to_rfc3339()}),
        )
        .await;
    let res = w
        .app
        .post(
            "/api/invitations",
            Some(&jo),
            &json!({"id": Uuid::new_v4(), "participant_id": again,
                    "instrument": "employer_satisfaction", "send_email": true}),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "send_email");
    // Nor does a digest reach them.
    let draft = w
        .app
        .create("/api/actions", &w.manager, &action_body("both").await)
        .await;
    let outcome: Value = w
        .app
        .post(
            &format!("/api/actions/{}/publish", draft["id"].as_str().unwrap()),
            Some(&w.manager),
            &json!({}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(outcome["emails_queued"], 0);
    w.app
        .mailer
        .tick("test", Utc::now() + Duration::days(6))
        .await
        .unwrap();
    assert_eq!(smtp.received().len(), 1, "nothing after unsubscribing");
}

/// A mail lease no longer than the SMTP timeout would let a second worker send an email the
/// first is still sending (issue 20: lease 3 s, timeout 30 s → delivered four times). The
/// server refuses to start so, naming both settings.
#[tokio::test]
async fn a_mail_lease_not_longer_than_the_smtp_timeout_is_refused_at_start() {
    for (lease, timeout) in [(3, 30), (30, 30)] {
        let dir = tempfile::tempdir().unwrap();
        let url = soundings_tests::fresh_database_url(&dir).await.unwrap();
        let mut config = soundings::config::Config::for_database(url);
        config.mail.lease_seconds = lease;
        config.mail.smtp_timeout_seconds = timeout;
        let Err(e) = soundings::startup::Application::build(config).await else {
            panic!("lease {lease} s with an SMTP timeout of {timeout} s started");
        };
        let message = format!("{e:#}");
        assert!(
            message.contains("SOUNDINGS_MAIL_LEASE_SECONDS")
                && message.contains("SOUNDINGS_SMTP_TIMEOUT_SECONDS"),
            "{message}"
        );
    }
    // Longer than the timeout is fine.
    let dir = tempfile::tempdir().unwrap();
    let url = soundings_tests::fresh_database_url(&dir).await.unwrap();
    let mut config = soundings::config::Config::for_database(url);
    config.mail.lease_seconds = 31;
    config.mail.smtp_timeout_seconds = 30;
    assert!(soundings::startup::Application::build(config).await.is_ok());
}
