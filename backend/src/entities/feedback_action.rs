use sea_orm::entity::prelude::*;

/// A "you said, we did" action. Texts are JSON (`domain::feedback::Texts`-shaped).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub audience: String,
    pub period_first: Option<Date>,
    pub period_last: Option<Date>,
    /// JSON array of the response ids that prompted the action.
    pub response_ids: String,
    pub you_said: String,
    pub we_did: String,
    pub easy_read: Option<String>,
    pub done_on: Date,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub published_by: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
