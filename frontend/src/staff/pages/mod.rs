//! The staff app's pages, one file each (the client page, the dashboard, the outbox and the
//! admin screens: a folder each).

pub mod actions;
pub mod admin;
pub mod assisted;
pub mod attention;
pub mod caseload;
pub mod client;
pub mod dashboard;
pub mod invite;
pub mod journey;
pub mod login;
pub mod new_client;
pub mod outbox;
pub mod reports;
pub mod session_form;
pub mod shared;
pub mod swemwbs;
