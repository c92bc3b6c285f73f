//! Saving journey records: each into the outbox (sent later in one `/api/sync` batch, in the
//! order made: a referral before the support that starts from it), and into the cache as the
//! server will return it, so the client's page shows it at once, offline too.

use domain::auth::Me;
use domain::journey::{Job, JobEndRecord, NewJob, NewReferral, Referral};
use domain::records::{Episode, EpisodeUpdateRecord, NewEpisode};
use uuid::Uuid;

use crate::staff::auth::Auth;
use crate::staff::offline::Caseload;
use crate::staff::offline::journey::{Change, LocalChange};
use crate::staff::offline::outbox::{enqueue, enqueue_part};

/// A referral as the server will return it.
pub fn shown_referral(new: &NewReferral, me: &Me) -> Referral {
    Referral {
        id: new.id,
        participant_id: new.participant_id,
        specialist_id: me.id,
        team_id: me.team_id,
        programme: new.programme,
        referred_on: new.referred_on,
        source: new.source,
        accepted: new.accepted,
        decided_on: new.decided_on,
        not_accepted_reason: new.not_accepted_reason,
        episode_id: None,
    }
}

/// An episode as the server will return it.
pub fn shown_episode(e: &NewEpisode, me: &Me) -> Episode {
    Episode {
        id: e.id,
        participant_id: e.participant_id,
        specialist_id: me.id,
        team_id: me.team_id,
        programme: e.programme,
        referred_on: e.referred_on,
        started_on: e.started_on,
        profile_started_on: e.profile_started_on,
        job_started_on: e.job_started_on,
        ended_on: e.ended_on,
        employer_id: e.employer_id,
        referral_id: e.referral_id,
        hours_before: e.hours_before,
        end_reason: e.end_reason,
    }
}

/// A job as the server will return it.
pub fn shown_job(j: &NewJob) -> Job {
    Job {
        id: j.id,
        episode_id: j.episode_id,
        started_on: j.started_on,
        outcome: j.outcome,
        paid: j.paid,
        employer_id: j.employer_id,
        title: j.title.as_ref().map(|t| t.as_str().to_owned()),
        sector: j.sector,
        hours_per_week: j.hours_per_week,
        hourly_pay: j.hourly_pay,
        job_analysis: j.job_analysis,
        ended_on: j.ended_on,
        end_reason: j.end_reason,
    }
}

/// Saves a referral and the support started from it (either may be absent) in the outbox, in
/// that order, and shows them here; `labels` word each for the outbox list. Both are part of
/// one thing done (`action`: a new client's id when they come with the client).
pub async fn save_start(
    auth: Auth,
    caseload: Caseload,
    action: Uuid,
    referral: Option<&NewReferral>,
    episode: Option<&NewEpisode>,
    labels: (&str, &str),
) -> Result<(), String> {
    let me = auth.me_untracked().ok_or("no login")?;
    if let Some(r) = referral {
        enqueue_part(auth, action, "referral", r.id, labels.0, r).await?;
    }
    if let Some(e) = episode {
        enqueue_part(auth, action, "episode", e.id, labels.1, e).await?;
    }
    caseload.update(|c| {
        c.referrals.extend(referral.map(|r| shown_referral(r, &me)));
        if let Some(e) = episode {
            c.start(shown_episode(e, &me));
        }
    });
    Ok(())
}

/// Saves a job in the outbox and shows it here.
pub async fn save_job(
    auth: Auth,
    caseload: Caseload,
    job: &NewJob,
    label: &str,
) -> Result<(), String> {
    enqueue(auth, "job", job.id, label, job).await?;
    caseload.update(|c| c.jobs.push(shown_job(job)));
    Ok(())
}

/// Saves a job's end or a change to an episode in the outbox, and shows it here until the
/// server has it. The server applies the same change twice as once; the outbox key is new.
pub async fn save_change(
    auth: Auth,
    caseload: Caseload,
    change: Change,
    label: &str,
) -> Result<(), String> {
    let key = Uuid::new_v4();
    match &change {
        Change::JobEnd(end) => enqueue::<JobEndRecord>(auth, "job_end", key, label, end).await?,
        Change::Episode(update) => {
            enqueue::<EpisodeUpdateRecord>(auth, "episode_update", key, label, update).await?
        }
    }
    let change = LocalChange {
        key: key.to_string(),
        change,
    };
    caseload.update(|c| c.change(change));
    Ok(())
}
