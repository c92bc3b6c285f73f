//! Field records: participants, consent, episodes, sessions, and the offline sync batch.
//! Creating takes an id made on the device and is idempotent (see `capture`).

use crate::audit::{log, staff_actor};
use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::StaffUser,
    capture::{self, Submitter},
    json::{ApiJson, parse},
    repo,
    startup::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use domain::{
    ErrorBody,
    records::{
        Consent, Episode, NewConsent, NewEpisode, NewInvitation, NewParticipant, NewResponse,
        NewSession, Participant, Session, SyncBatch, SyncOutcome, SyncResult,
    },
};
use serde::Deserialize;
use uuid::Uuid;

/// Records per sync batch: enough for a day offline, small enough to answer quickly.
pub const MAX_BATCH: usize = 200;
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
        crate::reports::forms(&state.db, user.organisation_id, &tz, &episodes).await?,
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

/// One record of a batch, stored exactly as its single endpoint would store it.
async fn sync_one(
    state: &AppState,
    user: &StaffUser,
    kind: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    fn to_json<T: serde::Serialize>(v: T) -> Result<serde_json::Value> {
        serde_json::to_value(v).map_err(|e| anyhow::Error::from(e).into())
    }
    match kind {
        "participant" => to_json(capture::participant(state, user, parse(body)?).await?),
        "consent" => to_json(capture::consent(state, user, parse(body)?).await?),
        "episode" => to_json(capture::episode(state, user, parse(body)?).await?),
        "session" => to_json(capture::session(state, user, parse(body)?).await?),
        "invitation" => {
            to_json(capture::invitation(state, user, parse::<NewInvitation>(body)?).await?)
        }
        "response" => to_json(
            capture::response(state, Submitter::Staff(user), parse::<NewResponse>(body)?).await?,
        ),
        _ => Err(ApiError::invalid(
            "kind",
            "unknown kind; expected participant, consent, episode, session, invitation or response",
        )),
    }
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
    let body = body.into_inner()?;
    let records = body.records;
    tracing::Span::current().record("records", records.len());
    if records.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "records",
            format!("at most {MAX_BATCH} records per batch"),
        ));
    }
    let mut outcomes = Vec::with_capacity(records.len());
    // Once the database is busy, the rest of the batch is not tried: each waits its turn in
    // the outbox (503), so a record that depends on a busy one (an episode on its new client)
    // is never refused for a reason that is only a delay.
    let mut busy = false;
    for (index, rec) in records.into_iter().enumerate() {
        let id = rec
            .body
            .get("id")
            .and_then(|v| v.as_str())
            .and_then(|s| Uuid::parse_str(s).ok());
        if busy {
            outcomes.push(SyncOutcome {
                index,
                id,
                kind: rec.kind,
                status: 503,
                record: None,
                error: Some(ApiError::Busy.body()),
            });
            continue;
        }
        let bytes = serde_json::to_vec(&rec.body).map_err(anyhow::Error::from)?;
        let outcome = match sync_one(&state, &user, &rec.kind, &bytes).await {
            Ok(record) => {
                if rec.kind == "participant" || rec.kind == "consent" {
                    let participant = record
                        .get(if rec.kind == "participant" {
                            "id"
                        } else {
                            "participant_id"
                        })
                        .and_then(|v| v.as_str())
                        .and_then(|s| Uuid::parse_str(s).ok());
                    log(
                        &state.db,
                        &staff_actor(&user, &req),
                        "create",
                        &rec.kind,
                        id,
                        participant,
                    )
                    .await?;
                }
                SyncOutcome {
                    index,
                    id,
                    kind: rec.kind,
                    status: 201,
                    record: Some(record),
                    error: None,
                }
            }
            Err(e) => {
                use actix_web::ResponseError;
                // A busy database is not a fault (503, sent again later): only real ones are errors.
                if let ApiError::Internal(cause) = &e
                    && e.status_code() == actix_web::http::StatusCode::INTERNAL_SERVER_ERROR
                {
                    tracing::error!(error = format!("{cause:#}"), index, "sync record failed");
                }
                busy = e.status_code() == actix_web::http::StatusCode::SERVICE_UNAVAILABLE;
                SyncOutcome {
                    index,
                    id,
                    kind: rec.kind,
                    status: e.status_code().as_u16(),
                    record: None,
                    error: Some(e.body()),
                }
            }
        };
        outcomes.push(outcome);
    }
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
    responses((status = 200, description = "Consent withdrawn: no more invitations", body = Participant), (status = 404, body = ErrorBody))
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
