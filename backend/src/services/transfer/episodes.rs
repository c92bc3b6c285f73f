//! Importing an episodes file: each row read and checked on its own, then the rows checked
//! together (an episode's repeated columns agree, its journey is in order), then the new
//! referrals, episodes, jobs and the participants they name written together, or none.

use super::{
    assemble::{Journeys, assemble},
    check::Row,
    export::{EpisodeExport, episode_rows},
    format::{EpisodeRow, REQUIRED_EPISODE_COLUMNS, read_rows},
    import::{Gathered, ImportReport, ParticipantSeen},
    journey::{CheckedJob, CheckedReferral, read_equality, read_job, read_referral, shape},
    names::{Names, names},
};
use crate::{
    ApiError,
    entities::{episode, job, referral, staff},
    repo,
    services::capture::body_hash,
};
use chrono::{NaiveDate, Utc};
use domain::{
    Hundredths,
    journey::SupportEndReason,
    records::{ParticipantKind, Programme, Reference},
};
use sea_orm::DatabaseConnection;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What the rows are checked against, and whose import it is.
pub(super) struct Known {
    pub org: Uuid,
    pub author: Uuid,
    pub names: Names,
    /// Today, which a date of birth must not be after.
    pub today: NaiveDate,
    pub episodes: HashMap<Uuid, episode::Model>,
    pub referrals: HashMap<Uuid, referral::Model>,
    pub jobs: HashMap<Uuid, job::Model>,
    /// The fingerprints of the referral, episode and job parts of the organisation's own
    /// export: a row of that file is stored already, unchanged, whichever way its record was
    /// first made (the app, the API or another file).
    pub as_exported: HashSet<String>,
}

impl Known {
    async fn load(db: &DatabaseConnection, org: Uuid, author: Uuid) -> Result<Known, ApiError> {
        let tz = repo::orgs::time_zone(db, org).await?;
        Ok(Known {
            org,
            author,
            names: names(db, org).await?,
            today: crate::time::today(&tz),
            episodes: repo::transfer::episodes(db, org)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect(),
            referrals: repo::transfer::referrals(db, org)
                .await?
                .into_iter()
                .map(|r| (r.id, r))
                .collect(),
            jobs: repo::transfer::jobs(db, org)
                .await?
                .into_iter()
                .map(|j| (j.id, j))
                .collect(),
            as_exported: episode_rows(db, org, EpisodeExport::default())
                .await?
                .iter()
                .flat_map(|r| {
                    [
                        (!r.referral_id.is_empty()).then(|| body_hash(&r.referral_part())),
                        (!r.episode_id.is_empty()).then(|| body_hash(&r.episode_part())),
                        (!r.job_id.is_empty()).then(|| body_hash(&r.job_part())),
                    ]
                })
                .flatten()
                .collect(),
        })
    }
}

/// A row that passed every check of its own.
pub(super) struct CheckedRow {
    pub n: usize,
    pub rec: EpisodeRow,
    pub participant: ParticipantSeen,
    pub specialist: staff::Model,
    pub programme: Programme,
    pub referred_on: Option<NaiveDate>,
    pub episode: Option<CheckedEpisode>,
    pub referral: Option<CheckedReferral>,
    pub job: Option<CheckedJob>,
}

/// The episode a row describes.
pub(super) struct CheckedEpisode {
    pub id: Uuid,
    pub employer: Option<ParticipantSeen>,
    pub started: NaiveDate,
    pub profile: Option<NaiveDate>,
    pub job: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub hours_before: Option<Hundredths>,
    pub end_reason: Option<SupportEndReason>,
    pub hash: String,
}

/// Imports an episodes file: all rows or none.
pub async fn import_episodes(
    db: &DatabaseConnection,
    org: Uuid,
    author: Uuid,
    csv_text: &str,
) -> Result<ImportReport, ApiError> {
    let known = Known::load(db, org, author).await?;
    let rows = read_rows::<EpisodeRow>(csv_text, REQUIRED_EPISODE_COLUMNS)?;
    let gathered: Gathered<Vec<CheckedRow>> = Gathered::rows(
        rows,
        |row, rec| check(row, &known, rec),
        |g, n, rec, c| {
            add(g, n, rec, c);
            Ok(())
        },
    )?;
    let gathered: Gathered<Journeys> = assemble(gathered, &known);
    gathered
        .write(
            db,
            org,
            author,
            &known.names.participants,
            HashMap::new(),
            "episodes",
        )
        .await
}

/// Reads a row's fields and checks what can be checked on the row alone, noting every problem.
fn check(row: &mut Row, known: &Known, rec: &EpisodeRow) -> Option<PartialRow> {
    shape(row, rec);
    let participant =
        ParticipantSeen::read(row, &rec.participant_id, &rec.participant_reference, |_| {
            Some(ParticipantKind::Jobseeker)
        });
    let equality = read_equality(row, rec, known.today);
    let specialist = known.names.specialist(row, &rec.specialist_email).cloned();
    let programme = row.parsed("programme", &rec.programme, Programme::parse);
    let referred_on = row.opt_date("referred_on", &rec.referred_on);
    let episode = read_episode(row, rec, referred_on.flatten());
    let episode_id = episode.as_ref().and_then(|e| e.as_ref().map(|e| e.id));
    let referral = read_referral(row, known, rec, referred_on, episode_id.is_some());
    let job = read_job(row, rec, episode_id);
    if !row.errors.is_empty() {
        return None;
    }
    let partial = (|| {
        let mut participant = participant?;
        participant.equality = equality?;
        Some(PartialRow {
            participant,
            specialist: specialist?,
            programme: programme?,
            referred_on: referred_on?,
            episode: episode?,
            referral: referral?,
            job: job?,
        })
    })();
    if partial.is_none() {
        row.bad("row", "could not be read");
    }
    partial
}

/// A checked row before it knows its number.
struct PartialRow {
    participant: ParticipantSeen,
    specialist: staff::Model,
    programme: Programme,
    referred_on: Option<NaiveDate>,
    episode: Option<CheckedEpisode>,
    referral: Option<CheckedReferral>,
    job: Option<CheckedJob>,
}

/// Takes a checked row: its people are wanted whatever happens; whether its records are new
/// is for the rows together to say.
fn add(g: &mut Gathered<Vec<CheckedRow>>, n: usize, rec: EpisodeRow, p: PartialRow) {
    g.people.push((n, p.participant.clone()));
    let employers = [
        p.episode.as_ref().and_then(|e| e.employer.clone()),
        p.job.as_ref().and_then(|j| j.employer.clone()),
    ];
    g.people
        .extend(employers.into_iter().flatten().map(|e| (n, e)));
    g.records.push(CheckedRow {
        n,
        rec,
        participant: p.participant,
        specialist: p.specialist,
        programme: p.programme,
        referred_on: p.referred_on,
        episode: p.episode,
        referral: p.referral,
        job: p.job,
    });
}

/// The episode a row describes, if it describes one (`episode_id` or `started_on` given).
fn read_episode(
    row: &mut Row,
    rec: &EpisodeRow,
    referred: Option<NaiveDate>,
) -> Option<Option<CheckedEpisode>> {
    if rec.episode_id.trim().is_empty() && rec.started_on.trim().is_empty() {
        return Some(None);
    }
    let id = row.uuid("episode_id", &rec.episode_id);
    let started = row.date("started_on", &rec.started_on);
    let profile = row.opt_date("profile_started_on", &rec.profile_started_on);
    let job = row.opt_date("job_started_on", &rec.job_started_on);
    let ended = row.opt_date("ended_on", &rec.ended_on);
    let hours_before = row.opt_hundredths("hours_before", &rec.hours_before);
    let end_reason = row.opt_parsed("end_reason", &rec.end_reason, SupportEndReason::parse);
    let employer = read_employer(
        row,
        ("employer_id", &rec.employer_id),
        ("employer_reference", &rec.employer_reference),
    );
    if let (Some(started), Some(p), Some(j), Some(e)) = (started, profile, job, ended)
        && let Err(fe) = domain::records::check_episode_dates(referred, started, p, j, e)
    {
        row.bad(fe.field, fe.message);
    }
    if let (Some(h), Some(e), Some(r)) = (hours_before, ended, end_reason)
        && let Err(fe) = domain::records::check_episode_extras(h, e, r)
    {
        row.bad(fe.field, fe.message);
    }
    Some(Some(CheckedEpisode {
        id: id?,
        employer: employer?,
        started: started?,
        profile: profile?,
        job: job?,
        ended: ended?,
        hours_before: hours_before?,
        end_reason: end_reason?,
        hash: body_hash(&rec.episode_part()),
    }))
}

/// An employer a row names by id and reference (`(column, value)` each); the reference is
/// needed with the id.
pub(super) fn read_employer(
    row: &mut Row,
    (id_field, id): (&str, &str),
    (ref_field, reference): (&str, &str),
) -> Option<Option<ParticipantSeen>> {
    let employer = row.opt_uuid(id_field, id);
    let reference = row
        .opt_parsed(ref_field, reference, Reference::parse)
        .flatten();
    if let Some(Some(_)) = employer
        && reference.is_none()
    {
        row.bad(ref_field, "an employer needs its reference");
    }
    Some(
        employer?
            .zip(reference)
            .map(|(id, reference)| ParticipantSeen {
                id,
                reference,
                kind: ParticipantKind::Employer,
                equality: None,
            }),
    )
}

/// A new episode's record.
pub(super) fn episode_record(
    known: &Known,
    row: &CheckedRow,
    e: &CheckedEpisode,
) -> episode::ActiveModel {
    use sea_orm::Set;
    let now = Utc::now();
    episode::ActiveModel {
        id: Set(e.id),
        organisation_id: Set(known.org),
        participant_id: Set(row.participant.id),
        specialist_id: Set(row.specialist.id),
        team_id: Set(row.specialist.team_id),
        programme: Set(row.programme.as_str().to_owned()),
        referred_on: Set(row.referred_on),
        started_on: Set(e.started),
        profile_started_on: Set(e.profile),
        job_started_on: Set(e.job),
        ended_on: Set(e.ended),
        employer_id: Set(e.employer.as_ref().map(|e| e.id)),
        referral_id: Set(row.referral.as_ref().map(|r| r.id)),
        hours_before: Set(e.hours_before.map(|h| h.0)),
        end_reason: Set(e.end_reason.map(|r| r.as_str().to_owned())),
        created_by: Set(known.author),
        body_hash: Set(e.hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
