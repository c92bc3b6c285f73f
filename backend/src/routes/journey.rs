//! The journey of an episode: referrals and their decision, jobs and their end (DESIGN §4a).
//! Creating takes an id made on the device and is idempotent (see `capture`).

use crate::json::ApiQuery;
use crate::{Result, auth::StaffUser, json::ApiJson, services::capture, state::AppState};
use actix_web::{HttpResponse, get, patch, post, web};
use domain::{
    ErrorBody,
    journey::{Job, JobEnd, NewJob, NewReferral, Referral, ReferralDecision},
};
use serde::Deserialize;
use uuid::Uuid;

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewReferral,
    responses(
        (status = 201, description = "Stored (or the same record was already stored)", body = Referral),
        (status = 400, body = ErrorBody),
        (status = 409, description = "The id was used for different content", body = ErrorBody),
    )
)]
#[post("/referrals")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_referral(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewReferral>,
) -> Result<HttpResponse> {
    let r = capture::referral(&state, &user, body.into_inner()?).await?;
    Ok(HttpResponse::Created().json(r))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReferralQuery {
    /// Only this participant's referrals.
    pub participant_id: Option<Uuid>,
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(ReferralQuery),
    responses((status = 200, description = "Your referrals (managers: the organisation's), newest first", body = Vec<Referral>), (status = 400, body = ErrorBody))
)]
#[get("/referrals")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_referrals(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<ReferralQuery>,
) -> Result<web::Json<Vec<Referral>>> {
    let q = q.into_inner()?;
    Ok(web::Json(
        capture::list_referrals(&state, &user, q.participant_id).await?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = ReferralDecision,
    responses((status = 200, body = Referral), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[patch("/referrals/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn decide_referral(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
    body: ApiJson<ReferralDecision>,
) -> Result<web::Json<Referral>> {
    let body = body.into_inner()?;
    Ok(web::Json(
        capture::decide_referral(&state, &user, *id, body).await?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewJob,
    responses(
        (status = 201, description = "Stored (or the same record was already stored)", body = Job),
        (status = 400, body = ErrorBody),
        (status = 409, description = "The id was used for different content", body = ErrorBody),
    )
)]
#[post("/jobs")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_job(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewJob>,
) -> Result<HttpResponse> {
    let j = capture::job(&state, &user, body.into_inner()?).await?;
    Ok(HttpResponse::Created().json(j))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = JobEnd,
    responses((status = 200, body = Job), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[patch("/jobs/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn end_job(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
    body: ApiJson<JobEnd>,
) -> Result<web::Json<Job>> {
    let body = body.into_inner()?;
    Ok(web::Json(capture::end_job(&state, &user, *id, body).await?))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The episode's jobs in the order they started", body = Vec<Job>), (status = 404, body = ErrorBody))
)]
#[get("/episodes/{id}/jobs")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn episode_jobs(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<Job>>> {
    Ok(web::Json(capture::episode_jobs(&state, &user, *id).await?))
}
