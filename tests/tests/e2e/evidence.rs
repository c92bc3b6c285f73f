//! Field records, invitations and responses: idempotent by device-made id, batches that
//! commit record by record, invitations opened without a password, and who may see what.

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of, sync_statuses};
use uuid::Uuid;

struct Org {
    app: TestApp,
    admin: String,
    sam: String,
    jo: String,
}

async fn org() -> Org {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org, "jo@a.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    Org {
        app,
        admin,
        sam,
        jo,
    }
}

/// A jobseeker on Sam's caseload with an open episode; returns (participant, episode).
async fn sams_client(o: &Org, reference: &str) -> (Uuid, Uuid) {
    let p = id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("jobseeker", reference),
            )
            .await,
    );
    let e = id_of(
        &o.app
            .create(
                "/api/episodes",
                &o.sam,
                &body::episode(p, "2026-01-05", None),
            )
            .await,
    );
    (p, e)
}

fn now_minus(minutes: i64) -> String {
    (Utc::now() - Duration::minutes(minutes)).to_rfc3339()
}

async fn invite(o: &Org, participant: Uuid, instrument: &str) -> Value {
    o.app
        .create(
            "/api/invitations",
            &o.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": participant, "instrument": instrument}),
        )
        .await
}

/// Opens an invitation as a participant's phone would; returns its bearer token.
async fn open(app: &TestApp, token: &str) -> (String, Value) {
    let res = app
        .post("/api/invitations/open", None, &json!({"token": token}))
        .await;
    assert_eq!(res.status(), 200);
    let v: Value = res.json().await.unwrap();
    (
        v["access_token"].as_str().unwrap().to_owned(),
        v["survey"].clone(),
    )
}

fn own_phone_answer(overall: u8, answered_at: &str) -> Value {
    json!({"id": Uuid::new_v4(), "answers": [overall, 3, 3, 3, 3],
           "completion": body::completion("self", "none", "own_device"), "answered_at": answered_at})
}

#[tokio::test]
async fn the_same_record_sent_twice_is_stored_once_and_answered_the_same() {
    let o = org().await;
    let p = body::participant("jobseeker", "JS-1");
    let first = o.app.post("/api/participants", Some(&o.sam), &p).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = o.app.post("/api/participants", Some(&o.sam), &p).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(o.app.count_rows("participant").await, 1);

    let (pid, ep) = sams_client(&o, "JS-2").await;
    let r = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &now_minus(3),
        body::completion("self", "none", "staff_device"),
    );
    let r1: Value = o.app.create("/api/responses", &o.sam, &r).await;
    let r2: Value = o.app.create("/api/responses", &o.sam, &r).await;
    assert_eq!(r1, r2);
    assert_eq!(o.app.count_rows("response").await, 1);
    let _ = ep;
}

#[tokio::test]
async fn the_same_id_with_a_different_body_is_a_conflict() {
    let o = org().await;
    let mut p = body::participant("jobseeker", "JS-1");
    o.app.create("/api/participants", &o.sam, &p).await;
    p["reference"] = json!("JS-CHANGED");
    let res = o.app.post("/api/participants", Some(&o.sam), &p).await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "id");
    let (pid, _) = sams_client(&o, "JS-2").await;
    let mut r = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &now_minus(3),
        body::completion("self", "none", "staff_device"),
    );
    o.app.create("/api/responses", &o.sam, &r).await;
    r["answers"][0] = json!(1);
    let res = o.app.post("/api/responses", Some(&o.sam), &r).await;
    assert_eq!(res.status(), 409);
    assert_eq!(o.app.count_rows("response").await, 1);
}

#[tokio::test]
async fn a_batch_with_one_bad_record_stores_the_others() {
    let o = org().await;
    let p = body::participant("jobseeker", "JS-9");
    let pid = id_of(&p);
    let good_episode = body::episode(pid, "2026-01-05", None);
    let bad_episode = body::episode(pid, "2026-02-01", Some("2026-01-01"));
    let session_of_bad = json!({"id": Uuid::new_v4(), "episode_id": id_of(&bad_episode), "held_on": "2026-02-02",
                                "duration_minutes": 45, "stage": "engagement", "activity": "First meeting"});
    let response = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        5,
        &now_minus(2),
        body::completion("self", "none", "staff_device"),
    );
    let batch = json!({"records": [
        {"kind": "participant", "body": p},
        {"kind": "episode", "body": bad_episode},
        {"kind": "session", "body": session_of_bad},
        {"kind": "episode", "body": good_episode},
        {"kind": "response", "body": response},
        {"kind": "teapot", "body": {}},
    ]});
    let res = o.app.post("/api/sync", Some(&o.sam), &batch).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    let statuses = sync_statuses(&out);
    assert_eq!(statuses, vec![201, 400, 400, 201, 201, 400]);
    assert_eq!(out["outcomes"][1]["error"]["field"], "ended_on");
    assert_eq!(out["outcomes"][2]["error"]["field"], "episode_id");
    assert_eq!(out["outcomes"][5]["error"]["field"], "kind");
    assert_eq!(out["outcomes"][0]["id"], json!(pid));
    assert_eq!(o.app.count_rows("participant").await, 1);
    assert_eq!(o.app.count_rows("episode").await, 1);
    assert_eq!(o.app.count_rows("support_session").await, 0);
    assert_eq!(o.app.count_rows("response").await, 1);
    // Sending the whole batch again (a retry after a lost answer) doubles nothing.
    let again: Value = o
        .app
        .post("/api/sync", Some(&o.sam), &batch)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["outcomes"][0]["status"], 201);
    assert_eq!(again["outcomes"][4]["record"], out["outcomes"][4]["record"]);
    assert_eq!(o.app.count_rows("response").await, 1);
}

#[tokio::test]
async fn a_participant_opens_a_link_answers_once_and_sees_only_their_invitation() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    assert_eq!(inv["short_code"].as_str().unwrap().len(), 8);
    let (token, survey) = open(&o.app, inv["token"].as_str().unwrap()).await;
    assert_eq!(survey["instrument"]["key"], "jobseeker_satisfaction");
    assert_eq!(survey["organisation_name"], "Org A");
    assert_eq!(survey["answered"], false);
    // The short code opens the same survey, typed loosely.
    let code = inv["short_code"].as_str().unwrap().to_lowercase();
    let spaced = format!("{} {}", &code[..4], &code[4..]);
    let res = o
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"short_code": spaced}),
        )
        .await;
    assert_eq!(res.status(), 200);

    let answer = own_phone_answer(5, &now_minus(1));
    let res = o
        .app
        .post("/api/survey/responses", Some(&token), &answer)
        .await;
    assert_eq!(res.status(), 201);
    // Resending the same answer is fine; a second, different answer from this phone is not.
    assert_eq!(
        o.app
            .post("/api/survey/responses", Some(&token), &answer)
            .await
            .status(),
        201
    );
    let res = o
        .app
        .post(
            "/api/survey/responses",
            Some(&token),
            &own_phone_answer(1, &now_minus(0)),
        )
        .await;
    assert_eq!(res.status(), 409);
    error_body(res).await;
    assert_eq!(o.app.count_rows("response").await, 1);
    let survey: Value = o
        .app
        .get("/api/survey", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(survey["answered"], true);

    // The participant token opens nothing else.
    for path in [
        "/api/participants",
        &format!("/api/invitations/{}", inv["id"].as_str().unwrap()),
        "/api/auth/me",
    ] {
        assert_eq!(o.app.get(path, Some(&token)).await.status(), 401, "{path}");
    }
    // Nor can it answer someone else's invitation.
    let (other, _) = sams_client(&o, "JS-2").await;
    let other_inv = invite(&o, other, "jobseeker_satisfaction").await;
    let mut foreign = own_phone_answer(3, &now_minus(0));
    foreign["invitation_id"] = other_inv["id"].clone();
    let res = o
        .app
        .post("/api/survey/responses", Some(&token), &foreign)
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "invitation_id");
}

#[tokio::test]
async fn two_phones_answering_one_invitation_are_both_kept_and_the_first_answered_counts() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    // Made yesterday, open for four more weeks.
    o.app.backdate_invitation(id_of(&inv), 1, -27).await;
    let (phone_a, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    let (phone_b, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    // Phone A answered later but syncs first; phone B answered earlier, offline, syncs later.
    let a = own_phone_answer(5, &now_minus(5));
    let b = own_phone_answer(1, &now_minus(10));
    let ra: Value = o.app.create("/api/survey/responses", &phone_a, &a).await;
    let rb: Value = o.app.create("/api/survey/responses", &phone_b, &b).await;
    assert_eq!(ra["second_answer"], false);
    assert_eq!(rb["second_answer"], false);
    let ra_now: Value = o.app.create("/api/survey/responses", &phone_a, &a).await;
    assert_eq!(ra_now["second_answer"], true);

    let today = Utc::now().date_naive();
    let q = format!(
        "first={}&last={}",
        today - Duration::days(2),
        today + Duration::days(2)
    );
    let admin = &o.admin;
    let k: Value = o
        .app
        .get(&format!("/api/kpi/jobseeker-satisfaction?{q}"), Some(admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(k["n"], 1);
    assert_eq!(k["mean"], 1.0);
    assert_eq!(k["excluded_second_answers"], 1);
    assert_eq!(o.app.count_rows("response").await, 2);
}

#[tokio::test]
async fn a_first_answer_that_skipped_the_overall_item_leaves_its_invitation_out_of_the_mean() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    o.app.backdate_invitation(id_of(&inv), 1, -27).await;
    let (phone_a, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    let (phone_b, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    // The first answer skipped "overall"; asking again got a 5. Re-asking until someone rates
    // must not work: the invitation adds nothing, and the 5 is a second answer.
    let mut skipped = own_phone_answer(1, &now_minus(30));
    skipped["answers"][0] = Value::Null;
    o.app
        .create("/api/survey/responses", &phone_a, &skipped)
        .await;
    o.app
        .create(
            "/api/survey/responses",
            &phone_b,
            &own_phone_answer(5, &now_minus(10)),
        )
        .await;

    let today = Utc::now().date_naive();
    let q = format!(
        "first={}&last={}",
        today - Duration::days(2),
        today + Duration::days(2)
    );
    let k: Value = o
        .app
        .get(
            &format!("/api/kpi/jobseeker-satisfaction?{q}"),
            Some(&o.admin),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(k["n"], 0, "{k}");
    assert_eq!(k["mean"], Value::Null);
    assert_eq!(k["overall_not_answered"], 1);
    assert_eq!(k["excluded_second_answers"], 1);
    assert_eq!(o.app.count_rows("response").await, 2);
}

#[tokio::test]
async fn an_invitation_answered_before_expiry_and_synced_after_is_accepted() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    let (token, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    // The invitation was made 10 days ago and expired yesterday.
    o.app.backdate_invitation(id_of(&inv), 10, 1).await;
    let answered_two_days_ago = (Utc::now() - Duration::days(2)).to_rfc3339();
    let res = o
        .app
        .post(
            "/api/survey/responses",
            Some(&token),
            &own_phone_answer(4, &answered_two_days_ago),
        )
        .await;
    assert_eq!(res.status(), 201);
    // Answered today: too late.
    let (pid2, _) = sams_client(&o, "JS-2").await;
    let inv2 = invite(&o, pid2, "jobseeker_satisfaction").await;
    let (token2, _) = open(&o.app, inv2["token"].as_str().unwrap()).await;
    o.app.backdate_invitation(id_of(&inv2), 10, 1).await;
    let res = o
        .app
        .post(
            "/api/survey/responses",
            Some(&token2),
            &own_phone_answer(4, &now_minus(1)),
        )
        .await;
    assert_eq!(res.status(), 410);
    assert_eq!(error_body(res).await["error"], "expired");
    // And the expired link no longer opens.
    let res = o
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv2["token"]}),
        )
        .await;
    assert_eq!(res.status(), 410);
    // An answer dated before the invitation existed is refused.
    let res = o
        .app
        .post(
            "/api/survey/responses",
            Some(&token2),
            &own_phone_answer(4, &(Utc::now() - Duration::days(20)).to_rfc3339()),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "answered_at");
    assert_eq!(o.app.count_rows("response").await, 1);
}

#[tokio::test]
async fn swemwbs_is_refused_until_the_licence_is_recorded() {
    let o = org().await;
    let (pid, ep) = sams_client(&o, "JS-1").await;
    let inv = json!({"id": Uuid::new_v4(), "participant_id": pid, "episode_id": ep, "instrument": "swemwbs", "timing": "start"});
    let res = o.app.post("/api/invitations", Some(&o.sam), &inv).await;
    assert_eq!(res.status(), 403);
    assert!(
        error_body(res).await["message"]
            .as_str()
            .unwrap()
            .contains("licence")
    );
    let form = body::swemwbs(
        pid,
        ep,
        "start",
        &body::items_for_raw(20),
        &now_minus(1),
        "self",
    );
    let res = o.app.post("/api/responses", Some(&o.sam), &form).await;
    assert_eq!(res.status(), 403);
    assert_eq!(o.app.count_rows("response").await, 0);

    o.app.record_licence(&o.admin).await;
    assert_eq!(
        o.app
            .post("/api/invitations", Some(&o.sam), &inv)
            .await
            .status(),
        201
    );
    let receipt: Value = o.app.create("/api/responses", &o.sam, &form).await;
    // Raw 20 is 18.59 on the metric scale: shown to the specialist and client at once.
    assert_eq!(receipt["swemwbs_raw"], 20);
    assert_eq!(receipt["swemwbs_metric"], 18.59);
    assert_eq!(receipt["complete"], true);
}

#[tokio::test]
async fn swemwbs_is_only_offered_in_english_and_never_as_easy_read() {
    let o = org().await;
    o.app.record_licence(&o.admin).await;
    let (pid, ep) = sams_client(&o, "JS-1").await;
    let mut form = body::swemwbs(
        pid,
        ep,
        "start",
        &body::items_for_raw(20),
        &now_minus(1),
        "self",
    );
    form["completion"]["language"] = json!("cy");
    let res = o.app.post("/api/responses", Some(&o.sam), &form).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "completion.language");
    form["completion"]["language"] = json!("en");
    form["completion"]["format"] = json!("easy_read");
    let res = o.app.post("/api/responses", Some(&o.sam), &form).await;
    assert_eq!(error_body(res).await["field"], "completion.format");
}

#[tokio::test]
async fn a_specialist_cannot_reach_another_specialists_caseload() {
    let o = org().await;
    let (pid, ep) = sams_client(&o, "JS-1").await;
    o.app
        .create(
            "/api/responses",
            &o.sam,
            &body::satisfaction(
                pid,
                "jobseeker_satisfaction",
                2,
                &now_minus(1),
                body::completion("self", "none", "staff_device"),
            ),
        )
        .await;
    assert_eq!(
        o.app
            .get(&format!("/api/participants/{pid}"), Some(&o.jo))
            .await
            .status(),
        404
    );
    assert_eq!(
        o.app
            .get(&format!("/api/episodes/{ep}"), Some(&o.jo))
            .await
            .status(),
        404
    );
    let list: Vec<Value> = o
        .app
        .get("/api/participants", Some(&o.jo))
        .await
        .json()
        .await
        .unwrap();
    assert!(list.is_empty());
    let res = o.app.post("/api/invitations", Some(&o.jo), &json!({"id": Uuid::new_v4(), "participant_id": pid, "instrument": "jobseeker_satisfaction"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "participant_id");
    let res = o
        .app
        .post(
            "/api/responses",
            Some(&o.jo),
            &body::satisfaction(
                pid,
                "jobseeker_satisfaction",
                5,
                &now_minus(1),
                body::completion("self", "none", "staff_device"),
            ),
        )
        .await;
    assert_eq!(res.status(), 400);
    let session = json!({"id": Uuid::new_v4(), "episode_id": ep, "held_on": "2026-02-02", "duration_minutes": 30, "stage": "engagement", "activity": "Coffee"});
    assert_eq!(
        o.app
            .post("/api/sessions", Some(&o.jo), &session)
            .await
            .status(),
        400
    );
    // Sam sees his own.
    assert_eq!(
        o.app
            .get(&format!("/api/participants/{pid}"), Some(&o.sam))
            .await
            .status(),
        200
    );
    assert_eq!(o.app.count_rows("response").await, 1);
}

#[tokio::test]
async fn bad_answers_are_refused_with_the_field_named_and_nothing_stored() {
    let o = org().await;
    o.app.record_licence(&o.admin).await;
    let (pid, ep) = sams_client(&o, "JS-1").await;
    let staff = body::completion("self", "none", "staff_device");
    let mut zero = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &now_minus(1),
        staff.clone(),
    );
    zero["answers"][0] = json!(0);
    let mut six = zero.clone();
    six["answers"][0] = json!(4);
    six["answers"][2] = json!(6);
    let six_items = body::swemwbs(pid, ep, "end", &[Some(3); 6], &now_minus(1), "self");
    let mut unknown = body::satisfaction(pid, "happiness_index", 4, &now_minus(1), staff.clone());
    unknown["id"] = json!(Uuid::new_v4());
    let mut not_a_date =
        body::satisfaction(pid, "jobseeker_satisfaction", 4, "yesterday", staff.clone());
    not_a_date["id"] = json!(Uuid::new_v4());
    let future = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &(Utc::now() + Duration::hours(2)).to_rfc3339(),
        staff.clone(),
    );
    let mut bad_support = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &now_minus(1),
        staff.clone(),
    );
    bad_support["completion"]["support"] = json!("telepathy");
    for (b, field) in [
        (zero, "answers[0]"),
        (six, "answers[2]"),
        (six_items, "answers"),
        (unknown, "instrument"),
        (not_a_date, "answered_at"),
        (future, "answered_at"),
        (bad_support, "completion.support"),
    ] {
        let res = o.app.post("/api/responses", Some(&o.sam), &b).await;
        assert_eq!(res.status(), 400, "{b}");
        assert_eq!(error_body(res).await["field"], field, "{b}");
    }
    let mut bad_episode = body::episode(pid, "31/03/2026", None);
    let res = o
        .app
        .post("/api/episodes", Some(&o.sam), &bad_episode)
        .await;
    assert_eq!(error_body(res).await["field"], "started_on");
    bad_episode["started_on"] = json!("2026-03-31");
    bad_episode["programme"] = json!("other");
    let res = o
        .app
        .post("/api/episodes", Some(&o.sam), &bad_episode)
        .await;
    assert_eq!(error_body(res).await["field"], "programme");
    assert_eq!(o.app.count_rows("response").await, 0);
    assert_eq!(o.app.count_rows("episode").await, 1);
}

#[tokio::test]
async fn a_withdrawn_or_wrong_kind_of_participant_gets_no_invitation() {
    let o = org().await;
    let employer = id_of(
        &o.app
            .create(
                "/api/participants",
                &o.sam,
                &body::participant("employer", "EMP-1"),
            )
            .await,
    );
    let res = o
        .app
        .post("/api/invitations", Some(&o.sam), &json!({"id": Uuid::new_v4(), "participant_id": employer, "instrument": "jobseeker_satisfaction"}))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "instrument");
    let ok = o
        .app
        .post("/api/invitations", Some(&o.sam), &json!({"id": Uuid::new_v4(), "participant_id": employer, "instrument": "employer_satisfaction"}))
        .await;
    assert_eq!(ok.status(), 201);
}

#[tokio::test]
async fn a_wrong_short_code_is_not_found_and_repeated_guessing_is_slowed() {
    let o = org().await;
    for i in 0..20 {
        let res = o
            .app
            .post(
                "/api/invitations/open",
                None,
                &json!({"short_code": format!("ZZZZZZ{i:02}")}),
            )
            .await;
        assert_eq!(res.status(), 404);
    }
    let res = o
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"short_code": "ZZZZZZZZ"}),
        )
        .await;
    assert_eq!(res.status(), 429);
    error_body(res).await;
}

#[tokio::test]
async fn withdrawal_stops_invitations_at_once() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let consent = json!({"id": Uuid::new_v4(), "participant_id": pid, "scopes": ["surveys", "email"],
                         "given_by": "advocate", "method": "verbal", "text_version": "consent-v1",
                         "given_at": now_minus(60)});
    o.app.create("/api/consents", &o.sam, &consent).await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    let res = o
        .app
        .post(
            &format!("/api/participants/{pid}/withdraw"),
            Some(&o.sam),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["withdrawn"], true);
    // No new invitation, and the one already sent no longer opens.
    let res = o
        .app
        .post("/api/invitations", Some(&o.sam), &json!({"id": Uuid::new_v4(), "participant_id": pid, "instrument": "jobseeker_satisfaction"}))
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "participant_id");
    let res = o
        .app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv["token"]}),
        )
        .await;
    assert_eq!(res.status(), 410);
}

#[tokio::test]
async fn a_specialist_edits_a_participants_details_and_preferences() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let res = o
        .app
        .patch(
            &format!("/api/participants/{pid}"),
            Some(&o.sam),
            &json!({"language": "cy", "email": "client@example.org", "accessibility": {"easy_read": true, "read_aloud": true}}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let p: Value = res.json().await.unwrap();
    assert_eq!(p["language"], "cy");
    assert_eq!(p["accessibility"]["easy_read"], true);
    // The survey opens in the person's language and format.
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    let (_, survey) = open(&o.app, inv["token"].as_str().unwrap()).await;
    assert_eq!(survey["language"], "cy");
    assert_eq!(survey["accessibility"]["read_aloud"], true);
    // Another specialist cannot.
    let res = o
        .app
        .patch(
            &format!("/api/participants/{pid}"),
            Some(&o.jo),
            &json!({"language": "en"}),
        )
        .await;
    assert_eq!(res.status(), 404);
    let res = o
        .app
        .patch(
            &format!("/api/participants/{pid}"),
            Some(&o.sam),
            &json!({"email": "not-an-email"}),
        )
        .await;
    assert_eq!(error_body(res).await["field"], "email");
}

/// The last UK financial quarter that is over, as (first, last, a day inside).
fn last_closed_quarter() -> (chrono::NaiveDate, chrono::NaiveDate) {
    use chrono::Datelike;
    let today = Utc::now().date_naive();
    let (y, m) = match today.month() {
        4..=6 => (today.year(), 1),
        7..=9 => (today.year(), 4),
        10..=12 => (today.year(), 7),
        _ => (today.year() - 1, 10),
    };
    let first = chrono::NaiveDate::from_ymd_opt(y, m, 1).unwrap();
    let last = first
        .checked_add_months(chrono::Months::new(3))
        .unwrap()
        .pred_opt()
        .unwrap();
    (first, last)
}

#[tokio::test]
async fn participants_see_results_only_for_a_closed_period_with_enough_answers() {
    let o = org().await;
    let (first, _) = last_closed_quarter();
    let mut clients = Vec::new();
    for i in 0..5 {
        clients.push(sams_client(&o, &format!("JS-{i}")).await.0);
    }
    let answered = format!("{}T11:00:00Z", first + Duration::days(10));
    for (i, pid) in clients.iter().take(4).enumerate() {
        let r = body::satisfaction(
            *pid,
            "jobseeker_satisfaction",
            [5, 4, 4, 3][i],
            &answered,
            body::completion("self", "none", "staff_device"),
        );
        o.app.create("/api/responses", &o.sam, &r).await;
    }
    let inv = invite(&o, clients[0], "jobseeker_satisfaction").await;
    let (token, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    // Four answers: below the threshold of five, so no figure.
    let r: Value = o
        .app
        .get("/api/survey/results", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r["satisfaction"],
        json!({"shown": "too_few_answers", "n": 4, "needed": 5})
    );
    assert_eq!(r["period"]["first"], first.to_string());
    // The fifth: now it shows. (5 + 4 + 4 + 3 + 4) / 5 = 4.00
    let r5 = body::satisfaction(
        clients[4],
        "jobseeker_satisfaction",
        4,
        &answered,
        body::completion("self", "none", "staff_device"),
    );
    o.app.create("/api/responses", &o.sam, &r5).await;
    let r: Value = o
        .app
        .get("/api/survey/results", Some(&token))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        r["satisfaction"],
        json!({"shown": "value", "value": 4.0, "n": 5})
    );
    // Staff tokens are not participant tokens.
    assert_eq!(
        o.app
            .get("/api/survey/results", Some(&o.sam))
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_server_log_of_an_invitation_flow_holds_no_token() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-LOG").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    let link_token = inv["token"].as_str().unwrap().to_owned();
    let code = inv["short_code"].as_str().unwrap().to_owned();
    let (participant_token, _) = open(&o.app, &link_token).await;
    let res = o
        .app
        .post("/api/invitations/open", None, &json!({"short_code": code}))
        .await;
    assert_eq!(res.status(), 200);
    o.app
        .create(
            "/api/survey/responses",
            &participant_token,
            &own_phone_answer(4, &now_minus(1)),
        )
        .await;
    o.app.get("/api/survey", Some(&participant_token)).await;
    let refresh = o.app.login("sam@a.example.org").await.refresh_token;

    let log = soundings_tests::captured_logs();
    if std::env::var("TEST_LOG").is_ok() {
        return; // the log went to the terminal instead
    }
    // The log did record this flow (so the checks below looked at something)...
    assert!(
        log.contains(&format!("invitation_id={}", inv["id"].as_str().unwrap())),
        "flow not logged"
    );
    assert!(
        log.contains("route=/api/invitations/open"),
        "request spans not logged"
    );
    // ...and none of the secrets, nor the staff password, nor anyone's address.
    for secret in [
        link_token.as_str(),
        code.as_str(),
        participant_token.as_str(),
        o.sam.as_str(),
        refresh.as_str(),
        soundings_tests::PASSWORD,
    ] {
        assert!(!log.contains(secret), "a secret reached the log");
    }
    // (The server's own listening address is not a client's.)
    let with_address: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("127.0.0.1")
                && !l.contains("actix_server")
                && !l.contains("soundings is listening")
        })
        .take(3)
        .collect();
    assert!(
        with_address.is_empty(),
        "a client address reached the log: {with_address:?}"
    );
    assert!(
        !log.contains("JS-LOG"),
        "a participant reference reached the log"
    );
}

#[tokio::test]
async fn the_trend_gives_each_month_exactly_what_that_month_asked_alone_gives() {
    let o = org().await;
    let (pid, episode) = sams_client(&o, "JS-1").await;
    let inv = o
        .app
        .create(
            "/api/invitations",
            &o.sam,
            &json!({"id": Uuid::new_v4(), "participant_id": pid, "episode_id": episode,
                    "instrument": "jobseeker_satisfaction"}),
        )
        .await;
    // Made 40 days ago, open for a week more: answered on two phones, five weeks apart, so
    // the two answers fall in different months and the later one is a second answer.
    o.app.backdate_invitation(id_of(&inv), 40, -7).await;
    let (phone_a, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    let (phone_b, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    let early = Utc::now() - Duration::days(36);
    let late = Utc::now() - Duration::hours(1);
    o.app
        .create(
            "/api/survey/responses",
            &phone_a,
            &own_phone_answer(2, &early.to_rfc3339()),
        )
        .await;
    o.app
        .create(
            "/api/survey/responses",
            &phone_b,
            &own_phone_answer(5, &late.to_rfc3339()),
        )
        .await;
    // And answers without an invitation, entered by staff, in both months.
    for (overall, at) in [(4, early), (3, late), (1, late)] {
        let mut answer = body::satisfaction(
            pid,
            "jobseeker_satisfaction",
            overall,
            &at.to_rfc3339(),
            body::completion("self", "none", "staff_device"),
        );
        answer["episode_id"] = json!(episode);
        o.app.create("/api/responses", &o.sam, &answer).await;
    }

    let get = |path: String| {
        let app = &o.app;
        let token = &o.admin;
        async move {
            let res = app.get(&path, Some(token)).await;
            assert_eq!(res.status(), 200, "{path}");
            res.json::<Value>().await.unwrap()
        }
    };
    let staff = get("/api/staff".to_owned()).await;
    let id_of_staff = |email: &str| {
        staff
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["email"] == email)
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .unwrap()
    };
    let sam = format!("&specialist_id={}", id_of_staff("sam@a.example.org"));
    let jo = format!("&specialist_id={}", id_of_staff("jo@a.example.org"));
    let today = Utc::now().date_naive();
    let (first, last) = (today - Duration::days(70), today);
    for filter in ["", &sam, &jo, "&programme=ips"] {
        let trend = get(format!("/api/kpi/trend?first={first}&last={last}{filter}")).await;
        let months = trend["kpi_d"].as_array().unwrap();
        assert!(months.len() >= 3, "{trend}");
        let mut counted = 0;
        for (i, point) in months.iter().enumerate() {
            let q = format!(
                "first={}&last={}{filter}",
                point["period"]["first"].as_str().unwrap(),
                point["period"]["last"].as_str().unwrap()
            );
            let d = get(format!("/api/kpi/jobseeker-satisfaction?{q}")).await;
            assert_eq!(point["n"], d["n"], "KPI D {q}");
            assert_eq!(point["value"], d["mean"], "KPI D {q}");
            assert_eq!(point["small_sample"], d["small_sample"], "KPI D {q}");
            let c = get(format!("/api/kpi/employer-satisfaction?{q}")).await;
            assert_eq!(trend["kpi_c"][i]["n"], c["n"], "KPI C {q}");
            let w = get(format!("/api/kpi/wellbeing?{q}")).await;
            assert_eq!(
                trend["wellbeing_change"][i]["n"], w["paired_n"],
                "wellbeing {q}"
            );
            counted += d["n"].as_u64().unwrap();
        }
        // Worked by hand: three staff answers and the invitation's first answer; the second
        // answer (5, this month) is left out. All are on Sam's caseload, none is Jo's.
        let expected = if filter.is_empty() || filter == sam {
            4
        } else {
            0
        };
        assert_eq!(counted, expected, "{filter}");
    }
}

/// With a survey link a person can only say what they can know: they answered themselves, on
/// their own phone. A proxy answer, staff help, a staff device or paper come only with a staff
/// login (issue 20): refused naming the field, and nothing stored.
#[tokio::test]
async fn a_participant_cannot_claim_staff_only_completion_values() {
    let o = org().await;
    let (pid, _) = sams_client(&o, "JS-1").await;
    let inv = invite(&o, pid, "jobseeker_satisfaction").await;
    let (token, _) = open(&o.app, inv["token"].as_str().unwrap()).await;
    for (field, value, name) in [
        ("channel", "paper_transcribed", "completion.channel"),
        ("channel", "staff_device", "completion.channel"),
        ("support", "staff_assisted", "completion.support"),
        ("respondent", "proxy", "completion.respondent"),
    ] {
        let mut answer = own_phone_answer(5, &now_minus(1));
        answer["completion"][field] = json!(value);
        let res = o
            .app
            .post("/api/survey/responses", Some(&token), &answer)
            .await;
        assert_eq!(res.status(), 400, "{value}");
        assert_eq!(error_body(res).await["field"], name, "{value}");
    }
    assert_eq!(o.app.count_rows("response").await, 0);
    // What a person can say is still taken: their own phone, read aloud by it.
    let mut answer = own_phone_answer(5, &now_minus(1));
    answer["completion"]["support"] = json!("read_aloud");
    o.app.create("/api/survey/responses", &token, &answer).await;
    // And the same values with a staff login are recorded as given.
    let mut staff = body::satisfaction(
        pid,
        "jobseeker_satisfaction",
        4,
        &now_minus(1),
        body::completion("proxy", "staff_assisted", "paper_transcribed"),
    );
    staff["episode_id"] = json!(null);
    o.app.create("/api/responses", &o.sam, &staff).await;
    assert_eq!(o.app.count_rows("response").await, 2);
}
