//! Closing the loop (DESIGN.md §7): "you said, we did" actions, what a participant sees through a
//! results link (the service's figures, published actions, their own wellbeing change), the
//! email queue as managers see it, and unsubscribing.

use crate::Hundredths;
use crate::instrument::Audience;
use crate::kpi::ChangeBand;
use crate::period::Period;
use crate::records::{Accessibility, FieldError, Language, LongText};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

crate::completion::wire_enum!(
    /// Who an action is published to.
    ActionAudience { Jobseekers = "jobseekers", Employers = "employers", Both = "both" }
);

impl ActionAudience {
    /// Whether a reader of this audience sees an action published to `self`.
    pub fn includes(self, reader: Audience) -> bool {
        matches!(
            (self, reader),
            (ActionAudience::Both, _)
                | (ActionAudience::Jobseekers, Audience::Jobseeker)
                | (ActionAudience::Employers, Audience::Employer)
        )
    }
}

/// The most responses one action can name.
pub const MAX_ACTION_RESPONSES: usize = 200;

/// Text in English, and in Welsh where the service has written it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BilingualText {
    pub en: LongText,
    #[serde(default)]
    pub cy: Option<LongText>,
}

impl BilingualText {
    /// The text in `language`, falling back to English when there is no Welsh.
    pub fn in_language(&self, language: Language) -> &str {
        match (language, &self.cy) {
            (Language::Welsh, Some(cy)) => cy.as_str(),
            _ => self.en.as_str(),
        }
    }
}

/// Where to get help straight after a survey (DESIGN §7), set by an admin: the organisation's
/// own words and a phone number. Without them the survey says to talk to the employment
/// specialist.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyHelp {
    #[serde(default)]
    pub text: Option<BilingualText>,
    #[serde(default)]
    pub phone: Option<crate::PhoneNumber>,
}

/// What a survey shows besides its questions, for surveys handed over on a staff phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyTexts {
    /// Who reads the answers, by language (DESIGN §8).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub readers: crate::instrument::Texts,
    pub help: SurveyHelp,
}

/// The Easy Read version of an action: short sentences, one idea each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EasyReadAction {
    pub you_said: BilingualText,
    pub we_did: BilingualText,
}

/// A manager's "you said, we did" action, as written (a draft until published).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewAction {
    pub audience: ActionAudience,
    /// The period whose ratings prompted the action.
    #[serde(default)]
    pub period: Option<Period>,
    /// Responses (comments, ratings) of the organisation that prompted it; at most 200.
    #[serde(default)]
    pub response_ids: Vec<Uuid>,
    /// What people said.
    pub you_said: BilingualText,
    /// What the service did about it.
    pub we_did: BilingualText,
    /// Needed before the action can be published.
    #[serde(default)]
    pub easy_read: Option<EasyReadAction>,
    /// When the service did it.
    pub done_on: NaiveDate,
}

impl NewAction {
    /// When the service did it: from 1900 to a year ahead (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        crate::dates::within_a_year("done_on", self.done_on, today)
    }

    pub fn check(&self) -> Result<(), FieldError> {
        check_responses(&self.response_ids)
    }
}

fn check_responses(ids: &[Uuid]) -> Result<(), FieldError> {
    if ids.len() > MAX_ACTION_RESPONSES {
        return Err(FieldError {
            field: "response_ids",
            message: format!("name at most {MAX_ACTION_RESPONSES} responses"),
        });
    }
    Ok(())
}

/// A change to an action: every field optional; those given replace what is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateAction {
    #[serde(default)]
    pub audience: Option<ActionAudience>,
    #[serde(default)]
    pub period: Option<Period>,
    #[serde(default)]
    pub response_ids: Option<Vec<Uuid>>,
    #[serde(default)]
    pub you_said: Option<BilingualText>,
    #[serde(default)]
    pub we_did: Option<BilingualText>,
    #[serde(default)]
    pub easy_read: Option<EasyReadAction>,
    #[serde(default)]
    pub done_on: Option<NaiveDate>,
}

impl UpdateAction {
    /// When the service did it: from 1900 to a year ahead (`crate::dates`).
    pub fn check_dates(&self, today: NaiveDate) -> Result<(), FieldError> {
        self.done_on
            .map(|d| crate::dates::within_a_year("done_on", d, today))
            .unwrap_or(Ok(()))
    }

    pub fn check(&self) -> Result<(), FieldError> {
        self.response_ids
            .as_deref()
            .map(check_responses)
            .unwrap_or(Ok(()))
    }
}

/// An action as managers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Action {
    pub id: Uuid,
    pub audience: ActionAudience,
    pub period: Option<Period>,
    pub response_ids: Vec<Uuid>,
    pub you_said: BilingualText,
    pub we_did: BilingualText,
    pub easy_read: Option<EasyReadAction>,
    pub done_on: NaiveDate,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// None while a draft.
    pub published_at: Option<DateTime<Utc>>,
}

/// What publishing did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishOutcome {
    pub action: Action,
    /// Results digests queued by this call (0 when it was already published).
    pub emails_queued: u64,
}

/// A published action as participants and employers see it: no response ids, only how many
/// answers prompted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicAction {
    pub id: Uuid,
    pub audience: ActionAudience,
    pub period: Option<Period>,
    pub you_said: BilingualText,
    pub we_did: BilingualText,
    pub easy_read: Option<EasyReadAction>,
    pub done_on: NaiveDate,
    pub published_at: DateTime<Utc>,
    pub prompted_by_responses: u64,
}

/// Opening a results link: the token from after `#r=` in the link.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenResults {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = r"\S"))]
    pub token: String,
}

impl std::fmt::Debug for OpenResults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenResults(<redacted>)")
    }
}

/// A results session: a bearer token for `/api/results/*` only, and what the page needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsSession {
    pub access_token: String,
    pub expires_at: DateTime<Utc>,
    pub organisation_name: String,
    /// Employers see KPI C and employer actions; jobseekers KPI D and theirs.
    pub audience: Audience,
    pub language: Language,
    pub accessibility: Accessibility,
}

/// A new results link made by staff (to show as a QR code or send by hand).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultsLink {
    /// Goes after `#r=` in the link; shown once, stored only as a hash.
    pub token: String,
    /// The whole link: `{public url}/#r=<token>`.
    pub link: String,
    pub expires_at: DateTime<Utc>,
}

/// A participant's own wellbeing change over one support episode: their earliest scored
/// self-completed start form and latest scored end form (the rules of DESIGN.md §4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnWellbeing {
    pub episode_id: Uuid,
    /// SWEMWBS metric scores (7.00 to 35.00).
    pub start: Hundredths,
    pub start_answered_on: NaiveDate,
    pub end: Hundredths,
    pub end_answered_on: NaiveDate,
    /// end − start.
    pub change: Hundredths,
    /// Judged against the organisation's meaningful-change threshold. A decline is shown only
    /// here, never emailed, with where to get support; the specialist is prompted.
    pub band: ChangeBand,
    pub threshold: Hundredths,
}

/// A wellbeing decline for staff to talk through in person (DESIGN.md §7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WellbeingPrompt {
    /// The end form's response id: mark the prompt done with it.
    pub id: Uuid,
    pub episode_id: Uuid,
    pub participant_id: Uuid,
    pub participant_reference: String,
    pub specialist_id: Uuid,
    pub start: Hundredths,
    pub end: Hundredths,
    pub change: Hundredths,
    pub end_answered_on: NaiveDate,
}

crate::completion::wire_enum!(
    /// What an email is for.
    MailKind { Invitation = "invitation", Reminder = "reminder", Digest = "digest" }
);

crate::completion::wire_enum!(
    /// Where an email is: `local_outbox` means no SMTP server is configured and it was kept here
    /// instead of sent; `cancelled` means the person withdrew, unsubscribed or no longer needed it.
    MailStatus { Queued = "queued", Sending = "sending", Sent = "sent", Failed = "failed", Cancelled = "cancelled", LocalOutbox = "local_outbox" }
);

/// One email in the queue, as managers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MailItem {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub kind: MailKind,
    pub language: Language,
    pub to: String,
    pub subject: String,
    /// Stable across retries, so a re-sent email can be recognised.
    pub message_id: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The bodies, for emails kept in the local outbox only.
    pub text_body: Option<String>,
    pub html_body: Option<String>,
}

/// Unsubscribing: the token from after `#u=` in an email's link. No login needed.
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Unsubscribe {
    pub token: String,
}

impl std::fmt::Debug for Unsubscribe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unsubscribe(<redacted>)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Unsubscribed {
    pub unsubscribed: bool,
    /// The person's language, so the page can confirm in it.
    pub language: Language,
}

/// Email settings of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// Days after an invitation email before its one reminder (1 to 30; default 5).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 30))]
    pub reminder_after_days: u16,
    /// Days a results link works (1 to 365; default 90).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 365))]
    pub results_link_days: u16,
}

pub const DEFAULT_REMINDER_AFTER_DAYS: u16 = 5;
pub const DEFAULT_RESULTS_LINK_DAYS: u16 = 90;

impl MailSettings {
    pub fn check(&self) -> Result<(), FieldError> {
        if !(1..=30).contains(&self.reminder_after_days) {
            return Err(FieldError {
                field: "reminder_after_days",
                message: "must be 1 to 30".into(),
            });
        }
        if !(1..=365).contains(&self.results_link_days) {
            return Err(FieldError {
                field: "results_link_days",
                message: "must be 1 to 365".into(),
            });
        }
        Ok(())
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            reminder_after_days: DEFAULT_REMINDER_AFTER_DAYS,
            results_link_days: DEFAULT_RESULTS_LINK_DAYS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_for_both_reaches_every_reader_and_others_only_theirs() {
        assert!(ActionAudience::Both.includes(Audience::Employer));
        assert!(ActionAudience::Both.includes(Audience::Jobseeker));
        assert!(ActionAudience::Jobseekers.includes(Audience::Jobseeker));
        assert!(!ActionAudience::Jobseekers.includes(Audience::Employer));
        assert!(!ActionAudience::Employers.includes(Audience::Jobseeker));
    }

    #[test]
    fn welsh_falls_back_to_english_when_not_written() {
        let t: BilingualText = serde_json::from_str(r#"{"en":"Hello"}"#).unwrap();
        assert_eq!(t.in_language(Language::Welsh), "Hello");
        let t: BilingualText = serde_json::from_str(r#"{"en":"Hello","cy":"Helo"}"#).unwrap();
        assert_eq!(t.in_language(Language::Welsh), "Helo");
    }

    #[test]
    fn mail_settings_outside_their_ranges_name_the_field() {
        let bad = MailSettings {
            reminder_after_days: 0,
            results_link_days: 90,
        };
        assert_eq!(bad.check().unwrap_err().field, "reminder_after_days");
        let bad = MailSettings {
            reminder_after_days: 5,
            results_link_days: 400,
        };
        assert_eq!(bad.check().unwrap_err().field, "results_link_days");
        assert!(MailSettings::default().check().is_ok());
    }
}
