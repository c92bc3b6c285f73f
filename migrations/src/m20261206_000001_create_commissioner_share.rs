//! Commissioners (issue 18): a commissioner's account is a row of `staff` with the role
//! `commissioner` in the organisation that first invited them; every organisation that shares
//! its published reports with them (the first one too) has a row here.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CommissionerShare::Table)
                    .col(uuid(CommissionerShare::CommissionerId))
                    .col(uuid(CommissionerShare::OrganisationId))
                    .col(uuid(CommissionerShare::SharedBy))
                    .col(timestamp_with_time_zone(CommissionerShare::SharedAt))
                    .primary_key(
                        Index::create()
                            .col(CommissionerShare::CommissionerId)
                            .col(CommissionerShare::OrganisationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommissionerShare::Table, CommissionerShare::CommissionerId)
                            .to(Staff::Table, Staff::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(CommissionerShare::Table, CommissionerShare::OrganisationId)
                            .to(Organisation::Table, Organisation::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_commissioner_share_org")
                    .table(CommissionerShare::Table)
                    .col(CommissionerShare::OrganisationId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CommissionerShare::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum CommissionerShare {
    Table,
    CommissionerId,
    OrganisationId,
    SharedBy,
    SharedAt,
}

#[derive(DeriveIden)]
enum Staff {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisation {
    Table,
    Id,
}
