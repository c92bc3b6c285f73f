//! Episode holder history (DESIGN §4 Attribution): who held each episode, from when.

use crate::entities::{episode, episode_holder};
use chrono::{DateTime, Utc};
use domain::attribution::{Attribution, Holding};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{OnConflict, Query},
};
use std::collections::HashMap;
use uuid::Uuid;

/// Records that `e`'s current specialist and team hold it from `at` on. Recording the same
/// entry twice keeps one.
#[tracing::instrument(skip_all, fields(episode_id = %e.id), err(level = "debug"))]
pub async fn record(
    db: &impl ConnectionTrait,
    e: &episode::Model,
    at: DateTime<Utc>,
) -> Result<(), DbErr> {
    episode_holder::Entity::insert(episode_holder::ActiveModel {
        episode_id: Set(e.id),
        effective_at: Set(at),
        organisation_id: Set(e.organisation_id),
        specialist_id: Set(e.specialist_id),
        team_id: Set(e.team_id),
    })
    .on_conflict(
        OnConflict::columns([
            episode_holder::Column::EpisodeId,
            episode_holder::Column::EffectiveAt,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn holding(h: &episode_holder::Model) -> Holding {
    Holding {
        specialist_id: h.specialist_id,
        team_id: h.team_id,
        since: h.effective_at,
    }
}

/// One episode's history, oldest first. An episode never moved has no entry: its current
/// holder has held it since it was recorded (a move writes both entries).
#[tracing::instrument(skip_all, fields(episode_id = %e.id), err(level = "debug"))]
pub async fn history(db: &impl ConnectionTrait, e: &episode::Model) -> Result<Vec<Holding>, DbErr> {
    let entries = episode_holder::Entity::find()
        .filter(episode_holder::Column::EpisodeId.eq(e.id))
        .order_by_asc(episode_holder::Column::EffectiveAt)
        .all(db)
        .await?;
    Ok(or_current(entries.iter().map(holding).collect(), e))
}

fn or_current(history: Vec<Holding>, e: &episode::Model) -> Vec<Holding> {
    if history.is_empty() {
        vec![Holding {
            specialist_id: e.specialist_id,
            team_id: e.team_id,
            since: e.created_at,
        }]
    } else {
        history
    }
}

/// The histories of these episodes, oldest entry first, each falling back to its current
/// holder as `history` does.
#[tracing::instrument(skip_all, fields(n = episodes.len()), err(level = "debug"))]
pub async fn histories(
    db: &impl ConnectionTrait,
    episodes: &[&episode::Model],
) -> Result<HashMap<Uuid, Vec<Holding>>, DbErr> {
    let mut out: HashMap<Uuid, Vec<Holding>> = HashMap::with_capacity(episodes.len());
    let ids: Vec<Uuid> = episodes.iter().map(|e| e.id).collect();
    // SQLite allows a limited number of bound parameters per statement.
    for chunk in ids.chunks(500) {
        for h in episode_holder::Entity::find()
            .filter(episode_holder::Column::EpisodeId.is_in(chunk.iter().copied()))
            .order_by_asc(episode_holder::Column::EffectiveAt)
            .all(db)
            .await?
        {
            out.entry(h.episode_id).or_default().push(holding(&h));
        }
    }
    for e in episodes {
        let history = out.remove(&e.id).unwrap_or_default();
        out.insert(e.id, or_current(history, e));
    }
    Ok(out)
}

/// Episodes `who`'s team or specialist held at any time (or hold now): a condition on
/// episodes that narrows a search before the exact rule (the holder on the day) is applied.
/// `None` when `who` names neither.
pub fn ever_held_by(org: Uuid, who: &Attribution) -> Option<Condition> {
    if who.team_id.is_none() && who.specialist_id.is_none() {
        return None;
    }
    let mut q = Query::select();
    q.column(episode_holder::Column::EpisodeId)
        .from(episode_holder::Entity)
        .and_where(episode_holder::Column::OrganisationId.eq(org));
    let mut now = Condition::all();
    if let Some(t) = who.team_id {
        q.and_where(episode_holder::Column::TeamId.eq(t));
        now = now.add(episode::Column::TeamId.eq(t));
    }
    if let Some(s) = who.specialist_id {
        q.and_where(episode_holder::Column::SpecialistId.eq(s));
        now = now.add(episode::Column::SpecialistId.eq(s));
    }
    Some(
        Condition::any()
            .add(episode::Column::Id.in_subquery(q.to_owned()))
            .add(now),
    )
}

/// A specialist moved to another team takes their caseload along from `at` on: each of their
/// episodes gets the new team and an entry in its history (and, if it had none, the entry of
/// its first holder). Figures of days before `at` keep the old team.
#[tracing::instrument(skip_all, fields(%specialist), err(level = "debug"))]
pub async fn follow_team(
    db: &impl ConnectionTrait,
    org: Uuid,
    specialist: Uuid,
    team: Option<Uuid>,
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    use sea_orm::ActiveModelTrait;
    let held = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .filter(episode::Column::SpecialistId.eq(specialist))
        .all(db)
        .await?;
    let mut moved = 0;
    for e in held.into_iter().filter(|e| e.team_id != team) {
        record(db, &e, e.created_at).await?;
        let mut am: episode::ActiveModel = e.into();
        am.team_id = Set(team);
        am.updated_at = Set(at);
        let updated = am.update(db).await?;
        record(db, &updated, at).await?;
        moved += 1;
    }
    Ok(moved)
}
