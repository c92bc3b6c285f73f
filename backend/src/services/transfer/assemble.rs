//! The rows of an episodes file taken together: an episode on several rows (one per job) says
//! the same on each, a referral starts one episode at most, a job has one row, every journey
//! is in order (DESIGN §4a: no step dated before the one it follows), and what is stored
//! already is either the same (a file imported twice) or refused.

use super::{
    episodes::{CheckedRow, Known, episode_record},
    format::first_difference,
    import::{Gathered, Records},
    journey::CheckedJob,
};
use crate::entities::{episode, job, referral};
use chrono::{NaiveDate, Utc};
use domain::{
    RowError,
    journey::{JourneyDates, check_journey},
};
use sea_orm::{ConnectionTrait, DbErr, Set};
use std::collections::HashMap;
use uuid::Uuid;

/// The new records of an episodes file, written referrals first, then episodes, then jobs.
#[derive(Default)]
pub(super) struct Journeys {
    referrals: Vec<referral::ActiveModel>,
    episodes: Vec<episode::ActiveModel>,
    jobs: Vec<job::ActiveModel>,
}

impl Records for Journeys {
    async fn insert(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        self.referrals.insert(db).await?;
        self.episodes.insert(db).await?;
        self.jobs.insert(db).await
    }
}

/// The first row each referral, episode and job appears on, and which episode each referral
/// started.
#[derive(Default)]
struct Seen<'a> {
    referrals: HashMap<Uuid, &'a CheckedRow>,
    /// Where each episode is in `journeys`.
    episodes: HashMap<Uuid, usize>,
    jobs: HashMap<Uuid, usize>,
    started: HashMap<Uuid, &'a CheckedRow>,
    /// Each episode's first row and the rows of its jobs, in file order.
    journeys: Vec<(&'a CheckedRow, Vec<&'a CheckedRow>)>,
    new_referrals: Vec<&'a CheckedRow>,
}

fn error(row: usize, field: impl Into<String>, message: impl Into<String>) -> RowError {
    RowError {
        row,
        field: field.into(),
        message: message.into(),
    }
}

/// Checks the rows together and turns the new referrals, episodes and jobs into records,
/// counting each row as imported (it brought something new) or unchanged.
pub(super) fn assemble(g: Gathered<Vec<CheckedRow>>, known: &Known) -> Gathered<Journeys> {
    let mut out = Gathered {
        errors: g.errors,
        people: g.people,
        records: Journeys::default(),
        imported: 0,
        unchanged: 0,
    };
    let mut seen = Seen::default();
    for row in &g.records {
        let referral = referral_step(&mut out, &mut seen, known, row);
        let episode = episode_step(&mut out, &mut seen, known, row);
        let job = job_step(&mut out, &mut seen, known, row);
        if referral || episode || job {
            out.imported += 1;
        } else {
            out.unchanged += 1;
        }
    }
    for (first, jobs) in &seen.journeys {
        check_dates(&mut out.errors, &seen, first, jobs);
    }
    for row in &seen.new_referrals {
        if let Some(r) = referral_record(known, &seen, row) {
            out.records.referrals.push(r);
        }
    }
    out
}

/// A row's referral: the same on every row that names it; new unless stored already.
fn referral_step<'a>(
    out: &mut Gathered<Journeys>,
    seen: &mut Seen<'a>,
    known: &Known,
    row: &'a CheckedRow,
) -> bool {
    let Some(r) = &row.referral else {
        return false;
    };
    if let Some(first) = seen.referrals.get(&r.id) {
        if first.referral.as_ref().is_some_and(|f| f.hash != r.hash) {
            let (a, b) = (first.rec.referral_part(), row.rec.referral_part());
            let field = first_difference(&a, &b).unwrap_or_else(|| "referral_id".into());
            let message = format!("differs from row {} (the same referral)", first.n);
            out.errors.push(error(row.n, field, message));
        }
        return false;
    }
    seen.referrals.insert(r.id, row);
    match known.referrals.get(&r.id) {
        Some(old) => {
            if old.body_hash != r.hash && !known.as_exported.contains(&r.hash) {
                out.errors.push(error(
                    row.n,
                    "referral_id",
                    "a referral with this id already exists with other content",
                ));
            }
            false
        }
        None => {
            seen.new_referrals.push(row);
            true
        }
    }
}

/// A row's episode: the same on every row that names it; one per referral; new unless stored.
fn episode_step<'a>(
    out: &mut Gathered<Journeys>,
    seen: &mut Seen<'a>,
    known: &Known,
    row: &'a CheckedRow,
) -> bool {
    let Some(e) = &row.episode else {
        return false;
    };
    if let Some((first, jobs)) = seen.episodes.get(&e.id).map(|i| &mut seen.journeys[*i]) {
        if first.episode.as_ref().is_some_and(|f| f.hash != e.hash) {
            let (a, b) = (first.rec.episode_part(), row.rec.episode_part());
            let field = first_difference(&a, &b).unwrap_or_else(|| "episode_id".into());
            let message = format!("differs from row {} (the same episode)", first.n);
            out.errors.push(error(row.n, field, message));
        }
        jobs.extend(row.job.as_ref().map(|_| row));
        return false;
    }
    seen.episodes.insert(e.id, seen.journeys.len());
    seen.journeys
        .push((row, row.job.as_ref().map(|_| row).into_iter().collect()));
    if let Some(r) = &row.referral {
        one_episode_per_referral(out, seen, known, row, r.id, e.id);
    }
    match known.episodes.get(&e.id) {
        Some(old) => {
            if old.body_hash != e.hash && !known.as_exported.contains(&e.hash) {
                out.errors.push(error(
                    row.n,
                    "episode_id",
                    "an episode with this id already exists with other content",
                ));
            }
            false
        }
        None => {
            out.records.episodes.push(episode_record(known, row, e));
            true
        }
    }
}

/// Support starts from a referral once: refused when another row's episode, or a stored one,
/// already started from it.
fn one_episode_per_referral<'a>(
    out: &mut Gathered<Journeys>,
    seen: &mut Seen<'a>,
    known: &Known,
    row: &'a CheckedRow,
    referral: Uuid,
    episode: Uuid,
) {
    if let Some(other) = seen.started.get(&referral) {
        let message = format!(
            "support has already started from this referral (row {})",
            other.n
        );
        out.errors.push(error(row.n, "referral_id", message));
        return;
    }
    seen.started.insert(referral, row);
    let stored = known
        .episodes
        .values()
        .find(|s| s.referral_id == Some(referral) && s.id != episode);
    if let Some(s) = stored {
        let message = format!(
            "support has already started from this referral (episode {})",
            s.id
        );
        out.errors.push(error(row.n, "referral_id", message));
    }
}

/// A row's job: one row per job; new unless stored already.
fn job_step(
    out: &mut Gathered<Journeys>,
    seen: &mut Seen<'_>,
    known: &Known,
    row: &CheckedRow,
) -> bool {
    let Some(j) = &row.job else {
        return false;
    };
    let id = j.job.id;
    if let Some(first) = seen.jobs.get(&id) {
        let message = format!("row {first} has this job too; a job has one row");
        out.errors.push(error(row.n, "job_id", message));
        return false;
    }
    seen.jobs.insert(id, row.n);
    match known.jobs.get(&id) {
        Some(old) => {
            let same = old.body_hash == j.hash || known.as_exported.contains(&j.hash);
            if !same || old.episode_id != j.job.episode_id {
                out.errors.push(error(
                    row.n,
                    "job_id",
                    "a job with this id already exists with other content",
                ));
            }
            false
        }
        None => {
            out.records.jobs.push(job_record(known, j));
            true
        }
    }
}

/// The decision on an episode's referral as it will be stored: support starting is the
/// referral's acceptance, on the start day, when the file records no decision.
fn decided_on(seen: &Seen<'_>, referral: Uuid) -> Option<NaiveDate> {
    let row = seen.referrals.get(&referral)?;
    let r = row.referral.as_ref()?;
    match (r.decided_on, seen.started.get(&referral)) {
        (Some(d), _) => Some(d),
        (None, Some(started)) => started.episode.as_ref().map(|e| e.started),
        (None, None) => None,
    }
}

/// An episode's journey in order: its own steps (named on its first row), then each job's
/// (named on that job's row).
fn check_dates(
    errors: &mut Vec<RowError>,
    seen: &Seen<'_>,
    first: &CheckedRow,
    jobs: &[&CheckedRow],
) {
    let Some(e) = &first.episode else {
        return;
    };
    let mut dates = JourneyDates {
        referred_on: first.referred_on,
        decided_on: first.referral.as_ref().and_then(|r| decided_on(seen, r.id)),
        started_on: Some(e.started),
        profile_started_on: e.profile,
        jobs: Vec::new(),
        ended_on: e.ended,
    };
    if let Err(fe) = check_journey(&dates) {
        errors.push(error(first.n, journey_column(fe.field), fe.message));
        return;
    }
    for row in jobs {
        let Some(j) = &row.job else { continue };
        dates.jobs = vec![(j.job.started_on, j.job.ended_on)];
        if let Err(fe) = check_journey(&dates) {
            errors.push(error(row.n, journey_column(fe.field), fe.message));
        }
    }
}

/// The column a step of `check_journey` is in.
fn journey_column(field: &str) -> &str {
    match field {
        "decided_on" => "referral_decided_on",
        "job_started_on" => "job_began_on",
        "job_ended_on" => "job_ended_on",
        other => other,
    }
}

/// A new referral's record; one that support started from and that records no decision is
/// accepted on the start day, as when support starts in the app.
fn referral_record(
    known: &Known,
    seen: &Seen<'_>,
    row: &CheckedRow,
) -> Option<referral::ActiveModel> {
    let r = row.referral.as_ref()?;
    let holder = r.holder.as_ref().unwrap_or(&row.specialist);
    let started = seen.started.contains_key(&r.id);
    let accepted = r.accepted.or(started.then_some(true));
    let now = Utc::now();
    Some(referral::ActiveModel {
        id: Set(r.id),
        organisation_id: Set(known.org),
        participant_id: Set(row.participant.id),
        specialist_id: Set(holder.id),
        team_id: Set(holder.team_id),
        programme: Set(row.programme.as_str().to_owned()),
        referred_on: Set(r.referred_on),
        source: Set(r.source.as_str().to_owned()),
        accepted: Set(accepted),
        decided_on: Set(decided_on(seen, r.id)),
        not_accepted_reason: Set(r.reason.map(|x| x.as_str().to_owned())),
        created_by: Set(known.author),
        body_hash: Set(r.hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    })
}

/// A new job's record.
fn job_record(known: &Known, c: &CheckedJob) -> job::ActiveModel {
    let now = Utc::now();
    let j = &c.job;
    job::ActiveModel {
        id: Set(j.id),
        organisation_id: Set(known.org),
        episode_id: Set(j.episode_id),
        started_on: Set(j.started_on),
        outcome: Set(j.outcome.as_str().to_owned()),
        paid: Set(j.paid),
        employer_id: Set(j.employer_id),
        title: Set(j.title.clone().map(String::from)),
        sector: Set(j.sector.map(|s| s.as_str().to_owned())),
        hours_per_week: Set(j.hours_per_week.map(|h| h.0)),
        hourly_pay: Set(j.hourly_pay.map(|p| p.0)),
        job_analysis: Set(j.job_analysis),
        ended_on: Set(j.ended_on),
        end_reason: Set(j.end_reason.map(|r| r.as_str().to_owned())),
        created_by: Set(known.author),
        body_hash: Set(c.hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
