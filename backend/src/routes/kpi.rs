//! The indicators for a period: KPI C, KPI D and wellbeing change, and their month-by-month
//! trends. Managers see every value (with a small-sample mark) and the response ids behind it;
//! specialists see only their own caseload's aggregates, and none built on too few answers.

use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::{ManagerUser, StaffUser},
    repo,
    services::{
        audit::{log_comment_reads, staff_actor},
        reports,
    },
    state::AppState,
};
use actix_web::{HttpRequest, get, web};
use chrono::NaiveDate;
use domain::{
    ErrorBody, Hundredths, Role,
    attribution::Attribution,
    completion::{Channel, Respondent, Support},
    instrument::Audience,
    kpi::{RatingComment, SatisfactionKpi, Trend, TrendPoint, WellbeingKpi},
    period::{Period, TrendBy},
    records::Programme,
};
use serde::Deserialize;
use uuid::Uuid;

/// Longest period one request may cover (a trend over years is asked year by year).
const MAX_PERIOD_DAYS: i64 = 3 * 366;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// First day of the period (YYYY-MM-DD), included.
    #[param(required = true, value_type = NaiveDate)]
    pub first: Option<String>,
    /// Last day of the period (YYYY-MM-DD), included; on or after `first`, at most three years on.
    #[param(required = true, value_type = NaiveDate)]
    pub last: Option<String>,
    #[param(value_type = Option<Uuid>)]
    pub team_id: Option<String>,
    #[param(value_type = Option<Uuid>)]
    pub specialist_id: Option<String>,
    /// `seqf` or `ips`.
    #[param(value_type = Option<Programme>)]
    pub programme: Option<String>,
    /// `true` to have the response ids behind each figure (KPI C and D's `response_ids`,
    /// wellbeing's `pairs`); managers only. Left out otherwise: a year's ids are most of an
    /// answer's size.
    #[param(value_type = Option<bool>)]
    pub ids: Option<String>,
    /// The trend's parts: `month` (the default), `quarter` or `financial_quarter`.
    #[param(value_type = Option<TrendBy>)]
    pub by: Option<String>,
}

/// Whether the ids behind the figures were asked for (`ids=true`).
fn with_ids(q: &KpiQuery) -> Result<bool> {
    match q.ids.as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(_) => Err(ApiError::invalid("ids", "true or false")),
    }
}

pub(super) fn date_param(name: &'static str, v: &Option<String>) -> Result<NaiveDate> {
    let v = v
        .as_deref()
        .ok_or_else(|| ApiError::invalid(name, "required: a date like 2026-04-01"))?;
    v.parse()
        .map_err(|_| ApiError::invalid(name, format!("{v:?} is not a date like 2026-04-01")))
}

pub(super) fn uuid_param(name: &'static str, v: &Option<String>) -> Result<Option<Uuid>> {
    v.as_deref()
        .map(|s| Uuid::parse_str(s).map_err(|_| ApiError::invalid(name, "not an id")))
        .transpose()
}

/// The period and filters asked for, with a specialist held to their own caseload.
fn scope(user: &StaffUser, q: &KpiQuery) -> Result<(Period, Attribution)> {
    let first = date_param("first", &q.first)?;
    let last = date_param("last", &q.last)?;
    let period = Period::new(first, last).map_err(|e| ApiError::invalid("last", e.0))?;
    if (last - first).num_days() > MAX_PERIOD_DAYS {
        return Err(ApiError::invalid(
            "last",
            "a period may be at most three years",
        ));
    }
    let mut who = Attribution {
        team_id: uuid_param("team_id", &q.team_id)?,
        specialist_id: uuid_param("specialist_id", &q.specialist_id)?,
        programme: q
            .programme
            .as_deref()
            .map(Programme::parse)
            .transpose()
            .map_err(|e| ApiError::invalid("programme", e.0))?,
    };
    if !user.is_at_least(Role::Manager) {
        if who.specialist_id.is_some_and(|s| s != user.id) {
            return Err(ApiError::Forbidden(
                "specialists see their own caseload's figures only",
            ));
        }
        who.specialist_id = Some(user.id);
    }
    Ok((period, who))
}

async fn limits(state: &AppState, org: Uuid) -> Result<(u64, Hundredths)> {
    let s = repo::instruments::settings(&state.db, org).await?;
    Ok((s.small_number(), s.change_threshold()))
}

/// Specialists never see individual answers, nor a figure built on too few of them.
fn for_specialist_satisfaction(mut k: SatisfactionKpi) -> SatisfactionKpi {
    k.response_ids.clear();
    if k.small_sample {
        k.mean = None;
        k.mean_interval = None;
        k.distribution = [0; 5];
    }
    for s in k.by_support.iter_mut().chain(k.by_channel.iter_mut()) {
        if s.small_sample {
            s.mean = None;
            s.mean_interval = None;
        }
    }
    k
}

fn for_specialist_wellbeing(mut k: WellbeingKpi) -> WellbeingKpi {
    k.pairs.clear();
    if k.small_sample {
        k.mean_start = None;
        k.mean_end = None;
        k.mean_change = None;
        k.improved_pct = None;
        k.no_meaningful_change_pct = None;
        k.declined_pct = None;
        k.mean_start_interval = None;
        k.mean_end_interval = None;
        k.mean_change_interval = None;
        k.improved_pct_interval = None;
        k.no_meaningful_change_pct_interval = None;
        k.declined_pct_interval = None;
    }
    k
}

async fn satisfaction_for(
    state: &AppState,
    user: &StaffUser,
    audience: Audience,
    q: &KpiQuery,
) -> Result<SatisfactionKpi> {
    let (period, who) = scope(user, q)?;
    let ids = with_ids(q)? && user.is_at_least(Role::Manager);
    let (small, _) = limits(state, user.organisation_id).await?;
    let k = reports::satisfaction(
        &state.db,
        user.organisation_id,
        audience,
        period,
        &who,
        small,
        ids,
    )
    .await?;
    Ok(if user.is_at_least(Role::Manager) {
        k
    } else {
        for_specialist_satisfaction(k)
    })
}

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses((status = 200, description = "KPI C: employer satisfaction", body = SatisfactionKpi), (status = 400, body = ErrorBody))
)]
#[get("/kpi/employer-satisfaction")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn kpi_c(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<SatisfactionKpi>> {
    let q = q.into_inner()?;
    Ok(web::Json(
        satisfaction_for(&state, &user, Audience::Employer, &q).await?,
    ))
}

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses((status = 200, description = "KPI D: jobseeker and employee satisfaction", body = SatisfactionKpi), (status = 400, body = ErrorBody))
)]
#[get("/kpi/jobseeker-satisfaction")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn kpi_d(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<SatisfactionKpi>> {
    let q = q.into_inner()?;
    Ok(web::Json(
        satisfaction_for(&state, &user, Audience::Jobseeker, &q).await?,
    ))
}

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses((status = 200, description = "Wellbeing change (SWEMWBS) and its gaps", body = WellbeingKpi), (status = 400, body = ErrorBody))
)]
#[get("/kpi/wellbeing")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn wellbeing(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<WellbeingKpi>> {
    let q = q.into_inner()?;
    let (period, who) = scope(&user, &q)?;
    let ids = with_ids(&q)?;
    let (small, threshold) = limits(&state, user.organisation_id).await?;
    let tz = repo::orgs::time_zone(&state.db, user.organisation_id).await?;
    let mut k = reports::wellbeing(
        &state.db,
        user.organisation_id,
        &tz,
        period,
        &who,
        threshold,
        small,
    )
    .await?;
    if !ids {
        k.pairs.clear();
    }
    Ok(web::Json(if user.is_at_least(Role::Manager) {
        k
    } else {
        for_specialist_wellbeing(k)
    }))
}

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses((status = 200, description = "Each indicator part by part over the period: by month (the default), calendar quarter or UK financial quarter (`by`), each part clipped to the period", body = Trend), (status = 400, body = ErrorBody))
)]
#[get("/kpi/trend")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn trend(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<Trend>> {
    let q = q.into_inner()?;
    let (period, who) = scope(&user, &q)?;
    let by =
        q.by.as_deref()
            .map(TrendBy::parse)
            .transpose()
            .map_err(|e| ApiError::invalid("by", e.0))?
            .unwrap_or(TrendBy::Month);
    let (small, threshold) = limits(&state, user.organisation_id).await?;
    let manager = user.is_at_least(Role::Manager);
    let org = user.organisation_id;
    let tz = repo::orgs::time_zone(&state.db, org).await?;
    // Each indicator: one fetch of the whole period, split into its parts (exactly what each
    // part alone would give), the four at once.
    let parts = period.parts(by);
    let db = &state.db;
    let (employers, jobseekers, changes, covered) = futures_util::try_join!(
        reports::satisfaction_parts(db, org, Audience::Employer, period, &parts, &who, small),
        reports::satisfaction_parts(db, org, Audience::Jobseeker, period, &parts, &who, small),
        reports::wellbeing_parts(db, org, &tz, period, &parts, &who, threshold, small),
        reports::coverage_parts(db, org, &tz, period, &parts, &who),
    )?;
    let point = |k: SatisfactionKpi| TrendPoint::satisfaction(&k, manager);
    Ok(web::Json(Trend {
        kpi_c: employers.into_iter().map(point).collect(),
        kpi_d: jobseekers.into_iter().map(point).collect(),
        wellbeing_change: changes
            .into_iter()
            .map(|w| TrendPoint::wellbeing(&w, manager))
            .collect(),
        coverage: covered,
    }))
}

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses((status = 200, description = "People due each survey in the period and how many answered", body = domain::coverage::Coverage), (status = 400, body = ErrorBody))
)]
#[get("/kpi/coverage")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn coverage(
    state: web::Data<AppState>,
    user: StaffUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<domain::coverage::Coverage>> {
    let q = q.into_inner()?;
    let (period, who) = scope(&user, &q)?;
    let tz = repo::orgs::time_zone(&state.db, user.organisation_id).await?;
    Ok(web::Json(
        reports::coverage(&state.db, user.organisation_id, &tz, period, &who).await?,
    ))
}

/// The most comments one request returns (newest first); a narrower period or filter shows older.
const COMMENTS_LIMIT: u64 = 200;

#[utoipa::path(
    tag = "kpi",
    security(("bearer" = [])),
    params(KpiQuery),
    responses(
        (status = 200, description = "Typed and recorded comments on satisfaction surveys answered in the period, newest first (at most 200); managers only", body = Vec<RatingComment>),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[get("/kpi/comments")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn comments(
    state: web::Data<AppState>,
    req: HttpRequest,
    ManagerUser(user): ManagerUser,
    q: ApiQuery<KpiQuery>,
) -> Result<web::Json<Vec<RatingComment>>> {
    let q = q.into_inner()?;
    let (period, who) = scope(&user, &q)?;
    let db = &state.db;
    let rows = repo::invitations::comments_for_period(
        db,
        user.organisation_id,
        period.first,
        period.last,
        &who,
        COMMENTS_LIMIT,
    )
    .await?;
    let voiced: std::collections::HashSet<Uuid> =
        repo::voice::summaries_of(db, rows.iter().map(|r| r.id).collect())
            .await?
            .into_iter()
            .map(|v| v.response_id)
            .collect();
    // Every comment read is audited, in one statement for up to 200.
    log_comment_reads(
        db,
        &staff_actor(&user, &req),
        rows.iter().map(|r| (r.id, r.participant_id)),
    )
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(RatingComment {
            response_id: r.id,
            voice_comment: voiced.contains(&r.id),
            overall: r.overall.and_then(|o| u8::try_from(o).ok()),
            respondent: crate::services::capture::stored(
                "respondent",
                &r.respondent,
                Respondent::parse,
            )?,
            support: crate::services::capture::stored("support", &r.support, Support::parse)?,
            channel: crate::services::capture::stored("channel", &r.channel, Channel::parse)?,
            instrument: r.instrument_key,
            answered_at: r.answered_at,
            answered_on: r.answered_on,
            comment: r.comment,
            may_quote: r.may_quote,
        });
    }
    Ok(web::Json(out))
}
