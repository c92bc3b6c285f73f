use sea_orm::entity::prelude::*;

/// One entry of an episode's holder history: from `effective_at` on, `specialist_id` (of
/// `team_id`) held the episode, until the next entry.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "episode_holder")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub episode_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub effective_at: DateTimeUtc,
    pub organisation_id: Uuid,
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
