use sea_orm::entity::prelude::*;

/// An organisation shares its published reports with a commissioner (a `staff` row with the
/// role `commissioner`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commissioner_share")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub commissioner_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    /// The admin who shared.
    pub shared_by: Uuid,
    pub shared_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
