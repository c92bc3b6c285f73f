//! Field records: participants, consent, episodes, sessions, and the offline sync batch.
//! Creating takes an id made on the device and is idempotent (see `capture`).

use crate::json::ApiQuery;
use crate::services::audit::{log, staff_actor};
use crate::{
    ApiError, Result,
    auth::StaffUser,
    json::ApiJson,
    repo,
    services::capture::{self},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use domain::{
    ErrorBody,
    records::{
        Consent, Episode, NewConsent, NewEpisode, NewParticipant, NewSession, Participant, Session,
        SyncBatch, SyncResult,
    },
};
use serde::Deserialize;
use uuid::Uuid;

const LIST_LIMIT: u64 = 1000;

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewParticipant,
    responses(
        (status = 201, description = "Stored (or the same record was already stored)", body = Participant),
        (status = 400, body = ErrorBody),
        (status = 409, description = "The id was used for different content, or the reference is taken", body = ErrorBody),
    )
)]
#[post("/participants")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    body: ApiJson<NewParticipant>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let p = capture::participant(&state, &user, body).await?;
    log(
        &state.db,
        &staff_actor(&user, &req),
        "create",
        "participant",
        Some(p.id),
        Some(p.id),
    )
    .await?;
    Ok(HttpResponse::Created().json(p))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    responses((status = 200, description = "Participants on your caseload (managers: the organisation)", body = Vec<Participant>))
)]
#[get("/participants")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_participants(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
) -> Result<web::Json<Vec<Participant>>> {
    let rows = repo::records::list_participants(&state.db, &user, LIST_LIMIT).await?;
    let actor = staff_actor(&user, &req);
    for p in &rows {
        log(
            &state.db,
            &actor,
            "list",
            "participant",
            Some(p.id),
            Some(p.id),
        )
        .await?;
    }
    Ok(web::Json(
        rows.into_iter()
            .map(Participant::try_from)
            .collect::<Result<_>>()?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Participant), (status = 404, body = ErrorBody))
)]
#[get("/participants/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Participant>> {
    let actor = staff_actor(&user, &req);
    let Some(p) = repo::records::visible_participant(&state.db, &user, *id).await? else {
        // Refusals are evidence too: someone looked outside their caseload (or guessed).
        log(
            &state.db,
            &actor,
            "refused",
            "participant",
            Some(*id),
            Some(*id),
        )
        .await?;
        return Err(ApiError::NotFound("no such participant on your caseload"));
    };
    log(
        &state.db,
        &actor,
        "read",
        "participant",
        Some(p.id),
        Some(p.id),
    )
    .await?;
    Ok(web::Json(p.try_into()?))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewConsent,
    responses((status = 201, body = Consent), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/consents")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_consent(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    body: ApiJson<NewConsent>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let c = capture::consent(&state, &user, body).await?;
    log(
        &state.db,
        &staff_actor(&user, &req),
        "create",
        "consent",
        Some(c.id),
        Some(c.participant_id),
    )
    .await?;
    Ok(HttpResponse::Created().json(c))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewEpisode,
    responses((status = 201, body = Episode), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/episodes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_episode(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewEpisode>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let e = capture::episode(&state, &user, body).await?;
    Ok(HttpResponse::Created().json(e))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EpisodeQuery {
    /// Only this participant's episodes.
    pub participant_id: Option<Uuid>,
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(EpisodeQuery),
    responses((status = 200, description = "Your caseload's episodes (managers: the organisation's)", body = Vec<Episode>))
)]
#[get("/episodes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_episodes(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<EpisodeQuery>,
) -> Result<web::Json<Vec<Episode>>> {
    let q = q.into_inner()?;
    let rows = repo::records::list_episodes(&state.db, &user, q.participant_id, LIST_LIMIT).await?;
    Ok(web::Json(
        rows.into_iter()
            .map(Episode::try_from)
            .collect::<Result<_>>()?,
    ))
}

/// Which forms each episode of the caller's caseload (managers: the organisation's) owes today:
/// SWEMWBS start and end, the jobseeker's and the employer's satisfaction survey, each not yet
/// due, due, or done (by the coverage rules, DESIGN §4).
#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<domain::coverage::EpisodeForms>), (status = 401, body = ErrorBody))
)]
#[get("/caseload/forms")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn caseload_forms(
    state: web::Data<AppState>,
    user: StaffUser,
) -> Result<web::Json<Vec<domain::coverage::EpisodeForms>>> {
    let episodes = repo::records::list_episodes(&state.db, &user, None, LIST_LIMIT).await?;
    let tz = repo::orgs::time_zone(&state.db, user.organisation_id).await?;
    Ok(web::Json(
        crate::services::reports::forms(&state.db, user.organisation_id, &tz, &episodes).await?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = Episode), (status = 404, body = ErrorBody))
)]
#[get("/episodes/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_episode(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Episode>> {
    let actor = staff_actor(&user, &req);
    let Some(e) = repo::records::visible_episode(&state.db, &user, *id).await? else {
        log(&state.db, &actor, "refused", "episode", Some(*id), None).await?;
        return Err(ApiError::NotFound("no such episode on your caseload"));
    };
    log(
        &state.db,
        &actor,
        "read",
        "episode",
        Some(e.id),
        Some(e.participant_id),
    )
    .await?;
    Ok(web::Json(e.try_into()?))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = NewSession,
    responses((status = 201, body = Session), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody))
)]
#[post("/sessions")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_session(
    state: web::Data<AppState>,
    user: StaffUser,
    body: ApiJson<NewSession>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let s = capture::session(&state, &user, body).await?;
    Ok(HttpResponse::Created().json(s))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    request_body = SyncBatch,
    responses(
        (status = 200, description = "One outcome per record, in order. Each record is committed on its own: a refused record never undoes or blocks the others.", body = SyncResult),
        (status = 400, body = ErrorBody),
    )
)]
#[post("/sync")]
#[tracing::instrument(skip_all, fields(records), err(level = "debug"))]
pub async fn sync(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    body: ApiJson<SyncBatch>,
) -> Result<web::Json<SyncResult>> {
    let records = body.into_inner()?.records;
    tracing::Span::current().record("records", records.len());
    let outcomes = capture::sync(&state, &user, &staff_actor(&user, &req), records).await?;
    Ok(web::Json(SyncResult { outcomes }))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = domain::records::UpdateEpisode,
    responses((status = 200, body = Episode), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[patch("/episodes/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_episode(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
    body: ApiJson<domain::records::UpdateEpisode>,
) -> Result<web::Json<Episode>> {
    let body = body.into_inner()?;
    Ok(web::Json(
        capture::update_episode(&state, &user, *id, body).await?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = domain::records::UpdateParticipant,
    responses((status = 200, body = Participant), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[patch("/participants/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    id: web::Path<Uuid>,
    body: ApiJson<domain::records::UpdateParticipant>,
) -> Result<web::Json<Participant>> {
    let body = body.into_inner()?;
    let p = capture::update_participant(&state, &user, *id, body).await?;
    let actor = staff_actor(&user, &req);
    log(
        &state.db,
        &actor,
        "update",
        "participant",
        Some(p.id),
        Some(p.id),
    )
    .await?;
    Ok(web::Json(p))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Consent withdrawn: no more invitations, and no more quotation of their words", body = Participant), (status = 404, body = ErrorBody))
)]
#[post("/participants/{id}/withdraw")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn withdraw_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Participant>> {
    let p = capture::withdraw_participant(&state, &user, *id).await?;
    let actor = staff_actor(&user, &req);
    log(
        &state.db,
        &actor,
        "withdraw",
        "participant",
        Some(p.id),
        Some(p.id),
    )
    .await?;
    Ok(web::Json(p))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = domain::records::SessionEdit,
    responses(
        (status = 200, description = "The edit was made against the current version and is applied", body = Session),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The session changed since the device's copy (`field: base_version`): the edit is kept beside it as a conflict to resolve; or the edit id was used for other content (`field: id`)", body = ErrorBody),
    )
)]
#[patch("/sessions/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn edit_session(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
    body: ApiJson<domain::records::SessionEdit>,
) -> Result<web::Json<Session>> {
    // Someone else's session is not there, whatever the body says.
    capture::visible_session(&state, &user, *id).await?;
    let body = body.into_inner()?;
    Ok(web::Json(
        capture::edit_session(&state, &user, *id, body).await?,
    ))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses(
        (status = 200, description = "The episode's sessions, oldest first, each with the stale edits waiting to be resolved", body = Vec<domain::records::SessionRecord>),
        (status = 404, body = ErrorBody),
    )
)]
#[get("/episodes/{id}/sessions")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn episode_sessions(
    state: web::Data<AppState>,
    user: StaffUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<domain::records::SessionRecord>>> {
    let episode = repo::records::visible_episode(&state.db, &user, *id)
        .await?
        .ok_or(ApiError::NotFound("no such episode"))?;
    let mut out = Vec::new();
    for s in repo::records::sessions_of_episode(&state.db, episode.id).await? {
        out.push(capture::session_record(&state, s).await?);
    }
    Ok(web::Json(out))
}

#[utoipa::path(
    tag = "records",
    security(("bearer" = [])),
    params(("id" = Uuid, Path), ("edit_id" = Uuid, Path)),
    request_body = domain::records::ResolveConflict,
    responses(
        (status = 200, description = "The session as it now stands, with the conflicts still open", body = domain::records::SessionRecord),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
    )
)]
#[post("/sessions/{id}/conflicts/{edit_id}/resolve")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn resolve_session_conflict(
    state: web::Data<AppState>,
    user: StaffUser,
    path: web::Path<(Uuid, Uuid)>,
    body: ApiJson<domain::records::ResolveConflict>,
) -> Result<web::Json<domain::records::SessionRecord>> {
    let (id, edit_id) = path.into_inner();
    capture::visible_session(&state, &user, id).await?;
    let body = body.into_inner()?;
    Ok(web::Json(
        capture::resolve_session_conflict(&state, &user, id, edit_id, body.keep).await?,
    ))
}
