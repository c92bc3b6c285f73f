use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub participant_id: Uuid,
    pub episode_id: Option<Uuid>,
    pub instrument_key: String,
    pub instrument_version: i32,
    pub timing: Option<String>,
    pub token_hash: String,
    pub short_code: String,
    pub expires_at: DateTimeUtc,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
