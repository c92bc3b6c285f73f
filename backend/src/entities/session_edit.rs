use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "session_edit")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub session_id: Uuid,
    pub author_id: Uuid,
    pub base_version: i32,
    pub held_on: Date,
    pub duration_minutes: i32,
    pub stage: String,
    pub activity: String,
    pub note: String,
    /// `applied`, `conflict` or `resolved`.
    pub outcome: String,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
