//! Server-wide settings shared by every server copy (the token signing key, for one).

use crate::entities::setting;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set, sea_query::OnConflict};

/// Returns the stored value for `key`, storing `proposed` first if there is none. Two copies
/// starting at once both end up with whichever value reached the database first.
#[tracing::instrument(skip(db, proposed), err(level = "debug"))]
pub async fn get_or_insert(
    db: &impl ConnectionTrait,
    key: &str,
    proposed: String,
) -> Result<String, DbErr> {
    setting::Entity::insert(setting::ActiveModel {
        key: Set(key.to_owned()),
        value: Set(proposed),
    })
    .on_conflict(
        OnConflict::column(setting::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    setting::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
        .map(|s| s.value)
        .ok_or_else(|| DbErr::RecordNotFound(format!("setting {key}")))
}
