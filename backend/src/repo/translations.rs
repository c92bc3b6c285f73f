//! Official instrument translations an organisation's admin loaded (SWEMWBS): read to build the
//! definitions the organisation's surveys and staff see, written from the settings screen.

use crate::entities::instrument_translation;
use domain::{records::Language, translation::SwemwbsTexts};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

/// A stored translation's language and texts, read back.
pub fn texts_of(m: &instrument_translation::Model) -> Result<(Language, SwemwbsTexts), DbErr> {
    let bad = |e: String| {
        DbErr::Custom(format!(
            "translation {} v{} {} is not valid: {e}",
            m.instrument_key, m.instrument_version, m.language
        ))
    };
    let language = Language::parse(&m.language).map_err(|e| bad(e.0))?;
    let texts = serde_json::from_str(&m.texts).map_err(|e| bad(e.to_string()))?;
    Ok((language, texts))
}

/// The organisation's translations of one instrument version.
#[tracing::instrument(skip_all, fields(%org, %key, version), err(level = "debug"))]
pub async fn of_version(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: &str,
    version: i32,
) -> Result<Vec<instrument_translation::Model>, DbErr> {
    instrument_translation::Entity::find()
        .filter(instrument_translation::Column::OrganisationId.eq(org))
        .filter(instrument_translation::Column::InstrumentKey.eq(key))
        .filter(instrument_translation::Column::InstrumentVersion.eq(version))
        .order_by_asc(instrument_translation::Column::Language)
        .all(db)
        .await
}

/// Every translation the organisation has loaded, of one instrument.
#[tracing::instrument(skip_all, fields(%org, %key), err(level = "debug"))]
pub async fn of_instrument(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: &str,
) -> Result<Vec<instrument_translation::Model>, DbErr> {
    instrument_translation::Entity::find()
        .filter(instrument_translation::Column::OrganisationId.eq(org))
        .filter(instrument_translation::Column::InstrumentKey.eq(key))
        .order_by_asc(instrument_translation::Column::Language)
        .order_by_desc(instrument_translation::Column::InstrumentVersion)
        .all(db)
        .await
}

/// A transaction for changing the organisation's translations, taken one at a time
/// (`orgs::lock_changes`): a change reads what is stored before writing, so two at once (a
/// double click, two admins) must not both read "nothing yet".
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn begin_change(
    db: &DatabaseConnection,
    org: Uuid,
) -> Result<DatabaseTransaction, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    super::orgs::lock_changes(&txn, org).await?;
    Ok(txn)
}

/// Whether storing `row` changed anything: loading the same words from the same source again
/// is a no-op (the first loading's time and admin stay).
pub enum Saved {
    Unchanged(instrument_translation::Model),
    Created(instrument_translation::Model),
    Replaced(instrument_translation::Model),
}

/// Stores `row`, replacing the organisation's earlier translation of the same instrument
/// version into the same language.
#[tracing::instrument(skip_all, fields(org = %row.organisation_id, language = %row.language), err(level = "debug"))]
pub async fn save(
    db: &impl ConnectionTrait,
    row: instrument_translation::Model,
) -> Result<Saved, DbErr> {
    let existing = instrument_translation::Entity::find_by_id((
        row.organisation_id,
        row.instrument_key.clone(),
        row.instrument_version,
        row.language.clone(),
    ))
    .one(db)
    .await?;
    Ok(match existing {
        Some(old) if old.texts == row.texts && old.source == row.source => Saved::Unchanged(old),
        Some(_) => Saved::Replaced(
            instrument_translation::ActiveModel::from(row)
                .reset_all()
                .update(db)
                .await?,
        ),
        None => Saved::Created(
            instrument_translation::ActiveModel::from(row)
                .reset_all()
                .insert(db)
                .await?,
        ),
    })
}

/// Removes the organisation's translations of the instrument into `language` (every version);
/// how many there were.
#[tracing::instrument(skip_all, fields(%org, %key, %language), err(level = "debug"))]
pub async fn remove(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: &str,
    language: &str,
) -> Result<u64, DbErr> {
    Ok(instrument_translation::Entity::delete_many()
        .filter(instrument_translation::Column::OrganisationId.eq(org))
        .filter(instrument_translation::Column::InstrumentKey.eq(key))
        .filter(instrument_translation::Column::Language.eq(language))
        .exec(db)
        .await?
        .rows_affected)
}
