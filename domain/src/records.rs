//! Records created in the field (often offline): participants, consent, episodes, sessions,
//! invitations and responses. Each carries an id made on the device; sending the same record
//! twice stores it once, and the same id with a different body is refused.

use crate::completion::{Channel, Format, Respondent, Support};
use crate::kpi::Timing;
use crate::values::{Email, ParseError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A field-level problem found by a check that spans several fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

fn field_err(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

macro_rules! bounded_text {
    ($(#[$m:meta])* $name:ident, $min:tt, $max:tt, $what:literal) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(
            feature = "openapi",
            derive(utoipa::ToSchema),
            // The pattern is the parser's rule: not blank, no control characters except
            // line breaks and tabs.
            schema(
                value_type = String,
                min_length = $min,
                max_length = $max,
                pattern = r"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"
            )
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            pub fn parse(raw: &str) -> Result<Self, ParseError> {
                let s = raw.trim();
                let n = s.chars().count();
                if n < $min {
                    return Err(ParseError(format!("{} is empty", $what)));
                }
                if n > $max {
                    return Err(ParseError(format!("{} is longer than {} characters", $what, $max)));
                }
                if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
                    return Err(ParseError(format!("{} contains control characters", $what)));
                }
                Ok($name(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(v: String) -> Result<Self, Self::Error> {
                $name::parse(&v)
            }
        }

        impl From<$name> for String {
            fn from(v: $name) -> Self {
                v.0
            }
        }
    };
}

pub(crate) use bounded_text;

bounded_text!(
    /// A pseudonymous participant reference (reports show this, never a name).
    Reference, 1, 64, "reference"
);
bounded_text!(
    /// Free text: a comment, a session note.
    LongText, 1, 5000, "text"
);
bounded_text!(
    /// A short label: an activity, a consent text version.
    ShortText, 1, 200, "text"
);
bounded_text!(
    /// One key message of a quality report.
    KeyMessage, 1, 500, "key message"
);
bounded_text!(
    /// One language's text of the privacy notice ("who reads your answers").
    NoticeText, 1, 1000, "text"
);

crate::completion::wire_enum!(
    ParticipantKind { Jobseeker = "jobseeker", Employer = "employer" }
);
impl ParticipantKind {
    /// The satisfaction survey (and so the KPI) a participant of this kind answers:
    /// employers KPI C, jobseekers KPI D.
    pub fn audience(self) -> crate::instrument::Audience {
        match self {
            ParticipantKind::Jobseeker => crate::instrument::Audience::Jobseeker,
            ParticipantKind::Employer => crate::instrument::Audience::Employer,
        }
    }
}

crate::completion::wire_enum!(
    Language { English = "en", Welsh = "cy" }
);
crate::completion::wire_enum!(
    Programme { Seqf = "seqf", Ips = "ips" }
);
crate::completion::wire_enum!(
    /// Who gave consent (DESIGN.md §8).
    ConsentGivenBy { Person = "person", Advocate = "advocate", Attorney = "attorney", ParentOrGuardian = "parent_or_guardian" }
);
crate::completion::wire_enum!(
    ConsentMethod { Verbal = "verbal", Written = "written", Digital = "digital" }
);
crate::completion::wire_enum!(
    /// What a participant agreed to.
    ConsentScope { Surveys = "surveys", Email = "email", Feedback = "feedback" }
);
crate::completion::wire_enum!(
    /// SEQF stages of support.
    Stage { Engagement = "engagement", VocationalProfiling = "vocational_profiling", JobFinding = "job_finding", JobMatching = "job_matching", InWorkSupport = "in_work_support" }
);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    #[serde(default)]
    pub easy_read: bool,
    #[serde(default)]
    pub read_aloud: bool,
    #[serde(default)]
    pub large_text: bool,
    #[serde(default)]
    pub high_contrast: bool,
}

crate::completion::wire_enum!(
    Gender { Woman = "woman", Man = "man", NonBinary = "non_binary", Other = "other", PreferNotToSay = "prefer_not_to_say" }
);
crate::completion::wire_enum!(
    /// The ONS five ethnic groups.
    Ethnicity { Asian = "asian", Black = "black", Mixed = "mixed", White = "white", Other = "other", PreferNotToSay = "prefer_not_to_say" }
);
crate::completion::wire_enum!(
    /// Disability or primary need.
    PrimaryNeed { LearningDisability = "learning_disability", Autism = "autism", MentalHealth = "mental_health", Physical = "physical", Sensory = "sensory", LongTermCondition = "long_term_condition", Other = "other", None = "none", PreferNotToSay = "prefer_not_to_say" }
);
crate::completion::wire_enum!(
    LivingSituation { WithFamily = "with_family", Independently = "independently", SupportedLiving = "supported_living", ResidentialCare = "residential_care", Other = "other", PreferNotToSay = "prefer_not_to_say" }
);
crate::completion::wire_enum!(
    /// Urban or rural (the ONS classification of where the person lives).
    Area { Urban = "urban", Rural = "rural", PreferNotToSay = "prefer_not_to_say" }
);

/// Optional equality monitoring, for the breakdowns of DESIGN.md §4a. Every field optional;
/// "prefer not to say" is an answer, absent is "not recorded". The date of birth gives the age
/// band on the day a figure needs it and the minimum-wage rate at a job's start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Equality {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub born_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ethnicity: Option<Ethnicity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<PrimaryNeed>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub living_situation: Option<LivingSituation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Area>,
}

impl Equality {
    /// A date of birth is in the past and within 120 years.
    pub fn check(&self, today: NaiveDate) -> Result<(), FieldError> {
        if let Some(b) = self.born_on
            && (b > today || today.years_since(b).is_none_or(|y| y > 120))
        {
            return Err(field_err(
                "equality.born_on",
                "must be a date in the last 120 years",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewParticipant {
    pub id: Uuid,
    pub kind: ParticipantKind,
    pub reference: Reference,
    #[serde(default)]
    pub name: Option<ShortText>,
    #[serde(default)]
    pub email: Option<Email>,
    #[serde(default)]
    pub phone: Option<ShortText>,
    #[serde(default = "default_language")]
    pub language: Language,
    #[serde(default)]
    pub accessibility: Accessibility,
    #[serde(default)]
    pub equality: Equality,
}

fn default_language() -> Language {
    Language::English
}

/// A change to a participant's details: absent fields stay; `null` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateParticipant {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ShortText>))]
    pub name: Option<Option<ShortText>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Email>))]
    pub email: Option<Option<Email>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ShortText>))]
    pub phone: Option<Option<ShortText>>,
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub accessibility: Option<Accessibility>,
    #[serde(default)]
    pub equality: Option<Equality>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub id: Uuid,
    pub kind: ParticipantKind,
    pub reference: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub language: Language,
    pub accessibility: Accessibility,
    pub equality: Equality,
    pub withdrawn: bool,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewConsent {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub scopes: Vec<ConsentScope>,
    pub given_by: ConsentGivenBy,
    pub method: ConsentMethod,
    /// Which version of the consent wording was agreed to.
    pub text_version: ShortText,
    pub given_at: DateTime<Utc>,
}

impl NewConsent {
    pub fn check(&self, now: DateTime<Utc>) -> Result<(), FieldError> {
        if self.scopes.is_empty() {
            return Err(field_err("scopes", "say what was agreed to"));
        }
        if self.given_at > now + chrono::Duration::minutes(5) {
            return Err(field_err("given_at", "is in the future"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Consent {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub scopes: Vec<ConsentScope>,
    pub given_by: ConsentGivenBy,
    pub method: ConsentMethod,
    pub text_version: String,
    pub given_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub recorded_by: Uuid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewEpisode {
    pub id: Uuid,
    pub participant_id: Uuid,
    /// Defaults to the staff member creating it.
    #[serde(default)]
    pub specialist_id: Option<Uuid>,
    pub programme: Programme,
    #[serde(default)]
    pub referred_on: Option<NaiveDate>,
    pub started_on: NaiveDate,
    #[serde(default)]
    pub profile_started_on: Option<NaiveDate>,
    #[serde(default)]
    pub job_started_on: Option<NaiveDate>,
    #[serde(default)]
    pub ended_on: Option<NaiveDate>,
    /// The employer (a participant of kind `employer`) of the job placement.
    #[serde(default)]
    pub employer_id: Option<Uuid>,
    /// The referral this support started from (its date becomes `referred_on`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referral_id: Option<Uuid>,
    /// Hours a week in paid work before support started (0–80, two decimals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_before: Option<crate::Hundredths>,
    /// Why support ended; only with `ended_on`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<crate::journey::SupportEndReason>,
}

/// Dates of an episode, checked together.
pub fn check_episode_dates(
    referred_on: Option<NaiveDate>,
    started_on: NaiveDate,
    profile_started_on: Option<NaiveDate>,
    job_started_on: Option<NaiveDate>,
    ended_on: Option<NaiveDate>,
) -> Result<(), FieldError> {
    if referred_on.is_some_and(|r| r > started_on) {
        return Err(field_err("referred_on", "must not be after started_on"));
    }
    for (field, date) in [
        ("profile_started_on", profile_started_on),
        ("job_started_on", job_started_on),
        ("ended_on", ended_on),
    ] {
        if date.is_some_and(|d| d < started_on) {
            return Err(field_err(field, "must not be before started_on"));
        }
    }
    if let (Some(job), Some(end)) = (job_started_on, ended_on)
        && job > end
    {
        return Err(field_err("job_started_on", "must not be after ended_on"));
    }
    Ok(())
}

impl NewEpisode {
    /// Every date is of something that has happened (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::all_happened(
            &[
                ("referred_on", self.referred_on),
                ("started_on", Some(self.started_on)),
                ("profile_started_on", self.profile_started_on),
                ("job_started_on", self.job_started_on),
                ("ended_on", self.ended_on),
            ],
            today,
        )
    }

    pub fn check(&self) -> Result<(), FieldError> {
        check_episode_dates(
            self.referred_on,
            self.started_on,
            self.profile_started_on,
            self.job_started_on,
            self.ended_on,
        )?;
        check_episode_extras(self.hours_before, self.ended_on, self.end_reason)
    }
}

/// Hours before support are 0–80 a week; a reason for the end of support only comes with it.
pub fn check_episode_extras(
    hours_before: Option<crate::Hundredths>,
    ended_on: Option<NaiveDate>,
    end_reason: Option<crate::journey::SupportEndReason>,
) -> Result<(), FieldError> {
    if hours_before.is_some_and(|h| h.0 < 0 || h.0 > 8_000) {
        return Err(field_err("hours_before", "must be 0 to 80 hours a week"));
    }
    if ended_on.is_none() && end_reason.is_some() {
        return Err(field_err(
            "end_reason",
            "support that has not ended has no end reason",
        ));
    }
    Ok(())
}

/// A change to an episode: absent fields stay; `null` clears a date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateEpisode {
    #[serde(default)]
    pub specialist_id: Option<Uuid>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub profile_started_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub job_started_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub ended_on: Option<Option<NaiveDate>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Uuid>))]
    pub employer_id: Option<Option<Uuid>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<f64>))]
    pub hours_before: Option<Option<crate::Hundredths>>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::org::double_option"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<crate::journey::SupportEndReason>))]
    pub end_reason: Option<Option<crate::journey::SupportEndReason>>,
}

impl UpdateEpisode {
    /// Every date it sets is of something that has happened (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::all_happened(
            &[
                ("profile_started_on", self.profile_started_on.flatten()),
                ("job_started_on", self.job_started_on.flatten()),
                ("ended_on", self.ended_on.flatten()),
            ],
            today,
        )
    }
}

/// An episode change sent through `/api/sync` (`episode_update`): the episode and the change.
/// Applying the same change twice leaves the episode as once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EpisodeUpdateRecord {
    pub episode_id: Uuid,
    pub change: UpdateEpisode,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Episode {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
    pub programme: Programme,
    pub referred_on: Option<NaiveDate>,
    pub started_on: NaiveDate,
    pub profile_started_on: Option<NaiveDate>,
    pub job_started_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub employer_id: Option<Uuid>,
    #[serde(default)]
    pub referral_id: Option<Uuid>,
    #[serde(default)]
    pub hours_before: Option<crate::Hundredths>,
    #[serde(default)]
    pub end_reason: Option<crate::journey::SupportEndReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub held_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub duration_minutes: u16,
    pub stage: Stage,
    pub activity: ShortText,
    #[serde(default)]
    pub note: Option<LongText>,
}

impl NewSession {
    /// A session is recorded once it has been held (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::happened("held_on", self.held_on, today)
    }

    pub fn check(&self) -> Result<(), FieldError> {
        if self.duration_minutes == 0 || self.duration_minutes > 24 * 60 {
            return Err(field_err("duration_minutes", "must be 1 to 1440 minutes"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub id: Uuid,
    pub episode_id: Uuid,
    pub author_id: Uuid,
    pub held_on: NaiveDate,
    pub duration_minutes: u16,
    pub stage: Stage,
    pub activity: String,
    pub note: Option<String>,
    pub version: i32,
    /// When this version was saved (made, or last edited).
    pub updated_at: DateTime<Utc>,
}

/// An edit of a session, made on a device against the version it had (DESIGN §6). It replaces
/// the editable fields. Its `id` is made on the device, so a resend is recognised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SessionEdit {
    pub id: Uuid,
    /// The session's version the edit was made from.
    pub base_version: i32,
    pub held_on: NaiveDate,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub duration_minutes: u16,
    pub stage: Stage,
    pub activity: ShortText,
    #[serde(default)]
    pub note: Option<LongText>,
}

impl SessionEdit {
    /// A session is recorded once it has been held (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::happened("held_on", self.held_on, today)
    }

    pub fn check(&self) -> Result<(), FieldError> {
        if self.duration_minutes == 0 || self.duration_minutes > 24 * 60 {
            return Err(field_err("duration_minutes", "must be 1 to 1440 minutes"));
        }
        if self.base_version < 1 {
            return Err(field_err("base_version", "versions start at 1"));
        }
        Ok(())
    }
}

/// A stale edit, kept beside the session until someone resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionConflict {
    pub edit_id: Uuid,
    pub author_id: Uuid,
    pub base_version: i32,
    pub held_on: NaiveDate,
    pub duration_minutes: u16,
    pub stage: Stage,
    pub activity: String,
    pub note: Option<String>,
    pub made_at: DateTime<Utc>,
}

/// A session as it stands, with any edits that arrived too late to apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecord {
    pub session: Session,
    pub conflicts: Vec<SessionConflict>,
}

crate::completion::wire_enum!(
    /// Which version a person keeps when resolving a conflict.
    Keep { Current = "current", Theirs = "conflicting_edit" }
);

/// Resolving one conflict: keep the session as it is, or apply the conflicting edit to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveConflict {
    pub keep: Keep,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvitation {
    pub id: Uuid,
    pub participant_id: Uuid,
    #[serde(default)]
    pub episode_id: Option<Uuid>,
    /// `employer_satisfaction`, `jobseeker_satisfaction` or `swemwbs`.
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(employer_satisfaction|jobseeker_satisfaction|swemwbs)$")
    )]
    pub instrument: String,
    /// For SWEMWBS: start, review or end of support.
    #[serde(default)]
    pub timing: Option<Timing>,
    /// Days the invitation stays open (1–90, default 28).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 90))]
    pub expires_in_days: Option<u16>,
    /// Also email the link to the participant (needs an email address and consent to email).
    /// Left out of the record's fingerprint when false, so older bodies resend unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub send_email: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub episode_id: Option<Uuid>,
    pub instrument: String,
    pub instrument_version: i32,
    pub timing: Option<Timing>,
    /// Goes after `#` in the link, so it never reaches a server log.
    pub token: String,
    /// For typing on the start page: 8 letters and digits, no look-alikes.
    pub short_code: String,
    pub expires_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// How a response was completed (DESIGN.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Completion {
    pub respondent: Respondent,
    pub support: Support,
    pub channel: Channel,
    pub format: Format,
    pub language: Language,
}

impl Completion {
    /// What a person answering on their own phone can say about how they answered: they
    /// answered themselves, on their own device, with no help beyond a read-aloud button.
    /// Proxy answers, staff help, a staff device and paper come only with a staff login: they
    /// decide the KPI splits and which SWEMWBS forms are scored.
    pub fn check_own_device(&self) -> Result<(), FieldError> {
        if self.respondent != Respondent::SelfReport {
            return Err(field_err(
                "completion.respondent",
                "an answer sent with a survey link is the person's own (\"self\"); answers for someone else are recorded by staff",
            ));
        }
        if self.support == Support::StaffAssisted {
            return Err(field_err(
                "completion.support",
                "staff help is recorded by the member of staff who gave it",
            ));
        }
        if self.channel != Channel::OwnDevice {
            return Err(field_err(
                "completion.channel",
                "an answer sent with a survey link comes from the person's own device (\"own_device\"); staff devices and paper are recorded by staff",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewResponse {
    pub id: Uuid,
    /// The invitation answered. Staff may instead name the participant and instrument.
    #[serde(default)]
    pub invitation_id: Option<Uuid>,
    #[serde(default)]
    pub participant_id: Option<Uuid>,
    #[serde(default)]
    pub episode_id: Option<Uuid>,
    #[serde(default)]
    pub instrument: Option<String>,
    #[serde(default)]
    pub timing: Option<Timing>,
    /// One answer per item, in the instrument's order; `null` for a skipped item.
    pub answers: Vec<Option<u8>>,
    pub completion: Completion,
    /// When the person answered, by the device's clock.
    pub answered_at: DateTime<Utc>,
    #[serde(default)]
    pub comment: Option<LongText>,
    /// The person agreed that their typed comment may be quoted, without their name, in the
    /// service's quality reports (DESIGN §4a). Only with a comment; false when absent (and
    /// not written when false, so a record made before it existed hashes as it did).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub may_quote: bool,
}

impl NewResponse {
    /// An agreement to quotation needs the words it agrees to.
    pub fn check_quotation(&self) -> Result<(), FieldError> {
        if self.may_quote && self.comment.is_none() {
            return Err(field_err(
                "may_quote",
                "agreement to quotation needs a typed comment to quote",
            ));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResponseReceipt {
    pub id: Uuid,
    pub instrument: String,
    pub instrument_version: i32,
    pub answered_on: NaiveDate,
    pub complete: bool,
    /// SWEMWBS only: the raw (7–35) and metric score, when complete and self-reported.
    pub swemwbs_raw: Option<u8>,
    pub swemwbs_metric: Option<crate::Hundredths>,
    /// A later answer to an invitation already answered: kept, not counted.
    pub second_answer: bool,
}

/// A batch of offline records. Each is stored (or refused) on its own.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncBatch {
    pub records: Vec<SyncRecord>,
}

crate::completion::wire_enum!(
    /// What a record made on a device is: the single endpoint it would go to.
    RecordKind { Participant = "participant", Consent = "consent", Episode = "episode", Session = "session", Invitation = "invitation", Response = "response", Referral = "referral", Job = "job", JobEnd = "job_end", EpisodeUpdate = "episode_update" }
);

/// One record of a batch: its kind and its body, exactly as the single endpoint takes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncRecord {
    /// participant, consent, episode, session, invitation or response (`RecordKind`). Text,
    /// not the enum: an unknown kind refuses that record alone, not the batch.
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub body: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncOutcome {
    pub index: usize,
    pub id: Option<Uuid>,
    pub kind: String,
    /// The HTTP status the single endpoint would have answered.
    pub status: u16,
    /// The stored record (on success).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub record: Option<serde_json::Value>,
    pub error: Option<crate::ErrorBody>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResult {
    pub outcomes: Vec<SyncOutcome>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn response(extra: serde_json::Value) -> NewResponse {
        let mut v = serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000001",
            "invitation_id": "00000000-0000-0000-0000-000000000002",
            "answers": [4, 5],
            "completion": {"respondent": "self", "support": "none", "channel": "own_device",
                "format": "standard", "language": "en"},
            "answered_at": "2026-05-01T10:00:00Z",
        });
        for (k, val) in extra.as_object().unwrap() {
            v[k] = val.clone();
        }
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn agreeing_to_be_quoted_needs_a_comment_and_is_not_written_when_absent() {
        let quoted = response(serde_json::json!({"comment": "Kind staff", "may_quote": true}));
        assert_eq!(quoted.check_quotation(), Ok(()));
        let no_words = response(serde_json::json!({"may_quote": true}));
        assert_eq!(no_words.check_quotation().unwrap_err().field, "may_quote");
        // A record made before the agreement existed serialises (and so hashes) as it did.
        let older = response(serde_json::json!({"comment": "Kind staff"}));
        assert!(!older.may_quote);
        assert_eq!(older.check_quotation(), Ok(()));
        assert!(
            serde_json::to_value(&older)
                .unwrap()
                .get("may_quote")
                .is_none()
        );
        assert_eq!(serde_json::to_value(&quoted).unwrap()["may_quote"], true);
    }

    #[test]
    fn episode_dates_must_be_in_order() {
        let start = d("2026-01-10");
        assert!(
            check_episode_dates(
                Some(d("2026-01-01")),
                start,
                None,
                Some(d("2026-03-01")),
                Some(d("2026-06-01"))
            )
            .is_ok()
        );
        assert_eq!(
            check_episode_dates(Some(d("2026-01-11")), start, None, None, None)
                .unwrap_err()
                .field,
            "referred_on"
        );
        assert_eq!(
            check_episode_dates(None, start, None, None, Some(d("2026-01-09")))
                .unwrap_err()
                .field,
            "ended_on"
        );
        assert_eq!(
            check_episode_dates(
                None,
                start,
                None,
                Some(d("2026-05-01")),
                Some(d("2026-04-01"))
            )
            .unwrap_err()
            .field,
            "job_started_on"
        );
    }

    #[test]
    fn a_change_sent_from_rust_leaves_absent_fields_alone_and_clears_only_nulls() {
        // A client that builds the change in Rust (the staff app) sends what it means: a field
        // it did not set is left out, not sent as `null` (which would clear it).
        let change = UpdateEpisode {
            ended_on: Some(Some(d("2026-03-01"))),
            employer_id: Some(None),
            ..UpdateEpisode::default()
        };
        let json = serde_json::to_value(&change).unwrap();
        for absent in [
            "profile_started_on",
            "job_started_on",
            "hours_before",
            "end_reason",
        ] {
            assert!(json.get(absent).is_none(), "{absent} sent in {json}");
        }
        assert_eq!(json["ended_on"], "2026-03-01");
        assert!(json["employer_id"].is_null());
        let back: UpdateEpisode = serde_json::from_value(json).unwrap();
        assert_eq!(back, change);
        let back: UpdateParticipant =
            serde_json::from_str(&serde_json::to_string(&UpdateParticipant::default()).unwrap())
                .unwrap();
        assert_eq!(back, UpdateParticipant::default());
    }

    #[test]
    fn a_reference_is_trimmed_and_bounded() {
        assert_eq!(Reference::parse("  JS-0042 ").unwrap().as_str(), "JS-0042");
        assert!(Reference::parse("").is_err());
        assert!(Reference::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn a_participant_needs_no_personal_details() {
        let p: NewParticipant = serde_json::from_str(
            r#"{"id":"6f1c1f36-6d1e-4c43-9d5e-0b5f8f3f9a11","kind":"jobseeker","reference":"JS-1"}"#,
        )
        .unwrap();
        assert_eq!(p.language, Language::English);
        assert_eq!(p.name, None);
    }
}

/// Opening an invitation: the token from the link (after `#`) or the short code typed in.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExchangeRequest {
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub short_code: Option<String>,
}

impl std::fmt::Debug for ExchangeRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExchangeRequest(<redacted>)")
    }
}

/// What a participant's phone needs to show the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    pub invitation_id: Uuid,
    pub organisation_name: String,
    pub instrument: crate::instrument::InstrumentDefinition,
    pub timing: Option<Timing>,
    pub language: Language,
    pub accessibility: Accessibility,
    pub expires_at: DateTime<Utc>,
    /// True once this device has sent its answer.
    pub answered: bool,
    /// True once anyone has answered this invitation, from any device: a link opened again
    /// after it was used says so rather than asking again.
    #[serde(default)]
    pub invitation_answered: bool,
    /// Who will read the answers, in plain words, by language (DESIGN.md §8).
    pub readers: crate::instrument::Texts,
    /// Where to get help if something is wrong (DESIGN.md §7).
    #[serde(default)]
    pub help: crate::feedback::SurveyHelp,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExchangeResponse {
    /// Bearer token for the survey endpoints; opens this invitation only.
    pub access_token: String,
    pub survey: Survey,
}

/// An admin's record of the organisation's SWEMWBS licence from Warwick Medical School.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SwemwbsLicence {
    pub held: bool,
    /// The licence reference or a note of where it is kept.
    #[serde(default)]
    pub reference: Option<ShortText>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationSettings {
    pub swemwbs_licence_held: bool,
    pub swemwbs_licence_reference: Option<String>,
    pub swemwbs_licence_recorded_at: Option<DateTime<Utc>>,
    /// Smallest number of responses behind a figure shown to participants.
    pub small_number: u64,
    /// Meaningful SWEMWBS change, in metric points.
    pub change_threshold: crate::Hundredths,
    /// The IANA time zone whose calendar dates the figures count by (`answered_on`, "today").
    pub time_zone: String,
    /// Days after a person's last episode ends before their personal data is erased (30 to
    /// 3650); `null` keeps it until erased by hand (`PUT /api/settings/privacy`).
    #[serde(default)]
    pub retention_days: Option<u32>,
    /// The "who reads your answers" text in force, by language (`en`, and `cy` if written):
    /// the organisation's own, else the default every survey shows until an admin writes one.
    #[serde(default = "crate::privacy::default_readers")]
    pub readers: crate::instrument::Texts,
}

/// What participants and employers see of the service's results: a closed period only, and no
/// figure built on fewer answers than the organisation's small-number threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicResults {
    pub organisation_name: String,
    pub period: crate::period::Period,
    /// Mean satisfaction (1 to 5) of people like the reader: employers see KPI C, jobseekers KPI D.
    pub satisfaction: crate::kpi::PublicFigure,
}

/// The organisation's time zone, set by an admin: an IANA name such as `Europe/London`.
/// New answers are dated in it; nothing already stored or published is re-dated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TimeZoneSetting {
    /// An IANA time zone name (the tz database), e.g. `Europe/London`, `America/New_York`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, example = "Europe/London")
    )]
    pub time_zone: String,
}

/// The figures' thresholds, set by an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Fewest answers behind a figure shown to participants (2 to 50).
    #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 50))]
    pub small_number: u64,
    /// Meaningful SWEMWBS change in metric points: 1.00 to 5.00, at most two decimal places.
    #[cfg_attr(feature = "openapi", schema(value_type = f64, minimum = 1.0, maximum = 5.0))]
    pub change_threshold: crate::Hundredths,
}
