//! Voice comments: recorded on the participant's phone, stored once, played only by managers,
//! on the safeguarding list like any comment, and gone with the person's other data on erasure.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

const WEBM: &str = "audio/webm;codecs=opus";

struct World {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    jo: String,
    participant: Uuid,
    /// The participant's phone, holding the invitation it answered.
    phone: String,
    /// The response that phone sent.
    response: Uuid,
}

/// Sam's client answers a satisfaction survey on her own phone (rating 4, no typed comment).
async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    for (email, role) in [
        ("manager@a.example.org", domain::Role::Manager),
        ("sam@a.example.org", domain::Role::Specialist),
        ("jo@a.example.org", domain::Role::Specialist),
    ] {
        app.create_staff_direct(org, email, role).await;
    }
    let manager = app.login("manager@a.example.org").await.access_token;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    let participant = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let phone = open_invitation(&app, &sam, participant).await;
    let response = id_of(
        &app.create(
            "/api/survey/responses",
            &phone,
            &json!({"id": Uuid::new_v4(), "answers": [4, 4, 4, 4, 4],
                    "completion": body::completion("self", "none", "own_device"),
                    "answered_at": (Utc::now() - Duration::minutes(2)).to_rfc3339()}),
        )
        .await,
    );
    World {
        app,
        admin,
        manager,
        sam,
        jo,
        participant,
        phone,
        response,
    }
}

/// Invites the participant and opens the link as their phone would; returns the phone's token.
async fn open_invitation(app: &TestApp, staff: &str, participant: Uuid) -> String {
    let inv = app
        .create(
            "/api/invitations",
            staff,
            &json!({"id": Uuid::new_v4(), "participant_id": participant, "instrument": "jobseeker_satisfaction"}),
        )
        .await;
    let opened: Value = app
        .post(
            "/api/invitations/open",
            None,
            &json!({"token": inv["token"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    opened["access_token"].as_str().unwrap().to_owned()
}

/// Bytes that stand in for a recording (the server stores audio as sent; it never decodes it).
fn recording(seed: u8, len: usize) -> Vec<u8> {
    let mut v = b"\x1a\x45\xdf\xa3".to_vec();
    v.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)));
    v
}

async fn upload(w: &World, token: &str, content_type: &str, bytes: Vec<u8>) -> reqwest::Response {
    w.app
        .send_raw(
            Method::PUT,
            &format!("/api/survey/responses/{}/voice", w.response),
            Some(token),
            content_type,
            bytes,
        )
        .await
}

async fn play(w: &World, token: &str) -> reqwest::Response {
    w.app
        .get(&format!("/api/responses/{}/voice", w.response), Some(token))
        .await
}

#[tokio::test]
async fn a_participants_voice_comment_is_played_back_to_a_manager_exactly_as_recorded() {
    let w = world().await;
    let audio = recording(1, 40_000);

    let res = upload(&w, &w.phone, "audio/webm; codecs=opus", audio.clone()).await;
    assert_eq!(res.status(), 201);
    let receipt: Value = res.json().await.unwrap();
    assert_eq!(receipt["response_id"], json!(w.response));
    assert_eq!(receipt["content_type"], WEBM);
    assert_eq!(receipt["byte_len"], audio.len());

    let res = play(&w, &w.manager).await;
    assert_eq!(res.status(), 200);
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), WEBM);
    assert_eq!(header("cache-control"), "no-store");
    assert_eq!(res.bytes().await.unwrap().to_vec(), audio);
    // Admins may play it too; each hearing is on the audit trail.
    assert_eq!(play(&w, &w.admin).await.status(), 200);
    let trail: Vec<Value> = w
        .app
        .get(
            &format!("/api/audit?participant_id={}", w.participant),
            Some(&w.admin),
        )
        .await
        .json()
        .await
        .unwrap();
    let hearings = trail
        .iter()
        .filter(|e| {
            e["action"] == "read"
                && e["entity"] == "voice_comment"
                && e["entity_id"] == json!(w.response)
        })
        .count();
    assert_eq!(hearings, 2, "{trail:?}");
}

#[tokio::test]
async fn the_same_recording_sent_twice_is_stored_once_and_another_is_a_conflict() {
    let w = world().await;
    let audio = recording(2, 5_000);
    let first = upload(&w, &w.phone, WEBM, audio.clone()).await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = upload(&w, &w.phone, WEBM, audio.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(w.app.count_rows("voice_comment").await, 1);

    let other = upload(&w, &w.phone, WEBM, recording(3, 5_000)).await;
    assert_eq!(other.status(), 409);
    assert_eq!(error_body(other).await["field"], "id");
    let other_type = upload(&w, &w.phone, "audio/ogg", audio).await;
    assert_eq!(other_type.status(), 409);
    assert_eq!(w.app.count_rows("voice_comment").await, 1);
}

#[tokio::test]
async fn a_body_that_is_not_a_recording_is_refused_with_the_field_named_and_nothing_stored() {
    let w = world().await;
    for content_type in ["application/json", "video/webm", "audio/flac", "text/plain"] {
        let res = upload(&w, &w.phone, content_type, recording(4, 100)).await;
        assert_eq!(res.status(), 415, "{content_type}");
        let body = error_body(res).await;
        assert_eq!(body["error"], "unsupported_media_type");
        assert_eq!(body["field"], "content_type");
    }
    let res = upload(&w, &w.phone, "audio/ogg", Vec::new()).await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "body");

    let too_big = vec![7u8; 3 * 1024 * 1024 + 1];
    let res = upload(&w, &w.phone, "audio/mp4", too_big).await;
    assert_eq!(res.status(), 413);
    assert_eq!(error_body(res).await["error"], "payload_too_large");
    // Exactly 3 MiB is still a recording.
    let res = upload(&w, &w.phone, "audio/mp4", vec![7u8; 3 * 1024 * 1024]).await;
    assert_eq!(res.status(), 201);
    assert_eq!(w.app.count_rows("voice_comment").await, 1);
}

#[tokio::test]
async fn only_the_device_that_sent_a_response_can_add_a_recording_to_it() {
    let w = world().await;
    // Another invitation (to the same person) cannot reach this response...
    let other_phone = open_invitation(&w.app, &w.sam, w.participant).await;
    let res = upload(&w, &other_phone, WEBM, recording(5, 100)).await;
    assert_eq!(res.status(), 404);
    error_body(res).await;
    // ...nor can a participant's token reach a response staff entered.
    let staff_entered = id_of(
        &w.app
            .create(
                "/api/responses",
                &w.sam,
                &body::satisfaction(
                    w.participant,
                    "jobseeker_satisfaction",
                    3,
                    &(Utc::now() - Duration::minutes(1)).to_rfc3339(),
                    body::completion("self", "none", "staff_device"),
                ),
            )
            .await,
    );
    let res = w
        .app
        .send_raw(
            Method::PUT,
            &format!("/api/survey/responses/{staff_entered}/voice"),
            Some(&w.phone),
            WEBM,
            recording(5, 100),
        )
        .await;
    assert_eq!(res.status(), 404);
    // Sam may record it for his client; Jo, whose caseload it is not, gets 404.
    let path = format!("/api/responses/{staff_entered}/voice");
    let res = w
        .app
        .send_raw(Method::PUT, &path, Some(&w.jo), WEBM, recording(6, 100))
        .await;
    assert_eq!(res.status(), 404);
    let res = w
        .app
        .send_raw(Method::PUT, &path, Some(&w.sam), WEBM, recording(6, 100))
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(w.app.count_rows("voice_comment").await, 1);
}

#[tokio::test]
async fn specialists_never_hear_a_voice_comment_and_other_organisations_never_find_one() {
    let w = world().await;
    assert_eq!(
        upload(&w, &w.phone, WEBM, recording(7, 100)).await.status(),
        201
    );
    let res = play(&w, &w.sam).await;
    assert_eq!(res.status(), 403);
    error_body(res).await;

    let org_b = w.app.create_org("Org B", "admin@b.example.org").await;
    w.app
        .create_staff_direct(org_b, "manager@b.example.org", domain::Role::Manager)
        .await;
    let other_manager = w.app.login("manager@b.example.org").await.access_token;
    let res = play(&w, &other_manager).await;
    assert_eq!(res.status(), 404);
    error_body(res).await;
    // Nor can they add one.
    let res = w
        .app
        .send_raw(
            Method::PUT,
            &format!("/api/responses/{}/voice", w.response),
            Some(&other_manager),
            WEBM,
            recording(8, 100),
        )
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn a_voice_comment_puts_the_response_on_the_needs_attention_list() {
    let w = world().await;
    let listed = |items: &Vec<Value>| {
        items
            .iter()
            .find(|i| i["response_id"] == json!(w.response))
            .cloned()
    };
    let before: Vec<Value> = w
        .app
        .get("/api/attention", Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        listed(&before).is_none(),
        "a rating of 4 alone needs nothing"
    );

    upload(&w, &w.phone, WEBM, recording(9, 100)).await;
    let after: Vec<Value> = w
        .app
        .get("/api/attention", Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    let item = listed(&after).expect("the response is on the list");
    assert_eq!(item["voice_comment"], true);
    assert_eq!(item["comment"], Value::Null);

    // Handled, it leaves the list like any other item.
    let res = w
        .app
        .post(
            &format!("/api/attention/{}/handle", w.response),
            Some(&w.manager),
            &json!({"note": "Listened; called her back"}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let handled: Vec<Value> = w
        .app
        .get("/api/attention", Some(&w.manager))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed(&handled).is_none());
}

#[tokio::test]
async fn subject_access_names_the_recording_and_erasure_removes_it_for_good() {
    let w = world().await;
    let audio = recording(10, 2_000);
    upload(&w, &w.phone, WEBM, audio.clone()).await;

    let sar = w
        .app
        .get(
            &format!("/api/participants/{}/export", w.participant),
            Some(&w.admin),
        )
        .await
        .text()
        .await
        .unwrap();
    let v: Value = serde_json::from_str(&sar).unwrap();
    assert_eq!(v["audio"].as_array().unwrap().len(), 1);
    assert_eq!(v["audio"][0]["response_id"], json!(w.response));
    assert_eq!(v["audio"][0]["content_type"], WEBM);
    assert!(
        v["summary"]
            .as_str()
            .unwrap()
            .contains("Voice comments: 1.")
    );

    let res = w
        .app
        .post(
            &format!("/api/participants/{}/erase", w.participant),
            Some(&w.admin),
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.app.count_rows("voice_comment").await, 0);
    assert_eq!(play(&w, &w.manager).await.status(), 404);
    // The phone's outbox resending the recording later does not bring it back.
    let res = upload(&w, &w.phone, WEBM, audio).await;
    assert_eq!(res.status(), 409);
    assert_eq!(w.app.count_rows("voice_comment").await, 0);
    // Erasing with the answers removed takes any recording with them.
    let sams_other = id_of(
        &w.app
            .create(
                "/api/participants",
                &w.sam,
                &body::participant("jobseeker", "JS-2"),
            )
            .await,
    );
    let phone = open_invitation(&w.app, &w.sam, sams_other).await;
    let r = id_of(
        &w.app
            .create(
                "/api/survey/responses",
                &phone,
                &json!({"id": Uuid::new_v4(), "answers": [5, 5, 5, 5, 5],
                        "completion": body::completion("self", "none", "own_device"),
                        "answered_at": (Utc::now() - Duration::minutes(1)).to_rfc3339()}),
            )
            .await,
    );
    let res = w
        .app
        .send_raw(
            Method::PUT,
            &format!("/api/survey/responses/{r}/voice"),
            Some(&phone),
            "audio/mpeg",
            recording(11, 100),
        )
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(w.app.count_rows("voice_comment").await, 1);
    let res = w
        .app
        .post(
            &format!("/api/participants/{sams_other}/erase"),
            Some(&w.admin),
            &json!({"remove_answers": true}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.app.count_rows("voice_comment").await, 0);
}

#[tokio::test]
async fn a_survey_without_a_comment_takes_no_recording() {
    let w = world().await;
    w.app.record_licence(&w.admin).await;
    let episode = id_of(
        &w.app
            .create(
                "/api/episodes",
                &w.sam,
                &body::episode(w.participant, "2026-01-05", None),
            )
            .await,
    );
    let swemwbs = id_of(
        &w.app
            .create(
                "/api/responses",
                &w.sam,
                &body::swemwbs(
                    w.participant,
                    episode,
                    "start",
                    &body::items_for_raw(21),
                    &(Utc::now() - Duration::minutes(1)).to_rfc3339(),
                    "self",
                ),
            )
            .await,
    );
    let res = w
        .app
        .send_raw(
            Method::PUT,
            &format!("/api/responses/{swemwbs}/voice"),
            Some(&w.sam),
            WEBM,
            recording(12, 100),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "id");
    assert_eq!(w.app.count_rows("voice_comment").await, 0);
}
