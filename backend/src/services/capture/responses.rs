//! Survey responses: checked against their instrument, scored, attributed and stored once.

use super::{
    CLOCK_SKEW, body_hash, ensure_licensed, internal, participant_for, same_record, store_once,
    stored,
};
use crate::{
    ApiError, Result,
    auth::{InvitationHolder, StaffUser},
    entities::{episode, invitation, participant, response},
    repo,
    state::AppState,
};
use chrono::{DateTime, Utc};
use domain::{
    attribution::{Holding, holding_at},
    completion::{Format, Respondent},
    instrument::{InstrumentDefinition, InstrumentKind, Scored},
    kpi::Timing,
    records::{NewResponse, ResponseReceipt},
};
use sea_orm::{ConnectionTrait, NotSet, Set};
use uuid::Uuid;

/// Who is submitting a response.
pub enum Submitter<'a> {
    Staff(&'a StaffUser),
    Participant(&'a InvitationHolder),
}

impl Submitter<'_> {
    fn organisation_id(&self) -> Uuid {
        match self {
            Submitter::Staff(u) => u.organisation_id,
            Submitter::Participant(h) => h.organisation_id,
        }
    }
}

/// What a response is an answer to, settled before its answers are checked.
struct Target {
    invitation: Option<invitation::Model>,
    participant: participant::Model,
    episode: Option<episode::Model>,
    definition: InstrumentDefinition,
    timing: Option<Timing>,
}

fn must_match<T: PartialEq>(
    given: Option<T>,
    actual: Option<T>,
    field: &'static str,
) -> Result<()> {
    match given {
        Some(g) if Some(&g) != actual.as_ref() => Err(ApiError::invalid(
            field,
            "does not match the invitation; leave it out",
        )),
        _ => Ok(()),
    }
}

/// What a response answers: its invitation's participant, episode, instrument version and
/// timing, or (staff only, no invitation) the ones it names.
async fn target_of(state: &AppState, who: &Submitter<'_>, new: &NewResponse) -> Result<Target> {
    match invitation_of(&state.db, who, new).await? {
        Some(inv) => invited_target(&state.db, inv, new).await,
        None => {
            let Submitter::Staff(user) = who else {
                return Err(ApiError::Unauthorized("open your invitation link again"));
            };
            named_target(state, user, new).await
        }
    }
}

/// The invitation answered: the participant's own, or one a staff member names (on their
/// caseload).
async fn invitation_of(
    db: &impl ConnectionTrait,
    who: &Submitter<'_>,
    new: &NewResponse,
) -> Result<Option<invitation::Model>> {
    Ok(match (who, new.invitation_id) {
        (Submitter::Participant(h), given) => {
            if given.is_some_and(|g| g != h.invitation_id) {
                return Err(ApiError::invalid("invitation_id", "not your invitation"));
            }
            Some(
                repo::invitations::find_any(db, h.invitation_id)
                    .await?
                    .filter(|i| i.organisation_id == h.organisation_id)
                    .ok_or(ApiError::Unauthorized("open your invitation link again"))?,
            )
        }
        (Submitter::Staff(u), Some(id)) => {
            let inv = repo::invitations::find_any(db, id)
                .await?
                .filter(|i| i.organisation_id == u.organisation_id)
                .ok_or_else(|| ApiError::invalid("invitation_id", "no such invitation"))?;
            repo::records::visible_participant(db, u, inv.participant_id)
                .await?
                .ok_or_else(|| ApiError::invalid("invitation_id", "no such invitation"))?;
            Some(inv)
        }
        (Submitter::Staff(_), None) => None,
    })
}

/// An invited answer: what it names must match its invitation.
async fn invited_target(
    db: &impl ConnectionTrait,
    inv: invitation::Model,
    new: &NewResponse,
) -> Result<Target> {
    must_match(
        new.participant_id,
        Some(inv.participant_id),
        "participant_id",
    )?;
    must_match(new.episode_id, inv.episode_id, "episode_id")?;
    must_match(
        new.instrument.clone(),
        Some(inv.instrument_key.clone()),
        "instrument",
    )?;
    let inv_timing = inv
        .timing
        .as_deref()
        .map(|t| stored("timing", t, Timing::parse))
        .transpose()?;
    must_match(new.timing, inv_timing, "timing")?;
    let definition = repo::instruments::version_for(
        db,
        inv.organisation_id,
        &inv.instrument_key,
        inv.instrument_version,
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("invitation names a missing instrument"))?;
    let participant = repo::records::find_participant_any(db, inv.participant_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("invitation names a missing participant"))?;
    let episode = match inv.episode_id {
        Some(id) => repo::records::find_episode_any(db, id).await?,
        None => None,
    };
    Ok(Target {
        invitation: Some(inv),
        participant,
        episode,
        definition,
        timing: inv_timing,
    })
}

/// An answer entered by staff without an invitation: the participant on their caseload, the
/// instrument for that kind of participant, the episode theirs.
async fn named_target(state: &AppState, user: &StaffUser, new: &NewResponse) -> Result<Target> {
    let db = &state.db;
    let participant_id = new.participant_id.ok_or_else(|| {
        ApiError::invalid("participant_id", "name the invitation or the participant")
    })?;
    let participant = participant_for(state, user, participant_id, "participant_id").await?;
    let key = new
        .instrument
        .as_deref()
        .ok_or_else(|| ApiError::invalid("instrument", "name the instrument answered"))?;
    let definition = repo::instruments::latest_for(db, user.organisation_id, key)
        .await?
        .ok_or_else(|| ApiError::invalid("instrument", "unknown instrument"))?;
    if definition.audience != participant.audience() {
        return Err(ApiError::invalid(
            "instrument",
            "this survey is not for this kind of participant",
        ));
    }
    let episode = match new.episode_id {
        Some(id) => Some(
            episode_answered_in(db, user, id, new.answered_at)
                .await?
                .filter(|e| {
                    e.participant_id == participant.id || e.employer_id == Some(participant.id)
                })
                .ok_or_else(|| {
                    ApiError::invalid("episode_id", "no such episode for this participant")
                })?,
        ),
        None => None,
    };
    Ok(Target {
        invitation: None,
        participant,
        episode,
        definition,
        timing: new.timing,
    })
}

/// The episode a staff member's answer belongs to: one on their caseload now, or one they
/// held when it was answered (a form filled in with a client before the caseload moved, synced
/// after).
async fn episode_answered_in(
    db: &impl ConnectionTrait,
    user: &StaffUser,
    id: Uuid,
    answered_at: DateTime<Utc>,
) -> Result<Option<episode::Model>> {
    if let Some(e) = repo::records::visible_episode(db, user, id).await? {
        return Ok(Some(e));
    }
    let Some(e) = repo::records::find_episode_any(db, id).await? else {
        return Ok(None);
    };
    if e.organisation_id != user.organisation_id {
        return Ok(None);
    }
    let history = repo::holders::history(db, &e).await?;
    let held = holding_at(&history, answered_at).is_some_and(|h| h.specialist_id == user.id);
    Ok(held.then_some(e))
}

/// The answers, checked against the instrument: one per item, each 1–5 or skipped.
fn receipt(r: &response::Model, second_answer: bool) -> ResponseReceipt {
    let self_report = r.respondent == Respondent::SelfReport.as_str();
    ResponseReceipt {
        id: r.id,
        instrument: r.instrument_key.clone(),
        instrument_version: r.instrument_version,
        answered_on: r.answered_on,
        complete: r.complete,
        swemwbs_raw: r
            .swemwbs_raw
            .and_then(|v| u8::try_from(v).ok())
            .filter(|_| self_report),
        swemwbs_metric: r
            .swemwbs_metric
            .map(|m| domain::Hundredths(i64::from(m)))
            .filter(|_| self_report),
        second_answer,
    }
}

/// Whether an earlier answer (by answer time, then arrival) to the same invitation exists.
async fn is_second_answer(db: &impl ConnectionTrait, r: &response::Model) -> Result<bool> {
    let Some(inv) = r.invitation_id else {
        return Ok(false);
    };
    let answers = repo::invitations::answers_to(db, inv).await?;
    Ok(answers.first().is_some_and(|first| first.id != r.id))
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn response(
    state: &AppState,
    who: Submitter<'_>,
    new: NewResponse,
) -> Result<ResponseReceipt> {
    let db = &state.db;
    let org = who.organisation_id();
    let hash = body_hash(&new);
    if let Some(existing) = repo::invitations::find_response_any(db, new.id).await? {
        let existing = same_record(existing, org, &hash)?;
        let second = is_second_answer(db, &existing).await?;
        return Ok(receipt(&existing, second));
    }
    if let Submitter::Participant(_) = &who {
        new.completion.check_own_device()?;
    }
    let target = target_of(state, &who, &new).await?;
    let def = &target.definition;
    ensure_licensed(state, org, def).await?;

    if let Submitter::Participant(h) = &who
        && answered_in_this_session(db, &target, h).await?
    {
        return Err(ApiError::conflict(
            "invitation_id",
            "you have already answered this survey",
        ));
    }
    let scored = fits_instrument(def, &target, &new)?;
    let now = Utc::now();
    answered_in_time(&target, &new, now)?;
    let tz = repo::orgs::time_zone(db, org).await?;
    let holding = holder_when_answered(db, &target, &new).await?;
    let id = new.id;
    let mut am = row(&who, &target, new, &tz, holding, now, &hash)?;
    am.set_scores(&scored);
    let stored = store_once(
        state,
        am,
        org,
        &hash,
        || repo::invitations::find_response_any(db, id),
        internal,
    )
    .await?;
    let second = is_second_answer(db, &stored).await?;
    tracing::info!(response_id = %stored.id, instrument = %stored.instrument_key, second, "response stored");
    Ok(receipt(&stored, second))
}

/// Who held the response's episode when it was answered: the answer counts for them, also
/// when it arrives after the caseload moved (DESIGN §4 Attribution).
async fn holder_when_answered(
    db: &impl ConnectionTrait,
    target: &Target,
    new: &NewResponse,
) -> Result<Option<Holding>> {
    let Some(episode) = &target.episode else {
        return Ok(None);
    };
    let history = repo::holders::history(db, episode).await?;
    Ok(holding_at(&history, new.answered_at).copied())
}

/// A participant's second answer from the same opened link (a double tap, a resend from
/// another tab) is refused; a second phone's answer is kept but flagged (DESIGN.md §6).
async fn answered_in_this_session(
    db: &impl ConnectionTrait,
    target: &Target,
    holder: &InvitationHolder,
) -> Result<bool> {
    let Some(inv) = &target.invitation else {
        return Ok(false);
    };
    Ok(repo::invitations::answers_to(db, inv.id)
        .await?
        .iter()
        .any(|r| r.participant_session_id == Some(holder.session_id)))
}

/// The answers, language, format and comment fit the instrument (and SWEMWBS its episode and
/// timing); the answers scored.
fn fits_instrument(
    def: &InstrumentDefinition,
    target: &Target,
    new: &NewResponse,
) -> Result<Scored> {
    let scored = def
        .check(&new.answers)
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    let c = &new.completion;
    if !def.offers_language(c.language.as_str()) {
        return Err(ApiError::invalid(
            "completion.language",
            "this survey is not available in that language",
        ));
    }
    if c.format == Format::EasyRead && !def.has_easy_read() {
        return Err(ApiError::invalid(
            "completion.format",
            "this survey has no Easy Read form",
        ));
    }
    if new.comment.is_some() && def.comment_prompt.is_none() {
        return Err(ApiError::invalid("comment", "this survey takes no comment"));
    }
    new.check_quotation()
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    let swemwbs = def.kind == InstrumentKind::Swemwbs;
    if swemwbs && target.timing.is_none() {
        return Err(ApiError::invalid(
            "timing",
            "SWEMWBS needs start, review or end",
        ));
    }
    if swemwbs && target.episode.is_none() {
        return Err(ApiError::invalid(
            "episode_id",
            "SWEMWBS belongs to a support episode",
        ));
    }
    Ok(scored)
}

/// Not from the future (allowing for a device's clock), nor from before its invitation was
/// made or after it expired: judged by when it was answered, not when the answer arrived.
fn answered_in_time(target: &Target, new: &NewResponse, now: DateTime<Utc>) -> Result<()> {
    if new.answered_at > now + CLOCK_SKEW {
        return Err(ApiError::invalid("answered_at", "is in the future"));
    }
    if let Some(inv) = &target.invitation {
        if new.answered_at + CLOCK_SKEW < inv.created_at {
            return Err(ApiError::invalid(
                "answered_at",
                "is before the invitation was made",
            ));
        }
        // Judged by when it was answered, not when the answer arrived.
        if new.answered_at > inv.expires_at {
            return Err(ApiError::Expired(
                "this invitation had expired when it was answered",
            ));
        }
    }
    Ok(())
}

/// The row to store, attributed to the episode's specialist at the moment of answering.
fn row(
    who: &Submitter<'_>,
    target: &Target,
    new: NewResponse,
    time_zone: &str,
    holding: Option<Holding>,
    now: DateTime<Utc>,
    hash: &str,
) -> Result<response::ActiveModel> {
    let episode = target.episode.as_ref();
    let c = new.completion;
    Ok(response::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(who.organisation_id()),
        invitation_id: Set(target.invitation.as_ref().map(|i| i.id)),
        participant_id: Set(target.participant.id),
        episode_id: Set(episode.map(|e| e.id)),
        instrument_key: Set(target.definition.key.as_str().to_owned()),
        instrument_version: Set(target.definition.version),
        timing: Set(target.timing.map(|t| t.as_str().to_owned())),
        answers: Set(serde_json::to_string(&new.answers).map_err(anyhow::Error::from)?),
        overall: NotSet,
        swemwbs_raw: NotSet,
        swemwbs_metric: NotSet,
        complete: NotSet,
        respondent: Set(c.respondent.as_str().to_owned()),
        support: Set(c.support.as_str().to_owned()),
        channel: Set(c.channel.as_str().to_owned()),
        format: Set(c.format.as_str().to_owned()),
        language: Set(c.language.as_str().to_owned()),
        answered_at: Set(new.answered_at),
        answered_on: Set(crate::time::local_date(time_zone, new.answered_at)),
        received_at: Set(now),
        author_id: Set(match &who {
            Submitter::Staff(u) => Some(u.id),
            Submitter::Participant(_) => None,
        }),
        participant_session_id: Set(match &who {
            Submitter::Participant(h) => Some(h.session_id),
            Submitter::Staff(_) => None,
        }),
        // Attribution is fixed at the moment of answering: a later caseload move changes nothing.
        specialist_id: Set(holding.map(|h| h.specialist_id)),
        team_id: Set(holding.and_then(|h| h.team_id)),
        programme: Set(episode.map(|e| e.programme.clone())),
        comment: Set(new.comment.map(String::from)),
        // An answer made before its author withdrew can arrive after (it waited in an outbox):
        // withdrawal ended their agreement to be quoted, so it is not taken from the answer.
        may_quote: Set(new.may_quote && target.participant.withdrawn_at.is_none()),
        body_hash: Set(hash.to_owned()),
    })
}
