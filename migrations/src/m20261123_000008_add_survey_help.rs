//! Where to get help straight after a survey (DESIGN §7): the organisation's own words (JSON,
//! English and optionally Welsh) and a phone number, both optional.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters a table one column at a time.
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .add_column(text_null(OrganisationSetting::HelpText))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(OrganisationSetting::Table)
                    .add_column(string_len_null(OrganisationSetting::HelpPhone, 32))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for col in [
            OrganisationSetting::HelpPhone,
            OrganisationSetting::HelpText,
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
        Ok(())
    }
}

#[derive(DeriveIden)]
enum OrganisationSetting {
    Table,
    HelpText,
    HelpPhone,
}
