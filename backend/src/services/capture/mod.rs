//! Storing the records captured in the field: participants, consent, episodes, sessions,
//! invitations and responses. Each arrives with an id made on the device. The same id with the
//! same body is stored once and answered the same; the same id with another body is a 409.
//! Single endpoints and the batch endpoint both come through here, so the rules are one.

use crate::{
    ApiError, Result,
    auth::{self},
    entities::{consent, episode, invitation, participant, response, support_session},
    repo,
    state::AppState,
};
use chrono::Duration;
use domain::records::FieldError;
use sea_orm::{ActiveModelTrait, DbErr, IntoActiveModel};
use serde::Serialize;
use uuid::Uuid;

mod episodes;
mod invitations;
mod journey;
mod participants;
mod responses;
mod sessions;
mod sync;

pub use episodes::*;
pub use invitations::*;
pub use journey::*;
pub use participants::*;
pub use responses::*;
pub use sessions::*;
pub use sync::{MAX_BATCH, sync};

/// Devices' clocks drift: an answer up to this far in the future is accepted.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// A fingerprint of the body a record was created with.
pub fn body_hash<T: Serialize>(body: &T) -> String {
    auth::token_hash(&serde_json::to_string(body).unwrap_or_default())
}

/// A stored record made on a device: which organisation holds it and the body it was made from.
pub trait Fingerprinted {
    fn organisation(&self) -> Uuid;
    fn fingerprint(&self) -> &str;
}

macro_rules! fingerprinted {
    ($($m:path),+) => {$(
        impl Fingerprinted for $m {
            fn organisation(&self) -> Uuid {
                self.organisation_id
            }
            fn fingerprint(&self) -> &str {
                &self.body_hash
            }
        }
    )+};
}
fingerprinted!(
    participant::Model,
    consent::Model,
    episode::Model,
    support_session::Model,
    invitation::Model,
    response::Model,
    crate::entities::referral::Model,
    crate::entities::job::Model
);

/// The same id again: the stored record if it is the same one, a conflict otherwise.
fn same_record<M: Fingerprinted>(existing: M, org: Uuid, hash: &str) -> Result<M> {
    if existing.organisation() == org && existing.fingerprint() == hash {
        Ok(existing)
    } else {
        Err(ApiError::conflict(
            "id",
            "this id was already used for a record with different content",
        ))
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::invalid(e.field, e.message)
    }
}

pub(crate) fn stored<T>(
    what: &str,
    v: &str,
    parse: impl Fn(&str) -> std::result::Result<T, domain::ParseError>,
) -> Result<T> {
    parse(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

fn json_column<T: serde::de::DeserializeOwned>(what: &str, v: &str) -> Result<T> {
    serde_json::from_str(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

type ModelOf<A> = <<A as ActiveModelTrait>::Entity as sea_orm::EntityTrait>::Model;

/// Inserts a record made on a device, in this writer's turn (`db::WriteTurns`). A unique clash
/// on its id is a resend racing this one (answered like any resend); any other unique clash
/// goes to `other_clash`.
async fn store_once<A, F, Fut>(
    state: &AppState,
    am: A,
    org: Uuid,
    hash: &str,
    find: F,
    other_clash: fn(DbErr) -> ApiError,
) -> Result<ModelOf<A>>
where
    A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A> + Fingerprinted,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<Option<ModelOf<A>>, DbErr>>,
{
    let turn = state.turns.take().await?;
    let inserted = am.insert(&state.db).await;
    drop(turn);
    match inserted {
        Ok(m) => Ok(m),
        Err(e) if repo::is_unique_violation(&e) => match find().await? {
            Some(existing) => same_record(existing, org, hash),
            None => Err(other_clash(e)),
        },
        Err(e) => Err(e.into()),
    }
}

fn internal(e: DbErr) -> ApiError {
    e.into()
}
