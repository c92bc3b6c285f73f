//! The two files' rows and columns, and reading and writing them as CSV.

use crate::ApiError;
use anyhow::Context;
use serde::{Deserialize, Serialize};

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
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(String::from_utf8(
        w.into_inner().context("finishing the CSV")?,
    )?)
}

/// A data row's number (from 1) and the row, or why it could not be read.
pub(super) type NumberedRow<T> = (usize, Result<T, String>);

/// The file's rows; the whole file is refused if its header cannot be read or lacks a column.
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
    Ok(r.deserialize::<T>()
        .enumerate()
        .map(|(i, rec)| (i + 1, rec.map_err(|e| e.to_string())))
        .collect())
}
