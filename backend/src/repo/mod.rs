//! Queries and mutations: plain async functions over any connection or transaction.
//! Every function that reads tenant data takes the organisation id, so a caller cannot forget it.

pub mod actions;
pub mod attention;
pub mod audit;
pub mod commissioners;
pub mod erasure;
pub mod holders;
pub mod instruments;
pub mod invitations;
pub mod journey;
pub mod mail;
pub mod mail_optouts;
pub mod mail_settings;
pub mod orgs;
pub mod published_reports;
pub mod records;
pub mod results_links;
pub mod retention;
pub mod session_edits;
pub mod settings;
pub mod staff;
pub mod subject;
pub mod tallies;
pub mod teams;
pub mod throttle;
pub mod tokens;
pub mod transfer;
pub mod translations;
pub mod voice;
pub mod wellbeing;

/// Whether a database error is a unique-key clash (to answer 409, not 500).
pub fn is_unique_violation(e: &sea_orm::DbErr) -> bool {
    matches!(
        e.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
