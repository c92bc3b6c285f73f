//! Soundings' schema as ordered migrations. Each migration names its own tables and columns
//! (never the backend's entities), so old migrations keep compiling as entities change.

pub use sea_orm_migration::prelude::*;

mod m20261123_000001_create_tenancy_and_auth;
mod m20261123_000002_create_evidence;
mod m20261123_000003_seed_instruments;
mod m20261123_000004_create_audit_and_reports;
mod m20261123_000005_create_voice_comment;
mod m20261123_000006_create_mail_and_actions;
mod m20261123_000007_create_session_edit;
mod m20261123_000008_add_survey_help;
mod m20261203_000001_create_episode_holder;
mod m20261203_100001_index_response_arrival;
mod m20261203_200001_index_response_episode_forms;
mod m20261204_000001_create_journey;
mod m20261205_000001_add_mail_optout_address;
mod m20261206_000001_create_commissioner_share;
mod m20261207_000001_create_instrument_translation;
mod m20261207_100001_add_response_may_quote;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_tenancy_and_auth::Migration),
            Box::new(m20261123_000002_create_evidence::Migration),
            Box::new(m20261123_000003_seed_instruments::Migration),
            Box::new(m20261123_000004_create_audit_and_reports::Migration),
            Box::new(m20261123_000005_create_voice_comment::Migration),
            Box::new(m20261123_000006_create_mail_and_actions::Migration),
            Box::new(m20261123_000007_create_session_edit::Migration),
            Box::new(m20261123_000008_add_survey_help::Migration),
            Box::new(m20261203_000001_create_episode_holder::Migration),
            Box::new(m20261203_100001_index_response_arrival::Migration),
            Box::new(m20261203_200001_index_response_episode_forms::Migration),
            Box::new(m20261204_000001_create_journey::Migration),
            Box::new(m20261205_000001_add_mail_optout_address::Migration),
            Box::new(m20261206_000001_create_commissioner_share::Migration),
            Box::new(m20261207_000001_create_instrument_translation::Migration),
            Box::new(m20261207_100001_add_response_may_quote::Migration),
        ]
    }
}
