use crate::entities::{refresh_token, staff};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set, sea_query::Query,
};
use uuid::Uuid;

pub struct NewStaff<'a> {
    pub organisation_id: Uuid,
    pub team_id: Option<Uuid>,
    pub name: &'a str,
    pub email: &'a str,
    pub role: domain::Role,
    pub password_hash: String,
}

#[tracing::instrument(skip_all, fields(org = %new.organisation_id), err(level = "debug"))]
pub async fn create(db: &impl ConnectionTrait, new: NewStaff<'_>) -> Result<staff::Model, DbErr> {
    let now = chrono::Utc::now();
    staff::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(new.organisation_id),
        team_id: Set(new.team_id),
        name: Set(new.name.to_owned()),
        email: Set(new.email.to_owned()),
        role: Set(new.role.as_str().to_owned()),
        password_hash: Set(new.password_hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Login looks staff up by email across organisations: one email, one login.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<staff::Model>, DbErr> {
    staff::Entity::find()
        .filter(staff::Column::Email.eq(email))
        .one(db)
        .await
}

/// By id alone: only for resolving the identity behind a verified token.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<staff::Model>, DbErr> {
    staff::Entity::find_by_id(id).one(db).await
}

/// The staff member an access token names, if its login (`family`) is still live: one query,
/// by primary key with the refresh-token family index. Every way a login ends (logout, a
/// reused refresh token, a password reset, a deactivation) revokes the family's tokens.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_signed_in(
    db: &impl ConnectionTrait,
    id: Uuid,
    family: Uuid,
) -> Result<Option<staff::Model>, DbErr> {
    let live = Query::select()
        .column(refresh_token::Column::StaffId)
        .from(refresh_token::Entity)
        .and_where(refresh_token::Column::FamilyId.eq(family))
        .and_where(refresh_token::Column::RevokedAt.is_null())
        .to_owned();
    staff::Entity::find_by_id(id)
        .filter(staff::Column::Id.in_subquery(live))
        .one(db)
        .await
}

fn is_staff() -> sea_orm::sea_query::SimpleExpr {
    staff::Column::Role.ne(domain::Role::Commissioner.as_str())
}

/// A member of the organisation's own staff (never a commissioner's account).
#[tracing::instrument(skip_all, fields(%org, %id), err(level = "debug"))]
pub async fn get(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<Option<staff::Model>, DbErr> {
    staff::Entity::find_by_id(id)
        .filter(staff::Column::OrganisationId.eq(org))
        .filter(is_staff())
        .one(db)
        .await
}

/// The organisation's own staff: not the commissioners whose accounts it made
/// (`repo::commissioners`), who never hold a caseload, a team or a role here.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn list(db: &impl ConnectionTrait, org: Uuid) -> Result<Vec<staff::Model>, DbErr> {
    staff::Entity::find()
        .filter(staff::Column::OrganisationId.eq(org))
        .filter(is_staff())
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await
}

/// Applies whichever changes are `Some`; the caller has already checked them.
#[derive(Default)]
pub struct StaffChanges {
    pub name: Option<String>,
    pub role: Option<domain::Role>,
    pub team_id: Option<Option<Uuid>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

#[tracing::instrument(skip_all, fields(id = %staff.id), err(level = "debug"))]
pub async fn update(
    db: &impl ConnectionTrait,
    staff: staff::Model,
    changes: StaffChanges,
) -> Result<staff::Model, DbErr> {
    let mut am: staff::ActiveModel = staff.into();
    if let Some(name) = changes.name {
        am.name = Set(name);
    }
    if let Some(role) = changes.role {
        am.role = Set(role.as_str().to_owned());
    }
    if let Some(team) = changes.team_id {
        am.team_id = Set(team);
    }
    if let Some(active) = changes.active {
        am.active = Set(active);
    }
    if let Some(hash) = changes.password_hash {
        am.password_hash = Set(hash);
    }
    am.updated_at = Set(chrono::Utc::now());
    am.update(db).await
}
