use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub episode_id: Uuid,
    pub started_on: Date,
    pub outcome: String,
    pub paid: bool,
    pub employer_id: Option<Uuid>,
    pub title: Option<String>,
    /// A UK SIC 2007 section letter.
    pub sector: Option<String>,
    /// Hundredths of an hour a week.
    pub hours_per_week: Option<i64>,
    /// Pence an hour.
    pub hourly_pay: Option<i64>,
    pub job_analysis: bool,
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
    pub created_by: Uuid,
    pub body_hash: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
