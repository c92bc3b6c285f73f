//! Organisations (tenants), teams, staff, refresh-token families, login throttling and
//! server-wide settings (the shared token signing key lives here, so every server copy agrees).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organisation::Table)
                    .col(pk_uuid(Organisation::Id))
                    .col(string_len(Organisation::Name, 200))
                    .col(string_len(Organisation::TimeZone, 64).default("Europe/London"))
                    .col(timestamp_with_time_zone(Organisation::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Team::Table)
                    .col(pk_uuid(Team::Id))
                    .col(uuid(Team::OrganisationId))
                    .col(string_len(Team::Name, 100))
                    .col(timestamp_with_time_zone(Team::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Team::Table, Team::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_team_org_name")
                    .table(Team::Table)
                    .col(Team::OrganisationId)
                    .col(Team::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Staff::Table)
                    .col(pk_uuid(Staff::Id))
                    .col(uuid(Staff::OrganisationId))
                    .col(uuid_null(Staff::TeamId))
                    .col(string_len(Staff::Name, 100))
                    .col(string_len_uniq(Staff::Email, 254))
                    .col(string_len(Staff::Role, 16))
                    .col(string_len(Staff::PasswordHash, 200))
                    .col(boolean(Staff::Active).default(true))
                    .col(timestamp_with_time_zone(Staff::CreatedAt))
                    .col(timestamp_with_time_zone(Staff::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Staff::Table, Staff::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Staff::Table, Staff::TeamId)
                            .to(Team::Table, Team::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_staff_org")
                    .table(Staff::Table)
                    .col(Staff::OrganisationId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RefreshToken::Table)
                    .col(pk_uuid(RefreshToken::Id))
                    .col(uuid(RefreshToken::FamilyId))
                    .col(uuid(RefreshToken::StaffId))
                    .col(string_len_uniq(RefreshToken::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshToken::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::UsedAt))
                    .col(timestamp_with_time_zone_null(RefreshToken::RevokedAt))
                    .col(timestamp_with_time_zone(RefreshToken::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(RefreshToken::Table, RefreshToken::StaffId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_refresh_token_family")
                    .table(RefreshToken::Table)
                    .col(RefreshToken::FamilyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .col(pk_auto(LoginAttempt::Id))
                    .col(string_len(LoginAttempt::Subject, 64))
                    .col(timestamp_with_time_zone(LoginAttempt::AttemptedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_login_attempt_subject_time")
                    .table(LoginAttempt::Table)
                    .col(LoginAttempt::Subject)
                    .col(LoginAttempt::AttemptedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Setting::Table)
                    .col(string_len(Setting::Key, 64).primary_key())
                    .col(text(Setting::Value))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Setting::Table.into_iden(),
            LoginAttempt::Table.into_iden(),
            RefreshToken::Table.into_iden(),
            Staff::Table.into_iden(),
            Team::Table.into_iden(),
            Organisation::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
    Name,
    TimeZone,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Team {
    Table,
    Id,
    OrganisationId,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
    OrganisationId,
    TeamId,
    Name,
    Email,
    Role,
    PasswordHash,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RefreshToken {
    Table,
    Id,
    FamilyId,
    StaffId,
    TokenHash,
    ExpiresAt,
    UsedAt,
    RevokedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Id,
    Subject,
    AttemptedAt,
}

#[derive(DeriveIden)]
enum Setting {
    Table,
    Key,
    Value,
}
