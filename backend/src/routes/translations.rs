//! Official SWEMWBS translations (DESIGN §3): an admin loads the words of an official
//! translation for Welsh, or removes them; managers and admins see what is loaded. While one
//! is loaded, the organisation's SWEMWBS is offered in that language too.

use crate::{
    ApiError, Result,
    auth::{AdminUser, ManagerUser},
    entities::instrument_translation,
    json::ApiJson,
    repo::{self, translations::Saved},
    services::audit,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use chrono::Utc;
use domain::{
    ErrorBody,
    instrument::InstrumentKey,
    translation::{
        LoadedTranslation, SwemwbsTexts, SwemwbsTranslation, SwemwbsTranslations,
        translation_language,
    },
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

const SWEMWBS: InstrumentKey = InstrumentKey::Swemwbs;

/// The path's language, if a translation may be loaded for it.
fn language_of(raw: &str) -> Result<domain::records::Language> {
    translation_language(raw).map_err(|e| ApiError::invalid("language", e.0))
}

/// A stored translation as shown: with the name of the admin who loaded it.
async fn loaded(
    db: &impl ConnectionTrait,
    row: &instrument_translation::Model,
) -> Result<LoadedTranslation> {
    let (language, texts) = repo::translations::texts_of(row)?;
    let loaded_by = repo::staff::find_by_id(db, row.loaded_by)
        .await?
        .map(|s| s.name);
    Ok(LoadedTranslation {
        language,
        instrument_version: row.instrument_version,
        source: row.source.clone(),
        texts,
        loaded_at: row.loaded_at,
        loaded_by,
    })
}

async fn translations(db: &impl ConnectionTrait, org: Uuid) -> Result<SwemwbsTranslations> {
    let original = repo::instruments::latest(db, SWEMWBS.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("SWEMWBS is missing; migrations not applied?"))?;
    let mut shown = Vec::new();
    for row in repo::translations::of_instrument(db, org, SWEMWBS.as_str()).await? {
        shown.push(loaded(db, &row).await?);
    }
    Ok(SwemwbsTranslations {
        instrument_version: original.version,
        original: SwemwbsTexts::of(&original, "en"),
        loaded: shown,
    })
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "SWEMWBS's English original and the official translations the organisation loaded", body = SwemwbsTranslations),
        (status = 403, body = ErrorBody),
    )
)]
#[get("/settings/swemwbs-translations")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_translations(
    state: web::Data<AppState>,
    ManagerUser(user): ManagerUser,
) -> Result<web::Json<SwemwbsTranslations>> {
    Ok(web::Json(
        translations(&state.db, user.organisation_id).await?,
    ))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    params(("language" = String, Path, pattern = "^cy$", description = "`cy` (Welsh): English is the original; any other is refused naming `language`")),
    request_body = SwemwbsTranslation,
    responses(
        (status = 200, description = "Loaded (or the same words from the same source were already loaded); replaces an earlier translation into that language", body = LoadedTranslation),
        (status = 400, description = "The language or a text is not valid; `field` names it, and nothing is stored", body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[put("/settings/swemwbs-translations/{language}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_translation(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    language: web::Path<String>,
    body: ApiJson<SwemwbsTranslation>,
) -> Result<web::Json<LoadedTranslation>> {
    let language = language_of(&language)?;
    let body = body.into_inner()?;
    let txn = repo::translations::begin_change(&state.db, admin.organisation_id).await?;
    let swemwbs = repo::instruments::latest(&txn, SWEMWBS.as_str())
        .await?
        .ok_or_else(|| anyhow::anyhow!("SWEMWBS is missing; migrations not applied?"))?;
    let texts = serde_json::to_string(&SwemwbsTexts::from(&body)).map_err(anyhow::Error::from)?;
    let row = instrument_translation::Model {
        organisation_id: admin.organisation_id,
        instrument_key: SWEMWBS.as_str().to_owned(),
        instrument_version: swemwbs.version,
        language: language.as_str().to_owned(),
        texts,
        source: body.source.as_str().to_owned(),
        loaded_by: admin.id,
        loaded_at: Utc::now(),
    };
    let (stored, what) = match repo::translations::save(&txn, row).await? {
        Saved::Unchanged(m) => (m, None),
        Saved::Created(m) => (m, Some("loaded")),
        Saved::Replaced(m) => (m, Some("replaced")),
    };
    if let Some(what) = what {
        // Which language and version, never the words or who: the actor column says who.
        audit::log_change(
            &txn,
            &audit::staff_actor(&admin, &req),
            "update",
            "settings",
            admin.organisation_id,
            format!(
                "swemwbs_translation: {} v{} {what}",
                language.as_str(),
                swemwbs.version
            ),
        )
        .await?;
    }
    let shown = loaded(&txn, &stored).await?;
    txn.commit().await?;
    tracing::info!(
        language = language.as_str(),
        changed = what.is_some(),
        "SWEMWBS translation loaded"
    );
    Ok(web::Json(shown))
}

#[utoipa::path(
    tag = "settings",
    security(("bearer" = [])),
    params(("language" = String, Path, pattern = "^cy$", description = "`cy` (Welsh); any other is refused naming `language`")),
    responses(
        (status = 204, description = "No translation into that language is loaded now (whether or not one was); SWEMWBS is offered in English only again"),
        (status = 400, description = "Not a language a translation can be loaded for; `field` is `language`", body = ErrorBody),
        (status = 403, body = ErrorBody),
    )
)]
#[delete("/settings/swemwbs-translations/{language}")]
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn delete_translation(
    state: web::Data<AppState>,
    req: HttpRequest,
    AdminUser(admin): AdminUser,
    language: web::Path<String>,
) -> Result<HttpResponse> {
    let language = language_of(&language)?;
    let txn = repo::translations::begin_change(&state.db, admin.organisation_id).await?;
    let removed = repo::translations::remove(
        &txn,
        admin.organisation_id,
        SWEMWBS.as_str(),
        language.as_str(),
    )
    .await?;
    if removed > 0 {
        audit::log_change(
            &txn,
            &audit::staff_actor(&admin, &req),
            "update",
            "settings",
            admin.organisation_id,
            format!("swemwbs_translation: {} removed", language.as_str()),
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!(
        language = language.as_str(),
        removed,
        "SWEMWBS translation removed"
    );
    Ok(HttpResponse::NoContent().finish())
}
