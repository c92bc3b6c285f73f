use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "referral")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub participant_id: Uuid,
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
    pub programme: String,
    pub referred_on: Date,
    pub source: String,
    pub accepted: Option<bool>,
    pub decided_on: Option<Date>,
    pub not_accepted_reason: Option<String>,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
