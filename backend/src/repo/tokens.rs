//! Refresh tokens: single use, grouped in families. Using a spent token again revokes its
//! whole family, because one of the two users of that token is a thief.

use crate::entities::refresh_token;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
    sea_query::Expr,
};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%family_id, %staff_id), err(level = "debug"))]
pub async fn insert(
    db: &impl ConnectionTrait,
    family_id: Uuid,
    staff_id: Uuid,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> Result<(), DbErr> {
    refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        family_id: Set(family_id),
        staff_id: Set(staff_id),
        token_hash: Set(token_hash),
        expires_at: Set(expires_at),
        used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_hash(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<refresh_token::Model>, DbErr> {
    refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<refresh_token::Model>, DbErr> {
    refresh_token::Entity::find_by_id(id).one(db).await
}

/// Marks the token spent if, and only if, it was still live. Returns false when someone else
/// spent or revoked it first: the atomic test that makes two concurrent refreshes safe.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn spend(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::UsedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::Id.eq(id))
        .filter(refresh_token::Column::UsedAt.is_null())
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

#[tracing::instrument(skip_all, fields(%family_id), err(level = "debug"))]
pub async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid) -> Result<u64, DbErr> {
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::FamilyId.eq(family_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Revokes every live token of one staff member (password reset, deactivation).
#[tracing::instrument(skip_all, fields(%staff_id), err(level = "debug"))]
pub async fn revoke_all_for_staff(db: &impl ConnectionTrait, staff_id: Uuid) -> Result<u64, DbErr> {
    let res = refresh_token::Entity::update_many()
        .col_expr(refresh_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(refresh_token::Column::StaffId.eq(staff_id))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}
