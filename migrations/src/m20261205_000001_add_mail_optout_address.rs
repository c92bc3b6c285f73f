//! An unsubscribe follows the address (issue 20): the normalised address (trimmed, lower
//! case) that unsubscribed is kept with the opt-out, so the same person added again as
//! another record of the organisation is not emailed either.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEX: &str = "ix_mail_optout_org_address";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(MailOptout::Table)
                    .add_column(string_len_null(MailOptout::Address, 254))
                    .to_owned(),
            )
            .await?;
        // Opt-outs made before: the address their person had (stored addresses are already
        // trimmed and lower case; `lower(trim())` for any that were not).
        let backfill = Query::update()
            .table(MailOptout::Table)
            .value(
                MailOptout::Address,
                Expr::cust(
                    "(SELECT lower(trim(participant.email)) FROM participant \
                     WHERE participant.id = mail_optout.participant_id)",
                ),
            )
            .to_owned();
        manager.exec_stmt(backfill).await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(MailOptout::Table)
                    .col(MailOptout::OrganisationId)
                    .col(MailOptout::Address)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(INDEX)
                    .table(MailOptout::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailOptout::Table)
                    .drop_column(MailOptout::Address)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum MailOptout {
    Table,
    OrganisationId,
    Address,
}
