//! Official SWEMWBS translations: an admin loads the Welsh one, the organisation's SWEMWBS is
//! then offered in Welsh with exactly those words (and only in that organisation), a Welsh
//! answer is accepted only while it is loaded, and bad loads are refused naming the field.
//!
//! The Welsh texts here are placeholders for the test, not a translation of SWEMWBS.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

const PATH: &str = "/api/settings/swemwbs-translations";

struct World {
    app: TestApp,
    admin: String,
    manager: String,
    sam: String,
    /// Org B's admin and specialist.
    other_admin: String,
    other_sam: String,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let a = app.create_org("Org A", "admin@a.example.org").await;
    let b = app.create_org("Org B", "admin@b.example.org").await;
    app.create_staff_direct(a, "manager@a.example.org", domain::Role::Manager)
        .await;
    app.create_staff_direct(a, "sam@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(b, "sam@b.example.org", domain::Role::Specialist)
        .await;
    let w = World {
        admin: app.login("admin@a.example.org").await.access_token,
        manager: app.login("manager@a.example.org").await.access_token,
        sam: app.login("sam@a.example.org").await.access_token,
        other_admin: app.login("admin@b.example.org").await.access_token,
        other_sam: app.login("sam@b.example.org").await.access_token,
        app,
    };
    w.app.record_licence(&w.admin).await;
    w.app.record_licence(&w.other_admin).await;
    w
}

/// Placeholder Welsh texts, recognisable in every answer.
fn welsh() -> Value {
    json!({
        "source": "Welsh translation, Warwick Medical School list",
        "title": "Teitl prawf SWEMWBS",
        "instruction": "Cyfarwyddyd prawf",
        "labels": (1..=5).map(|i| format!("Label prawf {i}")).collect::<Vec<_>>(),
        "items": (1..=7).map(|i| format!("Eitem prawf {i}")).collect::<Vec<_>>(),
    })
}

fn cy() -> String {
    format!("{PATH}/cy")
}

/// A Welsh-speaking jobseeker of `sam`'s with an open episode, and a SWEMWBS start link for
/// them; returns (participant, episode, link token).
async fn welsh_client_with_link(app: &TestApp, sam: &str, reference: &str) -> (Uuid, Uuid, String) {
    let mut p = body::participant("jobseeker", reference);
    p["language"] = json!("cy");
    let pid = id_of(&app.create("/api/participants", sam, &p).await);
    let ep = id_of(
        &app.create(
            "/api/episodes",
            sam,
            &body::episode(pid, "2026-01-05", None),
        )
        .await,
    );
    let inv = app
        .create(
            "/api/invitations",
            sam,
            &json!({"id": Uuid::new_v4(), "participant_id": pid, "episode_id": ep,
                    "instrument": "swemwbs", "timing": "start"}),
        )
        .await;
    (pid, ep, inv["token"].as_str().unwrap().to_owned())
}

/// Opens a link as the person's phone would: (participant token, survey).
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

fn own_phone_answer(language: &str, items: &[Option<u8>]) -> Value {
    let mut completion = body::completion("self", "none", "own_device");
    completion["language"] = json!(language);
    json!({"id": Uuid::new_v4(), "answers": items, "completion": completion,
           "answered_at": (Utc::now() - Duration::minutes(1)).to_rfc3339()})
}

/// The instrument's texts in `lang`: title, instruction, labels, items.
fn texts(instrument: &Value, lang: &str) -> (Value, Value, Vec<Value>, Vec<Value>) {
    (
        instrument["title"][lang].clone(),
        instrument["instruction"][lang].clone(),
        instrument["scale"]["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l[lang].clone())
            .collect(),
        instrument["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["text"][lang].clone())
            .collect(),
    )
}

async fn swemwbs_for(app: &TestApp, staff: &str) -> Value {
    let all: Vec<Value> = app
        .get("/api/instruments", Some(staff))
        .await
        .json()
        .await
        .unwrap();
    all.into_iter().find(|d| d["key"] == "swemwbs").unwrap()
}

async fn trail(w: &World) -> Vec<Value> {
    w.app
        .get("/api/audit", Some(&w.admin))
        .await
        .json::<Vec<Value>>()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| {
            e["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("swemwbs_translation"))
        })
        .collect()
}

#[tokio::test]
async fn a_loaded_welsh_translation_is_what_a_welsh_swemwbs_link_shows_in_that_organisation_only() {
    let w = world().await;
    // Before: SWEMWBS is English only, also for a Welsh speaker (the app around it is Welsh).
    let (_, _, link) = welsh_client_with_link(&w.app, &w.sam, "JS-1").await;
    let (_, before) = open(&w.app, &link).await;
    assert_eq!(before["language"], "cy");
    assert_eq!(before["instrument"]["languages"], json!(["en"]));
    assert_eq!(texts(&before["instrument"], "cy").0, Value::Null);
    assert_eq!(
        swemwbs_for(&w.app, &w.sam).await["languages"],
        json!(["en"])
    );

    let res = w.app.put(&cy(), Some(&w.admin), &welsh()).await;
    assert_eq!(res.status(), 200);
    let loaded: Value = res.json().await.unwrap();
    assert_eq!(loaded["language"], "cy");
    assert_eq!(loaded["source"], welsh()["source"]);
    assert_eq!(loaded["loaded_by"], "Test Person");
    assert_eq!(loaded["instrument_version"], 1);

    // The same link opened again carries exactly the loaded words, beside the original.
    let (_, after) = open(&w.app, &link).await;
    let sw = &after["instrument"];
    assert_eq!(sw["languages"], json!(["en", "cy"]));
    let (title, instruction, labels, items) = texts(sw, "cy");
    assert_eq!(title, welsh()["title"]);
    assert_eq!(instruction, welsh()["instruction"]);
    assert_eq!(json!(labels), welsh()["labels"]);
    assert_eq!(json!(items), welsh()["items"]);
    assert_eq!(
        texts(sw, "en"),
        texts(&before["instrument"], "en"),
        "the English original is untouched"
    );
    assert_eq!(sw["copyright"], before["instrument"]["copyright"]);
    // The staff app's instruments (its offline cache) carry it too.
    assert_eq!(texts(&swemwbs_for(&w.app, &w.sam).await, "cy").3, items);

    // Another organisation's SWEMWBS stays English only.
    let (_, _, other_link) = welsh_client_with_link(&w.app, &w.other_sam, "JS-B").await;
    let (_, other) = open(&w.app, &other_link).await;
    assert_eq!(other["instrument"]["languages"], json!(["en"]));
    assert_eq!(texts(&other["instrument"], "cy").3[0], Value::Null);
    assert_eq!(
        swemwbs_for(&w.app, &w.other_sam).await["languages"],
        json!(["en"])
    );
    let theirs: Value = w
        .app
        .get(PATH, Some(&w.other_admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["loaded"], json!([]));

    // Managers read what is loaded, with the English original to compare.
    let res = w.app.get(PATH, Some(&w.manager)).await;
    assert_eq!(res.status(), 200);
    let shown: Value = res.json().await.unwrap();
    assert_eq!(shown["loaded"].as_array().unwrap().len(), 1);
    assert_eq!(shown["loaded"][0]["texts"]["items"], welsh()["items"]);
    assert_eq!(
        shown["original"]["items"][0],
        "I've been feeling optimistic about the future"
    );
    assert_eq!(shown["original"]["labels"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_welsh_swemwbs_answer_is_refused_until_the_translation_is_loaded_and_scored_as_in_english()
 {
    let w = world().await;
    let items = body::items_for_raw(23);
    let (_, _, link) = welsh_client_with_link(&w.app, &w.sam, "JS-1").await;
    let (token, _) = open(&w.app, &link).await;
    let res = w
        .app
        .post(
            "/api/survey/responses",
            Some(&token),
            &own_phone_answer("cy", &items),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "completion.language");
    // Staff entering a Welsh form meet the same rule.
    let (pid, ep, _) = welsh_client_with_link(&w.app, &w.sam, "JS-2").await;
    let mut staff_form = body::swemwbs(pid, ep, "start", &items, &Utc::now().to_rfc3339(), "self");
    staff_form["completion"]["language"] = json!("cy");
    let res = w
        .app
        .post("/api/responses", Some(&w.sam), &staff_form)
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "completion.language");
    assert_eq!(w.app.count_rows("response").await, 0);

    // An English answer, for comparison.
    let (_, _, en_link) = welsh_client_with_link(&w.app, &w.sam, "JS-3").await;
    let (en_token, _) = open(&w.app, &en_link).await;
    let english = w
        .app
        .create(
            "/api/survey/responses",
            &en_token,
            &own_phone_answer("en", &items),
        )
        .await;

    let res = w.app.put(&cy(), Some(&w.admin), &welsh()).await;
    assert_eq!(res.status(), 200);
    let welsh_answer = w
        .app
        .create(
            "/api/survey/responses",
            &token,
            &own_phone_answer("cy", &items),
        )
        .await;
    assert_eq!(welsh_answer["swemwbs_raw"], 23);
    assert_eq!(welsh_answer["swemwbs_raw"], english["swemwbs_raw"]);
    assert_eq!(welsh_answer["swemwbs_metric"], english["swemwbs_metric"]);
    assert_eq!(welsh_answer["complete"], true);
    w.app.create("/api/responses", &w.sam, &staff_form).await;
    assert_eq!(w.app.count_rows("response").await, 3);

    // Another organisation still refuses a Welsh SWEMWBS answer.
    let (_, _, other_link) = welsh_client_with_link(&w.app, &w.other_sam, "JS-B").await;
    let (other_token, _) = open(&w.app, &other_link).await;
    let res = w
        .app
        .post(
            "/api/survey/responses",
            Some(&other_token),
            &own_phone_answer("cy", &items),
        )
        .await;
    assert_eq!(res.status(), 400);
    assert_eq!(error_body(res).await["field"], "completion.language");
}

#[tokio::test]
async fn loading_twice_stores_one_a_new_load_replaces_it_and_removing_makes_swemwbs_english_only() {
    let w = world().await;
    let first: Value = w
        .app
        .put(&cy(), Some(&w.admin), &welsh())
        .await
        .json()
        .await
        .unwrap();
    let again = w.app.put(&cy(), Some(&w.admin), &welsh()).await;
    assert_eq!(again.status(), 200);
    assert_eq!(
        again.json::<Value>().await.unwrap(),
        first,
        "nothing changed"
    );
    assert_eq!(w.app.count_rows("instrument_translation").await, 1);
    assert_eq!(trail(&w).await.len(), 1, "an identical load is no change");

    let mut corrected = welsh();
    corrected["items"][6] = json!("Eitem prawf 7, wedi'i chywiro");
    let res = w.app.put(&cy(), Some(&w.admin), &corrected).await;
    assert_eq!(res.status(), 200);
    assert_eq!(w.app.count_rows("instrument_translation").await, 1);
    assert_eq!(
        texts(&swemwbs_for(&w.app, &w.sam).await, "cy").3[6],
        corrected["items"][6]
    );

    let res = w
        .app
        .send::<()>(Method::DELETE, &cy(), Some(&w.admin), None)
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(w.app.count_rows("instrument_translation").await, 0);
    let sw = swemwbs_for(&w.app, &w.sam).await;
    assert_eq!(sw["languages"], json!(["en"]));
    assert_eq!(texts(&sw, "cy").2[0], Value::Null);
    let (_, _, link) = welsh_client_with_link(&w.app, &w.sam, "JS-1").await;
    assert_eq!(
        open(&w.app, &link).await.1["instrument"]["languages"],
        json!(["en"])
    );
    // Removing what is not there is no change either.
    let res = w
        .app
        .send::<()>(Method::DELETE, &cy(), Some(&w.admin), None)
        .await;
    assert_eq!(res.status(), 204);

    // The trail has the load, the replacement and the removal: what and by whom, no words.
    let entries = trail(&w).await;
    let details: Vec<&str> = entries
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(details.len(), 3, "{entries:?}");
    for d in [
        "swemwbs_translation: cy v1 loaded",
        "swemwbs_translation: cy v1 replaced",
        "swemwbs_translation: cy removed",
    ] {
        assert!(details.contains(&d), "{d} missing from {details:?}");
    }
    for e in &entries {
        assert_eq!(e["entity"], "settings");
        assert_eq!(e["action"], "update");
        assert_eq!(e["participant_id"], Value::Null);
        assert!(
            !e.to_string().contains("prawf"),
            "no texts in the trail: {e}"
        );
    }
}

#[tokio::test]
async fn two_loads_at_once_store_one_and_are_audited_once() {
    let w = world().await;
    let (path, body) = (cy(), welsh());
    let (a, b) = tokio::join!(
        w.app.put(&path, Some(&w.admin), &body),
        w.app.put(&path, Some(&w.admin), &body),
    );
    assert_eq!((a.status().as_u16(), b.status().as_u16()), (200, 200));
    assert_eq!(w.app.count_rows("instrument_translation").await, 1);
    assert_eq!(trail(&w).await.len(), 1);
}

#[tokio::test]
async fn a_bad_translation_is_refused_naming_the_field_and_nothing_is_stored() {
    let w = world().await;
    let with = |pointer: &str, value: Value| {
        let mut b = welsh();
        *b.pointer_mut(pointer).unwrap() = value;
        b
    };
    let mut six_items = welsh();
    six_items["items"].as_array_mut().unwrap().pop();
    let mut no_source = welsh();
    no_source.as_object_mut().unwrap().remove("source");
    let mut unknown = welsh();
    unknown["easy_read"] = json!("Hawdd ei Ddarllen");
    let cases: Vec<(String, Value, &str)> = vec![
        (cy(), six_items, "items"),
        (cy(), with("/labels/2", json!("   ")), "labels[2]"),
        (cy(), with("/items/0", json!("")), "items[0]"),
        (cy(), with("/title", json!("x".repeat(301))), "title"),
        (cy(), with("/instruction", json!("")), "instruction"),
        (cy(), no_source, "source"),
        (cy(), with("/source", json!(" ")), "source"),
        (cy(), unknown, "easy_read"),
        (format!("{PATH}/en"), welsh(), "language"),
        (format!("{PATH}/fr"), welsh(), "language"),
    ];
    for (path, body, field) in cases {
        let res = w.app.put(&path, Some(&w.admin), &body).await;
        assert_eq!(res.status(), 400, "{path} {body}");
        assert_eq!(error_body(res).await["field"], field, "{path} {body}");
    }
    for (who, token) in [("manager", &w.manager), ("specialist", &w.sam)] {
        let res = w.app.put(&cy(), Some(token), &welsh()).await;
        assert_eq!(res.status(), 403, "{who}");
        error_body(res).await;
        let res = w
            .app
            .send::<()>(Method::DELETE, &cy(), Some(token), None)
            .await;
        assert_eq!(res.status(), 403, "{who}");
    }
    let res = w.app.get(PATH, Some(&w.sam)).await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        w.app
            .send::<()>(Method::DELETE, &format!("{PATH}/en"), Some(&w.admin), None)
            .await
            .status(),
        400
    );
    assert_eq!(w.app.count_rows("instrument_translation").await, 0);
    assert!(trail(&w).await.is_empty());
    assert_eq!(
        swemwbs_for(&w.app, &w.sam).await["languages"],
        json!(["en"])
    );
}
