//! The demo organisation: what someone trying Soundings logs into. Its logins are in the README.

use crate::{auth, repo};
use domain::Role;
use sea_orm::{DatabaseConnection, TransactionTrait};

pub const DEMO_ORGANISATION: &str = "Demo Supported Employment Service";
pub const DEMO_PASSWORD: &str = "soundings-demo";

/// `(email, name, role, team index)` of the demo staff.
pub const DEMO_STAFF: &[(&str, &str, Role, Option<usize>)] = &[
    ("admin@demo.example.org", "Alex Admin", Role::Admin, None),
    (
        "manager@demo.example.org",
        "Morgan Manager",
        Role::Manager,
        None,
    ),
    (
        "sam@demo.example.org",
        "Sam Specialist",
        Role::Specialist,
        Some(0),
    ),
    (
        "jo@demo.example.org",
        "Jo Specialist",
        Role::Specialist,
        Some(1),
    ),
];

/// Seeds the demo into an empty database. Returns false (and changes nothing) otherwise.
pub async fn seed(db: &DatabaseConnection) -> anyhow::Result<bool> {
    if repo::orgs::count(db).await? > 0 {
        return Ok(false);
    }
    let hash = auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let txn = db.begin().await?;
    let org = repo::orgs::create(&txn, DEMO_ORGANISATION).await?;
    let mut teams = Vec::new();
    for name in ["North team", "South team"] {
        teams.push(repo::teams::create(&txn, org.id, name).await?.id);
    }
    for (email, name, role, team) in DEMO_STAFF {
        repo::staff::create(
            &txn,
            repo::staff::NewStaff {
                organisation_id: org.id,
                team_id: team.and_then(|i| teams.get(i).copied()),
                name,
                email,
                role: *role,
                password_hash: hash.clone(),
            },
        )
        .await?;
    }
    txn.commit().await?;
    tracing::info!("demo organisation seeded");
    Ok(true)
}
