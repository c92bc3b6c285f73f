//! The one routing table. Every API handler is registered through `utoipa_actix_web`'s
//! `service`, which also documents it, so `/api/openapi.json` lists exactly what is served
//! (a test checks both directions).

mod actions;
mod auth;
mod commissioners;
mod health;
mod journey;
mod kpi;
mod mail;
mod outcomes;
mod oversight;
mod records;
mod results;
pub(crate) mod settings;
mod staff;
mod surveys;
mod teams;
mod transfer;
mod translations;
mod voice;

use crate::error::ApiError;
use actix_web::{
    HttpRequest, HttpResponse,
    body::MessageBody,
    dev::{ServiceRequest, ServiceResponse},
    http::{StatusCode, header},
    middleware::{ErrorHandlerResponse, ErrorHandlers},
    web,
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_actix_web::{AppExt, scope, service_config::ServiceConfig};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Soundings API",
        description = "Satisfaction and wellbeing evidence for Supported Employment services. \
                       Every refusal is a 4xx with an ErrorBody naming the field at fault."
    ),
    components(schemas(domain::ErrorBody, domain::ErrorCode)),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness for load balancers"),
        (name = "auth", description = "Staff login and tokens"),
        (name = "teams", description = "Teams inside an organisation"),
        (name = "staff", description = "Staff accounts (admins manage them)"),
        (name = "records", description = "Participants, consent, episodes, sessions and offline sync (idempotent by client-made id)"),
        (name = "surveys", description = "Invitations, opening them without a password, and responses"),
        (name = "kpi", description = "KPI C, KPI D, wellbeing change and trends, exactly as DESIGN.md section 4 defines them"),
        (name = "settings", description = "Organisation settings"),
        (name = "oversight", description = "Audit trail, safeguarding list and published reports"),
        (name = "transfer", description = "The SEQF audit spreadsheet: CSV export and import (docs/formats.md)"),
        (name = "feedback", description = "\"You said, we did\" actions (managers) and wellbeing prompts (staff)"),
        (name = "results", description = "Results for participants and employers through a purpose-limited results link"),
        (name = "mail", description = "The email queue, email settings, and unsubscribing"),
        (name = "commissioners", description = "Sharing published reports with commissioners (admins), and what a commissioner reads"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "participant",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The token returned by POST /api/invitations/open"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "results",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("The token returned by POST /api/results/open"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// Documents the refusals every operation can give, so the document matches what is served:
/// 401/403 where a token is needed, 400/413/415 where a body is read, 404 where the path names a
/// record, and the opaque 500. Each carries the one `ErrorBody`.
struct ErrorResponses;

impl Modify for ErrorResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, ResponseBuilder};
        let error = |why: &str| {
            ResponseBuilder::new()
                .description(why)
                .content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorBody"))),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                let mut add = |code: &str, why: &str| {
                    op.responses
                        .responses
                        .entry(code.to_owned())
                        .or_insert_with(|| error(why).into());
                };
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add("401", "Not logged in, or the session has ended");
                    add("403", "Logged in, but this role may not do this");
                }
                if op.request_body.is_some() {
                    add("400", "The body is not valid; `field` names the problem");
                    add("413", "The body is too large");
                    add("415", "The body is not of the documented type");
                }
                if has_id {
                    add("404", "No such record visible to the caller");
                }
                let has_query = op
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, utoipa::openapi::RefOr::T(p) if p.parameter_in == utoipa::openapi::path::ParameterIn::Query));
                if has_query {
                    add("400", "A query parameter is not valid; `field` names it");
                }
                add(
                    "500",
                    "Something went wrong on the server; it has been logged",
                );
            }
        }
    }
}

/// A file to download: its media type, the name a browser saves it as, and its bytes.
pub(crate) fn attachment(
    content_type: &str,
    name: &str,
    body: impl actix_web::body::MessageBody + 'static,
) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(body)
}

/// The media type of the CSV files the API writes.
pub(crate) const CSV: &str = "text/csv; charset=utf-8";

/// An XLSX workbook, for the API document: the body is bytes, not JSON.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)]
pub struct Workbook(Vec<u8>);

/// Every documented route. Handlers live in one file per feature.
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(
        scope("/health")
            .service(health::live)
            .service(health::ready)
            .default_service(web::to(unknown_route)),
    )
    .service(
        scope("/api")
            .service(auth::login)
            .service(auth::refresh)
            .service(auth::logout)
            .service(auth::me)
            .service(teams::list_teams)
            .service(teams::create_team)
            .service(teams::get_team)
            .service(teams::update_team)
            .service(staff::list_staff)
            .service(staff::create_staff)
            .service(staff::get_staff)
            .service(staff::update_staff)
            .service(commissioners::list_commissioners)
            .service(commissioners::invite_commissioner)
            .service(commissioners::stop_sharing)
            .service(commissioners::shared_reports)
            .service(records::create_participant)
            .service(records::list_participants)
            .service(records::get_participant)
            .service(records::update_participant)
            .service(records::withdraw_participant)
            .service(records::create_consent)
            .service(records::create_episode)
            .service(records::list_episodes)
            .service(records::caseload_forms)
            .service(records::get_episode)
            .service(records::update_episode)
            .service(records::create_session)
            .service(records::edit_session)
            .service(records::episode_sessions)
            .service(records::resolve_session_conflict)
            .service(records::sync)
            .service(journey::create_referral)
            .service(journey::list_referrals)
            .service(journey::decide_referral)
            .service(journey::create_job)
            .service(journey::end_job)
            .service(journey::episode_jobs)
            .service(surveys::create_invitation)
            .service(surveys::open_invitation)
            .service(surveys::get_invitation)
            .service(surveys::get_survey)
            .service(surveys::submit_survey_response)
            .service(surveys::survey_results)
            .service(surveys::create_response)
            .service(surveys::list_instruments)
            .service(voice::upload_survey_voice)
            .service(voice::upload_voice)
            .service(voice::play_voice)
            .service(settings::get_settings)
            .service(settings::put_swemwbs_licence)
            .service(settings::put_thresholds)
            .service(settings::put_privacy)
            .service(settings::put_help)
            .service(settings::put_time_zone)
            .service(settings::get_survey_texts)
            .service(translations::list_translations)
            .service(translations::put_translation)
            .service(translations::delete_translation)
            .service(kpi::kpi_c)
            .service(kpi::kpi_d)
            .service(kpi::wellbeing)
            .service(kpi::trend)
            .service(kpi::coverage)
            .service(kpi::comments)
            .service(outcomes::outcomes)
            .service(outcomes::caseload)
            .service(outcomes::equality)
            .service(outcomes::seqf_workbook)
            .service(outcomes::get_outcome_settings)
            .service(outcomes::put_outcome_settings)
            .service(transfer::export_episodes)
            .service(transfer::export_responses)
            .service(transfer::import_episodes)
            .service(transfer::import_responses)
            .service(oversight::search_audit)
            .service(oversight::export_audit)
            .service(oversight::needs_attention)
            .service(oversight::handle_attention)
            .service(oversight::publish_report)
            .service(oversight::list_reports)
            // Before `/reports/{id}`, which would take "late" or "preview" for an id.
            .service(oversight::late_arrivals)
            .service(oversight::preview_report)
            .service(oversight::get_report)
            .service(oversight::report_csv)
            .service(oversight::report_xlsx)
            .service(oversight::report_page)
            .service(oversight::subject_access)
            .service(oversight::erase_participant)
            .service(actions::create_action)
            .service(actions::list_actions)
            .service(actions::get_action)
            .service(actions::update_action)
            .service(actions::publish_action)
            .service(actions::list_prompts)
            .service(actions::prompt_done)
            .service(results::open_results)
            .service(results::service_results)
            .service(results::results_actions)
            .service(results::own_wellbeing)
            .service(results::own_wellbeing_episode)
            .service(results::participant_results_link)
            .service(results::survey_results_link)
            .service(mail::list_mail)
            .service(mail::get_mail_settings)
            .service(mail::put_mail_settings)
            .service(mail::unsubscribe)
            .default_service(web::to(unknown_route)),
    );
}

/// The OpenAPI document, collected from the routing table itself.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut api = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts()
        .1;
    // After the routes are collected: the derive's modifiers run before there are any.
    ErrorResponses.modify(&mut api);
    api
}

pub fn openapi_json_text() -> std::sync::Arc<str> {
    openapi()
        .to_json()
        .unwrap_or_else(|e| {
            tracing::error!(error = %e, "serialising the OpenAPI document");
            "{}".to_owned()
        })
        .into()
}

/// Serves the OpenAPI document. Registered ahead of the `/api` scope, whose fallback would
/// otherwise answer "no such route".
pub fn openapi_json(json: std::sync::Arc<str>) -> actix_web::Resource {
    web::resource("/api/openapi.json").route(web::get().to(move || {
        let json = json.clone();
        async move {
            HttpResponse::Ok()
                .content_type("application/json")
                .body(json.to_string())
        }
    }))
}

/// Path templates and their methods, from the routing table's own document.
static ROUTES: std::sync::LazyLock<Vec<(Vec<String>, Vec<String>)>> =
    std::sync::LazyLock::new(|| {
        openapi()
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .iter()
                .filter(|(_, has)| *has)
                .map(|(m, _)| (*m).to_owned())
                .collect();
                (path.split('/').map(str::to_owned).collect(), methods)
            })
            .collect()
    });

/// A path we serve with another method is 405 with `Allow`; anything else is 404.
async fn unknown_route(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    match allowed_methods(req.path()) {
        Some(allowed) => Ok(method_not_allowed(&allowed)),
        None => Err(ApiError::NotFound("no such route")),
    }
}

fn method_not_allowed(allowed: &[&str]) -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, allowed.join(", ")))
        .json(ApiError::MethodNotAllowed.body())
}

/// The documented methods of the path, if it is a documented path. As in OpenAPI, a concrete
/// path wins over a template: `/api/invitations/open` is not `/api/invitations/{id}`.
fn allowed_methods(path: &str) -> Option<Vec<&'static str>> {
    let segments: Vec<&str> = path.split('/').collect();
    let matching: Vec<(usize, &'static Vec<String>)> = ROUTES
        .iter()
        .filter(|(template, _)| {
            template.len() == segments.len()
                && template
                    .iter()
                    .zip(&segments)
                    .all(|(t, s)| t == s || (t.starts_with('{') && !s.is_empty()))
        })
        .map(|(template, methods)| {
            let literal = template.iter().filter(|t| !t.starts_with('{')).count();
            (literal, methods)
        })
        .collect();
    let most_specific = matching.iter().map(|(n, _)| *n).max()?;
    Some(
        matching
            .iter()
            .filter(|(n, _)| *n == most_specific)
            .flat_map(|(_, methods)| methods.iter().map(String::as_str))
            .collect(),
    )
}

/// Extractor settings: a bad path segment (not a UUID) is simply "not found"; a bad query is
/// a named field error.
pub fn extractor_configs(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PathConfig::default().error_handler(|e, req| {
        // `GET /api/invitations/open` reaches `GET /api/invitations/{id}` with "open" as
        // the id; the concrete path exists with other methods, so that is a 405.
        match allowed_methods(req.path()) {
            Some(allowed) if !allowed.contains(&req.method().as_str()) => {
                actix_web::error::InternalError::from_response(e, method_not_allowed(&allowed))
                    .into()
            }
            _ => ApiError::NotFound("no such resource").into(),
        }
    }))
    .app_data(web::QueryConfig::default().error_handler(|e, _| {
        let message = e.to_string();
        ApiError::invalid("query", message).into()
    }));
}

/// Any 4xx/5xx that left without a JSON body (a 405 from the router, a 413 from actix) gets
/// one, so clients always have `{"error", "message"}` to show.
pub fn json_errors<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(ensure_json_body)
}

fn ensure_json_body<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let err = match status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            limit: crate::json::JSON_LIMIT,
        },
        StatusCode::NOT_FOUND => ApiError::NotFound("no such route"),
        s if s.is_server_error() => ApiError::Internal(anyhow::anyhow!("server error {s}")),
        _ => ApiError::MalformedBody(
            status
                .canonical_reason()
                .unwrap_or("bad request")
                .to_lowercase(),
        ),
    };
    let (req, _) = res.into_parts();
    let body = serde_json::to_string(&err.body()).unwrap_or_default();
    let new = HttpResponse::build(status)
        .content_type("application/json")
        .body(body);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

/// Hardening headers on every response. The CSP allows only our own scripts (and wasm),
/// styles and connections, and one inline style sheet: the printable report's, by its hash,
/// which the staff app opens from a `blob:` URL that keeps this policy; `/api` answers are
/// never cached by the browser or proxies.
pub fn security_headers() -> actix_web::middleware::DefaultHeaders {
    let csp = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' {}; \
         img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; \
         worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        crate::services::oversight::print_style_source()
    );
    actix_web::middleware::DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, csp))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            header::HeaderName::from_static("permissions-policy"),
            "microphone=(self), camera=(), geolocation=(), payment=()",
        ))
        .add((
            header::HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ))
}

/// `/api` and `/health` answers must never be cached: they hold personal data or live state.
pub async fn no_store_for_api(
    req: ServiceRequest,
    next: actix_web::middleware::Next<impl MessageBody>,
) -> actix_web::Result<ServiceResponse<impl MessageBody>> {
    let is_api = req.path().starts_with("/api") || req.path().starts_with("/health");
    let mut res = next.call(req).await?;
    if is_api {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-store"),
        );
    } else if !res.headers().contains_key(header::CACHE_CONTROL) {
        // Anything that did not say (the PWA's files do, see `static_files`): revalidate.
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("no-cache"),
        );
    }
    Ok(res)
}
