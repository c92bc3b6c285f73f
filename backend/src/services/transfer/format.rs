//! The two files' rows and columns, and reading and writing them as CSV.

use crate::ApiError;
use anyhow::Context;
use domain::spreadsheet;
use serde::{Deserialize, Serialize};

/// The columns every episodes file has had from the start: an import needs them.
pub const REQUIRED_EPISODE_COLUMNS: &[&str] = &[
    "episode_id",
    "participant_id",
    "participant_reference",
    "specialist_email",
    "programme",
    "referred_on",
    "started_on",
    "profile_started_on",
    "job_started_on",
    "ended_on",
    "employer_id",
    "employer_reference",
];

/// Every column of the episodes file, in order: the required ones, then the journey's (the
/// support end, the referral, the person's equality answers, one job). A file made before the
/// journey columns existed may leave them out: they are then empty on every row.
pub const EPISODE_COLUMNS: &[&str] = &[
    "episode_id",
    "participant_id",
    "participant_reference",
    "specialist_email",
    "programme",
    "referred_on",
    "started_on",
    "profile_started_on",
    "job_started_on",
    "ended_on",
    "employer_id",
    "employer_reference",
    "hours_before",
    "end_reason",
    "referral_id",
    "referral_source",
    "referral_accepted",
    "referral_decided_on",
    "not_accepted_reason",
    "referral_specialist_email",
    "born_on",
    "gender",
    "ethnicity",
    "disability",
    "living_situation",
    "area",
    "job_id",
    "job_began_on",
    "job_ended_on",
    "job_end_reason",
    "job_outcome",
    "job_paid",
    "job_employer_id",
    "job_employer_reference",
    "job_title",
    "job_sector",
    "job_hours_per_week",
    "job_hourly_pay",
    "job_analysis",
];

/// One row of the episodes file: an episode (with its referral, if it started from one, and
/// one of its jobs, if it has any: an episode with three jobs has three rows), or a referral
/// that never started (no episode, no job). Fields in `EPISODE_COLUMNS` order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub(super) struct EpisodeRow {
    pub episode_id: String,
    pub participant_id: String,
    pub participant_reference: String,
    pub specialist_email: String,
    pub programme: String,
    pub referred_on: String,
    pub started_on: String,
    pub profile_started_on: String,
    pub job_started_on: String,
    pub ended_on: String,
    pub employer_id: String,
    pub employer_reference: String,
    #[serde(default)]
    pub hours_before: String,
    #[serde(default)]
    pub end_reason: String,
    #[serde(default)]
    pub referral_id: String,
    #[serde(default)]
    pub referral_source: String,
    #[serde(default)]
    pub referral_accepted: String,
    #[serde(default)]
    pub referral_decided_on: String,
    #[serde(default)]
    pub not_accepted_reason: String,
    #[serde(default)]
    pub referral_specialist_email: String,
    #[serde(default)]
    pub born_on: String,
    #[serde(default)]
    pub gender: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub disability: String,
    #[serde(default)]
    pub living_situation: String,
    #[serde(default)]
    pub area: String,
    #[serde(default)]
    pub job_id: String,
    #[serde(default)]
    pub job_began_on: String,
    #[serde(default)]
    pub job_ended_on: String,
    #[serde(default)]
    pub job_end_reason: String,
    #[serde(default)]
    pub job_outcome: String,
    #[serde(default)]
    pub job_paid: String,
    #[serde(default)]
    pub job_employer_id: String,
    #[serde(default)]
    pub job_employer_reference: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub job_sector: String,
    #[serde(default)]
    pub job_hours_per_week: String,
    #[serde(default)]
    pub job_hourly_pay: String,
    #[serde(default)]
    pub job_analysis: String,
}

fn is_empty(s: &&str) -> bool {
    s.is_empty()
}

/// The columns of a row that describe its episode, as its fingerprint is taken: the first
/// twelve exactly as files have always been fingerprinted (so a file imported before the
/// journey columns existed is still "unchanged"), the journey's only when filled in.
#[derive(Debug, PartialEq, Serialize)]
pub(super) struct EpisodePart<'a> {
    episode_id: &'a str,
    participant_id: &'a str,
    participant_reference: &'a str,
    specialist_email: &'a str,
    programme: &'a str,
    referred_on: &'a str,
    started_on: &'a str,
    profile_started_on: &'a str,
    job_started_on: &'a str,
    ended_on: &'a str,
    employer_id: &'a str,
    employer_reference: &'a str,
    #[serde(skip_serializing_if = "is_empty")]
    hours_before: &'a str,
    #[serde(skip_serializing_if = "is_empty")]
    end_reason: &'a str,
    #[serde(skip_serializing_if = "is_empty")]
    referral_id: &'a str,
}

/// The columns of a row that describe its referral.
#[derive(Debug, PartialEq, Serialize)]
pub(super) struct ReferralPart<'a> {
    referral_id: &'a str,
    participant_id: &'a str,
    participant_reference: &'a str,
    /// Whose referral it is: `referral_specialist_email`, else `specialist_email`.
    referral_specialist_email: &'a str,
    programme: &'a str,
    referred_on: &'a str,
    referral_source: &'a str,
    referral_accepted: &'a str,
    referral_decided_on: &'a str,
    not_accepted_reason: &'a str,
}

/// The columns of a row that describe its job.
#[derive(Debug, PartialEq, Serialize)]
pub(super) struct JobPart<'a> {
    job_id: &'a str,
    episode_id: &'a str,
    job_began_on: &'a str,
    job_ended_on: &'a str,
    job_end_reason: &'a str,
    job_outcome: &'a str,
    job_paid: &'a str,
    job_employer_id: &'a str,
    job_employer_reference: &'a str,
    job_title: &'a str,
    job_sector: &'a str,
    job_hours_per_week: &'a str,
    job_hourly_pay: &'a str,
    job_analysis: &'a str,
}

impl EpisodeRow {
    pub fn episode_part(&self) -> EpisodePart<'_> {
        EpisodePart {
            episode_id: &self.episode_id,
            participant_id: &self.participant_id,
            participant_reference: &self.participant_reference,
            specialist_email: &self.specialist_email,
            programme: &self.programme,
            referred_on: &self.referred_on,
            started_on: &self.started_on,
            profile_started_on: &self.profile_started_on,
            job_started_on: &self.job_started_on,
            ended_on: &self.ended_on,
            employer_id: &self.employer_id,
            employer_reference: &self.employer_reference,
            hours_before: &self.hours_before,
            end_reason: &self.end_reason,
            referral_id: &self.referral_id,
        }
    }

    pub fn referral_part(&self) -> ReferralPart<'_> {
        let holder = match self.referral_specialist_email.as_str() {
            "" => &self.specialist_email,
            other => other,
        };
        ReferralPart {
            referral_id: &self.referral_id,
            participant_id: &self.participant_id,
            participant_reference: &self.participant_reference,
            referral_specialist_email: holder,
            programme: &self.programme,
            referred_on: &self.referred_on,
            referral_source: &self.referral_source,
            referral_accepted: &self.referral_accepted,
            referral_decided_on: &self.referral_decided_on,
            not_accepted_reason: &self.not_accepted_reason,
        }
    }

    pub fn job_part(&self) -> JobPart<'_> {
        JobPart {
            job_id: &self.job_id,
            episode_id: &self.episode_id,
            job_began_on: &self.job_began_on,
            job_ended_on: &self.job_ended_on,
            job_end_reason: &self.job_end_reason,
            job_outcome: &self.job_outcome,
            job_paid: &self.job_paid,
            job_employer_id: &self.job_employer_id,
            job_employer_reference: &self.job_employer_reference,
            job_title: &self.job_title,
            job_sector: &self.job_sector,
            job_hours_per_week: &self.job_hours_per_week,
            job_hourly_pay: &self.job_hourly_pay,
            job_analysis: &self.job_analysis,
        }
    }
}

/// The first column (in file order) where two parts of rows differ, if they do.
pub(super) fn first_difference<T: Serialize>(a: &T, b: &T) -> Option<String> {
    let (Ok(a), Ok(b)) = (serde_json::to_value(a), serde_json::to_value(b)) else {
        return None;
    };
    EPISODE_COLUMNS
        .iter()
        .find(|c| a.get(**c) != b.get(**c))
        .map(|c| (*c).to_owned())
}

pub const RESPONSE_COLUMNS: &[&str] = &[
    "response_id",
    "invitation_id",
    "participant_id",
    "participant_reference",
    "participant_kind",
    "episode_id",
    "instrument",
    "instrument_version",
    "timing",
    "answers",
    "overall",
    "complete",
    "swemwbs_raw",
    "swemwbs_metric",
    "respondent",
    "support",
    "channel",
    "format",
    "language",
    "answered_at",
    "answered_on",
    "received_at",
    "specialist_email",
    "team",
    "programme",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct ResponseRow {
    pub response_id: String,
    pub invitation_id: String,
    pub participant_id: String,
    pub participant_reference: String,
    pub participant_kind: String,
    pub episode_id: String,
    pub instrument: String,
    pub instrument_version: String,
    pub timing: String,
    /// Item answers in order, `;`-separated, `-` for a skipped item.
    pub answers: String,
    pub overall: String,
    pub complete: String,
    pub swemwbs_raw: String,
    pub swemwbs_metric: String,
    pub respondent: String,
    pub support: String,
    pub channel: String,
    pub format: String,
    pub language: String,
    pub answered_at: String,
    pub answered_on: String,
    pub received_at: String,
    pub specialist_email: String,
    pub team: String,
    pub programme: String,
}

/// The rows under a header line; a file with no rows is the header alone (the CSV writer
/// only writes the header with the first row).
pub(super) fn write_csv<T: Serialize>(columns: &[&str], rows: Vec<T>) -> anyhow::Result<String> {
    if rows.is_empty() {
        return Ok(format!("{}\n", columns.join(",")));
    }
    let mut plain = csv::Writer::from_writer(Vec::new());
    for r in rows {
        plain.serialize(r)?;
    }
    let plain = plain.into_inner().context("finishing the CSV")?;
    // Read back cell by cell so every cell, whatever its column, passes the one rule.
    let mut w = csv::Writer::from_writer(Vec::new());
    for record in csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice())
        .records()
    {
        w.write_record(
            record?
                .iter()
                .map(|c| spreadsheet::write_cell(c).into_owned()),
        )?;
    }
    Ok(String::from_utf8(
        w.into_inner().context("finishing the CSV")?,
    )?)
}

/// A data row's number (from 1) and the row, or why it could not be read.
pub(super) type NumberedRow<T> = (usize, Result<T, String>);

/// The file's rows; the whole file is refused if its header cannot be read or lacks one of the
/// `columns` it needs.
pub(super) fn read_rows<T: serde::de::DeserializeOwned>(
    csv_text: &str,
    columns: &[&str],
) -> Result<Vec<NumberedRow<T>>, ApiError> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| ApiError::invalid("file", format!("the header line cannot be read: {e}")))?
        .clone();
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::invalid(
            "file",
            format!("missing columns: {}", missing.join(", ")),
        ));
    }
    Ok(r.records()
        .enumerate()
        .map(|(i, rec)| {
            let rec = rec.and_then(|rec| {
                let cells: csv::StringRecord = rec.iter().map(spreadsheet::read_cell).collect();
                cells.deserialize::<T>(Some(&headers))
            });
            (i + 1, rec.map_err(|e| e.to_string()))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_episodes_row_is_written_in_the_documented_column_order() {
        let file = write_csv(EPISODE_COLUMNS, vec![EpisodeRow::default()]).unwrap();
        assert_eq!(
            file.lines().next(),
            Some(EPISODE_COLUMNS.join(",").as_str())
        );
        assert!(EPISODE_COLUMNS.starts_with(REQUIRED_EPISODE_COLUMNS));
    }

    #[test]
    fn an_episode_without_journey_columns_is_fingerprinted_as_before_they_existed() {
        /// The row as files had it before the journey columns.
        #[derive(Serialize)]
        struct Before<'a> {
            episode_id: &'a str,
            participant_id: &'a str,
            participant_reference: &'a str,
            specialist_email: &'a str,
            programme: &'a str,
            referred_on: &'a str,
            started_on: &'a str,
            profile_started_on: &'a str,
            job_started_on: &'a str,
            ended_on: &'a str,
            employer_id: &'a str,
            employer_reference: &'a str,
        }
        let row = EpisodeRow {
            episode_id: "e".into(),
            started_on: "2026-01-05".into(),
            job_id: "a job, which is not the episode's".into(),
            ..EpisodeRow::default()
        };
        let before = Before {
            episode_id: "e",
            participant_id: "",
            participant_reference: "",
            specialist_email: "",
            programme: "",
            referred_on: "",
            started_on: "2026-01-05",
            profile_started_on: "",
            job_started_on: "",
            ended_on: "",
            employer_id: "",
            employer_reference: "",
        };
        assert_eq!(
            serde_json::to_string(&row.episode_part()).unwrap(),
            serde_json::to_string(&before).unwrap()
        );
    }

    #[test]
    fn two_rows_of_one_episode_are_told_apart_by_the_first_column_that_differs() {
        let a = EpisodeRow {
            started_on: "2026-01-05".into(),
            hours_before: "4".into(),
            ..EpisodeRow::default()
        };
        let b = EpisodeRow {
            hours_before: "5".into(),
            ..a.clone()
        };
        assert_eq!(
            first_difference(&a.episode_part(), &b.episode_part()).as_deref(),
            Some("hours_before")
        );
        assert_eq!(first_difference(&a.episode_part(), &a.episode_part()), None);
    }
}
