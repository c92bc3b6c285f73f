//! The staff app's calls to the server: each sends the login's bearer token, and a `401` (the
//! short-lived access token ran out) is answered by one refresh and one retry.

use domain::auth::{LoginRequest, RefreshRequest, TokenResponse};
use domain::coverage::Coverage;
use domain::feedback::MailSettings;
use domain::instrument::InstrumentDefinition;
use domain::kpi::{RatingComment, SatisfactionKpi, WellbeingKpi};
use domain::org::{NewTeam, Staff, Team, UpdateTeam};
use domain::outcomes::{CaseloadFigures, EqualityDimension, EqualityFigures, OutcomeFigures};
use domain::period::Period;
use domain::privacy::{AttentionItem, AuditEntry, HandleAttention, PublishedReport, ReportPreview};
use domain::records::{
    Episode, Invitation, Keep, NewInvitation, OrganisationSettings, Participant, ResolveConflict,
    SessionRecord,
};
use gloo_net::http::{Request, RequestBuilder};

use crate::api::{ApiError, bearer, read, send};

use super::auth::Auth;

pub async fn login(email: &str, password: &str) -> Result<TokenResponse, ApiError> {
    let body = LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    read(send(Request::post("/api/auth/login"), Some(&body)).await?).await
}

pub async fn refresh(refresh_token: &str) -> Result<TokenResponse, ApiError> {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    read(send(Request::post("/api/auth/refresh"), Some(&body)).await?).await
}

/// Ends the login on the server; failure (offline) only leaves it to expire.
pub async fn logout(refresh_token: &str) {
    let body = RefreshRequest {
        refresh_token: refresh_token.to_owned(),
    };
    if let Err(error) = send(Request::post("/api/auth/logout"), Some(&body)).await {
        log::info!("logout not sent: {error}");
    }
}

/// Sends `make(token)` with the current login; on `401` retries once with a newer access token:
/// the one another request's refresh brought meanwhile, else a refresh of its own (which other
/// requests share, `Auth::refresh`).
async fn authed<B: serde::Serialize>(
    auth: Auth,
    body: Option<&B>,
    make: impl Fn() -> RequestBuilder,
) -> Result<gloo_net::http::Response, ApiError> {
    let token = auth.access_token().ok_or(ApiError::Status(401))?;
    let first = send(make().header("authorization", &bearer(&token)), body).await;
    match first {
        Err(error) if error.status() == Some(401) => {
            let token = match auth.access_token() {
                Some(newer) if newer != token => newer,
                _ => auth.refresh().await?,
            };
            send(make().header("authorization", &bearer(&token)), body).await
        }
        other => other,
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(auth: Auth, url: &str) -> Result<T, ApiError> {
    read(authed::<()>(auth, None, || Request::get(url)).await?).await
}

pub async fn participants(auth: Auth) -> Result<Vec<Participant>, ApiError> {
    get_json(auth, "/api/participants").await
}

pub async fn episodes(auth: Auth) -> Result<Vec<Episode>, ApiError> {
    get_json(auth, "/api/episodes").await
}

/// Which forms each episode of the caseload owes, by the server's records.
pub async fn caseload_forms(auth: Auth) -> Result<Vec<domain::coverage::EpisodeForms>, ApiError> {
    get_json(auth, "/api/caseload/forms").await
}

/// Who reads the answers and where to get help: shown with a survey handed over on this phone.
pub async fn survey_texts(auth: Auth) -> Result<domain::feedback::SurveyTexts, ApiError> {
    get_json(auth, "/api/settings/survey-texts").await
}

/// The referrals of the caseload (managers: the organisation's), newest first.
pub async fn referrals(auth: Auth) -> Result<Vec<domain::journey::Referral>, ApiError> {
    get_json(auth, "/api/referrals").await
}

/// An episode's jobs in the order they started.
pub async fn episode_jobs(
    auth: Auth,
    episode: uuid::Uuid,
) -> Result<Vec<domain::journey::Job>, ApiError> {
    get_json(auth, &format!("/api/episodes/{episode}/jobs")).await
}

pub async fn instruments(auth: Auth) -> Result<Vec<InstrumentDefinition>, ApiError> {
    get_json(auth, "/api/instruments").await
}

pub async fn teams(auth: Auth) -> Result<Vec<Team>, ApiError> {
    get_json(auth, "/api/teams").await
}

pub async fn staff(auth: Auth) -> Result<Vec<Staff>, ApiError> {
    get_json(auth, "/api/staff").await
}

/// Writes `body` with `method` (`POST`, `PUT`, `PATCH`) and reads the server's answer: the
/// admin screens' saves, whose refusals name the field at fault.
async fn write_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    auth: Auth,
    make: impl Fn() -> RequestBuilder,
    body: &B,
) -> Result<T, ApiError> {
    read(authed(auth, Some(body), make).await?).await
}

/// Adds a staff account (admins): name, email, role, team and a first password.
pub async fn add_staff(auth: Auth, body: &serde_json::Value) -> Result<Staff, ApiError> {
    write_json(auth, || Request::post("/api/staff"), body).await
}

/// Changes a staff account (admins): only the fields in `body` change.
pub async fn change_staff(
    auth: Auth,
    id: uuid::Uuid,
    body: &serde_json::Value,
) -> Result<Staff, ApiError> {
    let url = format!("/api/staff/{id}");
    write_json(auth, || Request::patch(&url), body).await
}

pub async fn add_team(auth: Auth, body: &NewTeam) -> Result<Team, ApiError> {
    write_json(auth, || Request::post("/api/teams"), body).await
}

pub async fn rename_team(auth: Auth, id: uuid::Uuid, body: &UpdateTeam) -> Result<Team, ApiError> {
    let url = format!("/api/teams/{id}");
    write_json(auth, || Request::patch(&url), body).await
}

/// The audit trail's filters, as `GET /api/audit` takes them: who did it, whose record, what
/// was done to what, and the first and last days (in the organisation's time zone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilters {
    pub staff_id: Option<uuid::Uuid>,
    pub participant_id: Option<uuid::Uuid>,
    /// A word of the trail's vocabulary (`update`, `settings`): lower case letters and `_`, so
    /// nothing in the query needs escaping.
    pub action: Option<String>,
    pub entity: Option<String>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

impl AuditFilters {
    fn query(&self) -> String {
        let pairs = [
            ("staff_id", self.staff_id.map(|v| v.to_string())),
            ("participant_id", self.participant_id.map(|v| v.to_string())),
            ("action", self.action.clone()),
            ("entity", self.entity.clone()),
            ("from", self.from.map(|d| d.to_string())),
            ("to", self.to.map(|d| d.to_string())),
        ];
        let set: Vec<String> = pairs
            .iter()
            .filter_map(|(name, v)| v.as_ref().map(|v| format!("{name}={v}")))
            .collect();
        if set.is_empty() {
            String::new()
        } else {
            format!("?{}", set.join("&"))
        }
    }

    /// The address of the entries as CSV (fetched with the login's token, not opened as a link).
    pub fn csv_path(&self) -> String {
        format!("/api/audit.csv{}", self.query())
    }
}

/// The audit trail, newest first (admins).
pub async fn audit(auth: Auth, f: &AuditFilters) -> Result<Vec<AuditEntry>, ApiError> {
    get_json(auth, &format!("/api/audit{}", f.query())).await
}

/// The same entries as CSV, to save as a file.
pub async fn audit_csv(auth: Auth, f: &AuditFilters) -> Result<web_sys::Blob, ApiError> {
    blob(auth, &f.csv_path(), "text/csv").await
}

pub async fn settings(auth: Auth) -> Result<OrganisationSettings, ApiError> {
    get_json(auth, "/api/settings").await
}

/// Saves one group of settings (`path` under `/api/settings/`), as the server checks it.
pub async fn put_setting<B: serde::Serialize, T: serde::de::DeserializeOwned>(
    auth: Auth,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let url = format!("/api/settings/{path}");
    write_json(auth, || Request::put(&url), body).await
}

/// The scoring bands, targets, contract values and minimum-wage table (managers read them).
pub async fn outcome_settings(auth: Auth) -> Result<domain::outcomes::OutcomeSettings, ApiError> {
    get_json(auth, "/api/settings/outcomes").await
}

pub async fn mail_settings(auth: Auth) -> Result<MailSettings, ApiError> {
    get_json(auth, "/api/settings/mail").await
}

pub async fn invite(auth: Auth, body: &NewInvitation) -> Result<Invitation, ApiError> {
    read(authed(auth, Some(body), || Request::post("/api/invitations")).await?).await
}

/// An episode's sessions as the server has them, each with its open conflicts.
pub async fn episode_sessions(
    auth: Auth,
    episode: uuid::Uuid,
) -> Result<Vec<SessionRecord>, ApiError> {
    get_json(auth, &format!("/api/episodes/{episode}/sessions")).await
}

/// Closes one conflict, keeping the saved version or the conflicting edit; both stay on record.
pub async fn resolve_conflict(
    auth: Auth,
    session: uuid::Uuid,
    edit: uuid::Uuid,
    keep: Keep,
) -> Result<SessionRecord, ApiError> {
    let url = format!("/api/sessions/{session}/conflicts/{edit}/resolve");
    let body = ResolveConflict { keep };
    read(authed(auth, Some(&body), || Request::post(&url)).await?).await
}

/// The filters of the dashboard, as the KPI endpoints take them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    pub team_id: Option<String>,
    pub specialist_id: Option<String>,
    pub programme: Option<String>,
}

fn kpi_url(path: &str, period: Period, filters: &Filters) -> String {
    with_filters(
        format!(
            "/api/kpi/{path}?first={}&last={}",
            period.first, period.last
        ),
        filters,
    )
}

/// `url` (which has a query already) with the filters chosen.
fn with_filters(mut url: String, filters: &Filters) -> String {
    for (name, value) in [
        ("team_id", &filters.team_id),
        ("specialist_id", &filters.specialist_id),
        ("programme", &filters.programme),
    ] {
        if let Some(value) = value {
            url.push_str(&format!("&{name}={value}"));
        }
    }
    url
}

/// The outcome figures of `p` read as of `as_of` (KPIs A, B and E, access and the rest).
pub async fn outcomes(
    auth: Auth,
    p: Period,
    as_of: chrono::NaiveDate,
    f: &Filters,
) -> Result<OutcomeFigures, ApiError> {
    let url = format!(
        "/api/outcomes?first={}&last={}&as_of={as_of}",
        p.first, p.last
    );
    get_json(auth, &with_filters(url, f)).await
}

/// Active caseload per specialist on `on`.
pub async fn outcome_caseload(
    auth: Auth,
    on: chrono::NaiveDate,
    f: &Filters,
) -> Result<CaseloadFigures, ApiError> {
    get_json(
        auth,
        &with_filters(format!("/api/outcomes/caseload?on={on}"), f),
    )
    .await
}

/// Every outcome figure and KPI D of `p` split by `by`, in a manager's working view (every
/// group shown; the small ones marked by the page).
pub async fn outcome_equality(
    auth: Auth,
    p: Period,
    as_of: chrono::NaiveDate,
    f: &Filters,
    by: EqualityDimension,
) -> Result<EqualityFigures, ApiError> {
    let url = format!(
        "/api/outcomes/equality?first={}&last={}&as_of={as_of}&by={by}&working=true",
        p.first, p.last
    );
    get_json(auth, &with_filters(url, f)).await
}

pub async fn kpi_c(auth: Auth, p: Period, f: &Filters) -> Result<SatisfactionKpi, ApiError> {
    get_json(auth, &kpi_url("employer-satisfaction", p, f)).await
}

pub async fn kpi_d(auth: Auth, p: Period, f: &Filters) -> Result<SatisfactionKpi, ApiError> {
    get_json(auth, &kpi_url("jobseeker-satisfaction", p, f)).await
}

pub async fn wellbeing(auth: Auth, p: Period, f: &Filters) -> Result<WellbeingKpi, ApiError> {
    get_json(auth, &kpi_url("wellbeing", p, f)).await
}

pub async fn coverage(auth: Auth, p: Period, f: &Filters) -> Result<Coverage, ApiError> {
    get_json(auth, &kpi_url("coverage", p, f)).await
}

/// Comments behind the satisfaction ratings of the period, newest first (managers).
pub async fn comments(auth: Auth, p: Period, f: &Filters) -> Result<Vec<RatingComment>, ApiError> {
    get_json(auth, &kpi_url("comments", p, f)).await
}

/// `GET /api/kpi/trend`: the server's own types, from `domain`.
pub use domain::kpi::{Trend, TrendPoint};
pub use domain::period::TrendBy;

/// Each KPI over `p`, one point per month or per quarter of it.
pub async fn trend(auth: Auth, p: Period, f: &Filters, by: TrendBy) -> Result<Trend, ApiError> {
    let url = format!("{}&by={by}", kpi_url("trend", p, f));
    get_json(auth, &url).await
}

/// `GET /api/reports/late`: each published report touching a period, and how many records
/// answered in its period reached the server after it was published.
pub use domain::privacy::LateArrivals;

/// The published reports touching `p`, newest first (managers).
pub async fn late_arrivals(auth: Auth, p: Period) -> Result<Vec<LateArrivals>, ApiError> {
    get_json(
        auth,
        &format!("/api/reports/late?first={}&last={}", p.first, p.last),
    )
    .await
}

/// What a report of `p` would hold if published now, with drafted key messages.
pub async fn report_preview(auth: Auth, p: Period) -> Result<ReportPreview, ApiError> {
    get_json(
        auth,
        &format!("/api/reports/preview?first={}&last={}", p.first, p.last),
    )
    .await
}

/// The organisation's published reports, newest first.
pub async fn reports(auth: Auth) -> Result<Vec<PublishedReport>, ApiError> {
    get_json(auth, "/api/reports").await
}

/// What a manager sends to publish a report.
#[derive(Debug, serde::Serialize)]
pub struct Publish {
    pub period: Period,
    pub key_messages: Vec<String>,
    pub grade: Option<String>,
    pub grade_reason: Option<String>,
    /// The comments the report quotes, by response id, in the order ticked.
    pub quotes: Vec<uuid::Uuid>,
}

/// Publishes (freezes) a report.
pub async fn publish_report(auth: Auth, body: &Publish) -> Result<PublishedReport, ApiError> {
    read(authed(auth, Some(body), || Request::post("/api/reports")).await?).await
}

/// A published report's XLSX or CSV file (`kind` `xlsx` or `csv`).
pub async fn report_file(
    auth: Auth,
    id: uuid::Uuid,
    kind: &str,
) -> Result<web_sys::Blob, ApiError> {
    blob(
        auth,
        &format!("/api/reports/{id}/{kind}"),
        "application/octet-stream",
    )
    .await
}

/// A published report's printable page (`print_url` of [`LateArrivals`]), to open from a
/// `blob:` URL: a plain link cannot send the token.
pub async fn report_page(auth: Auth, print_url: &str) -> Result<web_sys::Blob, ApiError> {
    if !print_url.starts_with("/api/reports/") {
        return Err(ApiError::Body(format!("not a report page: {print_url}")));
    }
    blob(auth, print_url, "text/html").await
}

/// The published reports of every organisation that shares with this commissioner, newest
/// first.
pub async fn shared_reports(
    auth: Auth,
) -> Result<Vec<domain::commissioning::SharedReport>, ApiError> {
    get_json(auth, "/api/commissioner/reports").await
}

/// The commissioners the organisation shares its reports with (admins).
pub async fn commissioners(
    auth: Auth,
) -> Result<Vec<domain::commissioning::Commissioner>, ApiError> {
    get_json(auth, "/api/commissioners").await
}

/// How an invitation went: a new commissioner's account, or an existing one that now reads
/// this organisation's reports too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invited {
    NewAccount,
    Existing,
}

/// Shares the organisation's reports with a commissioner (admins): `name` and `password` make
/// the account of an address that has none.
pub async fn invite_commissioner(
    auth: Auth,
    body: &serde_json::Value,
) -> Result<Invited, ApiError> {
    let response = authed(auth, Some(body), || Request::post("/api/commissioners")).await?;
    Ok(if response.status() == 201 {
        Invited::NewAccount
    } else {
        Invited::Existing
    })
}

/// Stops sharing the organisation's reports with a commissioner (admins).
/// SWEMWBS's English original and the official translations the organisation loaded.
pub async fn swemwbs_translations(
    auth: Auth,
) -> Result<domain::translation::SwemwbsTranslations, ApiError> {
    get_json(auth, "/api/settings/swemwbs-translations").await
}

/// Removes the official SWEMWBS translation into `language`.
pub async fn remove_swemwbs_translation(auth: Auth, language: &str) -> Result<(), ApiError> {
    let url = format!("/api/settings/swemwbs-translations/{language}");
    authed::<()>(auth, None, || Request::delete(&url)).await?;
    Ok(())
}

pub async fn stop_sharing(auth: Auth, id: uuid::Uuid) -> Result<(), ApiError> {
    let url = format!("/api/commissioners/{id}");
    authed::<()>(auth, None, || Request::delete(&url)).await?;
    Ok(())
}

pub async fn attention(auth: Auth) -> Result<Vec<AttentionItem>, ApiError> {
    get_json(auth, "/api/attention").await
}

pub async fn handle(auth: Auth, id: uuid::Uuid, note: &HandleAttention) -> Result<(), ApiError> {
    let url = format!("/api/attention/{id}/handle");
    authed(auth, Some(note), || Request::post(&url)).await?;
    Ok(())
}

/// A voice comment's recording, to play from a `blob:` URL (an `<audio>` cannot send a token).
pub async fn voice(auth: Auth, id: uuid::Uuid) -> Result<web_sys::Blob, ApiError> {
    blob(auth, &format!("/api/responses/{id}/voice"), "audio/webm").await
}

/// A CSV export (`/api/export/...`), as the server sent it, to save as a file.
pub async fn export(auth: Auth, path: &str) -> Result<web_sys::Blob, ApiError> {
    blob(auth, &format!("/api/export/{path}"), "text/csv").await
}

/// The SEQF audit workbook of a period for the filters (XLSX), as of today.
pub async fn seqf_workbook(auth: Auth, p: Period, f: &Filters) -> Result<web_sys::Blob, ApiError> {
    let url = format!(
        "/api/outcomes/workbook.xlsx?first={}&last={}",
        p.first, p.last
    );
    blob(
        auth,
        &with_filters(url, f),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    .await
}

/// A response body as a `Blob`, with the server's content type (`fallback` if it sent none).
async fn blob(auth: Auth, url: &str, fallback: &str) -> Result<web_sys::Blob, ApiError> {
    let response = authed::<()>(auth, None, || Request::get(url)).await?;
    let bytes = response
        .binary()
        .await
        .map_err(|e| ApiError::Body(e.to_string()))?;
    let content_type = response
        .headers()
        .get("content-type")
        .unwrap_or_else(|| fallback.to_owned());
    let array = js_sys::Uint8Array::from(bytes.as_slice());
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&content_type);
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|e| ApiError::Body(format!("{e:?}")))
}

/// "You said, we did": every action of the organisation, drafts too, newest first (managers).
pub async fn actions(auth: Auth) -> Result<Vec<domain::feedback::Action>, ApiError> {
    get_json(auth, "/api/actions").await
}

/// Writes a new action (a draft).
pub async fn add_action(
    auth: Auth,
    body: &serde_json::Value,
) -> Result<domain::feedback::Action, ApiError> {
    write_json(auth, || Request::post("/api/actions"), body).await
}

/// Changes an action: only the fields in `body` change.
pub async fn change_action(
    auth: Auth,
    id: uuid::Uuid,
    body: &serde_json::Value,
) -> Result<domain::feedback::Action, ApiError> {
    let url = format!("/api/actions/{id}");
    write_json(auth, || Request::patch(&url), body).await
}

/// Publishes an action: participants see it, and results digests are queued.
pub async fn publish_action(
    auth: Auth,
    id: uuid::Uuid,
) -> Result<domain::feedback::PublishOutcome, ApiError> {
    let url = format!("/api/actions/{id}/publish");
    read(authed::<()>(auth, None, || Request::post(&url)).await?).await
}
