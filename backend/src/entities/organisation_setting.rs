use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_setting")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: Uuid,
    pub swemwbs_licence_held: bool,
    pub swemwbs_licence_reference: Option<String>,
    pub swemwbs_licence_recorded_at: Option<DateTimeUtc>,
    pub swemwbs_licence_recorded_by: Option<Uuid>,
    pub small_number: i32,
    pub change_threshold: i32,
    /// Days after an episode ends before personal data is erased; none = keep.
    pub retention_days: Option<i32>,
    /// JSON texts by language: who reads the answers, shown before a survey.
    pub readers_text: Option<String>,
    /// JSON `BilingualText`: where to get help, shown after every survey.
    pub help_text: Option<String>,
    /// A phone number for help, as the admin wrote it.
    pub help_phone: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
