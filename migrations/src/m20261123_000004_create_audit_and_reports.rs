//! The audit trail (append-only: no route updates or deletes it), the safeguarding "handled"
//! marks, frozen published reports, and the privacy settings (retention, who reads answers).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .col(big_pk_auto(AuditEntry::Id))
                    .col(uuid(AuditEntry::OrganisationId))
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(string_len(AuditEntry::ActorKind, 16))
                    .col(uuid_null(AuditEntry::ActorId))
                    .col(string_len(AuditEntry::Action, 32))
                    .col(string_len(AuditEntry::Entity, 32))
                    .col(uuid_null(AuditEntry::EntityId))
                    .col(uuid_null(AuditEntry::ParticipantId))
                    .col(string_len(AuditEntry::Address, 64))
                    .col(text(AuditEntry::Detail))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_audit_org_participant", AuditEntry::ParticipantId),
            ("ix_audit_org_actor", AuditEntry::ActorId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(AuditEntry::Table)
                        .col(AuditEntry::OrganisationId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(AttentionHandled::Table)
                    .col(pk_uuid(AttentionHandled::ResponseId))
                    .col(uuid(AttentionHandled::OrganisationId))
                    .col(uuid(AttentionHandled::HandledBy))
                    .col(timestamp_with_time_zone(AttentionHandled::HandledAt))
                    .col(text(AttentionHandled::Note))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PublishedReport::Table)
                    .col(pk_uuid(PublishedReport::Id))
                    .col(uuid(PublishedReport::OrganisationId))
                    .col(date(PublishedReport::First))
                    .col(date(PublishedReport::Last))
                    .col(string_len(PublishedReport::Title, 200))
                    .col(uuid(PublishedReport::PublishedBy))
                    .col(timestamp_with_time_zone(PublishedReport::PublishedAt))
                    .col(text(PublishedReport::Snapshot))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_published_report_org")
                    .table(PublishedReport::Table)
                    .col(PublishedReport::OrganisationId)
                    .col(PublishedReport::PublishedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .add_column(integer_null(OrganisationSetting::RetentionDays))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .add_column(text_null(OrganisationSetting::ReadersText))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .add_column(timestamp_with_time_zone_null(Participant::ErasedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Participant::Table)
                    .drop_column(Participant::ErasedAt)
                    .to_owned(),
            )
            .await?;
        for col in [
            OrganisationSetting::ReadersText,
            OrganisationSetting::RetentionDays,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(OrganisationSetting::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            PublishedReport::Table.into_iden(),
            AttentionHandled::Table.into_iden(),
            AuditEntry::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Id,
    OrganisationId,
    At,
    ActorKind,
    ActorId,
    Action,
    Entity,
    EntityId,
    ParticipantId,
    Address,
    Detail,
}

#[derive(DeriveIden)]
enum AttentionHandled {
    Table,
    ResponseId,
    OrganisationId,
    HandledBy,
    HandledAt,
    Note,
}

#[derive(DeriveIden)]
enum PublishedReport {
    Table,
    Id,
    OrganisationId,
    First,
    Last,
    Title,
    PublishedBy,
    PublishedAt,
    Snapshot,
}

#[derive(DeriveIden)]
enum OrganisationSetting {
    Table,
    RetentionDays,
    ReadersText,
}

#[derive(DeriveIden)]
enum Participant {
    Table,
    ErasedAt,
}
