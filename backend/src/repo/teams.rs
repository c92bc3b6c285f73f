use crate::entities::team;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn list(db: &impl ConnectionTrait, org: Uuid) -> Result<Vec<team::Model>, DbErr> {
    team::Entity::find()
        .filter(team::Column::OrganisationId.eq(org))
        .order_by_asc(team::Column::Name)
        .all(db)
        .await
}

#[tracing::instrument(skip_all, fields(%org, %id), err(level = "debug"))]
pub async fn get(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<Option<team::Model>, DbErr> {
    team::Entity::find_by_id(id)
        .filter(team::Column::OrganisationId.eq(org))
        .one(db)
        .await
}

#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn create(
    db: &impl ConnectionTrait,
    org: Uuid,
    name: &str,
) -> Result<team::Model, DbErr> {
    team::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(org),
        name: Set(name.to_owned()),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(db)
    .await
}

#[tracing::instrument(skip_all, fields(id = %team.id), err(level = "debug"))]
pub async fn rename(
    db: &impl ConnectionTrait,
    team: team::Model,
    name: &str,
) -> Result<team::Model, DbErr> {
    let mut am: team::ActiveModel = team.into();
    am.name = Set(name.to_owned());
    am.update(db).await
}
