use sea_orm::entity::prelude::*;

/// An official translation of an instrument (SWEMWBS) an organisation's admin loaded.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "instrument_translation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub instrument_key: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub instrument_version: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub language: String,
    /// The translated texts as JSON (`domain::translation::SwemwbsTexts`).
    pub texts: String,
    /// Which official translation, as the admin named it.
    pub source: String,
    /// The admin who loaded it.
    pub loaded_by: Uuid,
    pub loaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
