//! The organisation's staff, teams and participants, looked up both ways: by id to write a
//! file's names and references, by email or name to resolve an imported row's.

use super::check::Row;
use crate::{
    entities::{participant, staff},
    repo,
};
use sea_orm::ConnectionTrait;
use std::collections::HashMap;
use uuid::Uuid;

pub(super) struct Names {
    pub staff_email: HashMap<Uuid, String>,
    pub staff_by_email: HashMap<String, staff::Model>,
    pub team_name: HashMap<Uuid, String>,
    pub team_by_name: HashMap<String, Uuid>,
    pub participants: HashMap<Uuid, participant::Model>,
}

pub(super) async fn names(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<Names> {
    let staff = repo::staff::list(db, org).await?;
    let teams = repo::teams::list(db, org).await?;
    let participants = repo::transfer::participants(db, org).await?;
    Ok(Names {
        staff_email: staff.iter().map(|s| (s.id, s.email.clone())).collect(),
        staff_by_email: staff.into_iter().map(|s| (s.email.clone(), s)).collect(),
        team_name: teams.iter().map(|t| (t.id, t.name.clone())).collect(),
        team_by_name: teams.into_iter().map(|t| (t.name, t.id)).collect(),
        participants: participants.into_iter().map(|p| (p.id, p)).collect(),
    })
}

impl Names {
    /// The staff member a row names by email, noting on the row when there is none.
    pub fn specialist(&self, row: &mut Row, email: &str) -> Option<&staff::Model> {
        self.staff_in(row, "specialist_email", email)
    }

    /// The staff member a row names by email in `field`.
    pub fn staff_in(&self, row: &mut Row, field: &str, email: &str) -> Option<&staff::Model> {
        let found = self.staff_by_email.get(&email.trim().to_lowercase());
        if found.is_none() {
            row.bad(field, "no staff member of this organisation has this email");
        }
        found
    }

    /// The reference a file shows for a participant (empty for one not found).
    pub fn reference(&self, id: &Uuid) -> String {
        self.participants
            .get(id)
            .map(|p| p.reference.clone())
            .unwrap_or_default()
    }
}
