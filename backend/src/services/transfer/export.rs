//! Writing an organisation's episodes and responses as the two CSV files.

use super::{
    format::{EPISODE_COLUMNS, EpisodeRow, RESPONSE_COLUMNS, ResponseRow, write_csv},
    names::{Names, names},
};
use crate::{
    entities::{episode, response},
    repo,
};
use anyhow::Context;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Every episode of the organisation, oldest first.
pub async fn export_episodes(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<String> {
    let n = names(db, org).await?;
    let episodes = repo::transfer::episodes(db, org).await?;
    let rows: Vec<EpisodeRow> = episodes.iter().map(|e| episode_row(&n, e)).collect();
    write_csv(EPISODE_COLUMNS, rows)
}

fn episode_row(n: &Names, e: &episode::Model) -> EpisodeRow {
    EpisodeRow {
        episode_id: e.id.to_string(),
        participant_id: e.participant_id.to_string(),
        participant_reference: n.reference(&e.participant_id),
        specialist_email: n
            .staff_email
            .get(&e.specialist_id)
            .cloned()
            .unwrap_or_default(),
        programme: e.programme.clone(),
        referred_on: opt(e.referred_on),
        started_on: e.started_on.to_string(),
        profile_started_on: opt(e.profile_started_on),
        job_started_on: opt(e.job_started_on),
        ended_on: opt(e.ended_on),
        employer_id: opt(e.employer_id),
        employer_reference: e
            .employer_id
            .as_ref()
            .map(|id| n.reference(id))
            .unwrap_or_default(),
    }
}

/// Every response of the organisation, in the order they were answered.
pub async fn export_responses(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<String> {
    let n = names(db, org).await?;
    let responses = repo::transfer::responses(db, org).await?;
    let rows = responses
        .iter()
        .map(|r| response_row(&n, r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    write_csv(RESPONSE_COLUMNS, rows)
}

fn response_row(n: &Names, r: &response::Model) -> anyhow::Result<ResponseRow> {
    let p = n.participants.get(&r.participant_id);
    Ok(ResponseRow {
        response_id: r.id.to_string(),
        invitation_id: opt(r.invitation_id),
        participant_id: r.participant_id.to_string(),
        participant_reference: p.map(|p| p.reference.clone()).unwrap_or_default(),
        participant_kind: p.map(|p| p.kind.clone()).unwrap_or_default(),
        episode_id: opt(r.episode_id),
        instrument: r.instrument_key.clone(),
        instrument_version: r.instrument_version.to_string(),
        timing: r.timing.clone().unwrap_or_default(),
        answers: answers_text(&r.answers)?,
        overall: opt(r.overall),
        complete: r.complete.to_string(),
        swemwbs_raw: opt(r.swemwbs_raw),
        swemwbs_metric: opt(r.swemwbs_metric.map(|m| domain::Hundredths(i64::from(m)))),
        respondent: r.respondent.clone(),
        support: r.support.clone(),
        channel: r.channel.clone(),
        format: r.format.clone(),
        language: r.language.clone(),
        answered_at: r.answered_at.to_rfc3339(),
        answered_on: r.answered_on.to_string(),
        received_at: r.received_at.to_rfc3339(),
        specialist_email: r
            .specialist_id
            .and_then(|s| n.staff_email.get(&s).cloned())
            .unwrap_or_default(),
        team: r
            .team_id
            .and_then(|t| n.team_name.get(&t).cloned())
            .unwrap_or_default(),
        programme: r.programme.clone().unwrap_or_default(),
    })
}

/// Stored answers as the file writes them: `;`-separated, `-` for a skipped item.
fn answers_text(json: &str) -> anyhow::Result<String> {
    let answers: Vec<Option<u8>> = serde_json::from_str(json).context("stored answers")?;
    Ok(answers
        .iter()
        .map(|a| a.map_or_else(|| "-".to_owned(), |v| v.to_string()))
        .collect::<Vec<_>>()
        .join(";"))
}
