//! Organisations (tenants): their name and time zone.

use crate::entities::organisation;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    Set, Statement, sea_query::Expr,
};
use uuid::Uuid;

/// Takes the organisation's changes one at a time, inside a transaction from
/// `db::begin_write`: for a change that reads what is stored before writing (two at once must
/// not both read the state before the other). SQLite: `begin_write` already holds the write
/// lock. PostgreSQL: the organisation's row, locked until the transaction ends.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn lock_changes(db: &impl ConnectionTrait, org: Uuid) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite {
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            "SELECT id FROM organisation WHERE id = $1 FOR UPDATE",
            [org.into()],
        ))
        .await?;
    }
    Ok(())
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(db: &impl ConnectionTrait, name: &str) -> Result<organisation::Model, DbErr> {
    organisation::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name.to_owned()),
        time_zone: Set("Europe/London".to_owned()),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn get(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// The organisation's time zone (dates of answers and "today" are its calendar dates),
/// Europe/London for an organisation not found.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn time_zone(db: &impl ConnectionTrait, id: Uuid) -> Result<String, DbErr> {
    Ok(get(db, id)
        .await?
        .map(|o| o.time_zone)
        .unwrap_or_else(|| "Europe/London".into()))
}

/// Sets the organisation's time zone (an IANA name the caller has checked); false if there
/// is no such organisation.
#[tracing::instrument(skip_all, fields(%id, %time_zone), err(level = "debug"))]
pub async fn set_time_zone(
    db: &impl ConnectionTrait,
    id: Uuid,
    time_zone: &str,
) -> Result<bool, DbErr> {
    let r = organisation::Entity::update_many()
        .col_expr(organisation::Column::TimeZone, Expr::value(time_zone))
        .filter(organisation::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    organisation::Entity::find().count(db).await
}
