//! What oversight needs: the audit trail (admins), the safeguarding "needs attention" list,
//! frozen published reports and the records that arrived after them (managers).

use super::kpi::date_param;
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
use chrono::Utc;
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
    /// Entries about this participant.
    pub participant_id: Option<Uuid>,
    /// Entries of what this staff member did.
    pub staff_id: Option<Uuid>,
    /// What was done: `read`, `export`, `create`, `update`, `erase`, `share`... (lower case
    /// letters and `_`, up to 32).
    pub action: Option<String>,
    /// What it was done to: `participant`, `report`, `staff`, `commissioner`...
    pub entity: Option<String>,
    /// First day (YYYY-MM-DD, the organisation's time zone), included.
    #[param(value_type = Option<NaiveDate>)]
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, the organisation's time zone), included; on or after `from`.
    #[param(value_type = Option<NaiveDate>)]
    pub to: Option<String>,
}

/// A word of the trail's vocabulary (`read`, `commissioner`): lower case letters and `_`.
fn trail_word(name: &'static str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref() {
        None => Ok(None),
        Some(w)
            if (1..=32).contains(&w.len())
                && w.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') =>
        {
            Ok(Some(w.to_owned()))
        }
        Some(_) => Err(ApiError::invalid(
            name,
            "a word of lower case letters and _ (up to 32), like read or export",
        )),
    }
}

impl AuditQuery {
    /// The filters, with the days read in the organisation's time zone.
    async fn filter(&self, state: &AppState, org: Uuid) -> Result<repo::audit::AuditFilter> {
        let from = self
            .from
            .is_some()
            .then(|| date_param("from", &self.from))
            .transpose()?;
        let to = self
            .to
            .is_some()
            .then(|| date_param("to", &self.to))
            .transpose()?;
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            return Err(ApiError::invalid("to", "the last day is before the first"));
        }
        let tz = match (from, to) {
            (None, None) => String::new(),
            _ => repo::orgs::get(&state.db, org)
                .await?
                .map(|o| o.time_zone)
                .unwrap_or_default(),
        };
        Ok(repo::audit::AuditFilter {
            participant: self.participant_id,
            staff: self.staff_id,
            action: trail_word("action", &self.action)?,
            entity: trail_word("entity", &self.entity)?,
            since: from.map(|d| crate::time::start_of_day(&tz, d)),
            before: to
                .and_then(|d| d.succ_opt())
                .map(|d| crate::time::start_of_day(&tz, d)),
        })
    }
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
    let filter = q.filter(&state, admin.organisation_id).await?;
    let rows = repo::audit::search(&state.db, admin.organisation_id, &filter, AUDIT_LIMIT).await?;
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
    let filter = q.filter(&state, admin.organisation_id).await?;
    let rows = repo::audit::search(&state.db, admin.organisation_id, &filter, AUDIT_LIMIT).await?;
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
    let first = date_param("first", &q.first)?;
    let last = date_param("last", &q.last)?;
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
    let first = date_param("first", &q.first)?;
    let last = date_param("last", &q.last)?;
    let as_of = q
        .as_of
        .is_some()
        .then(|| date_param("as_of", &q.as_of))
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
