//! Types for the privacy, safeguarding and audit features (DESIGN.md §4, §8).

use crate::coverage::Coverage;
use crate::kpi::{SatisfactionKpi, WellbeingKpi};
use crate::outcomes::{CaseloadFigures, EqualityFigures, OutcomeFigures};
use crate::period::Period;
use crate::records::{FieldError, KeyMessage, LongText};
use crate::report::{
    MAX_KEY_MESSAGES, MAX_QUOTES, OverallGrade, ReportAction, ReportGrade, ReportQuote,
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// One line of the audit trail: who did what to whose data, when, from where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_kind: String,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub address: String,
    pub detail: String,
}

/// A response that needs a manager's attention: it has a comment, or a rating of 2 or less.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttentionItem {
    pub response_id: Uuid,
    pub participant_reference: String,
    pub instrument: String,
    pub answered_at: DateTime<Utc>,
    pub lowest_rating: Option<u8>,
    pub answers: Vec<Option<u8>>,
    pub comment: Option<String>,
    /// A recorded voice comment is held (managers play it at `GET /api/responses/{id}/voice`).
    pub voice_comment: bool,
    pub specialist_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HandleAttention {
    /// What was done about it.
    pub note: LongText,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishReport {
    pub period: Period,
    #[serde(default)]
    pub title: Option<crate::records::ShortText>,
    /// Up to five key messages, each 1 to 500 characters, in the order shown.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 5))]
    pub key_messages: Vec<KeyMessage>,
    /// The overall grade; `grade_reason` is required with it.
    #[serde(default)]
    pub grade: Option<OverallGrade>,
    #[serde(default)]
    pub grade_reason: Option<LongText>,
    /// The report date the outcome cohorts are read at (KPI A's paid jobs, KPI E's weeks,
    /// caseload); default today in the organisation's time zone.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// Comments to quote, by response id (at most ten, each answered in the period with a
    /// typed comment whose author agreed to quotation; `may_quote` in `GET /api/kpi/comments`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 10))]
    pub quotes: Vec<Uuid>,
}

impl PublishReport {
    /// At most five key messages; a grade comes with its reason (and a reason with a grade).
    pub fn check(&self) -> Result<(), FieldError> {
        if self.key_messages.len() > MAX_KEY_MESSAGES {
            return Err(FieldError {
                field: "key_messages",
                message: format!(
                    "at most {MAX_KEY_MESSAGES} key messages; {} were sent",
                    self.key_messages.len()
                ),
            });
        }
        if self.quotes.len() > MAX_QUOTES {
            return Err(FieldError {
                field: "quotes",
                message: format!(
                    "at most {MAX_QUOTES} comments; {} were chosen",
                    self.quotes.len()
                ),
            });
        }
        if let Some(twice) = self
            .quotes
            .iter()
            .enumerate()
            .find(|(i, id)| self.quotes[..*i].contains(id))
        {
            return Err(FieldError {
                field: "quotes",
                message: format!("{} is chosen twice", twice.1),
            });
        }
        match (&self.grade, &self.grade_reason) {
            (Some(_), None) => Err(FieldError {
                field: "grade_reason",
                message: "say why the period earns this grade".into(),
            }),
            (None, Some(_)) => Err(FieldError {
                field: "grade",
                message: "a reason was given without a grade".into(),
            }),
            _ => Ok(()),
        }
    }

    /// The grade and its reason, once checked.
    pub fn report_grade(&self) -> Option<ReportGrade> {
        Some(ReportGrade {
            grade: self.grade?,
            reason: self.grade_reason.as_ref()?.as_str().to_owned(),
        })
    }
}

/// The shape of snapshots published from now on; those without `shape` are shape 1 (KPIs C and
/// D, wellbeing and coverage only) and read with every later field empty.
pub const SNAPSHOT_SHAPE: u32 = 2;

fn shape_one() -> u32 {
    1
}

/// A frozen report: the figures and everything needed to show how they were calculated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportSnapshot {
    pub period: Period,
    pub rule_version: String,
    pub small_number: u64,
    pub change_threshold: crate::Hundredths,
    /// Per instrument key, the versions (sorted, distinct) that the responses counted in the
    /// figures answered: KPI C's and D's responses and both forms of every wellbeing pair.
    /// Empty in reports published before it was recorded (they have `instrument_versions`).
    #[serde(default)]
    pub answered_versions: BTreeMap<String, Vec<i32>>,
    /// Reports published before `answered_versions` existed only: `key:version` of the newest
    /// version of every instrument at publication, whatever the responses answered. Kept as
    /// published; absent from later reports.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instrument_versions: Vec<String>,
    pub time_zone: String,
    pub kpi_c: SatisfactionKpi,
    pub kpi_d: SatisfactionKpi,
    pub wellbeing: WellbeingKpi,
    pub coverage: Coverage,
    /// 1 for reports published before the full report (no field below), 2 since.
    #[serde(default = "shape_one")]
    pub shape: u32,
    /// The date the outcome cohorts and the caseload were read at.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    #[serde(default)]
    pub key_messages: Vec<String>,
    #[serde(default)]
    pub grade: Option<ReportGrade>,
    /// KPIs A, B and E, access and the other outcome figures of the whole organisation (SEQF
    /// benchmarks), as `GET /api/outcomes` gives them for the period and as-of date.
    #[serde(default)]
    pub outcomes: Option<OutcomeFigures>,
    /// Active caseload per specialist on the as-of date.
    #[serde(default)]
    pub caseload: Option<CaseloadFigures>,
    /// Every equality dimension's split, small groups suppressed (never the working view).
    #[serde(default)]
    pub equality: Vec<EqualityFigures>,
    /// The sub-items of the employer and jobseeker surveys over the responses KPIs C and D
    /// counted.
    #[serde(default)]
    pub satisfaction_items: Vec<crate::kpi::SatisfactionItems>,
    /// "You said, we did" actions published in the period.
    #[serde(default)]
    pub actions: Vec<ReportAction>,
    /// Comments quoted with their authors' agreement, in the order the manager chose them.
    #[serde(default)]
    pub quotes: Vec<ReportQuote>,
}

/// What a report would hold if published now, and drafts of key messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportPreview {
    pub snapshot: ReportSnapshot,
    /// The period of the same length just before, that the drafts compare with.
    pub previous_period: Period,
    /// Drafts in plain words from what moved since the previous period (at most five).
    pub proposed_messages: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishedReport {
    pub id: Uuid,
    pub title: String,
    pub published_by: Uuid,
    pub published_at: DateTime<Utc>,
    pub snapshot: ReportSnapshot,
}

/// Records that arrived after a published report was made, for the live view of a period
/// (DESIGN §4): the report never changes, and this says by how much live figures may differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LateArrivals {
    pub report_id: Uuid,
    pub title: String,
    /// The report's period (which may be longer or shorter than the one asked about).
    pub period: Period,
    pub published_at: DateTime<Utc>,
    /// Responses of the organisation answered in the report's period (`answered_on`, both days
    /// included) that reached the server after `published_at`: any instrument, counted or not.
    pub late_records: u64,
    /// The report's printable page (`GET`, with the same bearer token).
    pub print_url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// Also remove the person's (anonymous) answers from future figures.
    #[serde(default)]
    pub remove_answers: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErasureReceipt {
    pub participant_id: Uuid,
    pub erased_at: DateTime<Utc>,
    pub answers_removed: u64,
    pub answers_kept_anonymous: u64,
}

/// A response as stored, for the person it belongs to (subject access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StoredResponse {
    pub id: Uuid,
    pub instrument: String,
    pub instrument_version: i32,
    pub timing: Option<String>,
    pub answers: Vec<Option<u8>>,
    pub comment: Option<String>,
    pub respondent: String,
    pub support: String,
    pub channel: String,
    pub format: String,
    pub language: String,
    pub answered_at: DateTime<Utc>,
    pub swemwbs_metric: Option<crate::Hundredths>,
    /// Whether the person agreed that their comment may be quoted in the service's reports.
    #[serde(default)]
    pub may_quote: bool,
    /// The published reports that quote this comment.
    #[serde(default)]
    pub quoted_in: Vec<QuotedIn>,
}

/// A published report that quotes a person's comment (subject access).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotedIn {
    pub report_id: Uuid,
    pub title: String,
    pub published_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationRecord {
    pub id: Uuid,
    pub instrument: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Everything held about one participant, as one file a person could be given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubjectAccess {
    pub exported_at: DateTime<Utc>,
    pub organisation_name: String,
    /// The same content in plain words.
    pub summary: String,
    pub participant: crate::records::Participant,
    pub consents: Vec<crate::records::Consent>,
    pub episodes: Vec<crate::records::Episode>,
    pub sessions: Vec<crate::records::Session>,
    /// Referrals of the person to the service (DESIGN §4a).
    #[serde(default)]
    pub referrals: Vec<crate::journey::Referral>,
    /// Jobs found or kept during their episodes.
    #[serde(default)]
    pub jobs: Vec<crate::journey::Job>,
    pub invitations: Vec<InvitationRecord>,
    pub responses: Vec<StoredResponse>,
    /// Emails made for the person, oldest first: what, to where, when, and their words with
    /// the links taken out (a link would open the person's survey or results).
    pub emails: Vec<EmailRecord>,
    /// Voice comments held, one per response that has one: what and when, not the audio
    /// itself (an admin can play it through `GET /api/responses/{id}/voice` and save it).
    pub audio: Vec<crate::voice::VoiceComment>,
}

/// One email in a subject-access export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailRecord {
    pub kind: crate::feedback::MailKind,
    pub to: String,
    pub subject: String,
    pub status: crate::feedback::MailStatus,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The plain-text body, each link replaced by `[link removed]`.
    pub text: String,
}

/// An email's words without its links: a link in an email opens a survey, results or an
/// unsubscribe page for its holder, so an export never carries one.
pub fn without_links(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            line.split(' ')
                .map(|word| {
                    let bare = word.trim_start_matches(['<', '(']);
                    if bare.starts_with("http://") || bare.starts_with("https://") {
                        "[link removed]"
                    } else {
                        word
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Privacy settings an admin chooses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PrivacySettings {
    /// Days after a person's last episode ends before their personal data is erased
    /// (30 to 3650); `null` keeps it until erased by hand.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 30, maximum = 3650))]
    pub retention_days: Option<u32>,
    /// Who reads the answers, shown before every survey, by language: English (required) and
    /// Welsh. `null` (or leaving it out) puts back the default text.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<ReadersNotice>))]
    pub readers: Option<crate::instrument::Texts>,
}

/// The shape of [`PrivacySettings::readers`] on the wire, for the OpenAPI document: the server
/// holds it as a map by language and checks each text with [`crate::records::NoticeText::parse`].
#[cfg(feature = "openapi")]
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct ReadersNotice {
    en: crate::records::NoticeText,
    #[schema(required = false)]
    cy: crate::records::NoticeText,
}

/// The languages the notice can be written in.
pub const NOTICE_LANGUAGES: [&str; 2] = ["en", "cy"];

/// The default "who reads your answers" text, until an organisation writes its own.
pub fn default_readers() -> crate::instrument::Texts {
    [
        ("en", "Your answers are read by the service's managers. Your employment specialist only sees totals for all their clients, not your own answers."),
        ("cy", "Mae rheolwyr y gwasanaeth yn darllen eich atebion. Dim ond cyfansymiau ar gyfer eu holl gleientiaid y mae eich arbenigwr cyflogaeth yn eu gweld, nid eich atebion chi."),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exported_email_keeps_its_words_and_loses_its_links() {
        let body = "Hello Ann,\nPlease answer: https://s.example.org/#t=SECRET1\n\
                    Stop these emails: <https://s.example.org/#u=SECRET2>\nThank you";
        let out = without_links(body);
        assert_eq!(
            out,
            "Hello Ann,\nPlease answer: [link removed]\nStop these emails: [link removed]\nThank you"
        );
        assert!(!out.contains("SECRET"));
    }

    /// A snapshot as the first shape stored it (before key messages, grade and outcomes).
    const SHAPE_ONE: &str = r#"{
        "period": {"first": "2026-01-01", "last": "2026-03-31"},
        "rule_version": "2026.1", "small_number": 5, "change_threshold": 3.0,
        "answered_versions": {"jobseeker_satisfaction": [1]},
        "time_zone": "Europe/London",
        "kpi_c": {"period": {"first": "2026-01-01", "last": "2026-03-31"}, "n": 0, "mean": null,
                  "distribution": [0, 0, 0, 0, 0], "by_support": [], "by_channel": [],
                  "excluded_proxy": 0, "excluded_second_answers": 0, "small_sample": true,
                  "response_ids": []},
        "kpi_d": {"period": {"first": "2026-01-01", "last": "2026-03-31"}, "n": 1, "mean": 4.0,
                  "distribution": [0, 0, 0, 1, 0], "by_support": [], "by_channel": [],
                  "excluded_proxy": 0, "excluded_second_answers": 0, "small_sample": true,
                  "response_ids": ["6f1d0a52-7d1c-4c33-9d41-1b1e2f7c9a10"]},
        "wellbeing": {"period": {"first": "2026-01-01", "last": "2026-03-31"}, "threshold": 3.0,
                  "paired_n": 0, "mean_start": null, "mean_end": null, "mean_change": null,
                  "improved": 0, "no_meaningful_change": 0, "declined": 0, "improved_pct": null,
                  "no_meaningful_change_pct": null, "declined_pct": null,
                  "ended_without_end_score": 0, "started_without_start_score": 0,
                  "small_sample": true, "pairs": []},
        "coverage": {"period": {"first": "2026-01-01", "last": "2026-03-31"},
                  "jobseeker_satisfaction": {"due": 2, "answered": 1, "pct": 50.0},
                  "employer_satisfaction": {"due": 0, "answered": 0, "pct": null},
                  "swemwbs_start": {"due": 0, "answered": 0, "pct": null},
                  "swemwbs_end": {"due": 0, "answered": 0, "pct": null},
                  "invitations_sent": 2, "invitations_answered": 1}
    }"#;

    #[test]
    fn a_snapshot_stored_in_the_first_shape_still_reads_with_the_new_sections_empty() {
        let s: ReportSnapshot = serde_json::from_str(SHAPE_ONE).unwrap();
        assert_eq!(s.shape, 1);
        assert_eq!(s.kpi_d.mean, Some(crate::Hundredths(400)));
        assert_eq!(s.coverage.jobseeker_satisfaction.answered, 1);
        assert!(s.key_messages.is_empty());
        assert_eq!(
            (s.grade, s.outcomes, s.caseload, s.as_of),
            (None, None, None, None)
        );
        assert!(s.equality.is_empty() && s.actions.is_empty());
    }

    fn publish(v: serde_json::Value) -> PublishReport {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_request_with_six_key_messages_or_half_a_grade_is_refused_naming_the_field() {
        let period = serde_json::json!({"first": "2026-01-01", "last": "2026-03-31"});
        let ok = publish(
            serde_json::json!({"period": period, "key_messages": vec!["a"; 5],
            "grade": "amber", "grade_reason": "Access fell"}),
        );
        assert_eq!(ok.check(), Ok(()));
        assert_eq!(ok.report_grade().unwrap().grade, OverallGrade::Amber);
        let six = publish(serde_json::json!({"period": period, "key_messages": vec!["a"; 6]}));
        assert_eq!(six.check().unwrap_err().field, "key_messages");
        let no_reason = publish(serde_json::json!({"period": period, "grade": "red"}));
        assert_eq!(no_reason.check().unwrap_err().field, "grade_reason");
        let no_grade = publish(serde_json::json!({"period": period, "grade_reason": "why"}));
        assert_eq!(no_grade.check().unwrap_err().field, "grade");
        assert!(
            serde_json::from_value::<PublishReport>(
                serde_json::json!({"period": period, "key_messages": ["  "]})
            )
            .is_err()
        );
    }

    #[test]
    fn a_report_quotes_at_most_ten_comments_each_chosen_once() {
        let period = serde_json::json!({"first": "2026-01-01", "last": "2026-03-31"});
        let ids: Vec<Uuid> = (1..=11).map(Uuid::from_u128).collect();
        let ten = publish(serde_json::json!({"period": period, "quotes": ids[..10]}));
        assert_eq!(ten.check(), Ok(()));
        assert_eq!(ten.quotes, ids[..10]);
        let eleven = publish(serde_json::json!({"period": period, "quotes": ids}));
        assert_eq!(eleven.check().unwrap_err().field, "quotes");
        let twice =
            publish(serde_json::json!({"period": period, "quotes": [ids[2], ids[0], ids[2]]}));
        let refused = twice.check().unwrap_err();
        assert_eq!(refused.field, "quotes");
        assert!(refused.message.contains(&ids[2].to_string()));
        assert!(
            publish(serde_json::json!({"period": period}))
                .quotes
                .is_empty()
        );
    }
}
