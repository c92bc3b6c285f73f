//! Episodes of support: who holds a jobseeker's support, and the dates the KPIs count by.

use super::{body_hash, participant_for, same_record, store_once, stored};
use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{episode, referral},
    repo,
    state::AppState,
};
use chrono::Utc;
use domain::{
    Role,
    journey::{JourneyDates, SupportEndReason, check_journey},
    records::{Episode, NewEpisode, ParticipantKind, Programme},
};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

impl TryFrom<episode::Model> for Episode {
    type Error = ApiError;
    fn try_from(e: episode::Model) -> Result<Self> {
        Ok(Episode {
            id: e.id,
            participant_id: e.participant_id,
            specialist_id: e.specialist_id,
            team_id: e.team_id,
            programme: stored("programme", &e.programme, Programme::parse)?,
            referred_on: e.referred_on,
            started_on: e.started_on,
            profile_started_on: e.profile_started_on,
            job_started_on: e.job_started_on,
            ended_on: e.ended_on,
            employer_id: e.employer_id,
            referral_id: e.referral_id,
            hours_before: e.hours_before.map(domain::Hundredths),
            end_reason: e
                .end_reason
                .as_deref()
                .map(|r| stored("end_reason", r, SupportEndReason::parse))
                .transpose()?,
        })
    }
}

/// The specialist an episode is assigned to: specialists take their own; managers may name
/// any active specialist of the organisation.
pub async fn specialist_for(
    state: &AppState,
    user: &StaffUser,
    requested: Option<Uuid>,
) -> Result<crate::entities::staff::Model> {
    let id = requested.unwrap_or(user.id);
    if id != user.id && !user.is_at_least(Role::Manager) {
        return Err(ApiError::invalid(
            "specialist_id",
            "a specialist can only assign episodes to themselves",
        ));
    }
    repo::staff::get(&state.db, user.organisation_id, id)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| ApiError::invalid("specialist_id", "no such active staff member"))
}

/// An employer this staff member may link to an episode or a job: one they may read (the
/// caseload rule reading applies), so nobody pulls another team's employer onto their own
/// caseload. Refused exactly as an id that does not exist is.
pub async fn employer_for(state: &AppState, user: &StaffUser, id: Option<Uuid>) -> Result<()> {
    if let Some(id) = id {
        let p = repo::records::visible_participant(&state.db, user, id).await?;
        if p.is_none_or(|p| p.kind != ParticipantKind::Employer.as_str()) {
            return Err(ApiError::invalid(
                "employer_id",
                "no such employer on your caseload",
            ));
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn episode(state: &AppState, user: &StaffUser, new: NewEpisode) -> Result<Episode> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_episode_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    new.check()?;
    new.check_dates(crate::time::utc_today())?;
    let person = participant_for(state, user, new.participant_id, "participant_id").await?;
    if person.kind != ParticipantKind::Jobseeker.as_str() {
        return Err(ApiError::invalid(
            "participant_id",
            "support episodes are for jobseekers; name employers as employer_id",
        ));
    }
    let specialist = specialist_for(state, user, new.specialist_id).await?;
    employer_for(state, user, new.employer_id).await?;
    let referral = referral_for(state, user, &new).await?;
    let referred_on = new.referred_on.or(referral.as_ref().map(|r| r.referred_on));
    check_journey(&JourneyDates {
        referred_on,
        decided_on: referral.as_ref().and_then(|r| r.decided_on),
        started_on: Some(new.started_on),
        profile_started_on: new.profile_started_on,
        jobs: new.job_started_on.map(|j| (j, None)).into_iter().collect(),
        ended_on: new.ended_on,
    })?;
    let now = Utc::now();
    let am = episode::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        participant_id: Set(new.participant_id),
        specialist_id: Set(specialist.id),
        team_id: Set(specialist.team_id),
        programme: Set(new.programme.as_str().to_owned()),
        referred_on: Set(referred_on),
        started_on: Set(new.started_on),
        profile_started_on: Set(new.profile_started_on),
        job_started_on: Set(new.job_started_on),
        ended_on: Set(new.ended_on),
        employer_id: Set(new.employer_id),
        referral_id: Set(new.referral_id),
        hours_before: Set(new.hours_before.map(|h| h.0)),
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
        || repo::records::find_episode_any(&state.db, id),
        referral_clash,
    )
    .await?;
    // Support starting is the referral's acceptance, when nobody recorded one.
    if let Some(r) = referral.filter(|r| r.accepted.is_none()) {
        let mut am: referral::ActiveModel = r.into();
        am.accepted = Set(Some(true));
        am.decided_on = Set(Some(stored.started_on));
        am.updated_at = Set(Utc::now());
        am.update(&state.db).await?;
    }
    stored.try_into()
}

/// A change can only move the profile start or the end, never a recorded job: a job it would
/// now come before is refused under the field the change moved, not the job's.
fn profile_moved(
    e: domain::records::FieldError,
    change: &domain::records::UpdateEpisode,
    journey: &JourneyDates,
) -> ApiError {
    let first_job = journey.jobs.iter().map(|(start, _)| *start).min();
    match (e.field, change.profile_started_on, first_job) {
        ("job_started_on", Some(_), Some(first)) => ApiError::invalid(
            "profile_started_on",
            format!("must not be after the first job's start ({first})"),
        ),
        _ => e.into(),
    }
}

/// The one unique index an episode has besides its id: one episode per referral.
fn referral_clash(e: sea_orm::DbErr) -> ApiError {
    tracing::debug!(error = %e, "episode insert clashed");
    ApiError::invalid(
        "referral_id",
        "support has already started from this referral",
    )
}

/// The referral a new episode starts from: the same person's, not refused, not started yet,
/// and dated as the episode says if it says.
async fn referral_for(
    state: &AppState,
    user: &StaffUser,
    new: &NewEpisode,
) -> Result<Option<referral::Model>> {
    let Some(id) = new.referral_id else {
        return Ok(None);
    };
    let r = repo::journey::visible_referral(&state.db, user, id)
        .await?
        .filter(|r| r.participant_id == new.participant_id)
        .ok_or_else(|| ApiError::invalid("referral_id", "no such referral for this person"))?;
    if r.accepted == Some(false) {
        return Err(ApiError::invalid(
            "referral_id",
            "this referral was not accepted",
        ));
    }
    if new.referred_on.is_some_and(|d| d != r.referred_on) {
        return Err(ApiError::invalid(
            "referred_on",
            format!("differs from the referral's date ({})", r.referred_on),
        ));
    }
    if repo::journey::episode_from_referral(&state.db, id)
        .await?
        .is_some_and(|e| e.id != new.id)
    {
        return Err(ApiError::invalid(
            "referral_id",
            "support has already started from this referral",
        ));
    }
    Ok(Some(r))
}

/// An episode a journey step (a job, its end, the support end) may be recorded on: one on
/// this staff member's caseload, or a 400 naming `episode_id`.
pub async fn episode_for_step(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<episode::Model> {
    repo::records::visible_episode(&state.db, user, id)
        .await?
        .ok_or_else(|| ApiError::invalid("episode_id", "no such episode on your caseload"))
}

/// Changes an episode: dates, employer, or (managers) the specialist it is assigned to.
/// A move takes effect now: responses answered before it (even those still on a device)
/// count for the specialist and team that held the episode when they were answered.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn update_episode(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: domain::records::UpdateEpisode,
) -> Result<Episode> {
    let current = repo::records::visible_episode(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such episode on your caseload"))?;
    change.check_dates(crate::time::utc_today())?;
    let profile = change
        .profile_started_on
        .unwrap_or(current.profile_started_on);
    let job = change.job_started_on.unwrap_or(current.job_started_on);
    let ended = change.ended_on.unwrap_or(current.ended_on);
    let hours_before = change
        .hours_before
        .unwrap_or(current.hours_before.map(domain::Hundredths));
    let end_reason = match change.end_reason {
        Some(r) => r,
        None => current
            .end_reason
            .as_deref()
            .map(|r| stored("end_reason", r, SupportEndReason::parse))
            .transpose()?,
    };
    domain::records::check_episode_dates(
        current.referred_on,
        current.started_on,
        profile,
        job,
        ended,
    )?;
    domain::records::check_episode_extras(hours_before, ended, end_reason)?;
    let mut journey = super::journey_of(state, &current, None).await?;
    journey.profile_started_on = profile;
    journey.ended_on = ended;
    check_journey(&journey).map_err(|e| profile_moved(e, &change, &journey))?;
    let employer = change.employer_id.unwrap_or(current.employer_id);
    if change.employer_id.is_some() {
        employer_for(state, user, employer).await?;
    }
    let specialist = match change.specialist_id {
        Some(s) if s != current.specialist_id => Some(specialist_for(state, user, Some(s)).await?),
        _ => None,
    };
    let before = current.clone();
    let mut am: episode::ActiveModel = current.into();
    am.profile_started_on = Set(profile);
    am.job_started_on = Set(job);
    am.ended_on = Set(ended);
    am.employer_id = Set(employer);
    am.hours_before = Set(hours_before.map(|h| h.0));
    am.end_reason = Set(end_reason.map(|r| r.as_str().to_owned()));
    let now = Utc::now();
    let moved = specialist.is_some();
    if let Some(s) = specialist {
        am.specialist_id = Set(s.id);
        am.team_id = Set(s.team_id);
    }
    am.updated_at = Set(now);
    // A move is a new entry in the holder history, written with the episode or not at all.
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = am.update(&txn).await?;
    if moved {
        // An episode never moved before has no entry yet: its first holder held it from the
        // moment it was recorded.
        repo::holders::record(&txn, &before, before.created_at).await?;
        repo::holders::record(&txn, &updated, now).await?;
    }
    txn.commit().await?;
    tracing::info!(episode_id = %updated.id, moved, "episode updated");
    updated.try_into()
}
