//! "You said, we did" actions: staff write them, check the responses they name, and publish
//! them once (queueing the digests); readers of a results link see the published ones.

use super::digests::queue_digests;
use crate::{
    ApiError, Result, auth::StaffUser, entities::feedback_action, repo, services::mail,
    state::AppState,
};
use chrono::Utc;
use domain::{
    feedback::{Action, ActionAudience, EasyReadAction, NewAction, PublicAction, UpdateAction},
    instrument::Audience,
    period::Period,
};
use sea_orm::ConnectionTrait;
use serde::Serialize;
use std::collections::HashSet;
use uuid::Uuid;

/// Most published actions a reader is shown.
const PUBLIC_ACTIONS: u64 = 50;

fn json_column<T: serde::de::DeserializeOwned>(what: &str, v: &str) -> Result<T> {
    serde_json::from_str(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v).map_err(anyhow::Error::from)?)
}

impl TryFrom<feedback_action::Model> for Action {
    type Error = ApiError;
    fn try_from(a: feedback_action::Model) -> Result<Self> {
        Ok(Action {
            id: a.id,
            audience: ActionAudience::parse(&a.audience)
                .map_err(|e| anyhow::anyhow!("stored audience: {e}"))?,
            period: match (a.period_first, a.period_last) {
                (Some(first), Some(last)) => Some(Period { first, last }),
                _ => None,
            },
            response_ids: json_column("response_ids", &a.response_ids)?,
            you_said: json_column("you_said", &a.you_said)?,
            we_did: json_column("we_did", &a.we_did)?,
            easy_read: a
                .easy_read
                .as_deref()
                .map(|e| json_column::<EasyReadAction>("easy_read", e))
                .transpose()?,
            done_on: a.done_on,
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
            published_at: a.published_at,
        })
    }
}

fn public(a: Action) -> PublicAction {
    PublicAction {
        id: a.id,
        audience: a.audience,
        period: a.period,
        you_said: a.you_said,
        we_did: a.we_did,
        easy_read: a.easy_read,
        done_on: a.done_on,
        published_at: a.published_at.unwrap_or(a.updated_at),
        prompted_by_responses: a.response_ids.len() as u64,
    }
}

/// The responses an action names: each must be one of the organisation's. Duplicates collapse.
async fn checked_responses(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    let mut seen = HashSet::new();
    let wanted: Vec<Uuid> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let found = repo::actions::responses_among(db, org, &wanted).await?;
    if let Some(i) = ids.iter().position(|id| !found.contains(id)) {
        return Err(ApiError::invalid(
            format!("response_ids[{i}]"),
            "no such response in your organisation",
        ));
    }
    Ok(wanted)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_action(state: &AppState, user: &StaffUser, new: NewAction) -> Result<Action> {
    new.check()?;
    new.check_dates(crate::time::utc_today())?;
    let responses = checked_responses(&state.db, user.organisation_id, &new.response_ids).await?;
    let now = Utc::now();
    let row = feedback_action::Model {
        id: Uuid::new_v4(),
        organisation_id: user.organisation_id,
        audience: new.audience.as_str().to_owned(),
        period_first: new.period.map(|p| p.first),
        period_last: new.period.map(|p| p.last),
        response_ids: to_json(&responses)?,
        you_said: to_json(&new.you_said)?,
        we_did: to_json(&new.we_did)?,
        easy_read: new.easy_read.as_ref().map(to_json).transpose()?,
        done_on: new.done_on,
        created_by: user.id,
        created_at: now,
        updated_at: now,
        published_at: None,
        published_by: None,
    };
    let created = repo::actions::insert(&state.db, row).await?;
    tracing::info!(action_id = %created.id, "action written");
    created.try_into()
}

async fn find_action(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<feedback_action::Model> {
    repo::actions::get(db, org, id)
        .await?
        .ok_or(ApiError::NotFound("no such action"))
}

pub async fn get_action(state: &AppState, user: &StaffUser, id: Uuid) -> Result<Action> {
    find_action(&state.db, user.organisation_id, id)
        .await?
        .try_into()
}

pub async fn list_actions(state: &AppState, user: &StaffUser) -> Result<Vec<Action>> {
    repo::actions::list(&state.db, user.organisation_id)
        .await?
        .into_iter()
        .map(Action::try_from)
        .collect()
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn update_action(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: UpdateAction,
) -> Result<Action> {
    change.check()?;
    change.check_dates(crate::time::utc_today())?;
    let current = find_action(&state.db, user.organisation_id, id).await?;
    let response_ids = match &change.response_ids {
        Some(ids) => {
            let ids = checked_responses(&state.db, user.organisation_id, ids).await?;
            Some(to_json(&ids)?)
        }
        None => None,
    };
    let columns = repo::actions::Change {
        audience: change.audience.map(|a| a.as_str().to_owned()),
        period: change.period,
        response_ids,
        you_said: change.you_said.as_ref().map(to_json).transpose()?,
        we_did: change.we_did.as_ref().map(to_json).transpose()?,
        easy_read: change.easy_read.as_ref().map(to_json).transpose()?,
        done_on: change.done_on,
        updated_at: Utc::now(),
    };
    let updated = repo::actions::update(&state.db, current, columns).await?;
    tracing::info!(action_id = %updated.id, "action changed");
    updated.try_into()
}

/// Publishes an action and queues a results digest to everyone of its audience who may be
/// emailed, in one transaction: either both happen or neither. Publishing again changes nothing.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn publish_action(state: &AppState, user: &StaffUser, id: Uuid) -> Result<(Action, u64)> {
    let current = find_action(&state.db, user.organisation_id, id).await?;
    if current.published_at.is_some() {
        return Ok((current.try_into()?, 0));
    }
    let action: Action = current.clone().try_into()?;
    if action.easy_read.is_none() {
        return Err(ApiError::invalid(
            "easy_read",
            "write the Easy Read version before publishing",
        ));
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    // Written first, and only if still a draft: of two managers publishing at once, one queues.
    let queued = if repo::actions::publish(&txn, id, user.id, now).await? {
        let links = mail::Links::of(state);
        queue_digests(&txn, &links, user.organisation_id, &action, now).await?
    } else {
        0
    };
    txn.commit().await?;
    let published = find_action(&state.db, user.organisation_id, id).await?;
    tracing::info!(action_id = %id, emails = queued, "action published");
    Ok((published.try_into()?, queued))
}

/// Published actions a reader of this audience sees, newest first.
pub async fn public_actions(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
) -> Result<Vec<PublicAction>> {
    let rows = repo::actions::published(db, org).await?;
    let mut out = Vec::new();
    for row in rows {
        let a: Action = row.try_into()?;
        if a.audience.includes(audience) {
            out.push(public(a));
        }
        if out.len() as u64 >= PUBLIC_ACTIONS {
            break;
        }
    }
    Ok(out)
}
