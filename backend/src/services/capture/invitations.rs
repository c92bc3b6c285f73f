//! Invitations to answer a survey: a link and a short code, optionally sent by email.

use super::{body_hash, participant_for, same_record, stored};
use crate::{
    ApiError, Result,
    auth::{self, StaffUser},
    entities::{invitation, participant},
    repo,
    state::AppState,
};
use chrono::{Duration, Utc};
use domain::{
    instrument::{InstrumentDefinition, InstrumentKind},
    kpi::Timing,
    records::{Invitation, NewInvitation},
};
use rand::Rng;
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn short_code() -> String {
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

pub fn invitation_token(state: &AppState, id: Uuid) -> String {
    auth::hmac_token(&state.token_secret, &id.to_string())
}

pub fn invitation_view(state: &AppState, i: invitation::Model) -> Result<Invitation> {
    Ok(Invitation {
        id: i.id,
        participant_id: i.participant_id,
        episode_id: i.episode_id,
        token: invitation_token(state, i.id),
        instrument: i.instrument_key,
        instrument_version: i.instrument_version,
        timing: i
            .timing
            .as_deref()
            .map(|t| stored("timing", t, Timing::parse))
            .transpose()?,
        short_code: i.short_code,
        expires_at: i.expires_at,
        created_at: i.created_at,
    })
}

/// SWEMWBS is a licensed instrument: refused until an admin records the licence.
pub(super) async fn ensure_licensed(
    state: &AppState,
    org: Uuid,
    def: &InstrumentDefinition,
) -> Result<()> {
    if def.kind == InstrumentKind::Swemwbs
        && !repo::instruments::settings(&state.db, org)
            .await?
            .swemwbs_licence_held
    {
        return Err(ApiError::Forbidden(
            "SWEMWBS is switched off until an admin records that the organisation holds its Warwick licence",
        ));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn invitation(
    state: &AppState,
    user: &StaffUser,
    new: NewInvitation,
) -> Result<Invitation> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::invitations::find_any(&state.db, new.id).await? {
        return sent_again(state, user, existing, &hash, new.send_email).await;
    }
    let person = participant_for(state, user, new.participant_id, "participant_id").await?;
    let def = checked_definition(state, user, &new, &person).await?;
    let days = i64::from(new.expires_in_days.unwrap_or(28));
    if !(1..=90).contains(&days) {
        return Err(ApiError::invalid("expires_in_days", "must be 1 to 90"));
    }
    let now = Utc::now();
    let token_hash = auth::token_hash(&invitation_token(state, new.id));
    // A random code can collide with a live one; try a few.
    for _ in 0..4 {
        let am = invitation::ActiveModel {
            id: Set(new.id),
            organisation_id: Set(user.organisation_id),
            participant_id: Set(person.id),
            episode_id: Set(new.episode_id),
            instrument_key: Set(def.key.as_str().to_owned()),
            instrument_version: Set(def.version),
            timing: Set(new.timing.map(|t| t.as_str().to_owned())),
            token_hash: Set(token_hash.clone()),
            short_code: Set(short_code()),
            expires_at: Set(now + Duration::days(days)),
            created_by: Set(user.id),
            body_hash: Set(hash.clone()),
            created_at: Set(now),
        };
        let turn = state.turns.take().await?;
        let inserted = am.insert(&state.db).await;
        drop(turn);
        match inserted {
            Ok(m) => {
                tracing::info!(invitation_id = %m.id, "invitation created");
                if new.send_email {
                    email_invitation(state, &m).await?;
                }
                return invitation_view(state, m);
            }
            Err(e) if repo::is_unique_violation(&e) => {
                if let Some(existing) = repo::invitations::find_any(&state.db, new.id).await? {
                    return sent_again(state, user, existing, &hash, new.send_email).await;
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(anyhow::anyhow!("could not find a free short code").into())
}

/// The same invitation sent again (a lost answer, a resend from the outbox): the stored one,
/// and its email queued if asked for now (a resend after the email was lost on the way).
async fn sent_again(
    state: &AppState,
    user: &StaffUser,
    existing: invitation::Model,
    hash: &str,
    send_email: bool,
) -> Result<Invitation> {
    let existing = same_record(existing, user.organisation_id, hash)?;
    if send_email {
        email_invitation(state, &existing).await?;
    }
    invitation_view(state, existing)
}

/// The instrument to invite this person to answer, once the person, the instrument, its
/// licence, timing and episode and the wish to email all fit.
async fn checked_definition(
    state: &AppState,
    user: &StaffUser,
    new: &NewInvitation,
    person: &participant::Model,
) -> Result<InstrumentDefinition> {
    if person.withdrawn_at.is_some() {
        return Err(ApiError::invalid(
            "participant_id",
            "this person has withdrawn consent: no more invitations",
        ));
    }
    if new.send_email
        && let Err(why) = crate::services::mail::may_email(&state.db, person).await?
    {
        return Err(ApiError::invalid("send_email", why.message()));
    }
    let def = repo::instruments::latest_for(&state.db, user.organisation_id, &new.instrument)
        .await?
        .ok_or_else(|| ApiError::invalid("instrument", "unknown instrument"))?;
    ensure_licensed(state, user.organisation_id, &def).await?;
    if def.audience != person.audience() {
        return Err(ApiError::invalid(
            "instrument",
            "this survey is not for this kind of participant",
        ));
    }
    if def.kind == InstrumentKind::Swemwbs && new.timing.is_none() {
        return Err(ApiError::invalid(
            "timing",
            "SWEMWBS needs start, review or end",
        ));
    }
    if let Some(episode_id) = new.episode_id {
        repo::records::visible_episode(&state.db, user, episode_id)
            .await?
            .filter(|e| e.participant_id == person.id || e.employer_id == Some(person.id))
            .ok_or_else(|| {
                ApiError::invalid("episode_id", "no such episode for this participant")
            })?;
    } else if def.kind == InstrumentKind::Swemwbs {
        return Err(ApiError::invalid(
            "episode_id",
            "SWEMWBS belongs to a support episode",
        ));
    }
    Ok(def)
}

/// Queues the invitation's email (once: queueing it again does nothing). Whether the person
/// may be emailed was checked before the invitation was stored; if that changed since, the
/// worker cancels the email, so this never refuses a stored invitation.
async fn email_invitation(state: &AppState, inv: &invitation::Model) -> Result<()> {
    let links = crate::services::mail::Links::of(state);
    let queued = crate::services::mail::queue_invitation(
        &state.db,
        &links,
        inv,
        domain::feedback::MailKind::Invitation,
        Utc::now(),
    )
    .await?;
    if let Err(why) = queued {
        tracing::info!(invitation_id = %inv.id, reason = why.reason(), "invitation email not queued");
    }
    Ok(())
}
