//! "You said, we did" actions: staff write them, check the responses they name, and publish
//! them once (queueing the digests); readers of a results link see the published ones.

use super::digests::queue_digests;
use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{feedback_action, response},
    services::mail,
    state::AppState,
};
use chrono::Utc;
use domain::{
    feedback::{Action, ActionAudience, EasyReadAction, NewAction, PublicAction, UpdateAction},
    instrument::Audience,
    period::Period,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
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
    {
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
}

/// The responses an action names: each must be one of the organisation's. Duplicates collapse.
async fn checked_responses(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    let mut seen = HashSet::new();
    let wanted: Vec<Uuid> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let found: HashSet<Uuid> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::Id.is_in(wanted.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
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
    let responses = checked_responses(&state.db, user.organisation_id, &new.response_ids).await?;
    let now = Utc::now();
    let am = feedback_action::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(user.organisation_id),
        audience: Set(new.audience.as_str().to_owned()),
        period_first: Set(new.period.map(|p| p.first)),
        period_last: Set(new.period.map(|p| p.last)),
        response_ids: Set(to_json(&responses)?),
        you_said: Set(to_json(&new.you_said)?),
        we_did: Set(to_json(&new.we_did)?),
        easy_read: Set(new.easy_read.as_ref().map(to_json).transpose()?),
        done_on: Set(new.done_on),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        published_by: Set(None),
    };
    let created = am.insert(&state.db).await?;
    tracing::info!(action_id = %created.id, "action written");
    created.try_into()
}

async fn find_action(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<feedback_action::Model> {
    feedback_action::Entity::find_by_id(id)
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("no such action"))
}

pub async fn get_action(state: &AppState, user: &StaffUser, id: Uuid) -> Result<Action> {
    find_action(&state.db, user.organisation_id, id)
        .await?
        .try_into()
}

pub async fn list_actions(state: &AppState, user: &StaffUser) -> Result<Vec<Action>> {
    feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(user.organisation_id))
        .order_by_desc(feedback_action::Column::CreatedAt)
        .all(&state.db)
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
    let current = find_action(&state.db, user.organisation_id, id).await?;
    let mut am: feedback_action::ActiveModel = current.into();
    if let Some(a) = change.audience {
        am.audience = Set(a.as_str().to_owned());
    }
    if let Some(p) = change.period {
        am.period_first = Set(Some(p.first));
        am.period_last = Set(Some(p.last));
    }
    if let Some(ids) = &change.response_ids {
        let ids = checked_responses(&state.db, user.organisation_id, ids).await?;
        am.response_ids = Set(to_json(&ids)?);
    }
    if let Some(t) = &change.you_said {
        am.you_said = Set(to_json(t)?);
    }
    if let Some(t) = &change.we_did {
        am.we_did = Set(to_json(t)?);
    }
    if let Some(e) = &change.easy_read {
        am.easy_read = Set(Some(to_json(e)?));
    }
    if let Some(d) = change.done_on {
        am.done_on = Set(d);
    }
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
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
    let txn = state.db.begin().await?;
    // Written first, and only if still a draft: of two managers publishing at once, one queues.
    let won = feedback_action::Entity::update_many()
        .col_expr(
            feedback_action::Column::PublishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            feedback_action::Column::PublishedBy,
            sea_orm::sea_query::Expr::value(user.id),
        )
        .filter(feedback_action::Column::Id.eq(id))
        .filter(feedback_action::Column::PublishedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let queued = if won {
        queue_digests(&txn, &mail::Links::of(state), &action, now).await?
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
    let rows = feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .filter(feedback_action::Column::PublishedAt.is_not_null())
        .order_by_desc(feedback_action::Column::PublishedAt)
        .all(db)
        .await?;
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
