//! Results for participants and employers, through a purpose-limited results link: it opens
//! their own results (the service's figures, published actions, their own wellbeing change) and
//! nothing else, needs no password, and expires. Its token travels after `#r=` and is exchanged
//! here by POST, so it never reaches a URL path or a log.

use crate::{
    ApiError, Result,
    auth::{self, InvitationHolder, StaffUser},
    json::ApiJson,
    repo,
    services::feedback::{self, ResultsReader},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use domain::{
    ErrorBody,
    feedback::{OpenResults, OwnWellbeing, PublicAction, ResultsLink, ResultsSession},
    records::{Accessibility, Language, PublicResults},
};
use uuid::Uuid;

/// Failed opens allowed per address in the throttle window (shared with invitation links).
const MAX_FAILED_OPENS: u64 = 20;

#[utoipa::path(
    tag = "results",
    request_body = OpenResults,
    responses(
        (status = 200, body = ResultsSession),
        (status = 400, body = ErrorBody),
        (status = 404, description = "No results link has that token", body = ErrorBody),
        (status = 410, description = "The link has expired, or the person's data was erased", body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
#[post("/results/open")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn open_results(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<OpenResults>,
) -> Result<web::Json<ResultsSession>> {
    let body = body.into_inner()?;
    if body.token.trim().is_empty() {
        return Err(ApiError::invalid("token", "send the token from the link"));
    }
    let address = auth::token_hash(&format!(
        "open:{}",
        crate::client_addr::client_address(&req)
    ));
    let window = Duration::minutes(state.config.login_window_minutes);
    if repo::throttle::count_since(&state.db, &address, Utc::now() - window).await?
        >= MAX_FAILED_OPENS
    {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(window.num_seconds()).unwrap_or(900),
        });
    }
    let Some((link, person, access_token, expires_at)) =
        feedback::open_link(&state, &body.token).await?
    else {
        repo::throttle::record(&state.db, &address).await?;
        return Err(ApiError::NotFound(
            "no results link has that token; check the link and try again",
        ));
    };
    let org = repo::orgs::get(&state.db, person.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("participant without organisation"))?;
    tracing::info!(results_link_id = %link.id, "results link opened");
    Ok(web::Json(ResultsSession {
        access_token,
        expires_at,
        organisation_name: org.name,
        audience: person.audience(),
        language: Language::parse(&person.language).unwrap_or(Language::English),
        accessibility: serde_json::from_str::<Accessibility>(&person.accessibility)
            .unwrap_or_default(),
    }))
}

#[utoipa::path(
    tag = "results",
    security(("results" = [])),
    responses((status = 200, description = "KPI D for jobseekers, KPI C for employers: last closed quarter, hidden below the small-number threshold", body = PublicResults), (status = 401, body = ErrorBody))
)]
#[get("/results/service")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn service_results(
    state: web::Data<AppState>,
    reader: ResultsReader,
) -> Result<web::Json<PublicResults>> {
    let p = &reader.participant;
    Ok(web::Json(
        feedback::service_results(&state.db, p.organisation_id, p.audience()).await?,
    ))
}

#[utoipa::path(
    tag = "results",
    security(("results" = [])),
    responses((status = 200, description = "Published actions for the reader's audience, newest first", body = Vec<PublicAction>), (status = 401, body = ErrorBody))
)]
#[get("/results/actions")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn results_actions(
    state: web::Data<AppState>,
    reader: ResultsReader,
) -> Result<web::Json<Vec<PublicAction>>> {
    let p = &reader.participant;
    Ok(web::Json(
        feedback::public_actions(&state.db, p.organisation_id, p.audience()).await?,
    ))
}

#[utoipa::path(
    tag = "results",
    security(("results" = [])),
    responses((status = 200, description = "The reader's own wellbeing change, one per support episode with a scored start and end", body = Vec<OwnWellbeing>), (status = 401, body = ErrorBody))
)]
#[get("/results/wellbeing")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn own_wellbeing(
    state: web::Data<AppState>,
    reader: ResultsReader,
) -> Result<web::Json<Vec<OwnWellbeing>>> {
    Ok(web::Json(
        feedback::own_wellbeing(&state.db, &reader.participant, None).await?,
    ))
}

#[utoipa::path(
    tag = "results",
    security(("results" = [])),
    params(("id" = Uuid, Path, description = "A support episode of the reader's")),
    responses((status = 200, body = OwnWellbeing), (status = 401, body = ErrorBody), (status = 404, description = "Not the reader's episode, or no scored start and end yet", body = ErrorBody))
)]
#[get("/results/wellbeing/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn own_wellbeing_episode(
    state: web::Data<AppState>,
    reader: ResultsReader,
    id: web::Path<Uuid>,
) -> Result<web::Json<OwnWellbeing>> {
    feedback::own_wellbeing(&state.db, &reader.participant, Some(*id))
        .await?
        .into_iter()
        .next()
        .map(web::Json)
        .ok_or(ApiError::NotFound("no wellbeing result for that episode"))
}

#[utoipa::path(
    tag = "results",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 201, description = "A new results link for this person (show it as a QR code, or give it by hand)", body = ResultsLink),
        (status = 404, body = ErrorBody),
        (status = 410, description = "The person has withdrawn", body = ErrorBody),
    )
)]
#[post("/participants/{id}/results-link")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn participant_results_link(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let person = repo::records::visible_participant(&state.db, &user, *id)
        .await?
        .ok_or(ApiError::NotFound("no such participant on your caseload"))?;
    let link = feedback::link_for(&state, &person).await?;
    Ok(HttpResponse::Created().json(link))
}

#[utoipa::path(
    tag = "results",
    security(("participant" = [])),
    responses(
        (status = 201, description = "A results link for the person this invitation is for: straight after a survey, to see their results", body = ResultsLink),
        (status = 401, body = ErrorBody),
        (status = 410, description = "The person has withdrawn", body = ErrorBody),
    )
)]
#[post("/survey/results-link")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn survey_results_link(
    state: web::Data<AppState>,
    holder: InvitationHolder,
) -> Result<HttpResponse> {
    let inv = repo::invitations::find_any(&state.db, holder.invitation_id)
        .await?
        .filter(|i| i.organisation_id == holder.organisation_id)
        .ok_or(ApiError::Unauthorized("open your invitation link again"))?;
    let person = repo::records::find_participant_any(&state.db, inv.participant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation without participant"))?;
    let link = feedback::link_for(&state, &person).await?;
    Ok(HttpResponse::Created().json(link))
}
