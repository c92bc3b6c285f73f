//! Importing an episodes file: each row checked against the organisation's staff and stored
//! episodes, then the new episodes and the participants they name written together, or none.

use super::{
    check::Row,
    format::{EPISODE_COLUMNS, EpisodeRow, read_rows},
    import::{Gathered, ImportReport, ParticipantSeen},
    names::{Names, names},
};
use crate::{
    ApiError,
    entities::{episode, staff},
    repo,
    services::capture::body_hash,
};
use chrono::{NaiveDate, Utc};
use domain::records::{ParticipantKind, Programme, Reference};
use sea_orm::{DatabaseConnection, Set};
use std::collections::HashMap;
use uuid::Uuid;

/// What the rows are checked against, and whose import it is.
struct Known {
    org: Uuid,
    author: Uuid,
    names: Names,
    existing: HashMap<Uuid, episode::Model>,
}

/// An episodes row that passed every check.
struct CheckedEpisode {
    id: Uuid,
    participant: ParticipantSeen,
    employer: Option<ParticipantSeen>,
    specialist: staff::Model,
    programme: Programme,
    referred: Option<NaiveDate>,
    started: NaiveDate,
    profile: Option<NaiveDate>,
    job: Option<NaiveDate>,
    ended: Option<NaiveDate>,
}

/// Imports an episodes file: all rows or none.
pub async fn import_episodes(
    db: &DatabaseConnection,
    org: Uuid,
    author: Uuid,
    csv_text: &str,
) -> Result<ImportReport, ApiError> {
    let names = names(db, org).await?;
    let existing = repo::transfer::episodes(db, org)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let known = Known {
        org,
        author,
        names,
        existing,
    };
    let rows = read_rows::<EpisodeRow>(csv_text, EPISODE_COLUMNS)?;
    let gathered = Gathered::rows(
        rows,
        |row, rec| check(row, &known, rec),
        |g, n, rec, c| {
            add(g, &known, n, &rec, c);
            Ok(())
        },
    )?;
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

/// Reads a row's fields and checks its dates and employer, noting every problem on the row.
fn check(row: &mut Row, known: &Known, rec: &EpisodeRow) -> Option<CheckedEpisode> {
    let id = row.uuid("episode_id", &rec.episode_id);
    let participant =
        ParticipantSeen::read(row, &rec.participant_id, &rec.participant_reference, |_| {
            Some(ParticipantKind::Jobseeker)
        });
    let specialist = known.names.specialist(row, &rec.specialist_email).cloned();
    let programme = row.parsed("programme", &rec.programme, Programme::parse);
    let referred = row.opt_date("referred_on", &rec.referred_on);
    let started = row.date("started_on", &rec.started_on);
    let profile = row.opt_date("profile_started_on", &rec.profile_started_on);
    let job = row.opt_date("job_started_on", &rec.job_started_on);
    let ended = row.opt_date("ended_on", &rec.ended_on);
    let employer = row.opt_uuid("employer_id", &rec.employer_id);
    let employer_ref = row
        .opt_parsed(
            "employer_reference",
            &rec.employer_reference,
            Reference::parse,
        )
        .flatten();
    if let (Some(started), Some(r), Some(p), Some(j), Some(e)) =
        (started, referred, profile, job, ended)
        && let Err(fe) = domain::records::check_episode_dates(r, started, p, j, e)
    {
        row.bad(fe.field, fe.message);
    }
    if let Some(Some(_)) = employer
        && employer_ref.is_none()
    {
        row.bad("employer_reference", "an employer needs its reference");
    }
    if !row.errors.is_empty() {
        return None;
    }
    Some(CheckedEpisode {
        id: id?,
        participant: participant?,
        employer: employer?
            .zip(employer_ref)
            .map(|(id, reference)| ParticipantSeen {
                id,
                reference,
                kind: ParticipantKind::Employer,
            }),
        specialist: specialist?,
        programme: programme?,
        referred: referred?,
        started: started?,
        profile: profile?,
        job: job?,
        ended: ended?,
    })
}

/// Takes a checked row: its people are wanted whatever happens, its episode only if new.
fn add(
    g: &mut Gathered<episode::ActiveModel>,
    known: &Known,
    n: usize,
    rec: &EpisodeRow,
    c: CheckedEpisode,
) {
    g.people.push((n, c.participant.clone()));
    if let Some(employer) = &c.employer {
        g.people.push((n, employer.clone()));
    }
    let hash = body_hash(rec);
    match known.existing.get(&c.id) {
        Some(old) => g.already_stored(n, old.body_hash == hash, "episode_id", "an episode"),
        None => g.records.push(record(known, c, hash)),
    }
}

fn record(known: &Known, c: CheckedEpisode, hash: String) -> episode::ActiveModel {
    let now = Utc::now();
    episode::ActiveModel {
        id: Set(c.id),
        organisation_id: Set(known.org),
        participant_id: Set(c.participant.id),
        specialist_id: Set(c.specialist.id),
        team_id: Set(c.specialist.team_id),
        programme: Set(c.programme.as_str().to_owned()),
        referred_on: Set(c.referred),
        started_on: Set(c.started),
        profile_started_on: Set(c.profile),
        job_started_on: Set(c.job),
        ended_on: Set(c.ended),
        employer_id: Set(c.employer.map(|e| e.id)),
        referral_id: Set(None),
        hours_before: Set(None),
        end_reason: Set(None),
        created_by: Set(known.author),
        body_hash: Set(hash),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
