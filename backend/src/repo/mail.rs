//! The email queue, one `mail_message` row per email. A row is also its lock: several server
//! copies share the queue, so every change of hands is one conditional UPDATE only one can win.

use crate::entities::{mail_message, participant};
use chrono::{DateTime, Utc};
use domain::{
    feedback::{MailKind, MailStatus},
    records::Language,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, UpdateMany,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

/// A cleared time column (`remind_at`, `locked_until`).
const NO_TIME: Option<DateTime<Utc>> = None;

/// An email ready to queue: whom it is for, why, and what it says.
pub struct NewMail {
    pub organisation_id: Uuid,
    pub participant_id: Uuid,
    pub kind: MailKind,
    /// One email per purpose: queueing the same key again does nothing.
    pub dedupe_key: String,
    pub invitation_id: Option<Uuid>,
    pub action_id: Option<Uuid>,
    pub language: Language,
    pub to: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
    pub remind_at: Option<DateTime<Utc>>,
}

/// Queues an email, due now, with the id its Message-ID was made from. `false` when one with
/// the same purpose was queued already.
#[tracing::instrument(skip_all, fields(%id, kind = m.kind.as_str()), err(level = "debug"))]
pub async fn queue(
    db: &impl ConnectionTrait,
    id: Uuid,
    message_id: String,
    m: NewMail,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let am = mail_message::ActiveModel {
        id: Set(id),
        organisation_id: Set(m.organisation_id),
        participant_id: Set(m.participant_id),
        kind: Set(m.kind.as_str().to_owned()),
        dedupe_key: Set(m.dedupe_key),
        invitation_id: Set(m.invitation_id),
        action_id: Set(m.action_id),
        language: Set(m.language.as_str().to_owned()),
        to_address: Set(m.to),
        subject: Set(m.subject),
        text_body: Set(m.text_body),
        html_body: Set(m.html_body),
        message_id: Set(message_id),
        status: Set(MailStatus::Queued.as_str().to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        remind_at: Set(m.remind_at),
        created_at: Set(now),
        sent_at: Set(None),
    };
    match am.insert(db).await {
        Ok(_) => Ok(true),
        Err(e) if super::is_unique_violation(&e) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The organisation's participants of these kinds who have an address and have neither
/// withdrawn nor been erased: who a digest may go to (consent and unsubscribes checked after).
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn recipients(
    db: &impl ConnectionTrait,
    org: Uuid,
    kinds: Vec<&str>,
) -> Result<Vec<participant::Model>, DbErr> {
    participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org))
        .filter(participant::Column::Kind.is_in(kinds))
        .filter(participant::Column::WithdrawnAt.is_null())
        .filter(participant::Column::ErasedAt.is_null())
        .filter(participant::Column::Email.is_not_null())
        .all(db)
        .await
}

/// Cancels a participant's emails that have not started sending, keeping `reason`.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn cancel_queued(
    db: &impl ConnectionTrait,
    participant: Uuid,
    reason: &str,
) -> Result<(), DbErr> {
    mail_message::Entity::update_many()
        .col_expr(
            mail_message::Column::Status,
            Expr::value(MailStatus::Cancelled.as_str()),
        )
        .col_expr(mail_message::Column::LastError, Expr::value(reason))
        .col_expr(mail_message::Column::RemindAt, Expr::value(NO_TIME))
        .filter(mail_message::Column::ParticipantId.eq(participant))
        .filter(mail_message::Column::Status.eq(MailStatus::Queued.as_str()))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes a participant's emails, whatever their state (erasure); returns how many.
#[tracing::instrument(skip_all, fields(%participant), err(level = "debug"))]
pub async fn delete_of_participant(
    db: &impl ConnectionTrait,
    participant: Uuid,
) -> Result<u64, DbErr> {
    let r = mail_message::Entity::delete_many()
        .filter(mail_message::Column::ParticipantId.eq(participant))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// Up to `limit` invitation emails gone out whose reminder is due.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn due_reminders(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<mail_message::Model>, DbErr> {
    mail_message::Entity::find()
        .filter(mail_message::Column::RemindAt.lte(now))
        .filter(mail_message::Column::Kind.eq(MailKind::Invitation.as_str()))
        .filter(
            mail_message::Column::Status
                .is_in([MailStatus::Sent.as_str(), MailStatus::LocalOutbox.as_str()]),
        )
        .limit(limit)
        .all(db)
        .await
}

/// Clears an email's due reminder. `true` for the one worker that cleared it: that worker
/// decides the reminder.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn take_reminder(db: &impl ConnectionTrait, id: Uuid) -> Result<bool, DbErr> {
    let r = mail_message::Entity::update_many()
        .col_expr(mail_message::Column::RemindAt, Expr::value(NO_TIME))
        .filter(mail_message::Column::Id.eq(id))
        .filter(mail_message::Column::RemindAt.is_not_null())
        .exec(db)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Due at `now`: queued and its time has come, or left `sending` by a worker whose lease ran
/// out (it crashed or lost its connection).
fn due(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(mail_message::Column::Status.eq(MailStatus::Queued.as_str()))
                .add(mail_message::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(mail_message::Column::Status.eq(MailStatus::Sending.as_str()))
                .add(mail_message::Column::LockedUntil.lt(now)),
        )
}

/// Takes up to `batch` due emails, longest waiting first, for `worker` until `lease_until`,
/// counting an attempt on each.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn claim(
    db: &impl ConnectionTrait,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    batch: u64,
) -> Result<Vec<mail_message::Model>, DbErr> {
    let candidates: Vec<Uuid> = mail_message::Entity::find()
        .select_only()
        .column(mail_message::Column::Id)
        .filter(due(now))
        .order_by_asc(mail_message::Column::NextAttemptAt)
        .limit(batch)
        .into_tuple()
        .all(db)
        .await?;
    let mut mine = Vec::new();
    for id in candidates {
        if let Some(m) = take(db, id, worker, now, lease_until).await? {
            mine.push(m);
        }
    }
    Ok(mine)
}

/// Takes one email if it is still due: the UPDATE repeats the due condition, so of two workers
/// that both saw it due, one changes the row and the other changes nothing.
async fn take(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<mail_message::Model>, DbErr> {
    let taken = mail_message::Entity::update_many()
        .col_expr(
            mail_message::Column::Status,
            Expr::value(MailStatus::Sending.as_str()),
        )
        .col_expr(mail_message::Column::LockedBy, Expr::value(worker))
        .col_expr(mail_message::Column::LockedUntil, Expr::value(lease_until))
        .col_expr(
            mail_message::Column::Attempts,
            Expr::col(mail_message::Column::Attempts).add(1),
        )
        .filter(mail_message::Column::Id.eq(id))
        .filter(due(now))
        .exec(db)
        .await?
        .rows_affected;
    if taken != 1 {
        return Ok(None);
    }
    mail_message::Entity::find_by_id(id).one(db).await
}

/// The update also ends any hold on the email: no worker, no lease.
fn released(update: UpdateMany<mail_message::Entity>) -> UpdateMany<mail_message::Entity> {
    update
        .col_expr(
            mail_message::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(mail_message::Column::LockedUntil, Expr::value(NO_TIME))
}

/// The email, if `worker` still holds it: a worker whose lease ran out and was taken over
/// changes nothing.
fn held_by(id: Uuid, worker: &str) -> Condition {
    Condition::all()
        .add(mail_message::Column::Id.eq(id))
        .add(mail_message::Column::LockedBy.eq(worker))
        .add(mail_message::Column::Status.eq(MailStatus::Sending.as_str()))
}

/// Ends `worker`'s hold on an email with `status`. `false` if it was no longer that worker's
/// to end (its lease ran out and another took the email).
#[tracing::instrument(skip_all, fields(%id, status = status.as_str()), err(level = "debug"))]
pub async fn finish(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    status: MailStatus,
    error: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let mut update = released(
        mail_message::Entity::update_many()
            .col_expr(mail_message::Column::Status, Expr::value(status.as_str())),
    );
    if let Some(e) = error {
        update = update.col_expr(mail_message::Column::LastError, Expr::value(e));
    }
    if matches!(status, MailStatus::Sent | MailStatus::LocalOutbox) {
        update = update.col_expr(mail_message::Column::SentAt, Expr::value(now));
    }
    if status == MailStatus::Cancelled {
        update = update.col_expr(mail_message::Column::RemindAt, Expr::value(NO_TIME));
    }
    let n = update
        .filter(held_by(id, worker))
        .exec(db)
        .await?
        .rows_affected;
    Ok(n == 1)
}

/// Puts an email `worker` holds back in the queue, due again at `at`, keeping `error`.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn retry_at(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker: &str,
    at: DateTime<Utc>,
    error: &str,
) -> Result<(), DbErr> {
    released(mail_message::Entity::update_many())
        .col_expr(
            mail_message::Column::Status,
            Expr::value(MailStatus::Queued.as_str()),
        )
        .col_expr(mail_message::Column::NextAttemptAt, Expr::value(at))
        .col_expr(mail_message::Column::LastError, Expr::value(error))
        .filter(held_by(id, worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes finished emails (sent, failed, cancelled, kept locally) queued before `cutoff`;
/// returns how many.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn delete_finished_before(
    db: &impl ConnectionTrait,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let r = mail_message::Entity::delete_many()
        .filter(mail_message::Column::CreatedAt.lt(cutoff))
        .filter(mail_message::Column::Status.is_in([
            MailStatus::Sent.as_str(),
            MailStatus::Failed.as_str(),
            MailStatus::Cancelled.as_str(),
            MailStatus::LocalOutbox.as_str(),
        ]))
        .exec(db)
        .await?;
    Ok(r.rows_affected)
}

/// What the organisation's mail list is narrowed to.
pub struct ListFilter {
    pub status: Option<MailStatus>,
    pub kind: Option<MailKind>,
    pub participant: Option<Uuid>,
}

/// The organisation's emails, newest first.
#[tracing::instrument(skip_all, fields(%org), err(level = "debug"))]
pub async fn list(
    db: &impl ConnectionTrait,
    org: Uuid,
    filter: ListFilter,
    limit: u64,
) -> Result<Vec<mail_message::Model>, DbErr> {
    let mut find =
        mail_message::Entity::find().filter(mail_message::Column::OrganisationId.eq(org));
    if let Some(s) = filter.status {
        find = find.filter(mail_message::Column::Status.eq(s.as_str()));
    }
    if let Some(k) = filter.kind {
        find = find.filter(mail_message::Column::Kind.eq(k.as_str()));
    }
    if let Some(p) = filter.participant {
        find = find.filter(mail_message::Column::ParticipantId.eq(p));
    }
    find.order_by_desc(mail_message::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}
