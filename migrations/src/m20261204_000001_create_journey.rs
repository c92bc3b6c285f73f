//! The journey of an episode (DESIGN §4a): referrals (which may never start), jobs (zero or
//! more per episode), the episode's hours before support and why support ended, and each
//! organisation's outcome settings (scoring bands, targets, contract values, minimum-wage
//! table) as one JSON document.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Referral::Table)
                    .col(pk_uuid(Referral::Id))
                    .col(uuid(Referral::OrganisationId))
                    .col(uuid(Referral::ParticipantId))
                    .col(uuid(Referral::SpecialistId))
                    .col(uuid_null(Referral::TeamId))
                    .col(string_len(Referral::Programme, 8))
                    .col(date(Referral::ReferredOn))
                    .col(string_len(Referral::Source, 32))
                    .col(boolean_null(Referral::Accepted))
                    .col(date_null(Referral::DecidedOn))
                    .col(string_len_null(Referral::NotAcceptedReason, 32))
                    .col(uuid(Referral::CreatedBy))
                    .col(string_len(Referral::BodyHash, 64))
                    .col(timestamp_with_time_zone(Referral::CreatedAt))
                    .col(timestamp_with_time_zone(Referral::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Referral::Table, Referral::ParticipantId)
                            .to(Participant::Table, Participant::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_referral_org_date")
                    .table(Referral::Table)
                    .col(Referral::OrganisationId)
                    .col(Referral::ReferredOn)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Job::Table)
                    .col(pk_uuid(Job::Id))
                    .col(uuid(Job::OrganisationId))
                    .col(uuid(Job::EpisodeId))
                    .col(date(Job::StartedOn))
                    .col(string_len(Job::Outcome, 32))
                    .col(boolean(Job::Paid))
                    .col(uuid_null(Job::EmployerId))
                    .col(string_len_null(Job::Title, 200))
                    .col(string_len_null(Job::Sector, 1))
                    .col(big_integer_null(Job::HoursPerWeek))
                    .col(big_integer_null(Job::HourlyPay))
                    .col(boolean(Job::JobAnalysis))
                    .col(date_null(Job::EndedOn))
                    .col(string_len_null(Job::EndReason, 32))
                    .col(uuid(Job::CreatedBy))
                    .col(string_len(Job::BodyHash, 64))
                    .col(timestamp_with_time_zone(Job::CreatedAt))
                    .col(timestamp_with_time_zone(Job::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Job::Table, Job::EpisodeId)
                            .to(Episode::Table, Episode::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_job_org_episode")
                    .table(Job::Table)
                    .col(Job::OrganisationId)
                    .col(Job::EpisodeId)
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite alters a table one column at a time.
        for col in [
            uuid_null(Episode::ReferralId),
            big_integer_null(Episode::HoursBefore),
            string_len_null(Episode::EndReason, 32),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Episode::Table)
                        .add_column(col)
                        .to_owned(),
                )
                .await?;
        }
        // One episode of support per referral (NULLs, episodes without one, do not clash).
        manager
            .create_index(
                Index::create()
                    .name("ux_episode_referral")
                    .table(Episode::Table)
                    .col(Episode::ReferralId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .add_column(text_null(OrganisationSetting::Outcomes))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .drop_column(OrganisationSetting::Outcomes)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ux_episode_referral")
                    .table(Episode::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            Episode::EndReason,
            Episode::HoursBefore,
            Episode::ReferralId,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Episode::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(Job::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Referral::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Referral {
    Table,
    Id,
    OrganisationId,
    ParticipantId,
    SpecialistId,
    TeamId,
    Programme,
    ReferredOn,
    Source,
    Accepted,
    DecidedOn,
    NotAcceptedReason,
    CreatedBy,
    BodyHash,
    CreatedAt,
    UpdatedAt,
}

// `JobAnalysis` is the column's name: it starts with the table's by chance.
#[allow(clippy::enum_variant_names)]
#[derive(DeriveIden)]
enum Job {
    Table,
    Id,
    OrganisationId,
    EpisodeId,
    StartedOn,
    Outcome,
    Paid,
    EmployerId,
    Title,
    Sector,
    HoursPerWeek,
    HourlyPay,
    JobAnalysis,
    EndedOn,
    EndReason,
    CreatedBy,
    BodyHash,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Episode {
    Table,
    Id,
    ReferralId,
    HoursBefore,
    EndReason,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum OrganisationSetting {
    Table,
    Outcomes,
}
