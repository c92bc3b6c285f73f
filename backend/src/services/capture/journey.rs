//! The journey of an episode (DESIGN §4a): referrals and the decision on them, jobs and their
//! endings. Like every field record they arrive with a device id, are stored once, and a step
//! dated before the one it follows is refused naming its field (`domain::journey`).

use super::{body_hash, episode_for_step, internal, participant_for, same_record, store_once};
use super::{specialist_for, stored};
use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{episode, job, referral},
    repo,
    state::AppState,
};
use chrono::Utc;
use domain::journey::{
    Job, JobEnd, JobEndReason, JourneyDates, NewJob, NewReferral, NotAcceptedReason, OutcomeType,
    Referral, ReferralDecision, ReferralSource, Sector, check_journey,
};
use domain::records::{ParticipantKind, Programme};
use domain::{Hundredths, ParseError};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

fn opt_stored<T>(
    what: &str,
    v: Option<&str>,
    parse: impl Fn(&str) -> std::result::Result<T, ParseError>,
) -> Result<Option<T>> {
    v.map(|v| stored(what, v, parse)).transpose()
}

pub(crate) fn referral_out(r: referral::Model, episode_id: Option<Uuid>) -> Result<Referral> {
    Ok(Referral {
        id: r.id,
        participant_id: r.participant_id,
        specialist_id: r.specialist_id,
        team_id: r.team_id,
        programme: stored("programme", &r.programme, Programme::parse)?,
        referred_on: r.referred_on,
        source: stored("source", &r.source, ReferralSource::parse)?,
        accepted: r.accepted,
        decided_on: r.decided_on,
        not_accepted_reason: opt_stored(
            "not_accepted_reason",
            r.not_accepted_reason.as_deref(),
            NotAcceptedReason::parse,
        )?,
        episode_id,
    })
}

impl TryFrom<job::Model> for Job {
    type Error = ApiError;
    fn try_from(j: job::Model) -> Result<Self> {
        Ok(Job {
            id: j.id,
            episode_id: j.episode_id,
            started_on: j.started_on,
            outcome: stored("outcome", &j.outcome, OutcomeType::parse)?,
            paid: j.paid,
            employer_id: j.employer_id,
            title: j.title,
            sector: opt_stored("sector", j.sector.as_deref(), Sector::parse)?,
            hours_per_week: j.hours_per_week.map(Hundredths),
            hourly_pay: j.hourly_pay.map(Hundredths),
            job_analysis: j.job_analysis,
            ended_on: j.ended_on,
            end_reason: opt_stored("end_reason", j.end_reason.as_deref(), JobEndReason::parse)?,
        })
    }
}

/// A referral with the episode that started from it.
async fn with_episode(state: &AppState, r: referral::Model) -> Result<Referral> {
    let started = repo::journey::episode_from_referral(&state.db, r.id).await?;
    referral_out(r, started.map(|e| e.id))
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn referral(state: &AppState, user: &StaffUser, new: NewReferral) -> Result<Referral> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::journey::find_referral_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return with_episode(state, existing).await;
    }
    new.check()?;
    new.check_dates(crate::time::utc_today())?;
    let person = participant_for(state, user, new.participant_id, "participant_id").await?;
    if person.kind != ParticipantKind::Jobseeker.as_str() {
        return Err(ApiError::invalid(
            "participant_id",
            "referrals are for jobseekers",
        ));
    }
    let specialist = specialist_for(state, user, new.specialist_id).await?;
    let now = Utc::now();
    let am = referral::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        participant_id: Set(new.participant_id),
        specialist_id: Set(specialist.id),
        team_id: Set(specialist.team_id),
        programme: Set(new.programme.as_str().to_owned()),
        referred_on: Set(new.referred_on),
        source: Set(new.source.as_str().to_owned()),
        accepted: Set(new.accepted),
        decided_on: Set(new.decided_on),
        not_accepted_reason: Set(new.not_accepted_reason.map(|r| r.as_str().to_owned())),
        created_by: Set(user.id),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = new.id;
    let stored = store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::journey::find_referral_any(&state.db, id),
        internal,
    )
    .await?;
    tracing::info!(referral_id = %stored.id, "referral stored");
    with_episode(state, stored).await
}

/// Records (or corrects) the decision on a referral. A referral that support started from
/// stays accepted, and its decision may not come after the start.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn decide_referral(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    decision: ReferralDecision,
) -> Result<Referral> {
    let current = repo::journey::visible_referral(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such referral on your caseload"))?;
    decision.check_dates(crate::time::utc_today())?;
    domain::journey::check_decision(
        current.referred_on,
        Some(decision.accepted),
        Some(decision.decided_on),
        decision.not_accepted_reason,
    )?;
    let started = repo::journey::episode_from_referral(&state.db, id).await?;
    if let Some(e) = &started {
        if !decision.accepted {
            return Err(ApiError::invalid(
                "accepted",
                "support has already started from this referral",
            ));
        }
        // The decision is what moved: name it, not the service start the journey check
        // would blame.
        if decision.decided_on > e.started_on {
            return Err(ApiError::invalid(
                "decided_on",
                format!("must not be after the service start ({})", e.started_on),
            ));
        }
        check_journey(&JourneyDates {
            referred_on: Some(current.referred_on),
            decided_on: Some(decision.decided_on),
            started_on: Some(e.started_on),
            ..JourneyDates::default()
        })?;
    }
    let mut am: referral::ActiveModel = current.into();
    am.accepted = Set(Some(decision.accepted));
    am.decided_on = Set(Some(decision.decided_on));
    am.not_accepted_reason = Set(decision.not_accepted_reason.map(|r| r.as_str().to_owned()));
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(referral_id = %updated.id, "referral decided");
    referral_out(updated, started.map(|e| e.id))
}

/// The dates of an episode's whole journey as stored, with `jobs` in place of its stored jobs
/// when given (a job being added or changed).
pub(crate) async fn journey_of(
    state: &AppState,
    e: &episode::Model,
    jobs: Option<Vec<(chrono::NaiveDate, Option<chrono::NaiveDate>)>>,
) -> Result<JourneyDates> {
    let decided_on = match e.referral_id {
        Some(r) => repo::journey::find_referral_any(&state.db, r)
            .await?
            .and_then(|r| r.decided_on),
        None => None,
    };
    let jobs = match jobs {
        Some(j) => j,
        None => repo::journey::jobs_of_episode(&state.db, e.id)
            .await?
            .into_iter()
            .map(|j| (j.started_on, j.ended_on))
            .collect(),
    };
    Ok(JourneyDates {
        referred_on: e.referred_on,
        decided_on,
        started_on: Some(e.started_on),
        profile_started_on: e.profile_started_on,
        jobs,
        ended_on: e.ended_on,
    })
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn job(state: &AppState, user: &StaffUser, new: NewJob) -> Result<Job> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::journey::find_job_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        // A resend: the first request stored the job but may have failed before making it
        // the placement (a busy database answers 503 and the outbox sends the job again).
        if existing.employer_id.is_some()
            && let Some(ep) =
                repo::records::visible_episode(&state.db, user, existing.episode_id).await?
        {
            first_placement(state, ep, &existing).await?;
        }
        return existing.try_into();
    }
    new.check()?;
    new.check_dates(crate::time::utc_today())?;
    let ep = episode_for_step(state, user, new.episode_id).await?;
    super::employer_for(state, user, new.employer_id).await?;
    // A job after support ended: the new job's start is at fault. The journey check would
    // name the support end `ended_on`, which in a job record is the job's own end.
    if let Some(end) = ep.ended_on
        && new.started_on > end
    {
        return Err(ApiError::invalid(
            "started_on",
            format!("must not be after the end of support ({end})"),
        ));
    }
    let mut jobs = journey_of(state, &ep, None).await?.jobs;
    jobs.push((new.started_on, new.ended_on));
    let journey = journey_of(state, &ep, Some(jobs)).await?;
    check_journey(&journey).map_err(|e| job_field(e, "started_on"))?;
    let now = Utc::now();
    let am = job::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        episode_id: Set(new.episode_id),
        started_on: Set(new.started_on),
        outcome: Set(new.outcome.as_str().to_owned()),
        paid: Set(new.paid),
        employer_id: Set(new.employer_id),
        title: Set(new.title.map(String::from)),
        sector: Set(new.sector.map(|s| s.as_str().to_owned())),
        hours_per_week: Set(new.hours_per_week.map(|h| h.0)),
        hourly_pay: Set(new.hourly_pay.map(|p| p.0)),
        job_analysis: Set(new.job_analysis),
        ended_on: Set(new.ended_on),
        end_reason: Set(new.end_reason.map(|r| r.as_str().to_owned())),
        created_by: Set(user.id),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = new.id;
    let stored = store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::journey::find_job_any(&state.db, id),
        internal,
    )
    .await?;
    tracing::info!(job_id = %stored.id, episode_id = %stored.episode_id, "job stored");
    first_placement(state, ep, &stored).await?;
    stored.try_into()
}

/// The first job with one of our employers is the episode's placement: from its start the
/// employer's satisfaction survey falls due (coverage, DESIGN §4), as when the placement is
/// recorded on the episode itself. A placement already recorded stays.
async fn first_placement(state: &AppState, ep: episode::Model, j: &job::Model) -> Result<()> {
    if ep.job_started_on.is_some() || j.employer_id.is_none() {
        return Ok(());
    }
    let mut am: episode::ActiveModel = ep.into();
    am.job_started_on = Set(Some(j.started_on));
    am.employer_id = Set(j.employer_id);
    am.updated_at = Set(Utc::now());
    am.update(&state.db).await?;
    Ok(())
}

/// A journey error about a job's dates, named as the job record names them.
fn job_field(e: domain::records::FieldError, start: &'static str) -> ApiError {
    let field = match e.field {
        "job_started_on" => start,
        "job_ended_on" => "ended_on",
        other => other,
    };
    ApiError::invalid(field, e.message)
}

/// Ends a job (or corrects or clears its end). Setting the same end twice leaves it as once.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn end_job(state: &AppState, user: &StaffUser, id: Uuid, end: JobEnd) -> Result<Job> {
    let current = repo::journey::find_job_any(&state.db, id)
        .await?
        .filter(|j| j.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such job on your caseload"))?;
    // Not `episode_for_step`: mapping its every error to 404 would turn a busy database
    // (503, which the outbox sends again) into a refusal the outbox gives up on.
    let ep = repo::records::visible_episode(&state.db, user, current.episode_id)
        .await?
        .ok_or(ApiError::NotFound("no such job on your caseload"))?;
    end.check_dates(crate::time::utc_today())?;
    domain::journey::check_job_end(current.started_on, end.ended_on, end.end_reason)?;
    let jobs = repo::journey::jobs_of_episode(&state.db, ep.id)
        .await?
        .into_iter()
        .map(|j| {
            if j.id == id {
                (j.started_on, end.ended_on)
            } else {
                (j.started_on, j.ended_on)
            }
        })
        .collect();
    check_journey(&journey_of(state, &ep, Some(jobs)).await?)
        .map_err(|e| job_field(e, "started_on"))?;
    let mut am: job::ActiveModel = current.into();
    am.ended_on = Set(end.ended_on);
    am.end_reason = Set(end.end_reason.map(|r| r.as_str().to_owned()));
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(job_id = %updated.id, "job end recorded");
    updated.try_into()
}

pub async fn list_referrals(
    state: &AppState,
    user: &StaffUser,
    participant_id: Option<Uuid>,
) -> Result<Vec<Referral>> {
    let rows = repo::journey::list_referrals(&state.db, user, participant_id).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let started = repo::journey::episodes_from_referrals(&state.db, &ids).await?;
    rows.into_iter()
        .map(|r| {
            let episode = started.get(&r.id).copied();
            referral_out(r, episode)
        })
        .collect()
}

pub async fn episode_jobs(
    state: &AppState,
    user: &StaffUser,
    episode_id: Uuid,
) -> Result<Vec<Job>> {
    repo::records::visible_episode(&state.db, user, episode_id)
        .await?
        .ok_or(ApiError::NotFound("no such episode on your caseload"))?;
    repo::journey::jobs_of_episode(&state.db, episode_id)
        .await?
        .into_iter()
        .map(Job::try_from)
        .collect()
}
