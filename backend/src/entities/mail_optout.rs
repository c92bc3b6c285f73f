use sea_orm::entity::prelude::*;

/// A participant who used an unsubscribe link: no email of any kind from then on.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_optout")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: Uuid,
    pub organisation_id: Uuid,
    pub at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
