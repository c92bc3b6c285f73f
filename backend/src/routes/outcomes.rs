//! Outcomes (DESIGN §4a): KPIs A, B and E with their scores, access, the other figures,
//! benchmarks and RAG, cost, caseload per specialist, and the equality splits; and the admin's
//! outcome settings. Managers and admins only: these figures are built on people's journeys.

use super::kpi::{date_param, uuid_param};
use super::{Workbook, attachment};
use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser, StaffUser},
    json::ApiJson,
    repo,
    services::{
        audit::staff_actor,
        reports::{outcomes as report, workbook},
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, put, web};
use chrono::NaiveDate;
use domain::{
    ErrorBody,
    attribution::Attribution,
    outcomes::{
        CaseloadFigures, EqualityDimension, EqualityFigures, OutcomeFigures, OutcomeSettings,
    },
    period::Period,
    records::Programme,
};
use serde::Deserialize;

/// Longest period one request may cover.
const MAX_PERIOD_DAYS: i64 = 3 * 366;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutcomeQuery {
    /// First day of the period (YYYY-MM-DD), included.
    #[param(required = true, value_type = NaiveDate)]
    pub first: Option<String>,
    /// Last day of the period (YYYY-MM-DD), included; at most three years after `first`.
    #[param(required = true, value_type = NaiveDate)]
    pub last: Option<String>,
    /// The report date the cohorts are read at (KPI A's paid jobs, KPI E's weeks); default
    /// today in the organisation's time zone.
    #[param(value_type = Option<NaiveDate>)]
    pub as_of: Option<String>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub team_id: Option<String>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub specialist_id: Option<String>,
    /// `seqf` or `ips`: the programme's episodes and benchmarks (SEQF's when absent).
    #[param(value_type = Option<Programme>)]
    pub programme: Option<String>,
    /// Equality splits only: the dimension (`gender`, `age_band`, `ethnicity`, `disability`,
    /// `living_situation`, `area`, `pay_vs_minimum_wage`).
    #[param(value_type = Option<EqualityDimension>)]
    pub by: Option<String>,
    /// Equality splits only: `true` for a manager's working view, every group shown (small ones
    /// marked); otherwise groups under the small-number threshold are suppressed.
    #[param(value_type = Option<bool>)]
    pub working: Option<String>,
}

struct Asked {
    period: Period,
    as_of: NaiveDate,
    who: Attribution,
    time_zone: String,
}

/// The filters asked for.
fn filters(
    team_id: &Option<String>,
    specialist_id: &Option<String>,
    programme: &Option<String>,
) -> Result<Attribution> {
    Ok(Attribution {
        team_id: uuid_param("team_id", team_id)?,
        specialist_id: uuid_param("specialist_id", specialist_id)?,
        programme: programme
            .as_deref()
            .map(Programme::parse)
            .transpose()
            .map_err(|e| ApiError::invalid("programme", e.0))?,
    })
}

/// A day asked as `field`, or today in the organisation's time zone.
fn day_or_today(field: &'static str, v: &Option<String>, time_zone: &str) -> Result<NaiveDate> {
    match v {
        Some(_) => date_param(field, v),
        None => Ok(crate::time::today(time_zone)),
    }
}

async fn asked(state: &AppState, user: &StaffUser, q: &OutcomeQuery) -> Result<Asked> {
    let first = date_param("first", &q.first)?;
    let last = date_param("last", &q.last)?;
    let period = Period::new(first, last).map_err(|e| ApiError::invalid("last", e.0))?;
    if (last - first).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::invalid(
            "last",
            "a period may be at most three years",
        ));
    }
    let who = filters(&q.team_id, &q.specialist_id, &q.programme)?;
    let time_zone = repo::orgs::time_zone(&state.db, user.organisation_id).await?;
    let as_of = day_or_today("as_of", &q.as_of, &time_zone)?;
    Ok(Asked {
        period,
        as_of,
        who,
        time_zone,
    })
}

impl Asked {
    fn ask(&self, org: uuid::Uuid) -> report::OutcomeAsk<'_> {
        report::OutcomeAsk {
            org,
            time_zone: &self.time_zone,
            period: self.period,
            as_of: self.as_of,
            who: &self.who,
        }
    }
}

/// KPIs A, B and E with scores, access, the other figures, benchmarks, RAG and cost.
#[utoipa::path(
    tag = "indicators",
    security(("bearer" = [])),
    params(OutcomeQuery),
    responses((status = 200, body = OutcomeFigures), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/outcomes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn outcomes(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<OutcomeQuery>,
) -> Result<web::Json<OutcomeFigures>> {
    let q = q.into_inner()?;
    let a = asked(&state, &user, &q).await?;
    let settings = repo::instruments::settings(&state.db, user.organisation_id)
        .await?
        .outcomes();
    Ok(web::Json(
        report::outcome_figures(&state.db, &a.ask(user.organisation_id), &settings).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseloadQuery {
    /// The day (YYYY-MM-DD); default today in the organisation's time zone.
    #[param(value_type = Option<NaiveDate>)]
    pub on: Option<String>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub team_id: Option<String>,
    #[param(value_type = Option<uuid::Uuid>)]
    pub specialist_id: Option<String>,
    #[param(value_type = Option<Programme>)]
    pub programme: Option<String>,
}

/// Active caseload per specialist on a day (episodes started, not ended), beside the
/// programme's benchmark and the organisation's target.
#[utoipa::path(
    tag = "indicators",
    security(("bearer" = [])),
    params(CaseloadQuery),
    responses((status = 200, body = CaseloadFigures), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/outcomes/caseload")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn caseload(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<CaseloadQuery>,
) -> Result<web::Json<CaseloadFigures>> {
    let q = q.into_inner()?;
    let who = filters(&q.team_id, &q.specialist_id, &q.programme)?;
    let time_zone = repo::orgs::time_zone(&state.db, user.organisation_id).await?;
    let on = day_or_today("on", &q.on, &time_zone)?;
    let a = Asked {
        period: Period::new(on, on).map_err(|e| ApiError::invalid("on", e.0))?,
        as_of: on,
        who,
        time_zone,
    };
    let settings = repo::instruments::settings(&state.db, user.organisation_id)
        .await?
        .outcomes();
    Ok(web::Json(
        report::caseload(&state.db, &a.ask(user.organisation_id), &settings).await?,
    ))
}

/// Every outcome figure and KPI D split by one equality dimension, with small groups
/// suppressed (and the next smallest when only one would be) unless `working=true`.
#[utoipa::path(
    tag = "indicators",
    security(("bearer" = [])),
    params(OutcomeQuery),
    responses((status = 200, body = EqualityFigures), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[get("/outcomes/equality")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn equality(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<OutcomeQuery>,
) -> Result<web::Json<EqualityFigures>> {
    let q = q.into_inner()?;
    let by =
        q.by.as_deref()
            .ok_or_else(|| ApiError::invalid("by", "required: the equality dimension"))
            .and_then(|b| EqualityDimension::parse(b).map_err(|e| ApiError::invalid("by", e.0)))?;
    let suppress = match q.working.as_deref() {
        None | Some("false") => true,
        Some("true") => false,
        Some(_) => return Err(ApiError::invalid("working", "true or false")),
    };
    let a = asked(&state, &user, &q).await?;
    let s = repo::instruments::settings(&state.db, user.organisation_id).await?;
    Ok(web::Json(
        report::equality_figures(
            &state.db,
            &a.ask(user.organisation_id),
            &s.outcomes(),
            by,
            s.small_number(),
            suppress,
        )
        .await?,
    ))
}

/// The SEQF audit workbook of a period (XLSX): every client supported in it by reference with
/// demographics, timeline, status and job details; their jobs; every KPI with its calculation;
/// and what each KPI counted. Special category data: recorded in the audit trail.
#[utoipa::path(
    tag = "indicators",
    security(("bearer" = [])),
    params(OutcomeQuery),
    responses(
        (status = 200, description = "The workbook (docs/formats.md)", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Workbook),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody)
    )
)]
#[get("/outcomes/workbook.xlsx")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn seqf_workbook(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<OutcomeQuery>,
) -> Result<HttpResponse> {
    let q = q.into_inner()?;
    let a = asked(&state, &user, &q).await?;
    let s = repo::instruments::settings(&state.db, user.organisation_id).await?;
    let org = repo::orgs::get(&state.db, user.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("organisation missing"))?;
    let settings = s.outcomes();
    let ask = workbook::WorkbookAsk {
        outcome: a.ask(user.organisation_id),
        organisation: &org.name,
        settings: &settings,
        small_number: s.small_number(),
        change_threshold: s.change_threshold(),
        today: crate::time::today(&a.time_zone),
    };
    let bytes = workbook::seqf_workbook(&state.db, &ask).await?;
    crate::services::audit::log(
        &state.db,
        &staff_actor(&user, &req),
        "export",
        "seqf_workbook",
        None,
        None,
    )
    .await?;
    tracing::info!(bytes = bytes.len(), "SEQF audit workbook made");
    let name = format!("seqf-workbook-{}-to-{}.xlsx", a.period.first, a.period.last);
    Ok(attachment(crate::xlsx::CONTENT_TYPE, &name, bytes))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, body = OutcomeSettings), (status = 403, body = ErrorBody))
)]
#[get("/settings/outcomes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_outcome_settings(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<OutcomeSettings>> {
    let s = repo::instruments::settings(&state.db, user.organisation_id).await?;
    Ok(web::Json(s.outcomes()))
}

/// The scoring bands, the organisation's targets, its contract values and its minimum-wage
/// table, replaced whole (audited).
#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = OutcomeSettings,
    responses((status = 200, body = OutcomeSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/outcomes")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_outcome_settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    body: ApiJson<OutcomeSettings>,
) -> Result<web::Json<OutcomeSettings>> {
    let body = body.into_inner()?;
    body.check()?;
    crate::services::oversight::change_outcome_settings(
        &state.db,
        &staff_actor(&admin, &req),
        &body,
    )
    .await?;
    Ok(web::Json(body))
}
