//! Commissioners and the organisations that share their published reports with them. A
//! commissioner's account is a `staff` row with the role `commissioner`; `repo::staff` never
//! returns one.

use crate::entities::{commissioner_share as share, organisation, published_report, staff};
use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    Set,
};
use uuid::Uuid;

fn is_commissioner() -> sea_orm::sea_query::SimpleExpr {
    staff::Column::Role.eq(domain::Role::Commissioner.as_str())
}

/// The commissioners `org` shares with, each with when it started, by name.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn of_organisation(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Vec<(staff::Model, share::Model)>, DbErr> {
    let shares = share::Entity::find()
        .filter(share::Column::OrganisationId.eq(org))
        .all(db)
        .await?;
    let people = staff::Entity::find()
        .filter(staff::Column::Id.is_in(shares.iter().map(|s| s.commissioner_id)))
        .filter(is_commissioner())
        .order_by_asc(staff::Column::Name)
        .all(db)
        .await?;
    Ok(people
        .into_iter()
        .filter_map(|p| {
            let s = shares.iter().find(|s| s.commissioner_id == p.id)?.clone();
            Some((p, s))
        })
        .collect())
}

/// The commissioner's account with this address, if it is one (`None` for a staff account or
/// nobody).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<staff::Model>, DbErr> {
    staff::Entity::find()
        .filter(staff::Column::Email.eq(email))
        .filter(is_commissioner())
        .one(db)
        .await
}

/// `org` shares with the commissioner from now on: the new share, or `None` when it already
/// did (nothing changes, also when two admins share at once).
#[tracing::instrument(skip_all, fields(%commissioner, %org), err(level = "debug"))]
pub async fn share(
    db: &impl ConnectionTrait,
    commissioner: Uuid,
    org: Uuid,
    by: Uuid,
) -> Result<Option<share::Model>, DbErr> {
    if find_share(db, commissioner, org).await?.is_some() {
        return Ok(None);
    }
    let made = share::ActiveModel {
        commissioner_id: Set(commissioner),
        organisation_id: Set(org),
        shared_by: Set(by),
        shared_at: Set(Utc::now()),
    }
    .insert(db)
    .await;
    match made {
        Ok(s) => Ok(Some(s)),
        Err(e) if super::is_unique_violation(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The share of `org` with the commissioner, if there is one.
#[tracing::instrument(skip_all, fields(%commissioner, %org), err(level = "debug"))]
pub async fn find_share(
    db: &impl ConnectionTrait,
    commissioner: Uuid,
    org: Uuid,
) -> Result<Option<share::Model>, DbErr> {
    share::Entity::find_by_id((commissioner, org)).one(db).await
}

/// `org` stops sharing with the commissioner. `false` when it did not share.
#[tracing::instrument(skip_all, fields(%commissioner, %org), err(level = "debug"))]
pub async fn unshare(
    db: &impl ConnectionTrait,
    commissioner: Uuid,
    org: Uuid,
) -> Result<bool, DbErr> {
    let gone = share::Entity::delete_by_id((commissioner, org))
        .exec(db)
        .await?;
    Ok(gone.rows_affected > 0)
}

/// The organisations sharing with the commissioner, by name.
#[tracing::instrument(skip_all, fields(%commissioner), err(level = "debug"))]
pub async fn organisations(
    db: &impl ConnectionTrait,
    commissioner: Uuid,
) -> Result<Vec<organisation::Model>, DbErr> {
    let orgs: Vec<Uuid> = share::Entity::find()
        .filter(share::Column::CommissionerId.eq(commissioner))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.organisation_id)
        .collect();
    organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(orgs))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await
}

/// The published reports of these organisations, newest first.
#[tracing::instrument(skip_all, fields(n = orgs.len()), err(level = "debug"))]
pub async fn reports_of(
    db: &impl ConnectionTrait,
    orgs: &[Uuid],
) -> Result<Vec<published_report::Model>, DbErr> {
    published_report::Entity::find()
        .filter(published_report::Column::OrganisationId.is_in(orgs.iter().copied()))
        .order_by_desc(published_report::Column::PublishedAt)
        .all(db)
        .await
}

/// One published report, if its organisation shares with the commissioner.
#[tracing::instrument(skip_all, fields(%commissioner, %id), err(level = "debug"))]
pub async fn report(
    db: &impl ConnectionTrait,
    commissioner: Uuid,
    id: Uuid,
) -> Result<Option<published_report::Model>, DbErr> {
    let Some(r) = published_report::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    Ok(find_share(db, commissioner, r.organisation_id)
        .await?
        .map(|_| r))
}
