use sea_orm::entity::prelude::*;

/// A wellbeing decline that a member of staff has talked through with the person.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "wellbeing_prompt_done")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub end_response_id: Uuid,
    pub organisation_id: Uuid,
    pub done_by: Uuid,
    pub done_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
