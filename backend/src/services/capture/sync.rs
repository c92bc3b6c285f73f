//! The offline outbox's batch (`POST /api/sync`): each record is stored exactly as its single
//! endpoint would store it, and committed on its own, so a refused record never undoes or
//! blocks the others.

use crate::{
    ApiError, Result, auth::StaffUser, json::parse, repo::audit::Actor, services::audit,
    state::AppState,
};
use actix_web::{ResponseError, http::StatusCode};
use domain::records::{RecordKind, SyncOutcome, SyncRecord};
use serde_json::Value;
use uuid::Uuid;

use super::{
    Submitter, consent, end_job, episode, invitation, job, participant, referral, response,
    session, update_episode,
};

/// Records per sync batch: enough for a day offline, small enough to answer quickly.
pub const MAX_BATCH: usize = 200;

/// Stores a batch, one outcome per record in order. `actor` is who the audit trail names.
pub async fn sync(
    state: &AppState,
    user: &StaffUser,
    actor: &Actor,
    records: Vec<SyncRecord>,
) -> Result<Vec<SyncOutcome>> {
    if records.len() > MAX_BATCH {
        return Err(ApiError::invalid(
            "records",
            format!("at most {MAX_BATCH} records per batch"),
        ));
    }
    let mut outcomes = Vec::with_capacity(records.len());
    // Once the database is busy, the rest of the batch is not tried: each waits its turn in
    // the outbox (503), so a record that depends on a busy one (an episode on its new client)
    // is never refused for a reason that is only a delay.
    let mut busy = false;
    for (index, rec) in records.into_iter().enumerate() {
        // A change names the record it changes instead of carrying an id of its own.
        let id = ["id", "job_id", "episode_id"]
            .iter()
            .find_map(|k| rec.body.get(*k))
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok());
        let result = if busy {
            Err(ApiError::Busy)
        } else {
            store(state, user, &rec).await
        };
        if let Ok((_, Some((kind, person)))) = &result {
            // Not a refusal of this record: it is stored, so a trail that cannot be written
            // fails the batch, which the outbox sends again (each record stored once).
            audit::log(&state.db, actor, "create", kind.as_str(), id, Some(*person)).await?;
        }
        let outcome = match result {
            Ok((record, _)) => SyncOutcome {
                index,
                id,
                kind: rec.kind,
                status: StatusCode::CREATED.as_u16(),
                record: Some(record),
                error: None,
            },
            Err(e) => {
                // A busy database is not a fault (503, sent again later): only real ones are
                // errors.
                if let ApiError::Internal(cause) = &e
                    && e.status_code() == StatusCode::INTERNAL_SERVER_ERROR
                {
                    tracing::error!(error = format!("{cause:#}"), index, "sync record failed");
                }
                busy = e.status_code() == StatusCode::SERVICE_UNAVAILABLE;
                SyncOutcome {
                    index,
                    id,
                    kind: rec.kind,
                    status: e.status_code().as_u16(),
                    record: None,
                    error: Some(e.body()),
                }
            }
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// One record, parsed by its kind and stored; with the person it concerns where its single
/// endpoint audits the creation (a participant or their consent).
async fn store(
    state: &AppState,
    user: &StaffUser,
    rec: &SyncRecord,
) -> Result<(Value, Option<(RecordKind, Uuid)>)> {
    let kind = RecordKind::parse(&rec.kind).map_err(|_| {
        ApiError::invalid(
            "kind",
            "unknown kind; expected participant, consent, episode, session, invitation, response, referral, job, job_end or episode_update",
        )
    })?;
    let body = serde_json::to_vec(&rec.body).map_err(anyhow::Error::from)?;
    let (stored, person) = match kind {
        RecordKind::Participant => {
            let p = participant(state, user, parse(&body)?).await?;
            let id = p.id;
            (to_json(p)?, Some(id))
        }
        RecordKind::Consent => {
            let c = consent(state, user, parse(&body)?).await?;
            let id = c.participant_id;
            (to_json(c)?, Some(id))
        }
        RecordKind::Episode => (to_json(episode(state, user, parse(&body)?).await?)?, None),
        RecordKind::Session => (to_json(session(state, user, parse(&body)?).await?)?, None),
        RecordKind::Invitation => (
            to_json(invitation(state, user, parse(&body)?).await?)?,
            None,
        ),
        RecordKind::Response => (
            to_json(response(state, Submitter::Staff(user), parse(&body)?).await?)?,
            None,
        ),
        RecordKind::Referral => (to_json(referral(state, user, parse(&body)?).await?)?, None),
        RecordKind::Job => (to_json(job(state, user, parse(&body)?).await?)?, None),
        RecordKind::JobEnd => {
            let rec: domain::journey::JobEndRecord = parse(&body)?;
            let end = domain::journey::JobEnd {
                ended_on: rec.ended_on,
                end_reason: rec.end_reason,
            };
            (to_json(end_job(state, user, rec.job_id, end).await?)?, None)
        }
        RecordKind::EpisodeUpdate => {
            let rec: domain::records::EpisodeUpdateRecord = parse(&body)?;
            (
                to_json(update_episode(state, user, rec.episode_id, rec.change).await?)?,
                None,
            )
        }
    };
    Ok((stored, person.map(|p| (kind, p))))
}

fn to_json<T: serde::Serialize>(v: T) -> Result<Value> {
    serde_json::to_value(v).map_err(|e| anyhow::Error::from(e).into())
}
