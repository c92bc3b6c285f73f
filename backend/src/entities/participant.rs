use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub kind: String,
    pub reference: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: String,
    pub accessibility: String,
    pub equality: String,
    pub withdrawn_at: Option<DateTimeUtc>,
    pub erased_at: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
