//! Email as managers and admins see it (the queue, with failures and the local outbox; the
//! reminder and results-link settings), and unsubscribing, which needs no login.

use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser},
    entities::mail_message,
    json::{ApiJson, ApiQuery},
    repo,
    services::{audit::staff_actor, mail},
    state::AppState,
};
use actix_web::{HttpRequest, get, post, put, web};
use chrono::Utc;
use domain::{
    ErrorBody,
    feedback::{MailItem, MailKind, MailSettings, MailStatus, Unsubscribe, Unsubscribed},
    records::Language,
};
use serde::Deserialize;
use uuid::Uuid;

/// For `GET /api/mail`: the filters a manager may give.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailQuery {
    /// `queued`, `sending`, `sent`, `failed`, `cancelled` or `local_outbox`.
    #[param(pattern = "^(queued|sending|sent|failed|cancelled|local_outbox)$")]
    pub status: Option<String>,
    /// `invitation`, `reminder` or `digest`.
    #[param(pattern = "^(invitation|reminder|digest)$")]
    pub kind: Option<String>,
    pub participant_id: Option<Uuid>,
    /// At most this many, newest first (1 to 1000, default 200).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u64>,
}

impl TryFrom<mail_message::Model> for MailItem {
    type Error = ApiError;
    fn try_from(m: mail_message::Model) -> Result<Self> {
        let status =
            MailStatus::parse(&m.status).map_err(|e| anyhow::anyhow!("stored mail status: {e}"))?;
        // Bodies hold live links: shown only for the local outbox, where they are the point.
        let local = status == MailStatus::LocalOutbox;
        Ok(MailItem {
            id: m.id,
            participant_id: m.participant_id,
            kind: MailKind::parse(&m.kind).map_err(|e| anyhow::anyhow!("stored mail kind: {e}"))?,
            language: Language::parse(&m.language).unwrap_or(Language::English),
            to: m.to_address,
            subject: m.subject,
            message_id: m.message_id,
            status,
            attempts: m.attempts,
            next_attempt_at: m.next_attempt_at,
            last_error: m.last_error,
            created_at: m.created_at,
            sent_at: m.sent_at,
            text_body: local.then_some(m.text_body),
            html_body: local.then_some(m.html_body),
        })
    }
}

#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    params(MailQuery),
    responses((status = 200, description = "The organisation's emails, newest first, with status and last error; bodies for the local outbox", body = Vec<MailItem>), (status = 403, body = ErrorBody))
)]
#[get("/mail")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_mail(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<MailQuery>,
) -> Result<web::Json<Vec<MailItem>>> {
    let q = q.into_inner()?;
    let status = q
        .status
        .as_deref()
        .map(MailStatus::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("status", e.0))?;
    let kind = q
        .kind
        .as_deref()
        .map(MailKind::parse)
        .transpose()
        .map_err(|e| ApiError::invalid("kind", e.0))?;
    let limit = q.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::invalid("limit", "must be 1 to 1000"));
    }
    let rows = repo::mail::list(
        &state.db,
        user.organisation_id,
        repo::mail::ListFilter {
            status,
            kind,
            participant: q.participant_id,
        },
        limit,
    )
    .await?;
    // The list shows email addresses: the reading is recorded.
    crate::services::audit::log(
        &state.db,
        &staff_actor(&user, &req),
        "list",
        "mail",
        None,
        q.participant_id,
    )
    .await?;
    Ok(web::Json(
        rows.into_iter()
            .map(MailItem::try_from)
            .collect::<Result<_>>()?,
    ))
}

#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    responses((status = 200, body = MailSettings), (status = 403, body = ErrorBody))
)]
#[get("/settings/mail")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_mail_settings(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<MailSettings>> {
    Ok(web::Json(
        mail::settings(&state.db, user.organisation_id).await?,
    ))
}

#[utoipa::path(
    tag = "mail",
    security(("bearer" = [])),
    request_body = MailSettings,
    responses((status = 200, body = MailSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/mail")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_mail_settings(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: ApiJson<MailSettings>,
) -> Result<web::Json<MailSettings>> {
    let body = body.into_inner()?;
    body.check()?;
    mail::save_settings(&state.db, admin.organisation_id, &body).await?;
    tracing::info!(
        reminder_after_days = body.reminder_after_days,
        results_link_days = body.results_link_days,
        "mail settings saved"
    );
    Ok(web::Json(body))
}

#[utoipa::path(
    tag = "mail",
    request_body = Unsubscribe,
    responses(
        (status = 200, description = "No more email of any kind to this person", body = Unsubscribed),
        (status = 400, body = ErrorBody),
        (status = 404, description = "Not an unsubscribe token of ours", body = ErrorBody),
    )
)]
#[post("/unsubscribe")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn unsubscribe(
    state: web::Data<AppState>,
    body: ApiJson<Unsubscribe>,
) -> Result<web::Json<Unsubscribed>> {
    let body = body.into_inner()?;
    let participant = crate::services::mail::Links::of(&state)
        .verify_unsubscribe(&body.token)
        .ok_or(ApiError::NotFound("this unsubscribe link is not valid"))?;
    let person = repo::records::find_participant_any(&state.db, participant)
        .await?
        .ok_or(ApiError::NotFound("this unsubscribe link is not valid"))?;
    mail::unsubscribe(&state.db, &person, Utc::now()).await?;
    tracing::info!(participant_id = %person.id, "unsubscribed from email");
    Ok(web::Json(Unsubscribed {
        unsubscribed: true,
        language: mail::language_of(&person),
    }))
}
