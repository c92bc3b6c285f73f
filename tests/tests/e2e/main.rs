//! End-to-end tests through the real server. One binary, one module per feature.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod auth;
mod authz;
mod bad_input;
mod caseload_forms;
mod crash;
mod demo;
mod evidence;
mod health;
mod kpi;
mod mail;
mod openapi;
mod oversight;
mod privacy;
mod proxies;
mod pwa;
mod pwa_participant;
mod pwa_results;
mod pwa_staff;
mod pwa_staff_assisted;
mod pwa_staff_invite;
mod sessions;
mod staff_and_teams;
mod survey_help;
mod tenancy;
mod voice;
