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
    /// JSON `OutcomeSettings`: scoring bands, targets, contract values, minimum-wage table.
    pub outcomes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

impl Model {
    /// The outcome settings, as stored; unset (or no longer readable) is the defaults: seed
    /// 000's bands, no targets or contract values, the UK minimum-wage table.
    pub fn outcomes(&self) -> domain::outcomes::OutcomeSettings {
        self.outcomes
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    /// Below this many answers a figure is a small sample (DESIGN.md §4).
    pub fn small_number(&self) -> u64 {
        u64::try_from(self.small_number).unwrap_or(domain::kpi::DEFAULT_SMALL_NUMBER)
    }

    /// The SWEMWBS change, in metric points, that counts as meaningful.
    pub fn change_threshold(&self) -> domain::Hundredths {
        domain::Hundredths(i64::from(self.change_threshold))
    }

    /// The "who reads your answers" text: the organisation's own, else the default. A stored
    /// value that no longer parses counts as unset rather than failing a survey.
    pub fn readers(&self) -> domain::instrument::Texts {
        self.readers_text
            .as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_else(domain::privacy::default_readers)
    }

    /// Where to get help after a survey, as stored; a stored value that no longer parses is
    /// left out (the survey then shows its default sentence) rather than failing the survey.
    pub fn help(&self) -> domain::feedback::SurveyHelp {
        domain::feedback::SurveyHelp {
            text: self
                .help_text
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok()),
            phone: self
                .help_phone
                .as_deref()
                .and_then(|p| domain::PhoneNumber::parse(p).ok()),
        }
    }
}
