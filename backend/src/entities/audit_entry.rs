use sea_orm::entity::prelude::*;

/// One line of the audit trail. Written, never updated or deleted by the product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: Uuid,
    pub at: DateTimeUtc,
    /// `staff`, `participant` or `system`.
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    /// `read`, `list`, `create`, `update`, `withdraw`, `erase`, `export`, `refused`, ...
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub address: String,
    pub detail: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
