//! Version 1 of the three instruments (DESIGN.md §3). The definitions are frozen here: a changed
//! instrument is a new version in a new migration, and every response keeps the version it
//! answered.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const DEFINITIONS: [(&str, &str); 3] = [
    (
        "employer_satisfaction",
        include_str!("instruments/employer_satisfaction_v1.json"),
    ),
    (
        "jobseeker_satisfaction",
        include_str!("instruments/jobseeker_satisfaction_v1.json"),
    ),
    ("swemwbs", include_str!("instruments/swemwbs_v1.json")),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut insert = Query::insert();
        insert.into_table(Instrument::Table).columns([
            Instrument::Key,
            Instrument::Version,
            Instrument::Definition,
            Instrument::CreatedAt,
        ]);
        for (key, json) in DEFINITIONS {
            insert
                .values([key.into(), 1.into(), json.into(), Expr::current_timestamp()])
                .map_err(|e| DbErr::Migration(format!("instrument {key}: {e}")))?;
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let delete = Query::delete()
            .from_table(Instrument::Table)
            .and_where(Expr::col(Instrument::Version).eq(1))
            .and_where(Expr::col(Instrument::Key).is_in(DEFINITIONS.iter().map(|(k, _)| *k)))
            .to_owned();
        manager.exec_stmt(delete).await
    }
}

#[derive(DeriveIden)]
enum Instrument {
    Table,
    Key,
    Version,
    Definition,
    CreatedAt,
}
