//! Instrument definitions and each organisation's settings that govern them.

use crate::entities::{instrument, organisation_setting};
use domain::instrument::{InstrumentDefinition, InstrumentKind};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

fn parse(m: instrument::Model) -> Result<InstrumentDefinition, DbErr> {
    serde_json::from_str(&m.definition).map_err(|e| {
        DbErr::Custom(format!(
            "instrument {} v{} is not valid: {e}",
            m.key, m.version
        ))
    })
}

/// The newest version of an instrument.
#[tracing::instrument(skip_all, fields(%key), err(level = "debug"))]
pub async fn latest(
    db: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<InstrumentDefinition>, DbErr> {
    instrument::Entity::find()
        .filter(instrument::Column::Key.eq(key))
        .order_by_desc(instrument::Column::Version)
        .one(db)
        .await?
        .map(parse)
        .transpose()
}

#[tracing::instrument(skip_all, fields(%key, version), err(level = "debug"))]
pub async fn version(
    db: &impl ConnectionTrait,
    key: &str,
    version: i32,
) -> Result<Option<InstrumentDefinition>, DbErr> {
    instrument::Entity::find_by_id((key.to_owned(), version))
        .one(db)
        .await?
        .map(parse)
        .transpose()
}

/// The newest version of every instrument.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn all_latest(db: &impl ConnectionTrait) -> Result<Vec<InstrumentDefinition>, DbErr> {
    let rows = instrument::Entity::find()
        .order_by_asc(instrument::Column::Key)
        .order_by_desc(instrument::Column::Version)
        .all(db)
        .await?;
    let mut out: Vec<InstrumentDefinition> = Vec::new();
    for row in rows {
        if out.last().is_some_and(|d| d.key.as_str() == row.key) {
            continue;
        }
        out.push(parse(row)?);
    }
    Ok(out)
}

/// `def` as organisation `org` sees it: with the official translations its admin loaded
/// (SWEMWBS only; DESIGN §3). Every definition given to an organisation's surveys, staff or
/// response checks comes through here, so "which languages is it offered in" has one answer.
async fn as_seen_by(
    db: &impl ConnectionTrait,
    org: Uuid,
    def: InstrumentDefinition,
) -> Result<InstrumentDefinition, DbErr> {
    if def.kind != InstrumentKind::Swemwbs {
        return Ok(def);
    }
    let rows = super::translations::of_version(db, org, def.key.as_str(), def.version).await?;
    let mut def = def;
    for row in &rows {
        let (language, texts) = super::translations::texts_of(row)?;
        def = def.with_translation(language, &texts);
    }
    Ok(def)
}

/// The newest version of an instrument, as organisation `org` sees it.
#[tracing::instrument(skip_all, fields(%org, %key), err(level = "debug"))]
pub async fn latest_for(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: &str,
) -> Result<Option<InstrumentDefinition>, DbErr> {
    match latest(db, key).await? {
        Some(def) => Ok(Some(as_seen_by(db, org, def).await?)),
        None => Ok(None),
    }
}

/// One version of an instrument, as organisation `org` sees it.
#[tracing::instrument(skip_all, fields(%org, %key, version), err(level = "debug"))]
pub async fn version_for(
    db: &impl ConnectionTrait,
    org: Uuid,
    key: &str,
    version: i32,
) -> Result<Option<InstrumentDefinition>, DbErr> {
    match self::version(db, key, version).await? {
        Some(def) => Ok(Some(as_seen_by(db, org, def).await?)),
        None => Ok(None),
    }
}

/// The newest version of every instrument, as organisation `org` sees them.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn all_latest_for(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<InstrumentDefinition>, DbErr> {
    let mut out = Vec::new();
    for def in all_latest(db).await? {
        out.push(as_seen_by(db, org, def).await?);
    }
    Ok(out)
}

/// The organisation's settings; defaults when none have been saved.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn settings(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<organisation_setting::Model, DbErr> {
    Ok(organisation_setting::Entity::find_by_id(org)
        .one(db)
        .await?
        .unwrap_or(organisation_setting::Model {
            organisation_id: org,
            swemwbs_licence_held: false,
            swemwbs_licence_reference: None,
            swemwbs_licence_recorded_at: None,
            swemwbs_licence_recorded_by: None,
            small_number: domain::kpi::DEFAULT_SMALL_NUMBER as i32,
            change_threshold: domain::kpi::DEFAULT_CHANGE_THRESHOLD.0 as i32,
            retention_days: None,
            readers_text: None,
            help_text: None,
            help_phone: None,
            outcomes: None,
        }))
}

#[tracing::instrument(skip_all, fields(org = %s.organisation_id), err(level = "debug"))]
pub async fn save_settings(
    db: &impl ConnectionTrait,
    s: organisation_setting::Model,
) -> Result<organisation_setting::Model, DbErr> {
    let exists = organisation_setting::Entity::find_by_id(s.organisation_id)
        .one(db)
        .await?
        .is_some();
    // Every column is written either way: the caller passes the whole row.
    let am = organisation_setting::ActiveModel::from(s).reset_all();
    if exists {
        am.update(db).await
    } else {
        am.insert(db).await
    }
}
