//! Subject access: everything held about one participant, as one file with a plain-words
//! summary first.

use crate::{
    ApiError, Result,
    entities::{invitation, mail_message, response},
    repo,
};
use chrono::Utc;
use domain::feedback::{MailKind, MailStatus};
use domain::privacy::{EmailRecord, InvitationRecord, QuotedIn, StoredResponse, SubjectAccess};
use sea_orm::DatabaseConnection;
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
    let episodes = repo::subject::episodes(db, id).await?;
    let sessions = repo::subject::sessions(db, episodes.iter().map(|e| e.id).collect()).await?;
    let episode_ids: Vec<Uuid> = episodes.iter().map(|e| e.id).collect();
    let jobs = repo::journey::jobs_of_episodes(db, &episode_ids).await?;
    let referrals = repo::subject::referrals(db, id).await?;
    let invitations = repo::subject::invitations(db, id).await?;
    let responses = repo::subject::responses(db, id).await?;
    let audio = repo::voice::summaries_of(db, responses.iter().map(|r| r.id).collect())
        .await?
        .into_iter()
        .map(domain::voice::VoiceComment::from)
        .collect();
    let response_ids: Vec<Uuid> = responses.iter().map(|r| r.id).collect();
    let quoting = repo::published_reports::quoting(db, org, &response_ids).await?;
    let responses = responses
        .into_iter()
        .map(|r| {
            let quoted_in = quoting
                .iter()
                .filter(|(_, quoted)| quoted.contains(&r.id))
                .map(|(report, _)| QuotedIn {
                    report_id: report.id,
                    title: report.title.clone(),
                    published_at: report.published_at,
                })
                .collect();
            stored_response(r, quoted_in)
        })
        .collect::<Result<_>>()?;
    let participant = p.try_into()?;
    let episode_refs: Vec<(Uuid, Option<Uuid>)> =
        episodes.iter().map(|e| (e.id, e.referral_id)).collect();
    let emails = repo::subject::emails(db, id)
        .await?
        .into_iter()
        .map(email_record)
        .collect::<Result<_>>()?;
    let mut access = SubjectAccess {
        exported_at: Utc::now(),
        organisation_name: org_name,
        summary: String::new(),
        participant,
        consents: all_into(consents)?,
        episodes: all_into(episodes)?,
        sessions: all_into(sessions)?,
        referrals: referrals
            .into_iter()
            .map(|r| {
                let started = episodes_from(&episode_refs, r.id);
                crate::services::capture::referral_out(r, started)
            })
            .collect::<Result<_>>()?,
        jobs: all_into(jobs)?,
        invitations: invitations.into_iter().map(invitation_record).collect(),
        responses,
        emails,
        audio,
    };
    access.summary = summary(&access);
    Ok(access)
}

/// The episode started from referral `r`, among the person's episodes.
fn episodes_from(episodes: &[(Uuid, Option<Uuid>)], r: Uuid) -> Option<Uuid> {
    episodes
        .iter()
        .find(|(_, referral)| *referral == Some(r))
        .map(|(id, _)| *id)
}

fn all_into<M, T: TryFrom<M, Error = ApiError>>(models: Vec<M>) -> Result<Vec<T>> {
    models.into_iter().map(TryInto::try_into).collect()
}

/// The same content in plain words: who holds it, the contact details, how many of each.
fn summary(a: &SubjectAccess) -> String {
    let p = &a.participant;
    let mut reports: Vec<&QuotedIn> = Vec::new();
    for report in a.responses.iter().flat_map(|r| &r.quoted_in) {
        if !reports
            .iter()
            .any(|seen| seen.report_id == report.report_id)
        {
            reports.push(report);
        }
    }
    let quoted = if reports.is_empty() {
        "No published report quotes you.".to_owned()
    } else {
        let titles: Vec<&str> = reports.iter().map(|r| r.title.as_str()).collect();
        format!("Published reports that quote you: {}.", titles.join("; "))
    };
    format!(
        "This is everything {org_name} holds about you in Soundings, on {date}.\n\
         Your reference: {reference}.\n\
         Contact details: name {name}, email {email}, phone {phone}.\n\
         Consent records: {c}. Referrals: {f}. Support episodes: {e}. Jobs: {j}. \
         Support sessions: {s}.\n\
         Survey invitations: {i}. Survey answers: {r}. Emails: {m}. Voice comments: {v}.\n\
         Comments you agreed we may quote in our reports: {q}. {quoted}\n\
         The JSON part of this file has every detail.",
        org_name = a.organisation_name,
        date = Utc::now().format("%d %B %Y"),
        reference = p.reference,
        name = p.name.as_deref().unwrap_or("not held"),
        email = p.email.as_deref().unwrap_or("not held"),
        phone = p.phone.as_deref().unwrap_or("not held"),
        c = a.consents.len(),
        e = a.episodes.len(),
        f = a.referrals.len(),
        j = a.jobs.len(),
        s = a.sessions.len(),
        i = a.invitations.len(),
        r = a.responses.len(),
        m = a.emails.len(),
        v = a.audio.len(),
        q = a
            .responses
            .iter()
            .filter(|r| r.may_quote && r.comment.is_some())
            .count(),
    )
}

fn stored_response(r: response::Model, quoted_in: Vec<QuotedIn>) -> Result<StoredResponse> {
    Ok(StoredResponse {
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
        may_quote: r.may_quote,
        quoted_in,
    })
}

fn invitation_record(i: invitation::Model) -> InvitationRecord {
    InvitationRecord {
        id: i.id,
        instrument: i.instrument_key,
        created_at: i.created_at,
        expires_at: i.expires_at,
    }
}

/// An email as the person may see it: with its links taken out.
fn email_record(m: mail_message::Model) -> Result<EmailRecord> {
    Ok(EmailRecord {
        kind: MailKind::parse(&m.kind).map_err(|e| anyhow::anyhow!("stored mail kind: {e}"))?,
        status: MailStatus::parse(&m.status)
            .map_err(|e| anyhow::anyhow!("stored mail status: {e}"))?,
        to: m.to_address,
        subject: m.subject,
        created_at: m.created_at,
        sent_at: m.sent_at,
        text: domain::privacy::without_links(&m.text_body),
    })
}
