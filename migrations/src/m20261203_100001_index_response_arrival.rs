//! Late arrivals (DESIGN §4): counting one organisation's responses answered in a report's
//! period that reached the server after it was published reads this index alone.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_response_org_day_received";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(Response::Table)
                    .col(Response::OrganisationId)
                    .col(Response::AnsweredOn)
                    .col(Response::ReceivedAt)
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
    OrganisationId,
    AnsweredOn,
    ReceivedAt,
}
