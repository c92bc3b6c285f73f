//! Extractors that yield the caller's identity (`auth::identity`). A handler that takes `StaffUser` cannot run for
//! an anonymous caller, and every query it makes is scoped by `user.organisation_id`.

use crate::{
    auth::{
        AdminUser, CommissionerUser, InvitationHolder, ManagerUser, ReportReader, SignedIn,
        StaffUser,
    },
    error::ApiError,
    repo,
    state::AppState,
};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use domain::Role;
use futures_util::future::LocalBoxFuture;

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_owned())
}

/// Anyone logged in (staff or commissioner), as the database knows them now.
impl FromRequest for SignedIn {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = bearer(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState not registered"))?;
            let token = token.ok_or(ApiError::Unauthorized("log in first"))?;
            let claims = state.keys.verify(&token).ok_or(ApiError::Unauthorized(
                "your session has expired; log in again",
            ))?;
            let staff = repo::staff::find_signed_in(&state.db, claims.sub, claims.sid)
                .await?
                .filter(|s| s.active && s.organisation_id == claims.org)
                .ok_or(ApiError::Unauthorized(
                    "your session has expired; log in again",
                ))?;
            let role = Role::parse(&staff.role)
                .map_err(|e| anyhow::anyhow!("stored role is invalid: {e}"))?;
            Ok(SignedIn(StaffUser {
                id: staff.id,
                organisation_id: staff.organisation_id,
                role,
                team_id: staff.team_id,
            }))
        })
    }
}

const COMMISSIONERS_READ_REPORTS: &str =
    "a commissioner reads the reports shared with them, nothing else";

/// A member of the organisation's staff: never a commissioner.
impl FromRequest for StaffUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let SignedIn(user) = user.await?;
            if user.role.is_staff() {
                Ok(user)
            } else {
                Err(ApiError::Forbidden(COMMISSIONERS_READ_REPORTS))
            }
        })
    }
}

impl FromRequest for CommissionerUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let SignedIn(user) = user.await?;
            if user.role == Role::Commissioner {
                Ok(CommissionerUser(user))
            } else {
                Err(ApiError::Forbidden("only a commissioner has this page"))
            }
        })
    }
}

impl FromRequest for ReportReader {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = SignedIn::from_request(req, payload);
        Box::pin(async move {
            let SignedIn(user) = user.await?;
            if user.role == Role::Commissioner || user.is_at_least(Role::Manager) {
                Ok(ReportReader(user))
            } else {
                Err(ApiError::Forbidden(
                    "only a manager, an admin or a commissioner it is shared with can read a report",
                ))
            }
        })
    }
}

macro_rules! role_extractor {
    ($name:ident, $role:expr, $why:literal) => {
        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = StaffUser::from_request(req, payload);
                Box::pin(async move {
                    let user = user.await?;
                    if user.is_at_least($role) {
                        Ok($name(user))
                    } else {
                        Err(ApiError::Forbidden($why))
                    }
                })
            }
        }
    };
}

role_extractor!(
    AdminUser,
    Role::Admin,
    "only an organisation admin can do this"
);
role_extractor!(
    ManagerUser,
    Role::Manager,
    "only a manager or admin can do this"
);

impl FromRequest for InvitationHolder {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let holder = (|| {
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| anyhow::anyhow!("AppState not registered"))?;
            let token =
                bearer(req).ok_or(ApiError::Unauthorized("open your invitation link first"))?;
            let claims = state
                .keys
                .verify_participant(&token)
                .ok_or(ApiError::Unauthorized("open your invitation link again"))?;
            Ok(InvitationHolder {
                invitation_id: claims.sub,
                organisation_id: claims.org,
                session_id: claims.sid,
            })
        })();
        std::future::ready(holder)
    }
}
