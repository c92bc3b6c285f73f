use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "consent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub participant_id: Uuid,
    pub scopes: String,
    pub given_by: String,
    pub method: String,
    pub text_version: String,
    pub given_at: DateTimeUtc,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub recorded_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
