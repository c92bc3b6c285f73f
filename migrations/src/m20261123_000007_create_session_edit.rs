//! Edits of support sessions (DESIGN §6: editable records carry a version; a stale edit is not
//! lost). Every edit sent is kept here by the id the device gave it: applied, or a conflict to
//! resolve, or resolved.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SessionEdit::Table)
                    .col(pk_uuid(SessionEdit::Id))
                    .col(uuid(SessionEdit::OrganisationId))
                    .col(uuid(SessionEdit::SessionId))
                    .col(uuid(SessionEdit::AuthorId))
                    .col(integer(SessionEdit::BaseVersion))
                    .col(date(SessionEdit::HeldOn))
                    .col(integer(SessionEdit::DurationMinutes))
                    .col(string_len(SessionEdit::Stage, 40))
                    .col(string_len(SessionEdit::Activity, 200))
                    .col(text(SessionEdit::Note))
                    .col(string_len(SessionEdit::Outcome, 20))
                    .col(string_len(SessionEdit::BodyHash, 64))
                    .col(timestamp_with_time_zone(SessionEdit::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(SessionEdit::Table, SessionEdit::SessionId)
                            .to(SupportSession::Table, SupportSession::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_session_edit_session")
                    .table(SessionEdit::Table)
                    .col(SessionEdit::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SessionEdit::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum SessionEdit {
    Table,
    Id,
    OrganisationId,
    SessionId,
    AuthorId,
    BaseVersion,
    HeldOn,
    DurationMinutes,
    Stage,
    Activity,
    Note,
    Outcome,
    BodyHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SupportSession {
    Table,
    Id,
}
