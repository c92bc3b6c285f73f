use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "response")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub invitation_id: Option<Uuid>,
    pub participant_id: Uuid,
    pub episode_id: Option<Uuid>,
    pub instrument_key: String,
    pub instrument_version: i32,
    pub timing: Option<String>,
    pub answers: String,
    pub overall: Option<i16>,
    pub swemwbs_raw: Option<i16>,
    pub swemwbs_metric: Option<i32>,
    pub complete: bool,
    pub respondent: String,
    pub support: String,
    pub channel: String,
    pub format: String,
    pub language: String,
    pub answered_at: DateTimeUtc,
    pub answered_on: Date,
    pub received_at: DateTimeUtc,
    pub author_id: Option<Uuid>,
    /// The participant's answering session (one per device that opened the invitation).
    pub participant_session_id: Option<Uuid>,
    pub specialist_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
    pub programme: Option<String>,
    pub comment: Option<String>,
    /// The author agreed that the typed comment may be quoted in a quality report.
    pub may_quote: bool,
    pub body_hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl ActiveModel {
    /// The scores of the answers, as their instrument scored them
    /// (`InstrumentDefinition::check`): one way to fill these columns, whoever stores the row.
    pub fn set_scores(&mut self, scored: &domain::instrument::Scored) {
        self.overall = sea_orm::Set(scored.overall.map(i16::from));
        self.swemwbs_raw = sea_orm::Set(scored.swemwbs_raw().map(i16::from));
        self.swemwbs_metric = sea_orm::Set(
            scored
                .swemwbs_metric()
                .and_then(|m| i32::try_from(m.0).ok()),
        );
        self.complete = sea_orm::Set(scored.complete);
    }
}
