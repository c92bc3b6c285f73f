use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "published_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub first: Date,
    pub last: Date,
    pub title: String,
    pub published_by: Uuid,
    pub published_at: DateTimeUtc,
    /// The frozen report as JSON (`domain::reports::ReportSnapshot`).
    pub snapshot: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
