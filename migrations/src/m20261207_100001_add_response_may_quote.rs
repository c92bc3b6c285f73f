//! Quotation (issue 18): whether the author of a response's typed comment agreed that it may
//! be quoted, without their name, in the service's quality reports. Every earlier response
//! is "not agreed": nobody was asked.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .add_column(boolean(Response::MayQuote).default(false))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Response::Table)
                    .drop_column(Response::MayQuote)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum Response {
    Table,
    MayQuote,
}
