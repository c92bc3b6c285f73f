//! Wellbeing change: a participant's own, and the declines staff are prompted to talk through.

use crate::{ApiError, Result, auth::StaffUser, entities::participant, repo, state::AppState};
use chrono::{Duration, NaiveDate, Utc};
use domain::{
    Hundredths, Role,
    feedback::{OwnWellbeing, WellbeingPrompt},
    instrument::InstrumentKey,
    kpi::{self, ChangeBand, SwemwbsAnswer, WellbeingPair},
    period::Period,
};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

fn swemwbs_answers(rows: &[repo::invitations::KpiRow]) -> Result<Vec<SwemwbsAnswer>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(crate::services::reports::swemwbs_answer(r)?);
    }
    Ok(out)
}

/// A participant's own wellbeing change, per episode that has a scored start and end, by the
/// same pairing rule as the wellbeing figure. `episode` narrows it to one.
pub async fn own_wellbeing(
    db: &impl ConnectionTrait,
    person: &participant::Model,
    episode: Option<Uuid>,
) -> Result<Vec<OwnWellbeing>> {
    let ids =
        repo::wellbeing::episode_ids_of(db, person.organisation_id, person.id, episode).await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = repo::invitations::responses_of_episodes(
        db,
        person.organisation_id,
        &ids,
        Some(InstrumentKey::Swemwbs),
    )
    .await?;
    let answered_on: HashMap<Uuid, NaiveDate> =
        rows.iter().map(|r| (r.id, r.answered_on)).collect();
    let settings = repo::instruments::settings(db, person.organisation_id).await?;
    let threshold = settings.change_threshold();
    let k = kpi::wellbeing(
        Period::all_time(),
        &[],
        &swemwbs_answers(&rows)?,
        threshold,
        0,
        // Their own pairs only: no episodes, so no gaps to attribute.
        |_, _| true,
    );
    Ok(k.pairs
        .into_iter()
        .map(|p| own(p, &answered_on, threshold))
        .collect())
}

/// One change as its person sees it, with the dates they answered the two forms.
fn own(
    p: WellbeingPair,
    answered_on: &HashMap<Uuid, NaiveDate>,
    threshold: Hundredths,
) -> OwnWellbeing {
    let on = |response: Uuid| answered_on.get(&response).copied().unwrap_or_default();
    OwnWellbeing {
        episode_id: p.episode_id,
        start: p.start,
        start_answered_on: on(p.start_response_id),
        end: p.end,
        end_answered_on: on(p.end_response_id),
        change: p.change,
        band: p.band,
        threshold,
    }
}

/// Days back a decline stays on the prompt list.
const PROMPT_DAYS: i64 = 365;

/// Wellbeing declines of the past year not yet talked through: a specialist's for the
/// episodes they support now, a manager's for the organisation.
pub async fn prompts(state: &AppState, user: &StaffUser) -> Result<Vec<WellbeingPrompt>> {
    let db = &state.db;
    let org = repo::orgs::get(db, user.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("staff without organisation"))?;
    let today = crate::time::today(&org.time_zone);
    let mut out = Vec::new();
    for p in open_declines(db, org.id, today).await? {
        if let Some(prompt) = prompt_for(db, user, p, today).await? {
            out.push(prompt);
        }
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.end_answered_on));
    Ok(out)
}

/// The organisation's wellbeing declines of the past year that nobody has talked through yet.
async fn open_declines(
    db: &impl ConnectionTrait,
    org: Uuid,
    today: NaiveDate,
) -> Result<Vec<WellbeingPair>> {
    let period = Period {
        first: today - Duration::days(PROMPT_DAYS),
        last: today + Duration::days(1),
    };
    let settings = repo::instruments::settings(db, org).await?;
    let threshold = settings.change_threshold();
    // The whole organisation: no holder to look up, so the time zone plays no part.
    let tz = crate::time::DEFAULT_TIME_ZONE.name();
    let k =
        crate::services::reports::wellbeing(db, org, tz, period, &Default::default(), threshold, 0)
            .await?;
    let declines: Vec<_> = k
        .pairs
        .into_iter()
        .filter(|p| p.band == ChangeBand::Declined)
        .collect();
    if declines.is_empty() {
        return Ok(Vec::new());
    }
    let ends = declines.iter().map(|p| p.end_response_id);
    let done = repo::wellbeing::done_among(db, org, ends).await?;
    Ok(declines
        .into_iter()
        .filter(|p| !done.contains(&p.end_response_id))
        .collect())
}

/// The prompt for one decline, if it is on an episode the caller supports (a manager: any)
/// and the person's data has not been erased.
async fn prompt_for(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    p: WellbeingPair,
    today: NaiveDate,
) -> Result<Option<WellbeingPrompt>> {
    let Some(ep) = repo::records::find_episode_any(db, p.episode_id).await? else {
        return Ok(None);
    };
    if !user.is_at_least(Role::Manager) && ep.specialist_id != user.id {
        return Ok(None);
    }
    let Some(person) = repo::records::find_participant_any(db, ep.participant_id)
        .await?
        .filter(|p| p.erased_at.is_none())
    else {
        return Ok(None);
    };
    let end_on = repo::invitations::find_response_any(db, p.end_response_id)
        .await?
        .map(|r| r.answered_on)
        .unwrap_or(today);
    Ok(Some(WellbeingPrompt {
        id: p.end_response_id,
        episode_id: ep.id,
        participant_id: person.id,
        participant_reference: person.reference,
        specialist_id: ep.specialist_id,
        start: p.start,
        end: p.end,
        change: p.change,
        end_answered_on: end_on,
    }))
}

/// Marks a decline as talked through. The id is the end form's response id; it must be a
/// SWEMWBS end form on an episode the caller may see.
pub async fn prompt_done(state: &AppState, user: &StaffUser, id: Uuid) -> Result<()> {
    let db = &state.db;
    let r = repo::invitations::find_response_any(db, id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .filter(|r| {
            r.instrument_key == InstrumentKey::Swemwbs.as_str()
                && r.timing.as_deref() == Some("end")
        })
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    let episode = r
        .episode_id
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    repo::records::visible_episode(db, user, episode)
        .await?
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    repo::wellbeing::mark_done(db, user.organisation_id, id, user.id, Utc::now()).await?;
    tracing::info!(response_id = %id, "wellbeing decline talked through");
    Ok(())
}
