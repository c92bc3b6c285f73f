//! What oversight needs: the audit trail (admins), the safeguarding "needs attention" list and
//! frozen published reports (managers).

use crate::html;
use crate::json::ApiQuery;
use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser},
    entities::{attention_handled, audit_entry, published_report, response},
    json::ApiJson,
    repo,
    services::{
        audit::{log, log_comment_reads, staff_actor},
        reports,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Utc;
use domain::{
    ErrorBody, Hundredths,
    instrument::{Audience, InstrumentKey},
    privacy::{
        AttentionItem, AuditEntry, HandleAttention, PublishReport, PublishedReport, ReportSnapshot,
    },
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Set,
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
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "at",
        "actor_kind",
        "actor_id",
        "action",
        "entity",
        "entity_id",
        "participant_id",
        "address",
        "detail",
    ])
    .map_err(anyhow::Error::from)?;
    for a in rows {
        let opt = |u: Option<Uuid>| u.map(|u| u.to_string()).unwrap_or_default();
        w.write_record([
            a.id.to_string(),
            a.at.to_rfc3339(),
            a.actor_kind,
            opt(a.actor_id),
            a.action,
            a.entity,
            opt(a.entity_id),
            opt(a.participant_id),
            a.address,
            a.detail,
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV: {e}"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"audit.csv\""))
        .body(bytes))
}

const ATTENTION_LIMIT: u64 = 500;

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
    let db = &state.db;
    let handled = sea_orm::sea_query::Query::select()
        .column(attention_handled::Column::ResponseId)
        .from(attention_handled::Entity)
        .and_where(attention_handled::Column::OrganisationId.eq(user.organisation_id))
        .to_owned();
    // Low ratings are found by the stored answers: any item 1 or 2.
    let rows = response::Entity::find()
        .filter(response::Column::OrganisationId.eq(user.organisation_id))
        .filter(response::Column::Id.not_in_subquery(handled))
        .filter(response::Column::InstrumentKey.ne(InstrumentKey::Swemwbs.as_str()))
        .filter(
            Condition::any()
                .add(response::Column::Comment.is_not_null())
                .add(
                    response::Column::Id
                        .in_subquery(repo::voice::response_ids_of(user.organisation_id)),
                )
                .add(response::Column::Answers.contains("1"))
                .add(response::Column::Answers.contains("2")),
        )
        .order_by_asc(response::Column::AnsweredAt)
        .limit(ATTENTION_LIMIT * 4)
        .all(db)
        .await?;
    let voiced: std::collections::HashSet<Uuid> =
        repo::voice::summaries_of(db, rows.iter().map(|r| r.id).collect())
            .await?
            .into_iter()
            .map(|v| v.response_id)
            .collect();
    let mut picked = Vec::new();
    for r in rows {
        let answers: Vec<Option<u8>> =
            serde_json::from_str(&r.answers).map_err(anyhow::Error::from)?;
        let lowest = answers.iter().flatten().min().copied();
        let low =
            r.instrument_key != InstrumentKey::Swemwbs.as_str() && lowest.is_some_and(|v| v <= 2);
        let voice_comment = voiced.contains(&r.id);
        if r.comment.is_none() && !voice_comment && !low {
            continue;
        }
        picked.push((r, answers, lowest, voice_comment));
        if picked.len() as u64 >= ATTENTION_LIMIT {
            break;
        }
    }
    let people: Vec<Uuid> = picked.iter().map(|(r, ..)| r.participant_id).collect();
    let references = repo::records::references_of(db, &people).await?;
    // Every comment shown is a read of someone's words: recorded before they are sent.
    log_comment_reads(
        db,
        &staff_actor(&user, &req),
        picked.iter().map(|(r, ..)| (r.id, r.participant_id)),
    )
    .await?;
    let out = picked
        .into_iter()
        .map(|(r, answers, lowest, voice_comment)| AttentionItem {
            response_id: r.id,
            participant_reference: references
                .get(&r.participant_id)
                .cloned()
                .unwrap_or_default(),
            instrument: r.instrument_key,
            answered_at: r.answered_at,
            lowest_rating: lowest,
            answers,
            comment: r.comment,
            voice_comment,
            specialist_id: r.specialist_id,
        })
        .collect();
    Ok(web::Json(out))
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
    let r = repo::invitations::find_response_any(&state.db, *id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such response"))?;
    let body = body.into_inner()?;
    attention_handled::ActiveModel {
        response_id: Set(r.id),
        organisation_id: Set(user.organisation_id),
        handled_by: Set(user.id),
        handled_at: Set(Utc::now()),
        note: Set(body.note.as_str().to_owned()),
    }
    .insert(&state.db)
    .await
    .map_err(|e| {
        if repo::is_unique_violation(&e) {
            ApiError::conflict("id", "this has already been handled")
        } else {
            e.into()
        }
    })?;
    log(
        &state.db,
        &staff_actor(&user, &req),
        "handle",
        "response",
        Some(r.id),
        Some(r.participant_id),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

fn report_view(m: published_report::Model) -> Result<PublishedReport> {
    Ok(PublishedReport {
        id: m.id,
        title: m.title,
        published_by: m.published_by,
        published_at: m.published_at,
        snapshot: serde_json::from_str(&m.snapshot)
            .map_err(|e| anyhow::anyhow!("stored report: {e}"))?,
    })
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    request_body = PublishReport,
    responses((status = 201, description = "Frozen: late data never changes it", body = PublishedReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[post("/reports")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn publish_report(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    body: ApiJson<PublishReport>,
) -> Result<HttpResponse> {
    let body = body.into_inner()?;
    let db = &state.db;
    let org_id = user.organisation_id;
    let period = domain::period::Period::new(body.period.first, body.period.last)
        .map_err(|e| ApiError::invalid("period.last", e.0))?;
    let org = repo::orgs::get(db, org_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("organisation missing"))?;
    let settings = repo::instruments::settings(db, org_id).await?;
    let small = u64::try_from(settings.small_number).unwrap_or(domain::kpi::DEFAULT_SMALL_NUMBER);
    let threshold = Hundredths(i64::from(settings.change_threshold));
    let all = Default::default();
    let snapshot = ReportSnapshot {
        period,
        rule_version: domain::kpi::RULE_VERSION.to_owned(),
        small_number: small,
        change_threshold: threshold,
        instrument_versions: repo::instruments::all_latest(db)
            .await?
            .iter()
            .map(|d| format!("{}:{}", d.key, d.version))
            .collect(),
        time_zone: org.time_zone.clone(),
        kpi_c: reports::satisfaction(db, org_id, Audience::Employer, period, &all, small).await?,
        kpi_d: reports::satisfaction(db, org_id, Audience::Jobseeker, period, &all, small).await?,
        wellbeing: reports::wellbeing(db, org_id, period, &all, threshold, small).await?,
        coverage: reports::coverage(db, org_id, &org.time_zone, period, &all).await?,
    };
    let title = body
        .title
        .map(String::from)
        .unwrap_or_else(|| format!("{} report, {} to {}", org.name, period.first, period.last));
    let stored = published_report::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(org_id),
        first: Set(period.first),
        last: Set(period.last),
        title: Set(title),
        published_by: Set(user.id),
        published_at: Set(Utc::now()),
        snapshot: Set(serde_json::to_string(&snapshot).map_err(anyhow::Error::from)?),
    }
    .insert(db)
    .await?;
    tracing::info!(report_id = %stored.id, "report published");
    Ok(HttpResponse::Created().json(report_view(stored)?))
}

async fn find_report(state: &AppState, org: Uuid, id: Uuid) -> Result<published_report::Model> {
    published_report::Entity::find_by_id(id)
        .filter(published_report::Column::OrganisationId.eq(org))
        .one(&state.db)
        .await?
        .ok_or(ApiError::NotFound("no such report"))
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
    let rows = published_report::Entity::find()
        .filter(published_report::Column::OrganisationId.eq(user.organisation_id))
        .order_by_desc(published_report::Column::PublishedAt)
        .all(&state.db)
        .await?;
    Ok(web::Json(
        rows.into_iter().map(report_view).collect::<Result<_>>()?,
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
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<web::Json<PublishedReport>> {
    Ok(web::Json(report_view(
        find_report(&state, user.organisation_id, *id).await?,
    )?))
}

fn fig(v: Option<Hundredths>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "Figures with their calculation basis, one line each (text/csv)", content_type = "text/csv", body = String), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}/csv")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn report_csv(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = report_view(find_report(&state, user.organisation_id, *id).await?)?;
    let s = &r.snapshot;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: &[String]| w.write_record(cells).map_err(anyhow::Error::from);
    row(&[
        "figure".into(),
        "value".into(),
        "n".into(),
        "small_sample".into(),
        "basis".into(),
    ])?;
    for (name, k) in [
        ("KPI C employer satisfaction (mean 1-5)", &s.kpi_c),
        ("KPI D jobseeker satisfaction (mean 1-5)", &s.kpi_d),
    ] {
        row(&[
            name.into(),
            fig(k.mean),
            k.n.to_string(),
            k.small_sample.to_string(),
            format!(
                "mean of the overall item over self-completed first answers answered {} to {}; excluded {} proxy, {} second answers; response ids: {}",
                s.period.first,
                s.period.last,
                k.excluded_proxy,
                k.excluded_second_answers,
                k.response_ids
                    .iter()
                    .map(|u| u.to_string())
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        ])?;
    }
    let wb = &s.wellbeing;
    row(&[
        "Wellbeing change (mean SWEMWBS metric change)".into(),
        fig(wb.mean_change),
        wb.paired_n.to_string(),
        wb.small_sample.to_string(),
        format!(
            "earliest scored self start vs latest scored self end, pair in the period of the end form; threshold {}; improved {} / no change {} / declined {}; pairs (start;end response ids): {}",
            wb.threshold,
            wb.improved,
            wb.no_meaningful_change,
            wb.declined,
            wb.pairs
                .iter()
                .map(|p| format!("{};{}", p.start_response_id, p.end_response_id))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ])?;
    let c = &s.coverage;
    for (name, d) in [
        ("Coverage: jobseeker survey", &c.jobseeker_satisfaction),
        ("Coverage: employer survey", &c.employer_satisfaction),
        ("Coverage: SWEMWBS start", &c.swemwbs_start),
        ("Coverage: SWEMWBS end", &c.swemwbs_end),
    ] {
        row(&[
            name.into(),
            fig(d.pct),
            d.due.to_string(),
            String::new(),
            format!("{} answered of {} due", d.answered, d.due),
        ])?;
    }
    row(&[
        "rule version".into(),
        s.rule_version.clone(),
        String::new(),
        String::new(),
        s.instrument_versions.join(" "),
    ])?;
    let bytes = w
        .into_inner()
        .map_err(|e| anyhow::anyhow!("finishing the CSV: {e}"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"report.csv\""))
        .body(bytes))
}

#[utoipa::path(
    tag = "oversight",
    security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, description = "A printable page of the report (text/html)", content_type = "text/html", body = String), (status = 404, body = ErrorBody))
)]
#[get("/reports/{id}/print")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn report_page(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse> {
    let r = report_view(find_report(&state, user.organisation_id, *id).await?)?;
    let s = &r.snapshot;
    let line = |name: &str, v: Option<Hundredths>, n: u64, small: bool| {
        format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            html::escape(name),
            fig(v),
            n,
            if small { "small sample" } else { "" }
        )
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>\
         <h1>{title}</h1><p>Period {first} to {last} (both days included, {tz}). Published {published}. \
         Rules version {rules}; small-number threshold {small}; meaningful SWEMWBS change {thr} points; \
         instruments {instr}.</p><table><caption>Figures</caption>\
         <tr><th scope=\"col\">Indicator</th><th scope=\"col\">Value</th><th scope=\"col\">n</th><th scope=\"col\">Note</th></tr>\
         {c}{d}{w}</table><p>Wellbeing: improved {imp}, no meaningful change {same}, declined {dec}. \
         Coverage: SWEMWBS end {end_a} of {end_d}; jobseeker survey {js_a} of {js_d}; employer survey {em_a} of {em_d}.</p>\
         <p>The response ids behind each figure are in the CSV download.</p></body></html>",
        title = html::escape(&r.title),
        first = s.period.first,
        last = s.period.last,
        tz = html::escape(&s.time_zone),
        published = r.published_at.format("%Y-%m-%d %H:%M UTC"),
        rules = html::escape(&s.rule_version),
        small = s.small_number,
        thr = s.change_threshold,
        instr = html::escape(&s.instrument_versions.join(", ")),
        c = line(
            "KPI C: employer satisfaction (mean, 1 to 5)",
            s.kpi_c.mean,
            s.kpi_c.n,
            s.kpi_c.small_sample
        ),
        d = line(
            "KPI D: jobseeker satisfaction (mean, 1 to 5)",
            s.kpi_d.mean,
            s.kpi_d.n,
            s.kpi_d.small_sample
        ),
        w = line(
            "Wellbeing change (mean SWEMWBS points)",
            s.wellbeing.mean_change,
            s.wellbeing.paired_n,
            s.wellbeing.small_sample
        ),
        imp = s.wellbeing.improved,
        same = s.wellbeing.no_meaningful_change,
        dec = s.wellbeing.declined,
        end_a = s.coverage.swemwbs_end.answered,
        end_d = s.coverage.swemwbs_end.due,
        js_a = s.coverage.jobseeker_satisfaction.answered,
        js_d = s.coverage.jobseeker_satisfaction.due,
        em_a = s.coverage.employer_satisfaction.answered,
        em_d = s.coverage.employer_satisfaction.due,
    );
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
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
