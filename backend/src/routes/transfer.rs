//! The audit spreadsheet: export episodes and responses as CSV (managers), and import them
//! (admins). Formats: docs/formats.md.

use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser},
    services::transfer::{self, ImportReport},
    state::AppState,
};
use actix_web::{HttpResponse, get, post, web};
use domain::ErrorBody;

fn csv_file(name: &str, body: String) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    responses((status = 200, description = "Every episode, one row each (text/csv)", content_type = "text/csv", body = String), (status = 403, body = ErrorBody))
)]
#[get("/export/episodes.csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn export_episodes(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    ManagerUser(user): ManagerUser,
) -> Result<HttpResponse> {
    let csv = transfer::export_episodes(&state.db, user.organisation_id).await?;
    let actor = crate::services::audit::staff_actor(&user, &req);
    crate::services::audit::log(&state.db, &actor, "export", "episodes_csv", None, None).await?;
    tracing::info!("episodes exported");
    Ok(csv_file("episodes.csv", csv))
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
    Ok(csv_file("responses.csv", csv))
}

fn text(body: web::Bytes) -> Result<String> {
    String::from_utf8(body.to_vec())
        .map_err(|_| ApiError::invalid("file", "the file is not UTF-8 text"))
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "An episodes file as exported"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Every refused row, in `rows`; nothing was imported", body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[post("/import/episodes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn import_episodes(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: web::Bytes,
) -> Result<web::Json<ImportReport>> {
    let report =
        transfer::import_episodes(&state.db, admin.organisation_id, admin.id, &text(body)?).await?;
    Ok(web::Json(report))
}

#[utoipa::path(
    tag = "transfer",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv", description = "A responses file as exported"),
    responses(
        (status = 200, body = ImportReport),
        (status = 400, description = "Every refused row, in `rows`; nothing was imported", body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[post("/import/responses")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn import_responses(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: web::Bytes,
) -> Result<web::Json<ImportReport>> {
    let report =
        transfer::import_responses(&state.db, admin.organisation_id, admin.id, &text(body)?)
            .await?;
    Ok(web::Json(report))
}
