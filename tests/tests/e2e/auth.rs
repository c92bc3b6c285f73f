use base64::Engine;
use domain::{Role, auth::TokenResponse};
use reqwest::StatusCode;
use serde_json::json;
use soundings_tests::{PASSWORD, TestApp, error_body};

/// Arranges time: the refresh token was spent `seconds` ago (past the grace a just-rotated
/// token has, so presenting it again is a replay).
pub(crate) async fn backdate_use(
    db: &sea_orm::DatabaseConnection,
    refresh_token: &str,
    seconds: i64,
) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use soundings::entities::refresh_token;
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::UsedAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(seconds)),
        )
        .filter(refresh_token::Column::TokenHash.eq(soundings::auth::token_hash(refresh_token)))
        .exec(db)
        .await
        .unwrap();
}

async fn me_status(app: &TestApp, access_token: &str) -> StatusCode {
    app.get("/api/auth/me", Some(access_token)).await.status()
}

async fn app_with_admin() -> (TestApp, TokenResponse) {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let tokens = app.login("admin@a.example.org").await;
    (app, tokens)
}

#[tokio::test]
async fn a_staff_member_logs_in_and_sees_who_they_are() {
    let (app, tokens) = app_with_admin().await;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.staff.role, Role::Admin);
    assert_eq!(tokens.staff.organisation_name, "Org A");
    let res = app.get("/api/auth/me", Some(&tokens.access_token)).await;
    assert_eq!(res.status(), 200);
    let me: domain::auth::Me = res.json().await.unwrap();
    assert_eq!(me.email.as_str(), "admin@a.example.org");
}

#[tokio::test]
async fn login_ignores_the_case_of_the_email() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let res = app.login_response("  Admin@A.Example.org ", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.create_org("Org A", "admin@a.example.org").await;
    let wrong = app
        .login_response("admin@a.example.org", "not the password")
        .await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let wrong = error_body(wrong).await;
    let unknown = app
        .login_response("nobody@a.example.org", "not the password")
        .await;
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    let unknown = error_body(unknown).await;
    assert_eq!(wrong, unknown);
    let malformed = app.login_response("not-an-email", "x").await;
    assert_eq!(malformed.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(error_body(malformed).await, wrong);
}

#[tokio::test]
async fn a_deactivated_account_cannot_log_in_and_its_tokens_stop_working() {
    let (app, admin) = app_with_admin().await;
    let org = admin.staff.organisation_id;
    let id = app
        .create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await;
    let res = app
        .patch(
            &format!("/api/staff/{id}"),
            Some(&admin.access_token),
            &json!({"active": false}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.get("/api/auth/me", Some(&sam.access_token))
            .await
            .status(),
        401
    );
    let refresh = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": sam.refresh_token}),
        )
        .await;
    assert_eq!(refresh.status(), 401);
    assert_eq!(
        app.login_response("sam@a.example.org", PASSWORD)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn a_refresh_rotates_the_token_and_the_old_one_is_spent() {
    let (app, first) = app_with_admin().await;
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let second: TokenResponse = res.json().await.unwrap();
    assert_ne!(second.refresh_token, first.refresh_token);
    assert_eq!(
        app.get("/api/auth/me", Some(&second.access_token))
            .await
            .status(),
        200
    );
    // The new refresh token works once more.
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": second.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn reusing_a_spent_refresh_token_revokes_the_whole_family() {
    let (app, first) = app_with_admin().await;
    let second: TokenResponse = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await
        .json()
        .await
        .unwrap();
    // A thief replays the first token, after its grace for a phone's simultaneous refreshes.
    backdate_use(&app.db, &first.refresh_token, 60).await;
    let replay = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await;
    assert_eq!(replay.status(), 401);
    error_body(replay).await;
    // The legitimate holder's newer token is now dead too.
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": second.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 401);
    // And so is the access token of that login.
    assert_eq!(
        app.get("/api/auth/me", Some(&second.access_token))
            .await
            .status(),
        401
    );
    // A separate login (another family) is unaffected.
    let other = app.login("admin@a.example.org").await;
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": other.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let (app, tokens) = app_with_admin().await;
    let res = app
        .post(
            "/api/auth/logout",
            None,
            &json!({"refresh_token": tokens.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 204);
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": tokens.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_made_up_refresh_token_is_refused() {
    let (app, _) = app_with_admin().await;
    let res = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": "made-up"}),
        )
        .await;
    assert_eq!(res.status(), 401);
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn claims_of(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn hs256(secret: &[u8], claims: &serde_json::Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

#[tokio::test]
async fn expired_tampered_wrong_key_and_unsigned_tokens_are_refused() {
    let secret = "a-known-secret-for-this-test-only-0123456789";
    let app = TestApp::spawn_with(|c| {
        c.jwt_secret = Some(soundings::config::Secret::new(secret));
    })
    .await;
    app.create_org("Org A", "admin@a.example.org").await;
    let good = app.login("admin@a.example.org").await.access_token;
    assert_eq!(app.get("/api/auth/me", Some(&good)).await.status(), 200);
    let claims = claims_of(&good);

    // Expired, though correctly signed.
    let mut expired = claims.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 120);
    let expired = hs256(secret.as_bytes(), &expired);

    // Tampered: another organisation's id pasted into a real token's payload.
    let mut forged = claims.clone();
    forged["org"] = json!(uuid::Uuid::new_v4());
    let parts: Vec<&str> = good.split('.').collect();
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64(forged.to_string().as_bytes()),
        parts[2]
    );

    // Signed with another key.
    let wrong_key = hs256(b"some-other-secret-some-other-secret!!", &claims);

    // alg: none.
    let unsigned = format!(
        "{}.{}.",
        b64(br#"{"alg":"none","typ":"JWT"}"#),
        b64(claims.to_string().as_bytes())
    );

    // A token for another purpose.
    let mut other_purpose = claims.clone();
    other_purpose["typ"] = json!("participant");
    let other_purpose = hs256(secret.as_bytes(), &other_purpose);

    for (what, token) in [
        ("expired", expired),
        ("tampered", tampered),
        ("wrong key", wrong_key),
        ("alg none", unsigned),
        ("other purpose", other_purpose),
        ("garbage", "not.a.jwt".to_owned()),
    ] {
        let res = app.get("/api/auth/me", Some(&token)).await;
        assert_eq!(res.status(), 401, "{what} token was not refused");
        error_body(res).await;
    }
    assert_eq!(app.get("/api/auth/me", None).await.status(), 401);
}

#[tokio::test]
async fn repeated_failed_logins_are_throttled_per_account() {
    let app = TestApp::spawn_with(|c| c.login_max_failures = 3).await;
    let org = app.create_org("Org A", "admin@a.example.org").await;
    app.create_staff_direct(org, "other@a.example.org", Role::Manager)
        .await;
    for _ in 0..3 {
        let res = app
            .login_response("admin@a.example.org", "wrong password!")
            .await;
        assert_eq!(res.status(), 401);
    }
    // Now even the right password waits: the account is under attack.
    let res = app.login_response("admin@a.example.org", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "retry-after {retry}");
    error_body(res).await;
    // Another account on the same address is not locked out.
    let res = app.login_response("other@a.example.org", PASSWORD).await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn failed_logins_age_out_of_the_window() {
    // A zero-minute window: every failure is already outside it, so nobody is ever locked out.
    let app = TestApp::spawn_with(|c| {
        c.login_max_failures = 1;
        c.login_window_minutes = 0;
    })
    .await;
    app.create_org("Org A", "admin@a.example.org").await;
    for _ in 0..3 {
        let res = app
            .login_response("admin@a.example.org", "wrong password!")
            .await;
        assert_eq!(res.status(), 401);
    }
    assert_eq!(
        app.login_response("admin@a.example.org", PASSWORD)
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn failed_logins_from_one_address_are_throttled_across_accounts() {
    let app = TestApp::spawn_with(|c| c.login_max_failures_per_address = 4).await;
    app.create_org("Org A", "admin@a.example.org").await;
    for i in 0..4 {
        let res = app
            .login_response(&format!("guess{i}@a.example.org"), "wrong password!")
            .await;
        assert_eq!(res.status(), 401);
    }
    let res = app
        .login_response("guess9@a.example.org", "wrong password!")
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// An access token ends with its login (issue 20): logging out, and a reused refresh token
/// revoking the login, stop it at once, not when it expires; another login goes on.
#[tokio::test]
async fn an_access_token_stops_working_when_its_login_is_logged_out() {
    let (app, tokens) = app_with_admin().await;
    let other = app.login("admin@a.example.org").await;
    assert_eq!(me_status(&app, &tokens.access_token).await, 200);
    let res = app
        .post(
            "/api/auth/logout",
            None,
            &json!({"refresh_token": tokens.refresh_token}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(me_status(&app, &tokens.access_token).await, 401);
    assert_eq!(me_status(&app, &other.access_token).await, 200);
}

/// A password reset ends every session of the account: by an admin (`PATCH /api/staff/{id}`)
/// and by `soundings admin reset-password`, which says "existing sessions ended".
#[tokio::test]
async fn a_password_reset_ends_the_access_tokens_issued_before_it() {
    let (app, admin) = app_with_admin().await;
    let org = admin.staff.organisation_id;
    let id = app
        .create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await;
    let res = app
        .patch(
            &format!("/api/staff/{id}"),
            Some(&admin.access_token),
            &json!({"password": "a brand new password"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(me_status(&app, &sam.access_token).await, 401);

    let again = app
        .login_response("sam@a.example.org", "a brand new password")
        .await;
    assert_eq!(again.status(), 200);
    let again: TokenResponse = again.json().await.unwrap();
    assert_eq!(me_status(&app, &again.access_token).await, 200);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["admin", "reset-password", "--email", "sam@a.example.org"])
        .env("DATABASE_URL", &app.database_url)
        .env("SOUNDINGS_PASSWORD", "yet another new password")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("existing sessions ended"));
    assert_eq!(me_status(&app, &again.access_token).await, 401);
}

/// Deactivating an account ends its sessions for good: reactivated, its old tokens stay dead,
/// and the person logs in again.
#[tokio::test]
async fn a_deactivated_then_reactivated_accounts_old_tokens_stay_dead() {
    let (app, admin) = app_with_admin().await;
    let org = admin.staff.organisation_id;
    let id = app
        .create_staff_direct(org, "sam@a.example.org", Role::Specialist)
        .await;
    let sam = app.login("sam@a.example.org").await;
    for active in [false, true] {
        let res = app
            .patch(
                &format!("/api/staff/{id}"),
                Some(&admin.access_token),
                &json!({"active": active}),
            )
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(me_status(&app, &sam.access_token).await, 401, "{active}");
    }
    let refresh = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": sam.refresh_token}),
        )
        .await;
    assert_eq!(refresh.status(), 401);
    let fresh = app.login("sam@a.example.org").await;
    assert_eq!(me_status(&app, &fresh.access_token).await, 200);
}

/// A field worker's phone back from an offline spell refreshes several times at once with the
/// same refresh token (issue 20). Within the grace each gets a working pair for the same
/// login, instead of the login being taken for stolen and ended.
#[tokio::test]
async fn simultaneous_refreshes_with_one_token_keep_the_login() {
    let (app, first) = app_with_admin().await;
    let mut together = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let request = app
            .http
            .post(app.url("/api/auth/refresh"))
            .json(&json!({"refresh_token": first.refresh_token}));
        together.spawn(async move { request.send().await.unwrap() });
    }
    let answers = together.join_all().await;
    let mut pairs = Vec::new();
    for res in answers {
        assert_eq!(res.status(), 200);
        pairs.push(res.json::<TokenResponse>().await.unwrap());
    }
    for pair in &pairs {
        assert_eq!(me_status(&app, &pair.access_token).await, 200);
        let next = app
            .post(
                "/api/auth/refresh",
                None,
                &json!({"refresh_token": pair.refresh_token}),
            )
            .await;
        assert_eq!(next.status(), 200);
    }
    // Once the grace is over, the same old token is a replay: the login ends.
    backdate_use(&app.db, &first.refresh_token, 60).await;
    let replay = app
        .post(
            "/api/auth/refresh",
            None,
            &json!({"refresh_token": first.refresh_token}),
        )
        .await;
    assert_eq!(replay.status(), 401);
    assert_eq!(me_status(&app, &pairs[0].access_token).await, 401);
}

/// Ten wrong passwords from anywhere no longer lock the real person out for the whole window
/// (issue 20): the attacker's address is stopped, and the account is only slowed down (a few
/// seconds between attempts, at most a minute), so the person logs in from their own phone.
#[tokio::test]
async fn wrong_passwords_from_one_address_slow_the_account_without_locking_its_owner_out() {
    let app = TestApp::spawn_with(|c| {
        c.login_max_failures = 10;
        c.trusted_proxies = "127.0.0.1".parse().unwrap();
    })
    .await;
    app.create_org("Org A", "admin@a.example.org").await;
    let login_from = |address: &'static str, password: &'static str| {
        app.http
            .post(app.url("/api/auth/login"))
            .header("x-forwarded-for", address)
            .json(&json!({"email": "admin@a.example.org", "password": password}))
            .send()
    };
    for _ in 0..10 {
        let res = login_from("203.0.113.66", "not the password")
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }
    let res = login_from("203.0.113.66", "not the password")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);

    // The owner, moments later from their own phone, is asked to wait seconds, not minutes.
    let res = login_from("198.51.100.7", PASSWORD).await.unwrap();
    if res.status() == StatusCode::TOO_MANY_REQUESTS {
        let retry: u64 = res.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(retry <= 60, "retry-after {retry}");
    } else {
        assert_eq!(res.status(), 200);
    }
    // A minute on (well inside the 15-minute window), they are in.
    backdate_attempts(&app, 60).await;
    let res = login_from("198.51.100.7", PASSWORD).await.unwrap();
    assert_eq!(res.status(), 200);
    // The attacker's address is still stopped for this account.
    let res = login_from("203.0.113.66", "not the password")
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Arranges time: every recorded login attempt happened `seconds` earlier than it did.
async fn backdate_attempts(app: &TestApp, seconds: i64) {
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    use soundings::entities::login_attempt;
    for attempt in login_attempt::Entity::find().all(&app.db).await.unwrap() {
        let earlier = attempt.attempted_at - chrono::Duration::seconds(seconds);
        let mut row = attempt.into_active_model();
        row.attempted_at = Set(earlier);
        row.update(&app.db).await.unwrap();
    }
}
