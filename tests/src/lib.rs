//! The end-to-end harness: each test gets the real server on port 0 with a fresh database
//! (an SQLite file, or a new PostgreSQL database when `SOUNDINGS_TEST_DB=postgres`), and a
//! client that speaks the `domain` types.
#![allow(clippy::unwrap_used, clippy::expect_used)]

pub mod axe;
pub mod browser;
pub mod interact;
pub mod proxy;
pub mod smtp;
pub mod wait;
pub mod xlsx;

use anyhow::Context;
use domain::{Role, auth::TokenResponse};
use reqwest::{Method, Response, StatusCode};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde::Serialize;
use serde_json::Value;
use soundings::{config::Config, startup::Application};
use std::path::PathBuf;
use uuid::Uuid;

/// The password every account made by the harness has.
pub const PASSWORD: &str = "a test password";

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub db: DatabaseConnection,
    pub database_url: String,
    /// This server's email worker, not started: tests start it (`start_mail_worker`) or tick it.
    pub mailer: soundings::services::mail::Mailer,
    handle: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
}

/// Which database the suite runs against: `sqlite` (default) or `postgres`.
pub fn backend_under_test() -> String {
    std::env::var("SOUNDINGS_TEST_DB").unwrap_or_else(|_| "sqlite".into())
}

/// Every log line the servers of this test process wrote (unless TEST_LOG sends them to the
/// terminal instead), so a test can check what reached the log.
static CAPTURED: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct Capture;

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut v) = CAPTURED.lock() {
            v.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The captured server log so far.
pub fn captured_logs() -> String {
    CAPTURED
        .lock()
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default()
}

fn quiet_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if std::env::var("TEST_LOG").is_ok() {
            soundings::telemetry::init(soundings::config::LogFormat::Pretty);
        } else {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new("debug,sqlx=warn,sea_orm=info,sea_orm_migration=warn,hyper=info,reqwest=info,actix_server=info,h2=info"))
                .with_ansi(false)
                .with_writer(|| Capture)
                .try_init();
        }
    });
}

/// The built PWA, if scripts/build-frontend has run.
pub fn static_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../frontend/dist")
}

/// A database nobody else uses: an SQLite file in `dir`, or a new PostgreSQL database.
pub async fn fresh_database_url(dir: &tempfile::TempDir) -> anyhow::Result<String> {
    if backend_under_test() == "postgres" {
        let admin_url = std::env::var("SOUNDINGS_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://soundings:soundings@127.0.0.1:5432/postgres".into());
        let admin = Database::connect(admin_url.as_str())
            .await
            .context("connecting to PostgreSQL (is it running? scripts/test starts it)")?;
        let name = format!("soundings_test_{}", Uuid::new_v4().simple());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .context("creating a test database")?;
        admin.close().await.ok();
        let base = admin_url
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&admin_url);
        Ok(format!("{base}/{name}"))
    } else {
        Ok(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("soundings.db").display()
        ))
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the server with the default config, changed by `tweak`.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let database_url = fresh_database_url(&dir).await.unwrap();
        Self::spawn_on(dir, database_url, tweak).await
    }

    /// Another copy of the server on this one's database, as behind a load balancer.
    pub async fn second_copy(&self, tweak: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_on(
            tempfile::tempdir().unwrap(),
            self.database_url.clone(),
            tweak,
        )
        .await
    }

    async fn spawn_on(
        dir: tempfile::TempDir,
        database_url: String,
        tweak: impl FnOnce(&mut Config),
    ) -> TestApp {
        quiet_logs();
        let mut config = Config::for_database(database_url.clone());
        config.static_dir = static_dir();
        tweak(&mut config);
        let app = Application::build(config).await.expect("server builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let handle = app.handle();
        let mailer = app.mailer();
        tokio::spawn(app.run());
        let db = soundings::db::connect(&database_url).await.unwrap();
        TestApp {
            address,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Drop idle connections well before the server's keep-alive (5 s) closes them:
                // reusing one the server is closing fails with "IncompleteMessage", which a test
                // that pauses (a browser test) would otherwise hit now and then.
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .unwrap(),
            db,
            database_url,
            mailer,
            handle,
            _dir: dir,
        }
    }

    /// Starts an email worker with this id; aborting the handle kills it, as a
    /// crash would (whatever it was sending stays leased until the lease runs out).
    pub fn start_mail_worker(&self, id: &str) -> tokio::task::JoinHandle<()> {
        tokio::spawn(self.mailer.clone().run(id.to_owned()))
    }

    /// Stops the server (as if the network went away); the database stays.
    pub async fn stop(&self) {
        self.handle.stop(true).await;
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Sends `body` as JSON with an optional bearer token.
    pub async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&B>,
    ) -> Response {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(b);
        }
        req.send().await.expect("request reaches the server")
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        self.send::<()>(Method::GET, path, token, None).await
    }

    pub async fn post<B: Serialize + ?Sized>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Response {
        self.send(Method::POST, path, token, Some(body)).await
    }

    pub async fn put<B: Serialize + ?Sized>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Response {
        self.send(Method::PUT, path, token, Some(body)).await
    }

    pub async fn patch<B: Serialize + ?Sized>(
        &self,
        path: &str,
        token: Option<&str>,
        body: &B,
    ) -> Response {
        self.send(Method::PATCH, path, token, Some(body)).await
    }

    /// Sends raw bytes with a content type: for malformed-body tests.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let mut req = self
            .http
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request reaches the server")
    }

    /// Sends raw bytes with a content type and any method: for bodies that are not JSON.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        content_type: &str,
        body: Vec<u8>,
    ) -> Response {
        let mut req = self
            .http
            .request(method, self.url(path))
            .header("content-type", content_type)
            .body(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.expect("request reaches the server")
    }

    pub async fn login_response(&self, email: &str, password: &str) -> Response {
        self.post(
            "/api/auth/login",
            None,
            &serde_json::json!({"email": email, "password": password}),
        )
        .await
    }

    /// Logs in and returns the tokens; panics (failing the test) if login fails.
    pub async fn login(&self, email: &str) -> TokenResponse {
        let res = self.login_response(email, PASSWORD).await;
        assert_eq!(res.status(), StatusCode::OK, "login of {email} failed");
        res.json().await.unwrap()
    }

    /// Creates an organisation with one admin (as `soundings admin` would) and returns its id.
    pub async fn create_org(&self, name: &str, admin_email: &str) -> Uuid {
        let org = soundings::repo::orgs::create(&self.db, name).await.unwrap();
        self.create_staff_direct(org.id, admin_email, Role::Admin)
            .await;
        org.id
    }

    /// Creates a staff account directly in the database (the `soundings admin` route).
    pub async fn create_staff_direct(&self, org: Uuid, email: &str, role: Role) -> Uuid {
        let hash = soundings::auth::hash_password(PASSWORD.into())
            .await
            .unwrap();
        soundings::repo::staff::create(
            &self.db,
            soundings::repo::staff::NewStaff {
                organisation_id: org,
                team_id: None,
                name: "Test Person",
                email,
                role,
                password_hash: hash,
            },
        )
        .await
        .unwrap()
        .id
    }

    /// Counts rows of a table: for "nothing was written" assertions.
    pub async fn count_rows(&self, table: &str) -> i64 {
        let backend = self.db.get_database_backend();
        let row = self
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                backend,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }
}

/// Reads a refusal and checks it is the JSON error body clients rely on.
pub async fn error_body(res: Response) -> Value {
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(
        ct.starts_with("application/json"),
        "status {status}: expected a JSON error body, got {ct:?}: {text}"
    );
    let v: Value = serde_json::from_str(&text).unwrap();
    assert!(v["error"].is_string(), "no error code in {v}");
    assert!(v["message"].is_string(), "no message in {v}");
    v
}

/// Builders for request bodies, so tests state only what matters to them.
pub mod body {
    use serde_json::{Value, json};
    use uuid::Uuid;

    pub fn participant(kind: &str, reference: &str) -> Value {
        json!({"id": Uuid::new_v4(), "kind": kind, "reference": reference})
    }

    pub fn episode(participant: Uuid, started_on: &str, ended_on: Option<&str>) -> Value {
        json!({"id": Uuid::new_v4(), "participant_id": participant, "programme": "seqf",
               "started_on": started_on, "ended_on": ended_on})
    }

    pub fn completion(respondent: &str, support: &str, channel: &str) -> Value {
        json!({"respondent": respondent, "support": support, "channel": channel,
               "format": "standard", "language": "en"})
    }

    /// A satisfaction response entered by staff: overall rating first, four sub-items.
    pub fn satisfaction(
        participant: Uuid,
        instrument: &str,
        overall: u8,
        answered_at: &str,
        completion: Value,
    ) -> Value {
        json!({"id": Uuid::new_v4(), "participant_id": participant, "instrument": instrument,
               "answers": [overall, 4, 4, 4, 4], "completion": completion, "answered_at": answered_at})
    }

    /// A SWEMWBS form entered by staff.
    pub fn swemwbs(
        participant: Uuid,
        episode: Uuid,
        timing: &str,
        items: &[Option<u8>],
        answered_at: &str,
        respondent: &str,
    ) -> Value {
        json!({"id": Uuid::new_v4(), "participant_id": participant, "episode_id": episode,
               "instrument": "swemwbs", "timing": timing, "answers": items,
               "completion": completion(respondent, "none", "staff_device"), "answered_at": answered_at})
    }

    /// A referral of `participant` made on `referred_on`, not decided yet.
    pub fn referral(participant: Uuid, programme: &str, referred_on: &str, source: &str) -> Value {
        json!({"id": Uuid::new_v4(), "participant_id": participant, "programme": programme,
               "referred_on": referred_on, "source": source})
    }

    /// A job on `episode` from `started_on`, with nothing else said about it.
    pub fn job(episode: Uuid, started_on: &str, outcome: &str, paid: bool) -> Value {
        json!({"id": Uuid::new_v4(), "episode_id": episode, "started_on": started_on,
               "outcome": outcome, "paid": paid})
    }

    /// `base` with each field of `extra` added or replaced.
    pub fn with(mut base: Value, extra: Value) -> Value {
        if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
            b.extend(e);
        }
        base
    }

    /// Seven SWEMWBS items that add up to `raw` (7..=35).
    pub fn items_for_raw(raw: u8) -> Vec<Option<u8>> {
        let mut items = [1u8; 7];
        let mut left = raw - 7;
        for i in items.iter_mut() {
            let add = left.min(4);
            *i += add;
            left -= add;
        }
        items.iter().map(|v| Some(*v)).collect()
    }
}

impl TestApp {
    /// POSTs `body` and returns the JSON answer, failing the test unless the status is 201.
    pub async fn create(&self, path: &str, token: &str, body: &Value) -> Value {
        let res = self.post(path, Some(token), body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Records the organisation's SWEMWBS licence (as its admin).
    pub async fn record_licence(&self, admin_token: &str) {
        let res = self
            .send(
                Method::PUT,
                "/api/settings/swemwbs-licence",
                Some(admin_token),
                Some(&serde_json::json!({"held": true, "reference": "WMS licence 1234"})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
    }

    /// Makes a team and puts a new specialist in it; returns (staff id, team id).
    pub async fn specialist_in_team(
        &self,
        org: Uuid,
        admin_token: &str,
        email: &str,
        team: &str,
    ) -> (Uuid, Uuid) {
        let t: Value = self
            .create(
                "/api/teams",
                admin_token,
                &serde_json::json!({"name": team}),
            )
            .await;
        let team_id: Uuid = serde_json::from_value(t["id"].clone()).unwrap();
        let id = self.create_staff_direct(org, email, Role::Specialist).await;
        let res = self
            .patch(
                &format!("/api/staff/{id}"),
                Some(admin_token),
                &serde_json::json!({"team_id": team_id}),
            )
            .await;
        assert_eq!(res.status(), StatusCode::OK);
        (id, team_id)
    }

    /// Arranges time: the invitation was made `made_days_ago` and expired `expired_days_ago`.
    pub async fn backdate_invitation(&self, id: Uuid, made_days_ago: i64, expired_days_ago: i64) {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        use soundings::entities::invitation;
        let now = chrono::Utc::now();
        invitation::Entity::update_many()
            .col_expr(
                invitation::Column::CreatedAt,
                Expr::value(now - chrono::Duration::days(made_days_ago)),
            )
            .col_expr(
                invitation::Column::ExpiresAt,
                Expr::value(now - chrono::Duration::days(expired_days_ago)),
            )
            .filter(invitation::Column::Id.eq(id))
            .exec(&self.db)
            .await
            .unwrap();
    }
}

/// The status of each record's outcome in a `/api/sync` answer, in the batch's order.
pub fn sync_statuses(answer: &Value) -> Vec<u64> {
    answer["outcomes"]
        .as_array()
        .expect("a sync answer has outcomes")
        .iter()
        .map(|o| o["status"].as_u64().expect("each outcome has a status"))
        .collect()
}

/// A UUID out of a JSON answer.
pub fn id_of(v: &Value) -> Uuid {
    serde_json::from_value(v["id"].clone()).expect("an id")
}
