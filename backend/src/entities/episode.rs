use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "episode")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub participant_id: Uuid,
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
    pub programme: String,
    pub referred_on: Option<Date>,
    pub started_on: Date,
    pub profile_started_on: Option<Date>,
    pub job_started_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub employer_id: Option<Uuid>,
    /// The referral this support started from.
    pub referral_id: Option<Uuid>,
    /// Hundredths of an hour a week in paid work before support.
    pub hours_before: Option<i64>,
    pub end_reason: Option<String>,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
