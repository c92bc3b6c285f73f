//! A database too busy to answer in time (another process holds the write lock: a backup, a
//! long admin job, a burst on a small machine): the request is refused 503 with `Retry-After`
//! and the JSON body clients know, never a 500, nothing is half-written, and the same records
//! sent again once the database is free are stored once.

use chrono::{Duration, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use serde_json::{Value, json};
use soundings_tests::{TestApp, body, error_body, id_of, sync_statuses};

/// Takes the lock the test's writes need, and holds it until the transaction ends:
/// SQLite's one write lock (`BEGIN IMMEDIATE`), or PostgreSQL's table locks that let reads
/// through and stop writes (on the tables the test writes).
async fn hold_the_write_lock(db: &DatabaseConnection) -> DatabaseTransaction {
    match db.get_database_backend() {
        DbBackend::Sqlite => db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await
            .unwrap(),
        _ => {
            let txn = db.begin().await.unwrap();
            txn.execute_unprepared("LOCK TABLE participant, episode, response IN EXCLUSIVE MODE")
                .await
                .unwrap();
            txn
        }
    }
}

#[tokio::test]
async fn a_write_that_cannot_get_the_database_in_time_is_refused_503_and_stored_once_when_resent() {
    let app = TestApp::spawn_with(|c| c.db_wait_ms = 300).await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "sam@a.example.org", domain::Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await.access_token;
    let p = id_of(
        &app.create(
            "/api/participants",
            &sam,
            &body::participant("jobseeker", "JS-1"),
        )
        .await,
    );
    let answered_at = (Utc::now() - Duration::minutes(5)).to_rfc3339();
    let single = body::satisfaction(
        p,
        "jobseeker_satisfaction",
        4,
        &answered_at,
        body::completion("self", "none", "staff_device"),
    );
    // An outbox's batch: a new client, their episode (which needs the client), two answers.
    let newcomer = body::participant("jobseeker", "JS-2");
    let batch = json!({"records": [
        {"kind": "participant", "body": newcomer},
        {"kind": "episode", "body": body::episode(id_of(&newcomer), "2026-01-05", None)},
        {"kind": "response", "body": body::satisfaction(
            p, "jobseeker_satisfaction", 2, &answered_at,
            body::completion("self", "none", "staff_device"))},
        {"kind": "response", "body": body::satisfaction(
            p, "jobseeker_satisfaction", 5, &answered_at,
            body::completion("self", "none", "staff_device"))},
    ]});

    let blocker = soundings::db::connect(&app.database_url).await.unwrap();
    let lock = hold_the_write_lock(&blocker).await;

    // One record: 503, told when to come back, in the body every refusal has.
    let res = app.post("/api/responses", Some(&sam), &single).await;
    assert_eq!(res.status(), 503);
    let retry_after: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let e = error_body(res).await;
    assert_eq!(e["error"], "busy");
    assert!(e["message"].as_str().unwrap().contains("send it again"));

    // The batch: every record says 503, so the outbox keeps each to send again; the episode
    // is not refused for want of its client, which only waits too.
    let res = app.post("/api/sync", Some(&sam), &batch).await;
    assert_eq!(res.status(), 200);
    let out: Value = res.json().await.unwrap();
    for outcome in out["outcomes"].as_array().unwrap() {
        assert_eq!(outcome["status"], 503, "{outcome}");
        assert_eq!(outcome["error"]["error"], "busy", "{outcome}");
    }
    // Reads still answer while writes wait.
    assert_eq!(app.get("/api/teams", Some(&sam)).await.status(), 200);
    assert_eq!(app.count_rows("response").await, 0, "nothing half-written");
    assert_eq!(app.count_rows("participant").await, 1);

    lock.rollback().await.unwrap();

    // Sent again once the database is free: stored, each once.
    app.create("/api/responses", &sam, &single).await;
    let out: Value = app
        .post("/api/sync", Some(&sam), &batch)
        .await
        .json()
        .await
        .unwrap();
    let statuses = sync_statuses(&out);
    assert_eq!(statuses, vec![201, 201, 201, 201]);
    app.create("/api/responses", &sam, &single).await;
    assert_eq!(app.count_rows("response").await, 3);
    assert_eq!(app.count_rows("episode").await, 1);
}

/// Settings changes and other admin writes read, then write, in one transaction. Many at once
/// (an admin's two tabs, a script, the fuzzer's workers) must each wait their turn for the
/// write lock and succeed, not be refused busy the moment another writer commits first (a
/// deferred SQLite transaction that read before the other's commit cannot write after it).
#[tokio::test]
async fn concurrent_settings_changes_and_admin_writes_all_succeed_and_are_all_audited() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let admin = app.login("admin@a.example.org").await.access_token;
    let zones = [
        "Europe/London",
        "Europe/Dublin",
        "America/New_York",
        "Asia/Tokyo",
    ];
    let mut together = tokio::task::JoinSet::new();
    for i in 0..24_usize {
        let request = if i % 2 == 0 {
            app.http
                .put(app.url("/api/settings/time-zone"))
                .json(&json!({"time_zone": zones[(i / 2) % zones.len()]}))
        } else {
            app.http
                .post(app.url("/api/teams"))
                .json(&json!({"name": format!("Team {i}")}))
        };
        let request = request.bearer_auth(&admin);
        together.spawn(async move { (i, request.send().await.unwrap().status().as_u16()) });
    }
    let mut statuses = together.join_all().await;
    statuses.sort();
    let expected: Vec<(usize, u16)> = (0..24)
        .map(|i| (i, if i % 2 == 0 { 200 } else { 201 }))
        .collect();
    assert_eq!(statuses, expected);
    let teams: Value = app
        .get("/api/teams", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(teams.as_array().map(Vec::len), Some(12));
    let trail: Value = app
        .get("/api/audit?entity=settings", Some(&admin))
        .await
        .json()
        .await
        .unwrap();
    let zone_changes = trail.as_array().map(|e| {
        e.iter()
            .filter(|x| x["detail"].as_str().unwrap_or("").starts_with("time_zone:"))
            .count()
    });
    assert_eq!(zone_changes, Some(12));
}
