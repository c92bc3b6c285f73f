//! Subject access, erasure and retention (DESIGN.md §8). Erasure blanks a person's row rather
//! than deleting it, so anonymous answers stay in figures (and in published reports' ids)
//! unless the person asked for them to be removed too.

use crate::{
    ApiError, Result,
    entities::{
        attention_handled, consent, episode, mail_message, organisation_setting, participant,
        response, support_session,
    },
    repo,
};
use chrono::{DateTime, Duration, Utc};
use domain::feedback::{MailKind, MailStatus};
use domain::privacy::{
    EmailRecord, ErasureReceipt, InvitationRecord, StoredResponse, SubjectAccess,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

/// Everything held about one participant of the organisation.
pub async fn subject_access(db: &DatabaseConnection, org: Uuid, id: Uuid) -> Result<SubjectAccess> {
    let p = repo::records::find_participant_any(db, id)
        .await?
        .filter(|p| p.organisation_id == org)
        .ok_or(ApiError::NotFound("no such participant"))?;
    let org_name = repo::orgs::get(db, org)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let consents = repo::records::consents_of(db, id).await?;
    let episodes = episode::Entity::find()
        .filter(episode::Column::ParticipantId.eq(id))
        .order_by_asc(episode::Column::StartedOn)
        .all(db)
        .await?;
    let episode_ids: Vec<Uuid> = episodes.iter().map(|e| e.id).collect();
    let sessions = support_session::Entity::find()
        .filter(support_session::Column::EpisodeId.is_in(episode_ids))
        .order_by_asc(support_session::Column::HeldOn)
        .all(db)
        .await?;
    let invitations = crate::entities::invitation::Entity::find()
        .filter(crate::entities::invitation::Column::ParticipantId.eq(id))
        .all(db)
        .await?;
    let responses = response::Entity::find()
        .filter(response::Column::ParticipantId.eq(id))
        .order_by_asc(response::Column::AnsweredAt)
        .all(db)
        .await?;
    let audio = repo::voice::summaries_of(db, responses.iter().map(|r| r.id).collect())
        .await?
        .into_iter()
        .map(domain::voice::VoiceComment::from)
        .collect::<Vec<_>>();
    let mut stored = Vec::new();
    for r in responses {
        stored.push(StoredResponse {
            id: r.id,
            instrument: r.instrument_key,
            instrument_version: r.instrument_version,
            timing: r.timing,
            answers: serde_json::from_str(&r.answers).map_err(anyhow::Error::from)?,
            comment: r.comment,
            respondent: r.respondent,
            support: r.support,
            channel: r.channel,
            format: r.format,
            language: r.language,
            answered_at: r.answered_at,
            swemwbs_metric: r.swemwbs_metric.map(|m| domain::Hundredths(i64::from(m))),
        });
    }
    let participant: domain::records::Participant = p.try_into()?;
    let emails = mail_message::Entity::find()
        .filter(mail_message::Column::ParticipantId.eq(id))
        .order_by_asc(mail_message::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            Ok(EmailRecord {
                kind: MailKind::parse(&m.kind)
                    .map_err(|e| anyhow::anyhow!("stored mail kind: {e}"))?,
                status: MailStatus::parse(&m.status)
                    .map_err(|e| anyhow::anyhow!("stored mail status: {e}"))?,
                to: m.to_address,
                subject: m.subject,
                created_at: m.created_at,
                sent_at: m.sent_at,
                text: domain::privacy::without_links(&m.text_body),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let summary = format!(
        "This is everything {org_name} holds about you in Soundings, on {date}.\n\
         Your reference: {reference}.\n\
         Contact details: name {name}, email {email}, phone {phone}.\n\
         Consent records: {c}. Support episodes: {e}. Support sessions: {s}.\n\
         Survey invitations: {i}. Survey answers: {r}. Emails: {m}. Voice comments: {v}.\n\
         The JSON part of this file has every detail.",
        date = Utc::now().format("%d %B %Y"),
        reference = participant.reference,
        name = participant.name.as_deref().unwrap_or("not held"),
        email = participant.email.as_deref().unwrap_or("not held"),
        phone = participant.phone.as_deref().unwrap_or("not held"),
        c = consents.len(),
        e = episodes.len(),
        s = sessions.len(),
        i = invitations.len(),
        r = stored.len(),
        m = emails.len(),
        v = audio.len(),
    );
    Ok(SubjectAccess {
        exported_at: Utc::now(),
        organisation_name: org_name,
        summary,
        participant,
        consents: consents
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        episodes: episodes
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        sessions: sessions
            .into_iter()
            .map(TryInto::try_into)
            .collect::<Result<_>>()?,
        invitations: invitations
            .into_iter()
            .map(|i| InvitationRecord {
                id: i.id,
                instrument: i.instrument_key,
                created_at: i.created_at,
                expires_at: i.expires_at,
            })
            .collect(),
        responses: stored,
        emails,
        audio,
    })
}

/// The fingerprint an erased record is left with: nothing a resend can match.
pub const ERASED: &str = "erased";

/// Erases one participant's personal data: contact details, equality and accessibility
/// answers, consent records, comments (typed and recorded) and session notes. Their answers
/// stay, anonymous, in figures unless `remove_answers`.
pub async fn erase(
    db: &DatabaseConnection,
    p: participant::Model,
    remove_answers: bool,
    now: DateTime<Utc>,
) -> Result<ErasureReceipt> {
    let id = p.id;
    let txn = db.begin().await?;
    // Write first: on SQLite a transaction that reads and then writes can be refused at once
    // (SQLITE_BUSY_SNAPSHOT) if another writer got in between; writing first takes the lock,
    // waiting for it if need be.
    let mut am: participant::ActiveModel = p.into();
    am.reference = Set(format!("erased-{}", &id.simple().to_string()[..8]));
    am.name = Set(None);
    am.email = Set(None);
    am.phone = Set(None);
    am.accessibility = Set("{}".into());
    am.equality = Set("{}".into());
    am.erased_at = Set(Some(now));
    if am.withdrawn_at.as_ref().is_none() {
        am.withdrawn_at = Set(Some(now));
    }
    am.body_hash = Set(ERASED.to_owned());
    am.updated_at = Set(now);
    am.update(&txn).await?;
    let episode_ids: Vec<Uuid> = episode::Entity::find()
        .filter(episode::Column::ParticipantId.eq(id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    // Fingerprints of the original bodies go too: a hash of a name can confirm a guess.
    // (A device resending an erased record then gets 409, which never restores anything.)
    support_session::Entity::update_many()
        .col_expr(support_session::Column::Note, Expr::value(""))
        .col_expr(support_session::Column::Activity, Expr::value("(erased)"))
        .col_expr(support_session::Column::BodyHash, Expr::value(ERASED))
        .filter(support_session::Column::EpisodeId.is_in(episode_ids))
        .exec(&txn)
        .await?;
    consent::Entity::delete_many()
        .filter(consent::Column::ParticipantId.eq(id))
        .exec(&txn)
        .await?;
    // A recording is what the person said, in their own voice: it goes, like a typed comment.
    let voices = repo::voice::delete_of_participant(&txn, id).await?;
    // Emails hold the address and live links; results links open the person's results.
    crate::services::mail::erase_participant(&txn, id).await?;
    let (removed, kept) = if remove_answers {
        let r = response::Entity::delete_many()
            .filter(response::Column::ParticipantId.eq(id))
            .exec(&txn)
            .await?;
        (r.rows_affected, 0)
    } else {
        let r = response::Entity::update_many()
            .col_expr(
                response::Column::Comment,
                Expr::value(Option::<String>::None),
            )
            .col_expr(response::Column::BodyHash, Expr::value(ERASED))
            .filter(response::Column::ParticipantId.eq(id))
            .exec(&txn)
            .await?;
        // Handled-notes may name the person; the marks themselves stay, or a low rating
        // would come back to the list.
        let theirs = sea_orm::sea_query::Query::select()
            .column(response::Column::Id)
            .from(response::Entity)
            .and_where(response::Column::ParticipantId.eq(id))
            .to_owned();
        attention_handled::Entity::update_many()
            .col_expr(attention_handled::Column::Note, Expr::value("(erased)"))
            .filter(attention_handled::Column::ResponseId.in_subquery(theirs))
            .exec(&txn)
            .await?;
        (0, r.rows_affected)
    };
    txn.commit().await?;
    tracing::info!(participant_id = %id, removed, kept, voices, "participant erased");
    Ok(ErasureReceipt {
        participant_id: id,
        erased_at: now,
        answers_removed: removed,
        answers_kept_anonymous: kept,
    })
}

/// Erases every participant whose support ended longer ago than their organisation's
/// retention period, as of `now`. Returns the ids erased.
pub async fn run_retention(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Vec<Uuid>> {
    let settings = organisation_setting::Entity::find()
        .filter(organisation_setting::Column::RetentionDays.is_not_null())
        .all(db)
        .await?;
    let mut erased = Vec::new();
    for s in settings {
        let Some(days) = s.retention_days else {
            continue;
        };
        let cutoff = (now - Duration::days(i64::from(days))).date_naive();
        let people = participant::Entity::find()
            .filter(participant::Column::OrganisationId.eq(s.organisation_id))
            .filter(participant::Column::ErasedAt.is_null())
            .filter(participant::Column::Kind.eq("jobseeker"))
            .all(db)
            .await?;
        for p in people {
            let eps = episode::Entity::find()
                .filter(episode::Column::ParticipantId.eq(p.id))
                .all(db)
                .await?;
            // Only people whose every episode has ended, the last before the cutoff.
            let last_end = eps
                .iter()
                .map(|e| e.ended_on)
                .collect::<Option<Vec<_>>>()
                .and_then(|v| v.into_iter().max());
            if !eps.is_empty() && last_end.is_some_and(|d| d < cutoff) {
                let id = erase(db, p, false, now).await?.participant_id;
                let system = repo::audit::Actor {
                    organisation_id: s.organisation_id,
                    kind: "system",
                    id: None,
                    address: String::new(),
                };
                crate::services::audit::log(
                    db,
                    &system,
                    "erase",
                    "participant",
                    Some(id),
                    Some(id),
                )
                .await?;
                erased.push(id);
            }
        }
    }
    Ok(erased)
}
