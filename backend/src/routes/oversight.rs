//! What oversight needs: the audit trail (admins), the safeguarding "needs attention" list,
//! frozen published reports and the records that arrived after them (managers).

use super::{CSV, Workbook, attachment};
use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser, ReportReader, StaffUser},
    entities::audit_entry,
    json::ApiJson,
    repo,
    services::{
        audit::{log, staff_actor},
        oversight,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{NaiveDate, Utc};
use domain::{
    ErrorBody,
    period::Period,
    privacy::{
        AttentionItem, AuditEntry, HandleAttention, LateArrivals, PublishReport, PublishedReport,
        ReportPreview,
    },
};
use serde::Deserialize;
use uuid::Uuid;

impl From<audit_entry::Model> for AuditEntry {
    fn from(a: audit_entry::Model) -> Self {
        AuditEntry {
            id: a.id,
            at: a.at,
            actor_kind: a.actor_kind,
            actor_id: a.actor_id,
            action: a.action,
            entity: a.entity,
            entity_id: a.entity_id,
            participant_id: a.participant_id,
            address: a.address,
            detail: a.detail,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub participant_id: Option<Uuid>,
    pub staff_id: Option<Uuid>,
}

const AUDIT_LIMIT: u64 = 10_000;

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "Newest first; the trail has no update or delete route", body = Vec<AuditEntry>), (status = 403, body = ErrorBody))
)]
#[get("/audit")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn search_audit(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    q: ApiQuery<AuditQuery>,
) -> Result<web::Json<Vec<AuditEntry>>> {
    let q = q.into_inner()?;
    let rows = repo::audit::search(
        &state.db,
        admin.organisation_id,
        q.participant_id,
        q.staff_id,
        AUDIT_LIMIT,
    )
    .await?;
    Ok(web::Json(rows.into_iter().map(AuditEntry::from).collect()))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(AuditQuery),
    responses((status = 200, description = "The same entries as CSV", content_type = "text/csv", body = String), (status = 403, body = ErrorBody))
)]
#[get("/audit.csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn export_audit(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    q: ApiQuery<AuditQuery>,
) -> Result<HttpResponse> {
    let q = q.into_inner()?;
    let rows = repo::audit::search(
        &state.db,
        admin.organisation_id,
        q.participant_id,
        q.staff_id,
        AUDIT_LIMIT,
    )
    .await?;
    let bytes = oversight::audit_csv(rows)?;
    Ok(attachment(CSV, "audit.csv", bytes))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    responses((status = 200, description = "Every comment (typed or recorded) and every rating of 2 or less not yet handled, oldest first", body = Vec<AttentionItem>), (status = 403, body = ErrorBody))
)]
#[get("/attention")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn needs_attention(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<Vec<AttentionItem>>> {
    let items =
        oversight::needs_attention(&state.db, user.organisation_id, &staff_actor(&user, &req))
            .await?;
    Ok(web::Json(items))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Response id")),
    request_body = HandleAttention,
    responses((status = 204, description = "Marked handled"), (status = 404, body = ErrorBody), (status = 409, description = "Already handled", body = ErrorBody))
)]
#[post("/attention/{id}/handle")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn handle_attention(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
    body: ApiJson<HandleAttention>,
) -> Result<HttpResponse> {
    // Someone else's response is not found, whatever the body says.
    let r = oversight::response_to_handle(&state.db, &user, *id).await?;
    let body = body.into_inner()?;
    let actor = staff_actor(&user, &req);
    oversight::handle_attention(&state.db, &user, &actor, r, body.note.as_str()).await?;
    Ok(HttpResponse::NoContent().finish())
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    request_body = PublishReport,
    responses((status = 201, description = "Frozen: late data never changes it. Holds KPIs A to E, wellbeing, coverage, the outcome figures, caseload, the suppressed equality splits, the actions published in the period, the key messages and the grade", body = PublishedReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[post("/reports")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn publish_report(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    body: ApiJson<PublishReport>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let report = oversight::publish_report(&state.db, &user, body).await?;
    Ok(HttpResponse::Created().json(report))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    responses((status = 200, body = Vec<PublishedReport>), (status = 403, body = ErrorBody))
)]
#[get("/reports")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_reports(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<Vec<PublishedReport>>> {
    Ok(web::Json(
        oversight::reports(&state.db, user.organisation_id).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LateQuery {
    /// First day of the period shown (YYYY-MM-DD), included.
    #[param(required = true, value_type = NaiveDate)]
    pub first: Option<String>,
    /// Last day of the period shown (YYYY-MM-DD), included; on or after `first`.
    #[param(required = true, value_type = NaiveDate)]
    pub last: Option<String>,
}

fn date_param(name: &'static str, v: Option<&str>) -> Result<NaiveDate> {
    let v = v.ok_or_else(|| ApiError::invalid(name, "required: a date like 2026-04-01"))?;
    v.parse()
        .map_err(|_| ApiError::invalid(name, format!("{v:?} is not a date like 2026-04-01")))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(LateQuery),
    responses((status = 200, description = "Each published report whose period shares a day with the one asked about, newest first, with how many responses answered in its period arrived after it was published (the report itself never changes)", body = Vec<LateArrivals>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/reports/late")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn late_arrivals(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<LateQuery>,
) -> Result<web::Json<Vec<LateArrivals>>> {
    let q = q.into_inner()?;
    let first = date_param("first", q.first.as_deref())?;
    let last = date_param("last", q.last.as_deref())?;
    let period = Period::new(first, last).map_err(|e| ApiError::invalid("last", e.0))?;
    Ok(web::Json(
        oversight::late_arrivals(&state.db, user.organisation_id, period).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PreviewQuery {
    /// First day of the period (YYYY-MM-DD), included.
    #[param(required = true, value_type = NaiveDate)]
    pub first: Option<String>,
    /// Last day of the period (YYYY-MM-DD), included; on or after `first`, at most three
    /// years after it.
    #[param(required = true, value_type = NaiveDate)]
    pub last: Option<String>,
    /// The report date the outcome cohorts and caseload are read at; default today in the
    /// organisation's time zone.
    #[param(value_type = Option<NaiveDate>)]
    pub as_of: Option<String>,
}

/// Longest period a preview may cover (as the outcome figures).
const MAX_PREVIEW_DAYS: i64 = 3 * 366;

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(PreviewQuery),
    responses((status = 200, description = "What the report would hold if published now (nothing is stored), with drafts of key messages from what moved since the period of the same length before", body = ReportPreview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/reports/preview")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn preview_report(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<PreviewQuery>,
) -> Result<web::Json<ReportPreview>> {
    let q = q.into_inner()?;
    let first = date_param("first", q.first.as_deref())?;
    let last = date_param("last", q.last.as_deref())?;
    let as_of = q
        .as_of
        .as_deref()
        .map(|v| date_param("as_of", Some(v)))
        .transpose()?;
    let period = Period::new(first, last).map_err(|e| ApiError::invalid("last", e.0))?;
    if (last - first).num_days() > MAX_PREVIEW_DAYS {
        return Err(ApiError::invalid(
            "last",
            "a period may be at most three years",
        ));
    }
    Ok(web::Json(
        oversight::preview_report(&state.db, user.organisation_id, period, as_of).await?,
    ))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = PublishedReport), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_report(
    state: web::Data<AppState>,
    ReportReader(user): ReportReader,
    id: web::Path<Uuid>,
) -> Result<web::Json<PublishedReport>> {
    Ok(web::Json(
        oversight::readable_report(&state.db, &user, *id).await?,
    ))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Figures with their calculation basis, one line each, then every section of the report (text/csv; docs/formats.md). Each download is in the audit trail.", content_type = "text/csv", body = String), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}/csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn report_csv(
    state: web::Data<AppState>,
    req: HttpRequest,
    ReportReader(user): ReportReader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = exported_report(&state, &req, &user, *id).await?;
    Ok(attachment(CSV, "report.csv", oversight::report_csv(&r)?))
}

/// A published report the user may read (`oversight::readable_report`), read for a download:
/// the download is recorded in the audit trail.
async fn exported_report(
    state: &AppState,
    req: &HttpRequest,
    user: &StaffUser,
    id: Uuid,
) -> Result<PublishedReport> {
    let r = oversight::readable_report(&state.db, user, id).await?;
    log(
        &state.db,
        &staff_actor(user, req),
        "export",
        "report",
        Some(r.id),
        None,
    )
    .await?;
    Ok(r)
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "The report as an XLSX workbook, one sheet per section (Key messages, KPIs, Wellbeing, Coverage, Satisfaction, Outcomes, Equality, Actions, Comments, Methods); numbers as numbers, dates as dates (docs/formats.md). Each download is in the audit trail.", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Workbook), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}/xlsx")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn report_xlsx(
    state: web::Data<AppState>,
    req: HttpRequest,
    ReportReader(user): ReportReader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = exported_report(&state, &req, &user, *id).await?;
    let name = format!(
        "report-{}-to-{}.xlsx",
        r.snapshot.period.first, r.snapshot.period.last
    );
    Ok(attachment(
        crate::xlsx::CONTENT_TYPE,
        &name,
        oversight::report_xlsx(&r)?,
    ))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "A printable page of the report (text/html): every section, A4, a page break between sections", content_type = "text/html", body = String), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}/print")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn report_page(
    state: web::Data<AppState>,
    ReportReader(user): ReportReader,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = oversight::readable_report(&state.db, &user, *id).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        // Set here, so the server-wide policy (no inline style) is not added over it.
        .insert_header((
            actix_web::http::header::CONTENT_SECURITY_POLICY,
            oversight::report_page_csp(),
        ))
        .body(oversight::report_html(&r)))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Everything held about the participant (subject access), with a plain summary", body = domain::privacy::SubjectAccess), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[get("/participants/{id}/export")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn subject_access(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let sar =
        crate::services::privacy::subject_access(&state.db, admin.organisation_id, *id).await?;
    log(
        &state.db,
        &staff_actor(&admin, &req),
        "export",
        "participant",
        Some(*id),
        Some(*id),
    )
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"participant-{}.json\"", id.simple()),
        ))
        .json(sar))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body = domain::privacy::EraseRequest,
    responses((status = 200, body = domain::privacy::ErasureReceipt), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody))
)]
#[post("/participants/{id}/erase")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn erase_participant(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    id: web::Path<Uuid>,
    body: ApiJson<domain::privacy::EraseRequest>,
) -> Result<web::Json<domain::privacy::ErasureReceipt>> {
    let body = body.into_inner()?;
    let p = repo::records::find_participant_any(&state.db, *id)
        .await?
        .filter(|p| p.organisation_id == admin.organisation_id)
        .ok_or(ApiError::NotFound("no such participant"))?;
    let receipt =
        crate::services::privacy::erase(&state.db, p, body.remove_answers, Utc::now()).await?;
    log(
        &state.db,
        &staff_actor(&admin, &req),
        "erase",
        "participant",
        Some(*id),
        Some(*id),
    )
    .await?;
    Ok(web::Json(receipt))
}
