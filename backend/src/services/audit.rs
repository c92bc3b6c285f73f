//! Writing the audit trail from handlers: every read or change of a participant's personal
//! data, and every refused attempt, with who, when and from where.

use crate::{
    auth::StaffUser,
    repo::audit::{self, Actor, Event},
};
use actix_web::HttpRequest;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

pub fn staff_actor(user: &StaffUser, req: &HttpRequest) -> Actor {
    Actor {
        organisation_id: user.organisation_id,
        kind: "staff",
        id: Some(user.id),
        address: crate::client_addr::client_address(req),
    }
}

/// Records a change to an account or a team (`entity` `staff` or `team`), with what changed in
/// `detail`: the names of the fields and the new role or state, never a name, email or
/// password. Run it in the change's own transaction, so neither lands without the other.
pub async fn log_change(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Uuid,
    detail: String,
) -> crate::Result<()> {
    audit::record(
        db,
        actor,
        Event {
            action,
            entity,
            entity_id: Some(entity_id),
            participant_id: None,
            detail,
        },
    )
    .await?;
    Ok(())
}

/// Records one event. A failure to write the trail fails the request: data must not be read
/// without the read being recorded.
pub async fn log(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<Uuid>,
    participant_id: Option<Uuid>,
) -> crate::Result<()> {
    audit::record(
        db,
        actor,
        Event {
            action,
            entity,
            entity_id,
            participant_id,
            detail: String::new(),
        },
    )
    .await?;
    Ok(())
}

/// Records that `actor` read each of these comments (response id, participant id): a page
/// that shows many people's words at once writes its trail in a few statements, and fails,
/// like `log`, if the trail cannot be written.
pub async fn log_comment_reads(
    db: &impl ConnectionTrait,
    actor: &Actor,
    read: impl IntoIterator<Item = (Uuid, Uuid)>,
) -> crate::Result<()> {
    audit::record_all(
        db,
        actor,
        read.into_iter().map(|(response, participant)| Event {
            action: "read",
            entity: "comment",
            entity_id: Some(response),
            participant_id: Some(participant),
            detail: String::new(),
        }),
    )
    .await?;
    Ok(())
}
