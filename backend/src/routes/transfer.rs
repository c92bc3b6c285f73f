//! The audit spreadsheet: export episodes and responses as CSV (managers), and import them
//! (admins). Formats: docs/formats.md.

use super::{CSV, attachment};
use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser},
    services::transfer::{self, ImportReport},
    state::AppState,
};
use actix_web::{HttpResponse, get, post, web};
use domain::ErrorBody;
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EpisodesExportQuery {
    /// `true` fills in the equality columns (date of birth, gender, ethnicity, disability,
    /// living situation, area): special category data, so asked for each time and recorded in
    /// the audit trail as such. Empty otherwise.
    #[param(value_type = Option<bool>)]
    pub equality: Option<String>,
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    params(EpisodesExportQuery),
    responses((status = 200, description = "Every episode, one row per job (one for an episode with none), then the referrals that never started (text/csv)", content_type = "text/csv", body = String), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/export/episodes.csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn export_episodes(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<EpisodesExportQuery>,
) -> Result<HttpResponse> {
    let equality = match q.into_inner()?.equality.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("equality", "true or false")),
    };
    let what = transfer::EpisodeExport { equality };
    let csv = transfer::export_episodes(&state.db, user.organisation_id, what).await?;
    let actor = crate::services::audit::staff_actor(&user, &req);
    let entity = match equality {
        true => "episodes_csv_with_equality",
        false => "episodes_csv",
    };
    crate::services::audit::log(&state.db, &actor, "export", entity, None, None).await?;
    tracing::info!(equality, "episodes exported");
    Ok(attachment(CSV, "episodes.csv", csv))
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    responses((status = 200, description = "Every response, one row each (text/csv)", content_type = "text/csv", body = String), (status = 403, body = ErrorBody))
)]
#[get("/export/responses.csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn export_responses(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ManagerUser(user): ManagerUser,
) -> Result<HttpResponse> {
    let csv = transfer::export_responses(&state.db, user.organisation_id).await?;
    let actor = crate::services::audit::staff_actor(&user, &req);
    crate::services::audit::log(&state.db, &actor, "export", "responses_csv", None, None).await?;
    tracing::info!("responses exported");
    Ok(attachment(CSV, "responses.csv", csv))
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "An episodes file as exported (at most 20 MiB)"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Every refused row, in `rows`; nothing was imported", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 413, description = "Larger than 20 MiB", body = ErrorBody),
        (status = 415, description = "Not a CSV media type (`text/csv`)", body = ErrorBody),
    )
)]
#[post("/import/episodes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn import_episodes(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    AdminUser(admin): AdminUser,
    payload: web::Payload,
) -> Result<web::Json<ImportReport>> {
    let file = transfer::read_file(&req, payload).await?;
    let report =
        transfer::import_episodes(&state.db, admin.organisation_id, admin.id, &file).await?;
    Ok(web::Json(report))
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "A responses file as exported (at most 20 MiB)"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Every refused row, in `rows`; nothing was imported", body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 413, description = "Larger than 20 MiB", body = ErrorBody),
        (status = 415, description = "Not a CSV media type (`text/csv`)", body = ErrorBody),
    )
)]
#[post("/import/responses")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn import_responses(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    AdminUser(admin): AdminUser,
    payload: web::Payload,
) -> Result<web::Json<ImportReport>> {
    let file = transfer::read_file(&req, payload).await?;
    let report =
        transfer::import_responses(&state.db, admin.organisation_id, admin.id, &file).await?;
    Ok(web::Json(report))
}
