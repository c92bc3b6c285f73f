//! Voice comments: a participant (or a specialist on their behalf) adds a recording to a
//! response; managers play it. Specialists never hear one (DESIGN.md §8, honest answers).

use crate::{
    ApiError, Result,
    auth::{InvitationHolder, ManagerUser, StaffUser},
    repo,
    services::{
        audit::{log, staff_actor},
        voice,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, http::header, put, web};
use domain::{ErrorBody, voice::VoiceComment};
use uuid::Uuid;

/// Recorded audio, for the API document: the bodies are bytes, not JSON.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Audio(Vec<u8>);

#[utoipa::path(
    tag = "surveys",
    security(("participant" = [])),
    params(("id" = Uuid, Path, description = "A response this device sent")),
    request_body(
        description = "The recording as MediaRecorder made it (at most 3 MiB); parameters such as `;codecs=opus` are kept",
        content(
            (Audio = "audio/webm"),
            (Audio = "audio/ogg"),
            (Audio = "audio/mp4"),
            (Audio = "audio/mpeg"),
            (Audio = "audio/wav"),
        )
    ),
    responses(
        (status = 201, description = "Stored (or the same recording was already stored)", body = VoiceComment),
        (status = 400, description = "The body is empty (`body`), or the survey takes no comment (`id`)", body = ErrorBody),
        (status = 404, description = "No response sent from this device has that id", body = ErrorBody),
        (status = 409, description = "The response already has a different recording, or was erased", body = ErrorBody),
        (status = 413, description = "Larger than 3 MiB", body = ErrorBody),
        (status = 415, description = "Not one of the audio types (`content_type`)", body = ErrorBody),
    )
)]
#[put("/survey/responses/{id}/voice")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn upload_survey_voice(
    state: web::Data<AppState>,
    req: HttpRequest,
    holder: InvitationHolder,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let r = repo::invitations::find_response_any(&state.db, *id)
        .await?
        .filter(|r| {
            r.organisation_id == holder.organisation_id
                && r.invitation_id == Some(holder.invitation_id)
                && r.participant_session_id == Some(holder.session_id)
        })
        .ok_or(ApiError::NotFound(
            "no response sent from this device has that id",
        ))?;
    let recording = voice::read(&req, payload).await?;
    let stored = voice::store(&state.db, &r, recording).await?;
    Ok(HttpResponse::Created().json(stored))
}

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "A response on the caller's caseload")),
    request_body(
        description = "What the person recorded (at most 3 MiB); parameters such as `;codecs=opus` are kept",
        content(
            (Audio = "audio/webm"),
            (Audio = "audio/ogg"),
            (Audio = "audio/mp4"),
            (Audio = "audio/mpeg"),
            (Audio = "audio/wav"),
        )
    ),
    responses(
        (status = 201, description = "Stored (or the same recording was already stored)", body = VoiceComment),
        (status = 400, description = "The body is empty (`body`), or the survey takes no comment (`id`)", body = ErrorBody),
        (status = 404, description = "No response on the caller's caseload has that id", body = ErrorBody),
        (status = 409, description = "The response already has a different recording, or was erased", body = ErrorBody),
        (status = 413, description = "Larger than 3 MiB", body = ErrorBody),
        (status = 415, description = "Not one of the audio types (`content_type`)", body = ErrorBody),
    )
)]
#[put("/responses/{id}/voice")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn upload_voice(
    state: web::Data<AppState>,
    req: HttpRequest,
    user: StaffUser,
    id: web::Path<Uuid>,
    payload: web::Payload,
) -> Result<HttpResponse> {
    let r = repo::invitations::find_response_any(&state.db, *id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound(
            "no response on your caseload has that id",
        ))?;
    let not_found = ApiError::NotFound("no response on your caseload has that id");
    repo::records::visible_participant(&state.db, &user, r.participant_id)
        .await?
        .ok_or(not_found)?;
    let recording = voice::read(&req, payload).await?;
    let stored = voice::store(&state.db, &r, recording).await?;
    Ok(HttpResponse::Created().json(stored))
}

#[utoipa::path(
    tag = "surveys",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    responses(
        (status = 200, description = "The recording, with the Content-Type it was sent with; never cached",
            content(
                (Audio = "audio/webm"),
                (Audio = "audio/ogg"),
                (Audio = "audio/mp4"),
                (Audio = "audio/mpeg"),
                (Audio = "audio/wav"),
            )
        ),
        (status = 403, description = "Only managers and admins hear comments", body = ErrorBody),
        (status = 404, description = "No such response, or it has no voice comment", body = ErrorBody),
    )
)]
#[get("/responses/{id}/voice")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn play_voice(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = repo::invitations::find_response_any(&state.db, *id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such response"))?;
    let v = repo::voice::find(&state.db, r.id)
        .await?
        .ok_or(ApiError::NotFound("this response has no voice comment"))?;
    // Recorded before the audio leaves: no hearing without the hearing on the trail.
    log(
        &state.db,
        &staff_actor(&user, &req),
        "read",
        "voice_comment",
        Some(r.id),
        Some(r.participant_id),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, v.content_type))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(v.bytes))
}
