//! Invitations (made by staff), opening them (participants, no password), and responses
//! (from a participant's phone, or from a specialist's on the participant's behalf).

use crate::services::throttle::Throttle;
use crate::{
    ApiError, Result,
    auth::{self, InvitationHolder, ParticipantClaims, StaffUser},
    json::ApiJson,
    repo,
    services::capture::{self, Submitter},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Duration, Utc};
use domain::{
    ErrorBody,
    instrument::InstrumentDefinition,
    records::{
        Accessibility, ExchangeRequest, ExchangeResponse, Invitation, Language, NewInvitation,
        NewResponse, ResponseReceipt, Survey,
    },
};
use uuid::Uuid;

/// Failed code or token attempts allowed per address in the throttle window.
const MAX_FAILED_OPENS: u64 = 20;

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    request_body = NewInvitation,
    responses(
        (status = 201, description = "The invitation, with its link token and short code", body = Invitation),
        (status = 400, body = ErrorBody),
        (status = 403, description = "SWEMWBS before the licence is recorded", body = ErrorBody),
        (status = 409, body = ErrorBody),
    )
)]
#[post("/invitations")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_invitation(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewInvitation>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let inv = capture::invitation(&state, &user, body).await?;
    Ok(HttpResponse::Created().json(inv))
}

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Invitation), (status = 404, body = ErrorBody))
)]
#[get("/invitations/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_invitation(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Invitation>> {
    let inv = repo::invitations::find_any(&state.db, *id)
        .await?
        .filter(|i| i.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such invitation"))?;
    repo::records::visible_participant(&state.db, &user, inv.participant_id)
        .await?
        .ok_or(ApiError::NotFound("no such invitation"))?;
    Ok(web::Json(capture::invitation_view(&state, inv)?))
}

#[utoipa::path(
    tag = "surveys",
    request_body = ExchangeRequest,
    responses(
        (status = 200, body = ExchangeResponse),
        (status = 400, body = ErrorBody),
        (status = 404, description = "No invitation has that token or code", body = ErrorBody),
        (status = 410, description = "The invitation has expired or been withdrawn", body = ErrorBody),
        (status = 429, body = ErrorBody),
    )
)]
#[post("/invitations/open")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn open_invitation(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: ApiJson<ExchangeRequest>,
) -> Result<web::Json<ExchangeResponse>> {
    let body = body.into_inner()?;
    let ExchangeRequest { token, short_code } = body;
    let address = Throttle::new(
        "open",
        &crate::client_addr::client_address(&req),
        MAX_FAILED_OPENS,
        Duration::minutes(state.config.login_window_minutes),
    );
    let attempt = address.attempt(&state.db).await?;
    let found = match (token, short_code) {
        (Some(t), None) => {
            repo::invitations::find_by_token_hash(&state.db, &auth::token_hash(t.trim())).await?
        }
        (None, Some(c)) => {
            let code: String = c.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            repo::invitations::find_by_short_code(&state.db, &code.to_ascii_uppercase()).await?
        }
        _ => {
            attempt.succeeded(&state.db).await?;
            return Err(ApiError::invalid(
                "token",
                "send either the link token or the short code",
            ));
        }
    };
    let Some(inv) = found else {
        attempt.failed();
        return Err(ApiError::NotFound(
            "no invitation has that code; check it and try again",
        ));
    };
    attempt.succeeded(&state.db).await?;
    let participant = repo::records::find_participant_any(&state.db, inv.participant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation without participant"))?;
    if inv.expires_at < Utc::now() || participant.withdrawn_at.is_some() {
        return Err(ApiError::Expired("this survey is closed"));
    }
    let now = Utc::now();
    let session = Uuid::new_v4();
    let access_token = state.keys.sign(&ParticipantClaims {
        sub: inv.id,
        org: inv.organisation_id,
        sid: session,
        iat: now.timestamp(),
        // Long enough to answer offline before expiry and send the answer later.
        exp: (inv.expires_at + Duration::days(30)).timestamp(),
        typ: auth::PARTICIPANT.to_owned(),
    })?;
    let holder = InvitationHolder {
        invitation_id: inv.id,
        organisation_id: inv.organisation_id,
        session_id: session,
    };
    let survey = survey_for(&state, &holder).await?;
    tracing::info!(invitation_id = %inv.id, "invitation opened");
    Ok(web::Json(ExchangeResponse {
        access_token,
        survey,
    }))
}

async fn survey_for(state: &AppState, holder: &InvitationHolder) -> Result<Survey> {
    let db = &state.db;
    let inv = repo::invitations::find_any(db, holder.invitation_id)
        .await?
        .filter(|i| i.organisation_id == holder.organisation_id)
        .ok_or(ApiError::Unauthorized("open your invitation link again"))?;
    let instrument: InstrumentDefinition = repo::instruments::version_for(
        db,
        inv.organisation_id,
        &inv.instrument_key,
        inv.instrument_version,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("invitation names a missing instrument"))?;
    let participant = repo::records::find_participant_any(db, inv.participant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation without participant"))?;
    let org = repo::orgs::get(db, inv.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation without organisation"))?;
    let answers = repo::invitations::answers_to(db, inv.id).await?;
    let answered = answers
        .iter()
        .any(|r| r.participant_session_id == Some(holder.session_id));
    let invitation_answered = !answers.is_empty();
    let settings = repo::instruments::settings(db, inv.organisation_id).await?;
    Ok(Survey {
        readers: settings.readers(),
        help: settings.help(),
        invitation_id: inv.id,
        organisation_name: org.name,
        timing: inv
            .timing
            .as_deref()
            .map(domain::kpi::Timing::parse)
            .transpose()
            .map_err(|e| anyhow::anyhow!("stored timing: {e}"))?,
        instrument,
        language: Language::parse(&participant.language).unwrap_or(Language::English),
        accessibility: serde_json::from_str::<Accessibility>(&participant.accessibility)
            .unwrap_or_default(),
        expires_at: inv.expires_at,
        answered,
        invitation_answered,
    })
}

#[utoipa::path(
    tag = "surveys",
    security(("participant" = [])),
    responses((status = 200, body = Survey), (status = 401, body = ErrorBody))
)]
#[get("/survey")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_survey(
    state: web::Data<AppState>,
    holder: InvitationHolder,
) -> Result<web::Json<Survey>> {
    Ok(web::Json(survey_for(&state, &holder).await?))
}

#[utoipa::path(
    tag = "surveys",
    security(("participant" = [])),
    request_body = NewResponse,
    responses(
        (status = 201, description = "Stored (or the same answer was already stored)", body = ResponseReceipt),
        (status = 400, body = ErrorBody),
        (status = 409, description = "Already answered from this device, or the id was used for other content", body = ErrorBody),
        (status = 410, description = "Answered after the invitation expired", body = ErrorBody),
    )
)]
#[post("/survey/responses")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn submit_survey_response(
    state: web::Data<AppState>,
    holder: InvitationHolder,
    body: ApiJson<NewResponse>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let receipt = capture::response(&state, Submitter::Participant(&holder), body).await?;
    Ok(HttpResponse::Created().json(receipt))
}

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    request_body = NewResponse,
    responses(
        (status = 201, body = ResponseReceipt),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 410, body = ErrorBody),
    )
)]
#[post("/responses")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_response(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewResponse>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let receipt = capture::response(&state, Submitter::Staff(&user), body).await?;
    Ok(HttpResponse::Created().json(receipt))
}

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    responses((status = 200, description = "The newest version of each instrument, with the official translations the caller's organisation loaded", body = Vec<InstrumentDefinition>))
)]
#[get("/instruments")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_instruments(
    state: web::Data<AppState>,
    user: StaffUser,
) -> Result<web::Json<Vec<InstrumentDefinition>>> {
    Ok(web::Json(
        repo::instruments::all_latest_for(&state.db, user.organisation_id).await?,
    ))
}

#[utoipa::path(
    tag = "surveys",
    security(("participant" = [])),
    responses((status = 200, description = "How people like the reader rated the service in the last closed quarter", body = domain::records::PublicResults), (status = 401, body = ErrorBody))
)]
#[get("/survey/results")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn survey_results(
    state: web::Data<AppState>,
    holder: InvitationHolder,
) -> Result<web::Json<domain::records::PublicResults>> {
    let db = &state.db;
    let inv = repo::invitations::find_any(db, holder.invitation_id)
        .await?
        .filter(|i| i.organisation_id == holder.organisation_id)
        .ok_or(ApiError::Unauthorized("open your invitation link again"))?;
    let person = repo::records::find_participant_any(db, inv.participant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation without participant"))?;
    let results =
        crate::services::feedback::service_results(db, inv.organisation_id, person.audience())
            .await?;
    Ok(web::Json(results))
}
