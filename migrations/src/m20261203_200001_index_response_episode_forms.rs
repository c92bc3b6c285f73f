//! Coverage (DESIGN §4): which forms each due episode has had answered is read from this index
//! alone — a three-year trend asks it of thousands of episodes.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_response_episode_forms";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Response::Table)
                    .col(Response::EpisodeId)
                    .col(Response::OrganisationId)
                    .col(Response::InstrumentKey)
                    .col(Response::Timing)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(NAME).table(Response::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Response {
    Table,
    EpisodeId,
    OrganisationId,
    InstrumentKey,
    Timing,
}
