//! A survey being answered on this device: what was asked, what has been answered so far and
//! where the person is. Kept on the device after every change, so a person who leaves half-way
//! comes back to the same place (DESIGN §5). Pure: tested natively.

use chrono::{DateTime, Utc};
use domain::Hundredths;
use domain::completion::{Channel, Format, Respondent, Support};
use domain::instrument::{InstrumentDefinition, InstrumentKind, Texts};
use domain::records::LongText;
use domain::records::{Completion, Language, NewResponse, Survey};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Where the person is in the survey. Stored as a short string ("intro", "question-3", …):
/// plain strings keep serde's heavier enum machinery out of the first download.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Step {
    Intro,
    Question(usize),
    Comment,
    Check,
    Done,
}

impl From<Step> for String {
    fn from(step: Step) -> String {
        match step {
            Step::Intro => "intro".to_owned(),
            Step::Question(i) => format!("question-{i}"),
            Step::Comment => "comment".to_owned(),
            Step::Check => "check".to_owned(),
            Step::Done => "done".to_owned(),
        }
    }
}

impl TryFrom<String> for Step {
    type Error = String;

    fn try_from(text: String) -> Result<Step, String> {
        match text.as_str() {
            "intro" => Ok(Step::Intro),
            "comment" => Ok(Step::Comment),
            "check" => Ok(Step::Check),
            "done" => Ok(Step::Done),
            other => other
                .strip_prefix("question-")
                .and_then(|i| i.parse().ok())
                .map(Step::Question)
                .ok_or_else(|| format!("unknown step {other:?}")),
        }
    }
}

/// A voice comment recorded on this device (the audio itself waits in IndexedDB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Voice {
    pub content_type: String,
    pub seconds: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Survey token from the link: authority to send these answers, from the outbox too.
    pub access_token: String,
    pub survey: Survey,
    /// Made when the survey is first opened here, so a resend is recognised by the server.
    pub response_id: Uuid,
    pub answers: Vec<Option<u8>>,
    pub comment: String,
    /// The person agreed that their typed comment may be quoted in the service's reports.
    #[serde(default)]
    pub may_quote: bool,
    pub voice: Option<Voice>,
    pub easy_read: bool,
    pub read_aloud_used: bool,
    pub step: Step,
    /// When the person pressed Send (their answer time, DESIGN §6).
    pub sent_at: Option<DateTime<Utc>>,
    /// SWEMWBS: the score shown on the thank-you page, computed by the shared rules.
    pub score: Option<Score>,
    /// Answered on a specialist's phone handed to the person (DESIGN §3): sent under the
    /// specialist's login, recorded as answered on a staff device.
    #[serde(default)]
    pub assisted: Option<Assisted>,
}

/// A survey handed over on a specialist's phone: who is answering, under whose login it is sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assisted {
    /// The logged-in specialist: only their login sends it.
    pub owner: Uuid,
    /// Their name, for "give the phone back to …".
    pub specialist: String,
    pub participant_id: Uuid,
    pub episode_id: Option<Uuid>,
    /// The specialist helped (read out, explained, pressed for them); otherwise the person
    /// answered by themselves on the specialist's phone.
    pub helped: bool,
    /// How the outbox names it to the specialist ("SWEMWBS — JS-0042").
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub raw: u8,
    pub metric: Hundredths,
}

impl Draft {
    pub fn new(access_token: String, survey: Survey) -> Draft {
        let items = survey.instrument.items.len();
        let easy_read = survey.accessibility.easy_read && survey.instrument.has_easy_read();
        Draft {
            access_token,
            survey,
            response_id: Uuid::new_v4(),
            answers: vec![None; items],
            comment: String::new(),
            may_quote: false,
            voice: None,
            easy_read,
            read_aloud_used: false,
            step: Step::Intro,
            sent_at: None,
            score: None,
            assisted: None,
        }
    }

    /// A survey handed over on a specialist's phone, with no invitation behind it.
    pub fn handed_over(survey: Survey, assisted: Assisted) -> Draft {
        Draft {
            assisted: Some(assisted),
            ..Draft::new(String::new(), survey)
        }
    }

    pub fn instrument(&self) -> &InstrumentDefinition {
        &self.survey.instrument
    }

    pub fn item_count(&self) -> usize {
        self.survey.instrument.items.len()
    }

    pub fn has_comment_step(&self) -> bool {
        self.survey.instrument.comment_prompt.is_some()
    }

    pub fn is_swemwbs(&self) -> bool {
        self.survey.instrument.kind == InstrumentKind::Swemwbs
    }

    /// Easy Read only where the instrument has it (never for SWEMWBS, DESIGN §3).
    pub fn shows_easy_read(&self) -> bool {
        self.easy_read && self.survey.instrument.has_easy_read()
    }

    /// The language the instrument's words are shown in: the person's, when the instrument has
    /// it (SWEMWBS only in languages with an official translation), else English.
    pub fn content_language(&self, interface: &str) -> String {
        if self.survey.instrument.offers_language(interface) {
            interface.to_owned()
        } else {
            "en".to_owned()
        }
    }

    pub fn next(&self, from: Step) -> Step {
        match from {
            Step::Intro if self.item_count() > 0 => Step::Question(0),
            Step::Intro => self.after_questions(),
            Step::Question(i) if i + 1 < self.item_count() => Step::Question(i + 1),
            Step::Question(_) => self.after_questions(),
            Step::Comment => Step::Check,
            Step::Check | Step::Done => Step::Done,
        }
    }

    pub fn previous(&self, from: Step) -> Option<Step> {
        match from {
            Step::Intro | Step::Done => None,
            Step::Question(0) => Some(Step::Intro),
            Step::Question(i) => Some(Step::Question(i - 1)),
            Step::Comment => Some(self.last_question()),
            Step::Check if self.has_comment_step() => Some(Step::Comment),
            Step::Check => Some(self.last_question()),
        }
    }

    fn after_questions(&self) -> Step {
        if self.has_comment_step() {
            Step::Comment
        } else {
            Step::Check
        }
    }

    fn last_question(&self) -> Step {
        match self.item_count() {
            0 => Step::Intro,
            n => Step::Question(n - 1),
        }
    }

    /// The answer the person gives; `None` clears it.
    pub fn answer(&mut self, item: usize, value: Option<u8>) {
        if let Some(slot) = self.answers.get_mut(item) {
            *slot = value.filter(|v| (1..=5).contains(v));
        }
    }

    pub fn answered_count(&self) -> usize {
        self.answers.iter().flatten().count()
    }

    /// The response as the server takes it: answered on the person's own phone through their
    /// invitation, or on a specialist's phone for the participant and episode named.
    pub fn response(&self, language: Language, answered_at: DateTime<Utc>) -> NewResponse {
        let comment = self.comment.trim();
        let read_aloud = if self.read_aloud_used {
            Support::ReadAloud
        } else {
            Support::None
        };
        let (invitation_id, participant_id, episode_id, instrument, timing, support, channel) =
            match &self.assisted {
                None => (
                    Some(self.survey.invitation_id),
                    None,
                    None,
                    None,
                    None,
                    read_aloud,
                    Channel::OwnDevice,
                ),
                Some(a) => (
                    None,
                    Some(a.participant_id),
                    a.episode_id,
                    Some(self.survey.instrument.key.as_str().to_owned()),
                    self.survey.timing,
                    if a.helped {
                        Support::StaffAssisted
                    } else {
                        read_aloud
                    },
                    Channel::StaffDevice,
                ),
            };
        NewResponse {
            id: self.response_id,
            invitation_id,
            participant_id,
            episode_id,
            instrument,
            timing,
            answers: self.answers.clone(),
            completion: Completion {
                respondent: Respondent::SelfReport,
                support,
                channel,
                format: if self.shows_easy_read() {
                    Format::EasyRead
                } else {
                    Format::Standard
                },
                language,
            },
            answered_at,
            comment: LongText::parse(comment).ok(),
            may_quote: self.may_quote && !comment.is_empty(),
        }
    }

    /// SWEMWBS scored exactly as the server scores it, when every item is answered.
    pub fn swemwbs_score(&self) -> Option<Score> {
        if !self.is_swemwbs() {
            return None;
        }
        let scored = self.survey.instrument.check(&self.answers).ok()?;
        Some(Score {
            raw: scored.swemwbs_raw()?,
            metric: scored.swemwbs_metric()?,
        })
    }
}

/// A text in `lang`, else English, else any: the instrument decides which languages it has.
pub fn text<'a>(texts: &'a Texts, lang: &str) -> &'a str {
    texts
        .get(lang)
        .or_else(|| texts.get("en"))
        .or_else(|| texts.values().next())
        .map_or("", String::as_str)
}

#[cfg(test)]
mod tests;
