use sea_orm::entity::prelude::*;

/// A participant who used an unsubscribe link: no email of any kind from then on, to them or
/// to any record of the organisation with the same (normalised) address.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mail_optout")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: Uuid,
    pub organisation_id: Uuid,
    pub at: DateTimeUtc,
    /// The address that unsubscribed, trimmed and lower case (`domain::values::normalised_address`).
    pub address: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
