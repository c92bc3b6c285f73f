//! Official translations of an instrument (SWEMWBS) loaded by an organisation's admin: the
//! translated texts per instrument version and language, the source the admin named, and who
//! loaded them when. Without a row, the instrument is offered in its own languages only.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(InstrumentTranslation::Table)
                    .col(uuid(InstrumentTranslation::OrganisationId))
                    .col(string_len(InstrumentTranslation::InstrumentKey, 64))
                    .col(integer(InstrumentTranslation::InstrumentVersion))
                    .col(string_len(InstrumentTranslation::Language, 8))
                    // `domain::translation::SwemwbsTexts` as JSON.
                    .col(text(InstrumentTranslation::Texts))
                    .col(text(InstrumentTranslation::Source))
                    .col(uuid(InstrumentTranslation::LoadedBy))
                    .col(timestamp_with_time_zone(InstrumentTranslation::LoadedAt))
                    .primary_key(
                        Index::create()
                            .col(InstrumentTranslation::OrganisationId)
                            .col(InstrumentTranslation::InstrumentKey)
                            .col(InstrumentTranslation::InstrumentVersion)
                            .col(InstrumentTranslation::Language),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                InstrumentTranslation::Table,
                                InstrumentTranslation::OrganisationId,
                            )
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                InstrumentTranslation::Table,
                                (
                                    InstrumentTranslation::InstrumentKey,
                                    InstrumentTranslation::InstrumentVersion,
                                ),
                            )
                            .to(Instrument::Table, (Instrument::Key, Instrument::Version)),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(InstrumentTranslation::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum InstrumentTranslation {
    Table,
    OrganisationId,
    InstrumentKey,
    InstrumentVersion,
    Language,
    Texts,
    Source,
    LoadedBy,
    LoadedAt,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Instrument {
    Table,
    Key,
    Version,
}
