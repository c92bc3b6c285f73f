//! An organisation's email settings: when reminders go and how long results links last.

use crate::entities::mail_setting;
use domain::feedback::MailSettings;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn get(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<Option<mail_setting::Model>, DbErr> {
    mail_setting::Entity::find_by_id(org).one(db).await
}

#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn save(db: &impl ConnectionTrait, org: Uuid, s: &MailSettings) -> Result<(), DbErr> {
    let am = mail_setting::ActiveModel {
        organisation_id: Set(org),
        reminder_after_days: Set(i32::from(s.reminder_after_days)),
        results_link_days: Set(i32::from(s.results_link_days)),
    };
    if get(db, org).await?.is_some() {
        am.update(db).await?;
    } else {
        am.insert(db).await?;
    }
    Ok(())
}
