//! The audit trail: appended to, searched and exported; never updated or deleted.

use crate::entities::audit_entry;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

/// What happened, to what, and whose data it was.
pub struct Event<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<Uuid>,
    pub participant_id: Option<Uuid>,
    pub detail: String,
}

/// Who did it, and from where.
pub struct Actor {
    pub organisation_id: Uuid,
    pub kind: &'static str,
    pub id: Option<Uuid>,
    pub address: String,
}

fn entry(actor: &Actor, event: Event<'_>) -> audit_entry::ActiveModel {
    audit_entry::ActiveModel {
        organisation_id: Set(actor.organisation_id),
        at: Set(chrono::Utc::now()),
        actor_kind: Set(actor.kind.to_owned()),
        actor_id: Set(actor.id),
        action: Set(event.action.to_owned()),
        entity: Set(event.entity.to_owned()),
        entity_id: Set(event.entity_id),
        participant_id: Set(event.participant_id),
        address: Set(actor.address.clone()),
        detail: Set(event.detail),
        ..Default::default()
    }
}

#[tracing::instrument(skip_all, fields(action = event.action, entity = event.entity), err(level = "debug"))]
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    event: Event<'_>,
) -> Result<(), DbErr> {
    entry(actor, event).insert(db).await?;
    Ok(())
}

/// Records many events by one actor, a few hundred rows per statement (a page that shows
/// many people's data at once, such as the needs-attention list).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn record_all<'a>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    events: impl IntoIterator<Item = Event<'a>>,
) -> Result<(), DbErr> {
    let entries: Vec<audit_entry::ActiveModel> =
        events.into_iter().map(|e| entry(actor, e)).collect();
    for chunk in entries.chunks(200) {
        audit_entry::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// What an audit search asks for; every filter given must hold.
#[derive(Debug, Default)]
pub struct AuditFilter {
    pub participant: Option<Uuid>,
    pub staff: Option<Uuid>,
    pub action: Option<String>,
    pub entity: Option<String>,
    /// At or after this instant.
    pub since: Option<chrono::DateTime<chrono::Utc>>,
    /// Before this instant.
    pub before: Option<chrono::DateTime<chrono::Utc>>,
}

/// Newest first, at most `limit`.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn search(
    db: &impl ConnectionTrait,
    org: Uuid,
    f: &AuditFilter,
    limit: u64,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    let mut q = audit_entry::Entity::find().filter(audit_entry::Column::OrganisationId.eq(org));
    if let Some(p) = f.participant {
        q = q.filter(audit_entry::Column::ParticipantId.eq(p));
    }
    if let Some(s) = f.staff {
        q = q.filter(audit_entry::Column::ActorId.eq(s));
    }
    if let Some(a) = &f.action {
        q = q.filter(audit_entry::Column::Action.eq(a.as_str()));
    }
    if let Some(e) = &f.entity {
        q = q.filter(audit_entry::Column::Entity.eq(e.as_str()));
    }
    if let Some(t) = f.since {
        q = q.filter(audit_entry::Column::At.gte(t));
    }
    if let Some(t) = f.before {
        q = q.filter(audit_entry::Column::At.lt(t));
    }
    q.order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
