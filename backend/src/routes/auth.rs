//! Login, token refresh (single-use, rotating), logout and "who am I".

use crate::services::throttle::{Slowdown, Throttle};
use crate::{
    ApiError, Result,
    auth::{self, AccessClaims, SignedIn},
    entities::staff,
    json::ApiJson,
    repo,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use domain::{
    Email, ErrorBody, Role,
    auth::{LoginRequest, Me, RefreshRequest, TokenResponse},
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

const WRONG_CREDENTIALS: &str = "the email or password is wrong";
const SESSION_OVER: &str = "your session has ended; log in again";

/// How long a just-rotated refresh token still refreshes its login. A phone coming back from
/// an offline spell sends several requests at once; each finds its access token expired and
/// refreshes with the same token. Within this grace they all carry on in the same login
/// rather than the second one being taken for a thief and ending it (issue 20).
pub const REFRESH_GRACE_SECONDS: i64 = 30;

#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 400, body = ErrorBody),
        (status = 401, description = "Wrong email or password (the same answer for both)", body = ErrorBody),
        (status = 429, description = "Too many failed attempts; see Retry-After", body = ErrorBody),
        (status = 503, description = "Too many logins under way at once; see Retry-After", body = ErrorBody),
    )
)]
#[post("/auth/login")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<LoginRequest>,
) -> Result<web::Json<TokenResponse>> {
    let body = body.into_inner()?;
    // The cheap refusal first: with too many logins under way, busy, before any database work.
    let _turn = state.logins.take().await?;
    let LoginRequest { email, password } = body;
    // A malformed email is just a wrong login: the same answer, the same cost.
    let email = Email::parse(&email).ok();
    // Failures slow the account down wherever they come from, and are limited per account
    // from one address and per address: guessing one account's password is slow from
    // anywhere and stops from one place, spraying many accounts from one address stops, and
    // nobody can lock the real person out for the whole window.
    let window = Duration::minutes(state.config.login_window_minutes);
    let who = email.as_ref().map_or("", |e| e.as_str());
    let from = crate::client_addr::client_address(&req);
    let account = Slowdown::new("account", who, state.config.login_max_failures, window);
    let pair = Throttle::new(
        "account-address",
        &format!("{who} {from}"),
        state.config.login_max_failures,
        window,
    );
    let address = Throttle::new(
        "address",
        &from,
        state.config.login_max_failures_per_address,
        window,
    );
    let by_address = address.attempt(&state.db).await?;
    let by_pair = match pair.attempt(&state.db).await {
        Ok(a) => a,
        Err(e) => {
            by_address.succeeded(&state.db).await?;
            return Err(e);
        }
    };
    let by_account = match account.attempt(&state.db).await {
        Ok(a) => a,
        Err(e) => {
            by_pair.succeeded(&state.db).await?;
            by_address.succeeded(&state.db).await?;
            return Err(e);
        }
    };

    let found = match &email {
        Some(e) => repo::staff::find_by_email(&state.db, e.as_str()).await?,
        None => None,
    };
    let staff =
        match check_credentials(found, password, &state.dummy_hash, auth::verify_password).await? {
            Some(s) => s,
            None => {
                by_account.failed();
                by_pair.failed();
                by_address.failed();
                tracing::info!("login refused");
                return Err(ApiError::Unauthorized(WRONG_CREDENTIALS));
            }
        };
    by_address.succeeded(&state.db).await?;
    by_pair.succeeded(&state.db).await?;
    by_account.succeeded(&state.db).await?;
    account.clear(&state.db).await?;
    pair.clear(&state.db).await?;
    let tokens = issue_tokens(&state, &staff, Uuid::new_v4()).await?;
    tracing::info!(staff_id = %staff.id, "login");
    Ok(web::Json(tokens))
}

#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused token (reuse more than 30 s after its use revokes the whole family)", body = ErrorBody),
    )
)]
#[post("/auth/refresh")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn refresh(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<web::Json<TokenResponse>> {
    let body = body.into_inner()?;
    let hash = auth::token_hash(&body.refresh_token);
    let token = repo::tokens::find_by_hash(&state.db, &hash)
        .await?
        .ok_or(ApiError::Unauthorized(SESSION_OVER))?;
    if !repo::tokens::spend(&state.db, token.id).await? && !just_rotated(&state, token.id).await? {
        // Spent a while ago, or revoked: whoever holds this copy may be a thief, so end them
        // all.
        let revoked = repo::tokens::revoke_family(&state.db, token.family_id).await?;
        tracing::warn!(family_id = %token.family_id, revoked, "refresh token reused; family revoked");
        return Err(ApiError::Unauthorized(SESSION_OVER));
    }
    if token.expires_at <= Utc::now() {
        return Err(ApiError::Unauthorized(SESSION_OVER));
    }
    let staff = repo::staff::find_by_id(&state.db, token.staff_id)
        .await?
        .filter(|s| s.active)
        .ok_or(ApiError::Unauthorized(SESSION_OVER))?;
    let tokens = issue_tokens(&state, &staff, token.family_id).await?;
    Ok(web::Json(tokens))
}

/// Whether a token that could not be spent was spent moments ago (within
/// [`REFRESH_GRACE_SECONDS`]) and its login is still live: read again, because the refresh
/// that spent it may have run alongside this one.
async fn just_rotated(state: &AppState, id: Uuid) -> Result<bool> {
    let now = Utc::now();
    let grace = Duration::seconds(REFRESH_GRACE_SECONDS);
    let again = repo::tokens::find_by_id(&state.db, id).await?;
    let in_grace = again.is_some_and(|t| {
        t.revoked_at.is_none() && t.used_at.is_some_and(|used| now - used <= grace)
    });
    if in_grace {
        tracing::info!("refresh token presented again within its grace; the login carries on");
    }
    Ok(in_grace)
}

#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "The session (its whole token family) is ended"))
)]
#[post("/auth/logout")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn logout(
    state: web::Data<AppState>,
    body: ApiJson<RefreshRequest>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let hash = auth::token_hash(&body.refresh_token);
    if let Some(token) = repo::tokens::find_by_hash(&state.db, &hash).await? {
        repo::tokens::revoke_family(&state.db, token.family_id).await?;
    }
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody))
)]
#[get("/auth/me")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn me(state: web::Data<AppState>, SignedIn(user): SignedIn) -> Result<web::Json<Me>> {
    // Staff or a commissioner (whose account `repo::staff::get` never returns).
    let staff = repo::staff::find_by_id(&state.db, user.id)
        .await?
        .filter(|s| s.organisation_id == user.organisation_id)
        .ok_or(ApiError::Unauthorized(SESSION_OVER))?;
    Ok(web::Json(me_of(&state.db, &staff).await?))
}

/// Exactly one password verification whatever the case: an unknown or inactive account is
/// checked against the dummy hash, so its answer costs the same time as a wrong password.
async fn check_credentials<F, Fut>(
    found: Option<staff::Model>,
    password: String,
    dummy_hash: &str,
    verify: F,
) -> anyhow::Result<Option<staff::Model>>
where
    F: FnOnce(String, String) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<bool>>,
{
    let hash = found
        .as_ref()
        .map_or_else(|| dummy_hash.to_owned(), |s| s.password_hash.clone());
    let password_ok = verify(password, hash).await?;
    Ok(found.filter(|s| password_ok && s.active))
}

async fn issue_tokens(
    state: &AppState,
    staff: &staff::Model,
    family_id: Uuid,
) -> Result<TokenResponse> {
    let now = Utc::now();
    let ttl = Duration::minutes(state.config.access_token_minutes);
    let access_token = state.keys.sign(&AccessClaims {
        sub: staff.id,
        org: staff.organisation_id,
        sid: family_id,
        iat: now.timestamp(),
        exp: (now + ttl).timestamp(),
        typ: auth::STAFF_ACCESS.to_owned(),
    })?;
    let refresh_token = auth::random_token();
    repo::tokens::insert(
        &state.db,
        family_id,
        staff.id,
        auth::token_hash(&refresh_token),
        now + Duration::days(state.config.refresh_token_days),
    )
    .await?;
    Ok(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl.num_seconds(),
        refresh_token,
        staff: me_of(&state.db, staff).await?,
    })
}

async fn me_of(db: &impl ConnectionTrait, staff: &staff::Model) -> Result<Me> {
    let org = repo::orgs::get(db, staff.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("staff member's organisation is missing"))?;
    Ok(Me {
        id: staff.id,
        organisation_id: org.id,
        organisation_name: org.name,
        name: staff.name.clone(),
        email: Email::parse(&staff.email).map_err(|e| anyhow::anyhow!("stored email: {e}"))?,
        role: Role::parse(&staff.role).map_err(|e| anyhow::anyhow!("stored role: {e}"))?,
        team_id: staff.team_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    fn staff_with_hash(hash: &str, active: bool) -> staff::Model {
        staff::Model {
            id: Uuid::new_v4(),
            organisation_id: Uuid::new_v4(),
            team_id: None,
            name: "Ann".into(),
            email: "ann@example.org".into(),
            role: "admin".into(),
            password_hash: hash.into(),
            active,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    /// Runs `check_credentials` with a verifier that records which hash it was given.
    async fn hashes_checked(found: Option<staff::Model>, accept: bool) -> (bool, Vec<String>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let result = check_credentials(found, "pw".into(), "DUMMY", move |_, hash| async move {
            log.lock().unwrap().push(hash);
            Ok(accept)
        })
        .await
        .unwrap();
        let seen = seen.lock().unwrap().clone();
        (result.is_some(), seen)
    }

    #[tokio::test]
    async fn an_unknown_user_costs_one_verification_against_the_dummy_hash() {
        assert_eq!(
            hashes_checked(None, false).await,
            (false, vec!["DUMMY".to_owned()])
        );
    }

    #[tokio::test]
    async fn a_known_user_costs_one_verification_against_their_own_hash() {
        let s = staff_with_hash("REAL", true);
        assert_eq!(
            hashes_checked(Some(s.clone()), false).await,
            (false, vec!["REAL".to_owned()])
        );
        assert_eq!(
            hashes_checked(Some(s), true).await,
            (true, vec!["REAL".to_owned()])
        );
    }

    #[tokio::test]
    async fn an_inactive_user_is_refused_after_the_same_work() {
        let s = staff_with_hash("REAL", false);
        assert_eq!(
            hashes_checked(Some(s), true).await,
            (false, vec!["REAL".to_owned()])
        );
    }

    #[tokio::test]
    async fn the_dummy_hash_is_a_real_argon2_hash() {
        let dummy = auth::hash_password(auth::random_token()).await.unwrap();
        assert!(!auth::verify_password("guess".into(), dummy).await.unwrap());
    }
}
