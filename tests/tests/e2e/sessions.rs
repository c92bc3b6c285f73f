//! Editing a support session from two devices (DESIGN §6): an edit made against the current
//! version is applied; a stale one is never lost and never overwrites — it is kept beside the
//! session as a conflict until someone resolves it.

use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of};
use uuid::Uuid;

struct World {
    app: TestApp,
    sam: String,
    jo: String,
    session: Uuid,
    episode: Uuid,
}

async fn world() -> World {
    let app = TestApp::spawn().await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    app.create_staff_direct(org, "jo@a.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let jo = app.login("jo@a.example.org").await.access_token;
    let p = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let episode = id_of(
        &app.create("/api/episodes", &sam, &body::episode(p, "2026-01-05", None))
            .await,
    );
    let session = id_of(
        &app.create(
            "/api/sessions",
            &sam,
            &json!({"id": Uuid::new_v4(), "episode_id": episode, "held_on": "2026-02-01",
                    "duration_minutes": 45, "stage": "engagement", "activity": "first meeting",
                    "note": "met at the cafe"}),
        )
        .await,
    );
    World {
        app,
        sam,
        jo,
        session,
        episode,
    }
}

fn edit(base_version: i32, note: &str, minutes: u16) -> Value {
    json!({"id": Uuid::new_v4(), "base_version": base_version, "held_on": "2026-02-01",
           "duration_minutes": minutes, "stage": "vocational_profiling",
           "activity": "first meeting", "note": note})
}

async fn patch(w: &World, token: &str, body: &Value) -> reqwest::Response {
    w.app
        .patch(&format!("/api/sessions/{}", w.session), Some(token), body)
        .await
}

async fn records(w: &World) -> Vec<Value> {
    let res = w
        .app
        .get(
            &format!("/api/episodes/{}/sessions", w.episode),
            Some(&w.sam),
        )
        .await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

#[tokio::test]
async fn an_edit_of_the_current_version_is_applied_and_a_resend_changes_nothing() {
    let w = world().await;
    let e = edit(1, "met at the cafe; wants warehouse work", 50);
    let res = patch(&w, &w.sam, &e).await;
    assert_eq!(res.status(), 200);
    let s: Value = res.json().await.unwrap();
    assert_eq!(s["version"], 2);
    assert_eq!(s["note"], "met at the cafe; wants warehouse work");
    assert_eq!(s["stage"], "vocational_profiling");
    // The outbox sends it again (its acknowledgement was lost): same answer, nothing more.
    let again = patch(&w, &w.sam, &e).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), s);
    assert_eq!(w.app.count_rows("session_edit").await, 1);
    let list = records(&w).await;
    assert_eq!(list[0]["session"]["version"], 2);
    assert_eq!(list[0]["conflicts"], json!([]));
}

#[tokio::test]
async fn a_stale_edit_is_kept_as_a_visible_conflict_and_both_versions_survive() {
    let w = world().await;
    // Two phones both hold version 1. The first edit lands.
    let first = edit(1, "first phone's note", 50);
    assert_eq!(patch(&w, &w.sam, &first).await.status(), 200);
    // The second was made offline against version 1 and arrives later.
    let second = edit(1, "second phone's note", 60);
    let res = patch(&w, &w.sam, &second).await;
    assert_eq!(res.status(), 409);
    let err = error_body(res).await;
    assert_eq!(err["field"], "base_version");
    // Sent again: the same refusal, still one conflict.
    assert_eq!(patch(&w, &w.sam, &second).await.status(), 409);

    let list = records(&w).await;
    assert_eq!(list.len(), 1);
    let r = &list[0];
    // Nothing overwritten: the session is the first edit's ...
    assert_eq!(r["session"]["note"], "first phone's note");
    assert_eq!(r["session"]["version"], 2);
    // ... and nothing lost: the second sits beside it.
    assert_eq!(r["conflicts"].as_array().unwrap().len(), 1);
    let c = &r["conflicts"][0];
    assert_eq!(c["edit_id"], second["id"]);
    assert_eq!(c["note"], "second phone's note");
    assert_eq!(c["duration_minutes"], 60);
    assert_eq!(c["base_version"], 1);

    // Resolved by keeping the second phone's edit: a new version, the conflict closed.
    let resolve = format!(
        "/api/sessions/{}/conflicts/{}/resolve",
        w.session,
        second["id"].as_str().unwrap()
    );
    let res = w
        .app
        .post(&resolve, Some(&w.sam), &json!({"keep": "conflicting_edit"}))
        .await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["session"]["note"], "second phone's note");
    assert_eq!(r["session"]["duration_minutes"], 60);
    assert_eq!(r["session"]["version"], 3);
    assert_eq!(r["conflicts"], json!([]));
    // A conflict resolves once.
    let again = w
        .app
        .post(&resolve, Some(&w.sam), &json!({"keep": "current"}))
        .await;
    assert_eq!(again.status(), 404);
    // Both edits stay on record.
    assert_eq!(w.app.count_rows("session_edit").await, 2);
}

#[tokio::test]
async fn keeping_the_current_version_closes_the_conflict_without_changing_the_session() {
    let w = world().await;
    assert_eq!(patch(&w, &w.sam, &edit(1, "kept", 50)).await.status(), 200);
    let stale = edit(1, "not kept", 70);
    assert_eq!(patch(&w, &w.sam, &stale).await.status(), 409);
    let res = w
        .app
        .post(
            &format!(
                "/api/sessions/{}/conflicts/{}/resolve",
                w.session,
                stale["id"].as_str().unwrap()
            ),
            Some(&w.sam),
            &json!({"keep": "current"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let r: Value = res.json().await.unwrap();
    assert_eq!(r["session"]["note"], "kept");
    assert_eq!(r["session"]["version"], 2);
    assert_eq!(r["conflicts"], json!([]));
}

#[tokio::test]
async fn bad_or_foreign_edits_are_refused_naming_the_field_and_change_nothing() {
    let w = world().await;
    for (body, field) in [
        (edit(1, "x", 0), "duration_minutes"),
        (edit(0, "x", 30), "base_version"),
        (
            json!({"id": Uuid::new_v4(), "base_version": 1, "held_on": "2026-02-01",
                   "duration_minutes": 30, "stage": "nap", "activity": "x"}),
            "stage",
        ),
    ] {
        let res = patch(&w, &w.sam, &body).await;
        assert_eq!(res.status(), 400, "{body}");
        assert_eq!(error_body(res).await["field"], field);
    }
    // The same edit id with other content is a conflict on the id.
    let e = edit(1, "one", 30);
    assert_eq!(patch(&w, &w.sam, &e).await.status(), 200);
    let mut other = e.clone();
    other["note"] = json!("two");
    let res = patch(&w, &w.sam, &other).await;
    assert_eq!(res.status(), 409);
    assert_eq!(error_body(res).await["field"], "id");
    // Another specialist's session is simply not there.
    assert_eq!(patch(&w, &w.jo, &edit(2, "jo", 30)).await.status(), 404);
    let res = w
        .app
        .get(
            &format!("/api/episodes/{}/sessions", w.episode),
            Some(&w.jo),
        )
        .await;
    assert_eq!(res.status(), 404);
    let list = records(&w).await;
    assert_eq!(list[0]["session"]["note"], "one");
    assert_eq!(list[0]["session"]["version"], 2);
    assert_eq!(w.app.count_rows("session_edit").await, 1);
}
