//! Crash durability: a real server process is killed with SIGKILL while clients submit; every
//! answer it acknowledged is on disk after a restart, and resending everything stores nothing
//! twice. (kill -9 does not test fsync itself; health::the_database_runs_with_durable_settings
//! asserts the settings that make an acknowledged write survive power loss.)

use rand::Rng;
use serde_json::{Value, json};
use soundings_tests::{body, wait};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use uuid::Uuid;

const SECRET: &str = "crash-test-signing-key-0123456789abcdef";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(db: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("SOUNDINGS_BIND", format!("127.0.0.1:{port}"))
        .env("SOUNDINGS_JWT_SECRET", SECRET)
        .env("SOUNDINGS_STATIC_DIR", "/nonexistent")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_ready(http: &reqwest::Client, base: &str) {
    wait::until_ready(http, base, Duration::from_secs(10)).await;
}

#[tokio::test]
async fn every_acknowledged_answer_survives_kill_9_and_resends_store_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = soundings_tests::fresh_database_url(&dir).await.unwrap();
    // Arrange: an organisation and a specialist, as `soundings admin` would make them.
    let db = soundings::db::connect(&db_url).await.unwrap();
    soundings::db::migrate(&db).await.unwrap();
    let org = soundings::repo::orgs::create(&db, "Org A").await.unwrap();
    let hash = soundings::auth::hash_password(soundings_tests::PASSWORD.into())
        .await
        .unwrap();
    soundings::repo::staff::create(
        &db,
        soundings::repo::staff::NewStaff {
            organisation_id: org.id,
            team_id: None,
            name: "Sam",
            email: "sam@a.example.org",
            role: domain::Role::Specialist,
            password_hash: hash,
        },
    )
    .await
    .unwrap();

    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let mut server = start(&db_url, port);
    wait_ready(&http, &base).await;
    let login: Value = http
        .post(format!("{base}/api/auth/login"))
        .json(&json!({"email": "sam@a.example.org", "password": soundings_tests::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["access_token"].as_str().unwrap().to_owned();
    let person = body::participant("jobseeker", "JS-1");
    let pid: Uuid = serde_json::from_value(person["id"].clone()).unwrap();
    let res = http
        .post(format!("{base}/api/participants"))
        .bearer_auth(&token)
        .json(&person)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);

    let acked: Arc<Mutex<Vec<Value>>> = Arc::default();
    let unacked: Arc<Mutex<Vec<Value>>> = Arc::default();
    for round in 0..3 {
        let mut clients = Vec::new();
        for _ in 0..8 {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            let (acked, unacked) = (acked.clone(), unacked.clone());
            clients.push(tokio::spawn(async move {
                // Each client stops at its first failure: the server is gone.
                for _ in 0..10_000 {
                    let at = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
                    let b = body::satisfaction(
                        pid,
                        "jobseeker_satisfaction",
                        4,
                        &at,
                        body::completion("self", "none", "staff_device"),
                    );
                    match http
                        .post(format!("{base}/api/responses"))
                        .bearer_auth(&token)
                        .json(&b)
                        .send()
                        .await
                    {
                        Ok(r) if r.status() == 201 => acked.lock().unwrap().push(b),
                        Ok(r) => panic!("unexpected status {}", r.status()),
                        Err(_) => {
                            unacked.lock().unwrap().push(b);
                            return;
                        }
                    }
                }
            }));
        }
        // Kill at a random moment, mid-traffic: once a random number of further answers has
        // been acknowledged (a count, not a time, so a slow machine still kills mid-traffic).
        let target = acked.lock().unwrap().len() + rand::thread_rng().gen_range(25..400);
        wait::until(
            &format!("{target} acknowledged answers"),
            Duration::from_secs(60),
            || async { acked.lock().unwrap().len() >= target },
        )
        .await;
        server.kill().unwrap();
        server.wait().unwrap();
        for c in clients {
            c.await.unwrap();
        }
        server = start(&db_url, port);
        wait_ready(&http, &base).await;
        // Every acknowledged answer is there.
        let so_far = acked.lock().unwrap().clone();
        for b in &so_far {
            let id: Uuid = serde_json::from_value(b["id"].clone()).unwrap();
            let found = soundings::repo::invitations::find_response_any(&db, id)
                .await
                .unwrap();
            assert!(
                found.is_some(),
                "round {round}: acknowledged response {id} lost"
            );
        }
    }
    let acked = acked.lock().unwrap().clone();
    let unacked = unacked.lock().unwrap().clone();
    assert!(
        acked.len() > 10,
        "too little traffic to prove anything: {}",
        acked.len()
    );
    // The client retries everything it sent; nothing is stored twice.
    for b in acked.iter().chain(unacked.iter()) {
        let r = http
            .post(format!("{base}/api/responses"))
            .bearer_auth(&token)
            .json(b)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let rows = soundings::repo::invitations::count_for_participant(&db, pid)
        .await
        .unwrap();
    assert_eq!(rows as usize, acked.len() + unacked.len());
    eprintln!(
        "acknowledged {}, unacknowledged then retried {}",
        acked.len(),
        unacked.len()
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

async fn seeded_database(dir: &tempfile::TempDir) -> (String, sea_orm::DatabaseConnection) {
    let db_url = soundings_tests::fresh_database_url(dir).await.unwrap();
    let db = soundings::db::connect(&db_url).await.unwrap();
    soundings::db::migrate(&db).await.unwrap();
    let org = soundings::repo::orgs::create(&db, "Org A").await.unwrap();
    let hash = soundings::auth::hash_password(soundings_tests::PASSWORD.into())
        .await
        .unwrap();
    for email in ["sam@a.example.org", "jo@a.example.org"] {
        soundings::repo::staff::create(
            &db,
            soundings::repo::staff::NewStaff {
                organisation_id: org.id,
                team_id: None,
                name: "Staff",
                email,
                role: domain::Role::Specialist,
                password_hash: hash.clone(),
            },
        )
        .await
        .unwrap();
    }
    (db_url, db)
}

/// Two copies with no SOUNDINGS_JWT_SECRET: they must agree on the key through the database.
fn start_copy(db: &str, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("SOUNDINGS_BIND", format!("127.0.0.1:{port}"))
        .env_remove("SOUNDINGS_JWT_SECRET")
        .env("SOUNDINGS_STATIC_DIR", "/nonexistent")
        .env("SOUNDINGS_LOGIN_MAX_FAILURES", "4")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[tokio::test]
async fn two_server_copies_on_one_database_behave_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let (db_url, db) = seeded_database(&dir).await;
    let (pa, pb) = (free_port(), free_port());
    let (a, b) = (
        format!("http://127.0.0.1:{pa}"),
        format!("http://127.0.0.1:{pb}"),
    );
    let http = reqwest::Client::new();
    let mut copy_a = start_copy(&db_url, pa);
    let mut copy_b = start_copy(&db_url, pb);
    wait_ready(&http, &a).await;
    wait_ready(&http, &b).await;

    // Log in on one, use and refresh on the other.
    let login: Value = http
        .post(format!("{a}/api/auth/login"))
        .json(&json!({"email": "sam@a.example.org", "password": soundings_tests::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = login["access_token"].as_str().unwrap();
    let me = http
        .get(format!("{b}/api/auth/me"))
        .bearer_auth(access)
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.status(),
        200,
        "a token from one copy is good on the other"
    );
    let refreshed = http
        .post(format!("{b}/api/auth/refresh"))
        .json(&json!({"refresh_token": login["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    // Replaying the spent refresh token on the first copy, once its grace is over, revokes the
    // family everywhere.
    crate::auth::backdate_use(&db, login["refresh_token"].as_str().unwrap(), 60).await;
    let replay = http
        .post(format!("{a}/api/auth/refresh"))
        .json(&json!({"refresh_token": login["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), 401);
    let newer: Value = refreshed.json().await.unwrap();
    let res = http
        .post(format!("{b}/api/auth/refresh"))
        .json(&json!({"refresh_token": newer["refresh_token"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    // And its access tokens with it, on either copy.
    let ended = http
        .get(format!("{a}/api/auth/me"))
        .bearer_auth(newer["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(ended.status(), 401);

    // The same record sent to both at once is stored once (in a new login).
    let login: Value = http
        .post(format!("{b}/api/auth/login"))
        .json(&json!({"email": "sam@a.example.org", "password": soundings_tests::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = login["access_token"].as_str().unwrap().to_owned();
    let person = body::participant("jobseeker", "JS-1");
    let pid: Uuid = serde_json::from_value(person["id"].clone()).unwrap();
    http.post(format!("{a}/api/participants"))
        .bearer_auth(&access)
        .json(&person)
        .send()
        .await
        .unwrap();
    for _ in 0..20 {
        let at = (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339();
        let r = body::satisfaction(
            pid,
            "jobseeker_satisfaction",
            5,
            &at,
            body::completion("self", "none", "staff_device"),
        );
        let (ra, rb) = tokio::join!(
            http.post(format!("{a}/api/responses"))
                .bearer_auth(&access)
                .json(&r)
                .send(),
            http.post(format!("{b}/api/responses"))
                .bearer_auth(&access)
                .json(&r)
                .send(),
        );
        let (ra, rb) = (ra.unwrap(), rb.unwrap());
        assert_eq!((ra.status().as_u16(), rb.status().as_u16()), (201, 201));
        assert_eq!(
            ra.json::<Value>().await.unwrap(),
            rb.json::<Value>().await.unwrap()
        );
    }
    assert_eq!(
        soundings::repo::invitations::count_for_participant(&db, pid)
            .await
            .unwrap(),
        20
    );

    // Failed logins are counted across both copies (limit 4 per account).
    for base in [&a, &b, &a, &b] {
        let r = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"email": "jo@a.example.org", "password": "wrong password!"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401);
    }
    for base in [&a, &b] {
        let r = http
            .post(format!("{base}/api/auth/login"))
            .json(&json!({"email": "jo@a.example.org", "password": soundings_tests::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 429, "throttled on {base}");
    }
    for c in [&mut copy_a, &mut copy_b] {
        c.kill().unwrap();
        c.wait().unwrap();
    }
}

/// A copy of the server whose log goes to `log`, so a failed start can be shown.
fn start_logged(db: &str, port: u16, log: &std::path::Path) -> Child {
    let file = std::fs::File::create(log).unwrap();
    Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("serve")
        .env("DATABASE_URL", db)
        .env("SOUNDINGS_BIND", format!("127.0.0.1:{port}"))
        .env_remove("SOUNDINGS_JWT_SECRET")
        .env("SOUNDINGS_STATIC_DIR", "/nonexistent")
        .env("SOUNDINGS_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(file)
        .spawn()
        .unwrap()
}

/// Waits until the copy answers ready, failing at once (with its log) if it exits.
async fn wait_ready_or_exit(http: &reqwest::Client, base: &str, child: &mut Child, log: &str) {
    let ready = wait::within(Duration::from_secs(30), || {
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "a server copy exited ({status}) instead of starting:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        async move {
            http.get(format!("{base}/health/ready"))
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
        }
    })
    .await;
    if ready.is_err() {
        panic!(
            "server copy did not become ready:\n{}",
            std::fs::read_to_string(log).unwrap_or_default()
        );
    }
}

#[tokio::test]
async fn two_copies_starting_together_on_an_empty_database_migrate_it_once() {
    use sea_orm::{ConnectionTrait, Statement};
    let http = reqwest::Client::new();
    // A few rounds, each on a new empty database: a race that loses only sometimes still shows.
    for round in 0..3 {
        let dir = tempfile::tempdir().unwrap();
        let db_url = soundings_tests::fresh_database_url(&dir).await.unwrap();
        let (pa, pb) = (free_port(), free_port());
        let (a, b) = (
            format!("http://127.0.0.1:{pa}"),
            format!("http://127.0.0.1:{pb}"),
        );
        let (log_a, log_b) = (dir.path().join("a.log"), dir.path().join("b.log"));
        // Act: both copies start at the same moment on a database with no tables at all.
        let mut copy_a = start_logged(&db_url, pa, &log_a);
        let mut copy_b = start_logged(&db_url, pb, &log_b);
        wait_ready_or_exit(&http, &a, &mut copy_a, log_a.to_str().unwrap()).await;
        wait_ready_or_exit(&http, &b, &mut copy_b, log_b.to_str().unwrap()).await;

        // One schema: every migration recorded exactly once.
        let db = soundings::db::connect(&db_url).await.unwrap();
        let rows = db
            .query_all_raw(Statement::from_string(
                db.get_database_backend(),
                "SELECT version FROM seaql_migrations ORDER BY version",
            ))
            .await
            .unwrap();
        let applied: Vec<String> = rows
            .iter()
            .map(|r| r.try_get_by_index::<String>(0).unwrap())
            .collect();
        let expected: Vec<String> = {
            use migrations::MigratorTrait;
            migrations::Migrator::migrations()
                .iter()
                .map(|m| m.name().to_owned())
                .collect()
        };
        assert_eq!(
            applied, expected,
            "round {round}: migrations applied once each"
        );

        // And both copies serve from it with one signing key: log in on one, use the other.
        let org = soundings::repo::orgs::create(&db, "Org A").await.unwrap();
        let hash = soundings::auth::hash_password(soundings_tests::PASSWORD.into())
            .await
            .unwrap();
        soundings::repo::staff::create(
            &db,
            soundings::repo::staff::NewStaff {
                organisation_id: org.id,
                team_id: None,
                name: "Sam",
                email: "sam@a.example.org",
                role: domain::Role::Specialist,
                password_hash: hash,
            },
        )
        .await
        .unwrap();
        let login: Value = http
            .post(format!("{a}/api/auth/login"))
            .json(&json!({"email": "sam@a.example.org", "password": soundings_tests::PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let me = http
            .get(format!("{b}/api/auth/me"))
            .bearer_auth(login["access_token"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(me.status(), 200, "round {round}: the copies share one key");
        for c in [&mut copy_a, &mut copy_b] {
            c.kill().unwrap();
            c.wait().unwrap();
        }
    }
}
