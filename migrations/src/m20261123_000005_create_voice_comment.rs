//! Voice comments: the audio a participant recorded with a response, at most one per response.
//! The bytes live in the database (blob on SQLite, bytea on PostgreSQL), so backups, erasure
//! and several server copies need nothing beside it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(VoiceComment::Table)
                    .col(pk_uuid(VoiceComment::ResponseId))
                    .col(uuid(VoiceComment::OrganisationId))
                    .col(string_len(VoiceComment::ContentType, 100))
                    .col(blob(VoiceComment::Bytes))
                    .col(string_len(VoiceComment::Sha256, 64))
                    .col(big_integer(VoiceComment::ByteLen))
                    .col(timestamp_with_time_zone(VoiceComment::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(VoiceComment::Table, VoiceComment::ResponseId)
                            .to(Response::Table, Response::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_voice_comment_org")
                    .table(VoiceComment::Table)
                    .col(VoiceComment::OrganisationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VoiceComment::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum VoiceComment {
    Table,
    ResponseId,
    OrganisationId,
    ContentType,
    Bytes,
    Sha256,
    ByteLen,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Response {
    Table,
    Id,
}
