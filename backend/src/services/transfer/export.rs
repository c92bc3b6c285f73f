//! Writing an organisation's episodes (with their referrals and jobs) and responses as the two
//! CSV files.

use super::{
    format::{EPISODE_COLUMNS, EpisodeRow, RESPONSE_COLUMNS, ResponseRow, write_csv},
    names::{Names, names},
};
use crate::{
    entities::{episode, job, referral, response},
    repo,
};
use anyhow::Context;
use domain::{Hundredths, records::Equality};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Which columns an episodes file fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EpisodeExport {
    /// The person's equality answers (special category data): only when asked for.
    pub equality: bool,
}

/// Every episode of the organisation, oldest first, one row per job (one row for an episode
/// with none), then the referrals that never started, oldest first.
pub async fn export_episodes(
    db: &impl ConnectionTrait,
    org: Uuid,
    what: EpisodeExport,
) -> anyhow::Result<String> {
    write_csv(EPISODE_COLUMNS, episode_rows(db, org, what).await?)
}

/// The rows of the episodes file, before they are written.
pub(super) async fn episode_rows(
    db: &impl ConnectionTrait,
    org: Uuid,
    what: EpisodeExport,
) -> anyhow::Result<Vec<EpisodeRow>> {
    let n = names(db, org).await?;
    let episodes = repo::transfer::episodes(db, org).await?;
    let mut referrals: HashMap<Uuid, referral::Model> = repo::transfer::referrals(db, org)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let mut jobs: HashMap<Uuid, Vec<job::Model>> = HashMap::new();
    for j in repo::transfer::jobs(db, org).await? {
        jobs.entry(j.episode_id).or_default().push(j);
    }
    let mut rows = Vec::new();
    for e in &episodes {
        let referral = e.referral_id.and_then(|id| referrals.remove(&id));
        let base = episode_row(&n, e, referral.as_ref(), what)?;
        match jobs.remove(&e.id) {
            None => rows.push(base),
            Some(js) => rows.extend(js.iter().map(|j| with_job(&n, base.clone(), j))),
        }
    }
    let mut never_started: Vec<referral::Model> = referrals.into_values().collect();
    never_started.sort_by_key(|r| (r.referred_on, r.id));
    for r in &never_started {
        rows.push(referral_row(&n, r, what)?);
    }
    Ok(rows)
}

fn email(n: &Names, staff: &Uuid) -> String {
    n.staff_email.get(staff).cloned().unwrap_or_default()
}

/// An episode's own columns, its referral's and the person's; no job yet.
fn episode_row(
    n: &Names,
    e: &episode::Model,
    referral: Option<&referral::Model>,
    what: EpisodeExport,
) -> anyhow::Result<EpisodeRow> {
    let mut row = EpisodeRow {
        episode_id: e.id.to_string(),
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
        hours_before: opt(e.hours_before.map(Hundredths)),
        end_reason: e.end_reason.clone().unwrap_or_default(),
        ..person_row(n, e.participant_id, &e.specialist_id, &e.programme, what)?
    };
    row.referred_on = opt(e.referred_on);
    if let Some(r) = referral {
        referral_columns(&mut row, r);
        if r.specialist_id != e.specialist_id {
            row.referral_specialist_email = email(n, &r.specialist_id);
        }
    }
    Ok(row)
}

/// A referral that never started: its columns and the person's, no episode.
fn referral_row(n: &Names, r: &referral::Model, what: EpisodeExport) -> anyhow::Result<EpisodeRow> {
    let mut row = person_row(n, r.participant_id, &r.specialist_id, &r.programme, what)?;
    referral_columns(&mut row, r);
    Ok(row)
}

/// The columns every row has: who the person is, who holds them, the programme, and (when
/// asked for) the person's equality answers.
fn person_row(
    n: &Names,
    participant: Uuid,
    specialist: &Uuid,
    programme: &str,
    what: EpisodeExport,
) -> anyhow::Result<EpisodeRow> {
    let mut row = EpisodeRow {
        participant_id: participant.to_string(),
        participant_reference: n.reference(&participant),
        specialist_email: email(n, specialist),
        programme: programme.to_owned(),
        ..EpisodeRow::default()
    };
    if what.equality
        && let Some(p) = n.participants.get(&participant)
    {
        let e: Equality = serde_json::from_str(&p.equality).context("stored equality answers")?;
        row.born_on = opt(e.born_on);
        row.gender = opt(e.gender);
        row.ethnicity = opt(e.ethnicity);
        row.disability = opt(e.disability);
        row.living_situation = opt(e.living_situation);
        row.area = opt(e.area);
    }
    Ok(row)
}

fn referral_columns(row: &mut EpisodeRow, r: &referral::Model) {
    row.referral_id = r.id.to_string();
    row.referred_on = r.referred_on.to_string();
    row.referral_source = r.source.clone();
    row.referral_accepted = opt(r.accepted);
    row.referral_decided_on = opt(r.decided_on);
    row.not_accepted_reason = r.not_accepted_reason.clone().unwrap_or_default();
}

/// An episode's row with one of its jobs.
fn with_job(n: &Names, base: EpisodeRow, j: &job::Model) -> EpisodeRow {
    EpisodeRow {
        job_id: j.id.to_string(),
        job_began_on: j.started_on.to_string(),
        job_ended_on: opt(j.ended_on),
        job_end_reason: j.end_reason.clone().unwrap_or_default(),
        job_outcome: j.outcome.clone(),
        job_paid: j.paid.to_string(),
        job_employer_id: opt(j.employer_id),
        job_employer_reference: j
            .employer_id
            .as_ref()
            .map(|id| n.reference(id))
            .unwrap_or_default(),
        job_title: j.title.clone().unwrap_or_default(),
        job_sector: j.sector.clone().unwrap_or_default(),
        job_hours_per_week: opt(j.hours_per_week.map(Hundredths)),
        job_hourly_pay: opt(j.hourly_pay.map(Hundredths)),
        job_analysis: j.job_analysis.to_string(),
        ..base
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

/// A stored response as its row of the responses file.
pub(super) fn response_row(n: &Names, r: &response::Model) -> anyhow::Result<ResponseRow> {
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
