//! Organisation settings: the SWEMWBS licence (recorded by an admin before SWEMWBS is used),
//! the figures' thresholds and time zone, privacy and help texts.

use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser, StaffUser},
    entities::organisation_setting,
    json::ApiJson,
    repo,
    services::{audit::staff_actor, oversight},
    state::AppState,
};
use actix_web::{HttpRequest, get, put, web};
use chrono::Utc;
use domain::{
    ErrorBody,
    feedback::{SurveyHelp, SurveyTexts},
    records::{NoticeText, OrganisationSettings, SwemwbsLicence, TimeZoneSetting},
};

/// The settings as shown: the stored ones (with the privacy settings in force) and the
/// organisation's time zone.
async fn view(
    db: &impl sea_orm::ConnectionTrait,
    s: organisation_setting::Model,
) -> Result<OrganisationSettings> {
    let time_zone = repo::orgs::time_zone(db, s.organisation_id).await?;
    let readers = s.readers();
    Ok(OrganisationSettings {
        small_number: s.small_number(),
        change_threshold: s.change_threshold(),
        swemwbs_licence_held: s.swemwbs_licence_held,
        swemwbs_licence_reference: s.swemwbs_licence_reference,
        swemwbs_licence_recorded_at: s.swemwbs_licence_recorded_at,
        time_zone,
        retention_days: s.retention_days.and_then(|d| u32::try_from(d).ok()),
        readers,
    })
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, body = OrganisationSettings), (status = 403, body = ErrorBody))
)]
#[get("/settings")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_settings(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<OrganisationSettings>> {
    let s = repo::instruments::settings(&state.db, user.organisation_id).await?;
    Ok(web::Json(view(&state.db, s).await?))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = SwemwbsLicence,
    responses((status = 200, body = OrganisationSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/swemwbs-licence")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_swemwbs_licence(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: ApiJson<SwemwbsLicence>,
) -> Result<web::Json<OrganisationSettings>> {
    let body = body.into_inner()?;
    let mut s = repo::instruments::settings(&state.db, admin.organisation_id).await?;
    s.swemwbs_licence_held = body.held;
    s.swemwbs_licence_reference = body.reference.map(String::from);
    s.swemwbs_licence_recorded_at = Some(Utc::now());
    s.swemwbs_licence_recorded_by = Some(admin.id);
    let saved = repo::instruments::save_settings(&state.db, s).await?;
    tracing::info!(
        held = saved.swemwbs_licence_held,
        "SWEMWBS licence recorded"
    );
    Ok(web::Json(view(&state.db, saved).await?))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = domain::records::Thresholds,
    responses((status = 200, body = OrganisationSettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/thresholds")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_thresholds(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: ApiJson<domain::records::Thresholds>,
) -> Result<web::Json<OrganisationSettings>> {
    let body = body.into_inner()?;
    let t = body;
    if !(2..=50).contains(&t.small_number) {
        return Err(crate::ApiError::invalid("small_number", "must be 2 to 50"));
    }
    if !(100..=500).contains(&t.change_threshold.0) {
        return Err(crate::ApiError::invalid(
            "change_threshold",
            "must be 1.00 to 5.00",
        ));
    }
    let mut s = repo::instruments::settings(&state.db, admin.organisation_id).await?;
    s.small_number = i32::try_from(t.small_number).unwrap_or(5);
    s.change_threshold = i32::try_from(t.change_threshold.0).unwrap_or(300);
    let saved = repo::instruments::save_settings(&state.db, s).await?;
    tracing::info!("thresholds changed");
    Ok(web::Json(view(&state.db, saved).await?))
}

/// The organisation's time zone: answers stored from now on are dated in it (`answered_on`),
/// and "today" is its date. Nothing already stored is re-dated, and a published report keeps
/// the zone it was made with.
#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = TimeZoneSetting,
    responses((status = 200, body = OrganisationSettings), (status = 400, description = "Not an IANA time zone name; `field` is `time_zone`", body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/time-zone")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_time_zone(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    body: ApiJson<TimeZoneSetting>,
) -> Result<web::Json<OrganisationSettings>> {
    let body = body.into_inner()?;
    let zone = crate::time::zone(&body.time_zone).ok_or_else(|| {
        ApiError::invalid(
            "time_zone",
            "not a time zone name of the IANA tz database, such as Europe/London",
        )
    })?;
    oversight::change_time_zone(&state.db, &staff_actor(&admin, &req), zone).await?;
    let s = repo::instruments::settings(&state.db, admin.organisation_id).await?;
    Ok(web::Json(view(&state.db, s).await?))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = domain::privacy::PrivacySettings,
    responses((status = 200, body = domain::privacy::PrivacySettings), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/privacy")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_privacy(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: ApiJson<domain::privacy::PrivacySettings>,
) -> Result<web::Json<domain::privacy::PrivacySettings>> {
    let body = body.into_inner()?;
    let p = body;
    if p.retention_days.is_some_and(|d| !(30..=3650).contains(&d)) {
        return Err(crate::ApiError::invalid(
            "retention_days",
            "must be 30 to 3650 days, or null",
        ));
    }
    if let Some(r) = &p.readers {
        check_readers(r)?;
    }
    let mut s = repo::instruments::settings(&state.db, admin.organisation_id).await?;
    s.retention_days = p.retention_days.and_then(|d| i32::try_from(d).ok());
    s.readers_text = p
        .readers
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    let saved = repo::instruments::save_settings(&state.db, s).await?;
    tracing::info!("privacy settings changed");
    Ok(web::Json(domain::privacy::PrivacySettings {
        retention_days: saved.retention_days.and_then(|d| u32::try_from(d).ok()),
        readers: Some(saved.readers()),
    }))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    request_body = SurveyHelp,
    responses((status = 200, body = SurveyHelp), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody))
)]
#[put("/settings/help")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_help(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    body: ApiJson<SurveyHelp>,
) -> Result<web::Json<SurveyHelp>> {
    let help = body.into_inner()?;
    let mut s = repo::instruments::settings(&state.db, admin.organisation_id).await?;
    s.help_text = help
        .text
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    s.help_phone = help.phone.as_ref().map(|p| p.as_str().to_owned());
    let saved = repo::instruments::save_settings(&state.db, s).await?;
    tracing::info!("survey help changed");
    Ok(web::Json(saved.help()))
}

/// What a survey shows besides its questions: who reads the answers (DESIGN §8) and where to
/// get help (§7). The staff app keeps it for surveys it hands to a person on the specialist's
/// phone, with or without a signal.
#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, body = SurveyTexts), (status = 401, body = ErrorBody))
)]
#[get("/settings/survey-texts")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_survey_texts(
    state: web::Data<AppState>,
    user: StaffUser,
) -> Result<web::Json<SurveyTexts>> {
    let settings = repo::instruments::settings(&state.db, user.organisation_id).await?;
    Ok(web::Json(SurveyTexts {
        readers: settings.readers(),
        help: settings.help(),
    }))
}

/// The notice's rule, as its OpenAPI schema states it: English required, Welsh optional,
/// no other language, each text as [`NoticeText`] takes it (1 to 1,000 characters, not blank).
fn check_readers(readers: &domain::instrument::Texts) -> Result<()> {
    if !readers.contains_key("en") {
        return Err(crate::ApiError::invalid(
            "readers.en",
            "the notice needs its English text",
        ));
    }
    for (language, text) in readers {
        if !domain::privacy::NOTICE_LANGUAGES.contains(&language.as_str()) {
            return Err(crate::ApiError::invalid(
                format!("readers.{language}"),
                "the notice can be written in English (en) and Welsh (cy) only",
            ));
        }
        NoticeText::parse(text)
            .map_err(|e| crate::ApiError::invalid(format!("readers.{language}"), e.0))?;
    }
    Ok(())
}
