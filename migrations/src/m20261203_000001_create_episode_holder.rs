//! Who held each episode, and from when (DESIGN §4 Attribution): a response counts for the
//! specialist and team that held its episode when it was answered, a due survey for whoever
//! held it on the day it fell due. Existing episodes start their history with their current
//! holder, effective from the moment the episode was recorded.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EpisodeHolder::Table)
                    .col(uuid(EpisodeHolder::EpisodeId))
                    .col(timestamp_with_time_zone(EpisodeHolder::EffectiveAt))
                    .col(uuid(EpisodeHolder::OrganisationId))
                    .col(uuid(EpisodeHolder::SpecialistId))
                    .col(uuid_null(EpisodeHolder::TeamId))
                    .primary_key(
                        Index::create()
                            .col(EpisodeHolder::EpisodeId)
                            .col(EpisodeHolder::EffectiveAt),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(EpisodeHolder::Table, EpisodeHolder::EpisodeId)
                            .to(Episode::Table, Episode::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_episode_holder_specialist", EpisodeHolder::SpecialistId),
            ("ix_episode_holder_team", EpisodeHolder::TeamId),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(EpisodeHolder::Table)
                        .col(EpisodeHolder::OrganisationId)
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        let backfill = Query::insert()
            .into_table(EpisodeHolder::Table)
            .columns([
                EpisodeHolder::EpisodeId,
                EpisodeHolder::EffectiveAt,
                EpisodeHolder::OrganisationId,
                EpisodeHolder::SpecialistId,
                EpisodeHolder::TeamId,
            ])
            .select_from(
                Query::select()
                    .columns([
                        Episode::Id,
                        Episode::CreatedAt,
                        Episode::OrganisationId,
                        Episode::SpecialistId,
                        Episode::TeamId,
                    ])
                    .from(Episode::Table)
                    .to_owned(),
            )
            .map_err(|e| DbErr::Migration(e.to_string()))?
            .to_owned();
        manager.exec_stmt(backfill).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EpisodeHolder::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum EpisodeHolder {
    Table,
    EpisodeId,
    EffectiveAt,
    OrganisationId,
    SpecialistId,
    TeamId,
}

#[derive(DeriveIden)]
enum Episode {
    Table,
    Id,
    OrganisationId,
    SpecialistId,
    TeamId,
    CreatedAt,
}
