//! Email (DESIGN.md §7): every email is a row of `mail_message`, queued by a request and sent
//! later by [`worker::Mailer`], so sending never blocks a request. Who may get email is decided
//! twice, when queued and again when sent: an address, consent to email, not withdrawn, not
//! unsubscribed.

pub mod templates;
pub mod worker;

use crate::{
    auth,
    entities::{invitation, organisation, participant},
    repo,
    state::AppState,
};
use chrono::{DateTime, Duration, Utc};
use domain::{
    feedback::{MailKind, MailSettings},
    records::{Accessibility, ConsentScope, Language},
};
use sea_orm::{ConnectionTrait, DbErr};
use uuid::Uuid;

pub use crate::repo::{mail::NewMail, mail_settings::save as save_settings};
pub use worker::Mailer;

/// Builds the links that go in emails and recognises the tokens that come back from them.
/// Tokens travel after `#`, so they never reach a server log.
#[derive(Clone)]
pub struct Links {
    base: String,
    host: String,
    token_secret: Vec<u8>,
    unsubscribe_key: Vec<u8>,
}

impl std::fmt::Debug for Links {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Links").field("base", &self.base).finish()
    }
}

impl Links {
    /// The links of this server: its public address and its token key.
    pub fn of(state: &AppState) -> Self {
        Links::new(&state.config.mail.public_url, &state.token_secret)
    }

    /// `token_secret` is the key invitation links are made with (`AppState::token_secret`).
    pub fn new(public_url: &str, token_secret: &[u8]) -> Self {
        let base = public_url.trim().trim_end_matches('/').to_owned();
        let host = base
            .split("://")
            .nth(1)
            .unwrap_or(&base)
            .split(['/', ':'])
            .next()
            .filter(|h| !h.is_empty())
            .unwrap_or("soundings.invalid")
            .to_owned();
        Links {
            base,
            host,
            token_secret: token_secret.to_vec(),
            unsubscribe_key: auth::derive_key(token_secret, "unsubscribe"),
        }
    }

    /// The same token `POST /api/invitations` answers with.
    pub fn invitation_token(&self, invitation: Uuid) -> String {
        auth::hmac_token(&self.token_secret, &invitation.to_string())
    }

    pub fn survey(&self, invitation: Uuid) -> String {
        format!("{}/#t={}", self.base, self.invitation_token(invitation))
    }

    pub fn results(&self, token: &str) -> String {
        format!("{}/#r={token}", self.base)
    }

    /// A participant's unsubscribe token: their id and a MAC of it, so nothing is stored and
    /// the link works for as long as they might keep the email.
    pub fn unsubscribe_token(&self, participant: Uuid) -> String {
        let id = participant.simple().to_string();
        let mac = auth::hmac_token(&self.unsubscribe_key, &format!("unsubscribe:{id}"));
        format!("{id}.{mac}")
    }

    pub fn unsubscribe(&self, participant: Uuid) -> String {
        format!("{}/#u={}", self.base, self.unsubscribe_token(participant))
    }

    /// The participant an unsubscribe token was made for, if it is genuine.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<Uuid> {
        let (id, _) = token.trim().split_once('.')?;
        let participant = Uuid::parse_str(id).ok()?;
        let expected = self.unsubscribe_token(participant);
        // Compared as hashes so the comparison takes the same time wherever they differ.
        (auth::token_hash(&expected) == auth::token_hash(token.trim())).then_some(participant)
    }

    /// A Message-ID made once, when the email is queued, and sent with every retry.
    pub fn message_id(&self, mail: Uuid) -> String {
        format!("<{}@{}>", mail.simple(), self.host)
    }
}

/// Why a person gets no email.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoMail {
    Erased,
    Withdrawn,
    Unsubscribed,
    NoAddress,
    NoConsent,
}

impl NoMail {
    pub fn message(self) -> &'static str {
        match self {
            NoMail::Erased => "this person's data has been erased",
            NoMail::Withdrawn => "this person has withdrawn consent: no more emails",
            NoMail::Unsubscribed => "this person has unsubscribed from emails",
            NoMail::NoAddress => "this person has no email address",
            NoMail::NoConsent => "this person has not agreed to be emailed (consent scope email)",
        }
    }

    /// Short reason kept as an email's `last_error` when it is cancelled.
    pub fn reason(self) -> &'static str {
        match self {
            NoMail::Erased => "cancelled: erased",
            NoMail::Withdrawn => "cancelled: consent withdrawn",
            NoMail::Unsubscribed => "cancelled: unsubscribed",
            NoMail::NoAddress => "cancelled: no email address",
            NoMail::NoConsent => "cancelled: no consent to email",
        }
    }
}

/// The address to use for this person, or why there is none.
pub async fn may_email(
    db: &impl ConnectionTrait,
    p: &participant::Model,
) -> Result<Result<String, NoMail>, DbErr> {
    if p.erased_at.is_some() {
        return Ok(Err(NoMail::Erased));
    }
    if p.withdrawn_at.is_some() {
        return Ok(Err(NoMail::Withdrawn));
    }
    let address = p
        .email
        .as_deref()
        .map(domain::values::normalised_address)
        .filter(|e| !e.is_empty());
    let org = p.organisation_id;
    if repo::mail_optouts::is_opted_out(db, org, p.id, address.as_deref()).await? {
        return Ok(Err(NoMail::Unsubscribed));
    }
    let Some(address) = address else {
        return Ok(Err(NoMail::NoAddress));
    };
    let consented = repo::records::consents_of(db, p.id)
        .await?
        .iter()
        .filter(|c| c.withdrawn_at.is_none())
        .any(|c| {
            serde_json::from_str::<Vec<String>>(&c.scopes)
                .unwrap_or_default()
                .iter()
                .any(|s| s == ConsentScope::Email.as_str())
        });
    if !consented {
        return Ok(Err(NoMail::NoConsent));
    }
    Ok(Ok(address))
}

pub fn language_of(p: &participant::Model) -> Language {
    Language::parse(&p.language).unwrap_or(Language::English)
}

pub fn wants_easy_read(p: &participant::Model) -> bool {
    serde_json::from_str::<Accessibility>(&p.accessibility)
        .map(|a| a.easy_read)
        .unwrap_or(false)
}

/// The organisation's email settings; defaults when none are saved.
pub async fn settings(db: &impl ConnectionTrait, org: Uuid) -> Result<MailSettings, DbErr> {
    Ok(repo::mail_settings::get(db, org)
        .await?
        .map(|s| MailSettings {
            reminder_after_days: u16::try_from(s.reminder_after_days)
                .unwrap_or(domain::feedback::DEFAULT_REMINDER_AFTER_DAYS),
            results_link_days: u16::try_from(s.results_link_days)
                .unwrap_or(domain::feedback::DEFAULT_RESULTS_LINK_DAYS),
        })
        .unwrap_or_default())
}

/// Queues one email. `false` when an email with the same purpose was already queued.
#[tracing::instrument(skip_all, fields(kind = draft.kind.as_str()), err(level = "debug"))]
pub async fn enqueue(
    db: &impl ConnectionTrait,
    links: &Links,
    draft: NewMail,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let id = Uuid::new_v4();
    let queued = repo::mail::queue(db, id, links.message_id(id), draft, now).await?;
    if queued {
        tracing::info!(mail_id = %id, "email queued");
    }
    Ok(queued)
}

/// Renders and queues the email for an invitation (`Invitation`) or its reminder (`Reminder`).
/// `Err(NoMail)` when this person may not be emailed.
pub async fn queue_invitation(
    db: &impl ConnectionTrait,
    links: &Links,
    inv: &invitation::Model,
    kind: MailKind,
    now: DateTime<Utc>,
) -> Result<Result<bool, NoMail>, DbErr> {
    let Some(person) = repo::records::find_participant_any(db, inv.participant_id).await? else {
        return Ok(Err(NoMail::Erased));
    };
    let to = match may_email(db, &person).await? {
        Ok(to) => to,
        Err(why) => return Ok(Err(why)),
    };
    let org = organisation_of(db, inv.organisation_id).await?;
    let lang = language_of(&person);
    let expires_on = crate::time::local_date(&org.time_zone, inv.expires_at);
    let rendered = templates::invitation(
        lang,
        &org.name,
        kind == MailKind::Reminder,
        &links.survey(inv.id),
        expires_on,
        &links.unsubscribe(person.id),
    );
    let draft = NewMail {
        organisation_id: inv.organisation_id,
        participant_id: person.id,
        kind,
        dedupe_key: format!("{}:{}", kind.as_str(), inv.id),
        invitation_id: Some(inv.id),
        action_id: None,
        language: lang,
        to,
        subject: rendered.subject,
        text_body: rendered.text,
        html_body: rendered.html,
        remind_at: reminder_due(db, inv, kind, now).await?,
    };
    Ok(Ok(enqueue(db, links, draft, now).await?))
}

/// When an invitation email's one reminder falls due; a reminder gets none.
async fn reminder_due(
    db: &impl ConnectionTrait,
    inv: &invitation::Model,
    kind: MailKind,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(match kind {
        MailKind::Invitation => {
            let days = settings(db, inv.organisation_id).await?.reminder_after_days;
            Some(now + Duration::days(i64::from(days)))
        }
        _ => None,
    })
}

pub async fn organisation_of(
    db: &impl ConnectionTrait,
    org: Uuid,
) -> Result<organisation::Model, DbErr> {
    repo::orgs::get(db, org)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("organisation {org}")))
}

/// Records an unsubscribe and cancels what is still waiting to go to the person.
pub async fn unsubscribe(
    db: &impl ConnectionTrait,
    p: &participant::Model,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let address = p
        .email
        .as_deref()
        .map(domain::values::normalised_address)
        .filter(|e| !e.is_empty());
    repo::mail_optouts::record(db, p.organisation_id, p.id, address, now).await?;
    cancel_waiting(db, p.id, NoMail::Unsubscribed).await
}

/// Cancels a person's emails that have not started sending. (One being sent right now is
/// checked again by its worker before it goes.)
pub async fn cancel_waiting(
    db: &impl ConnectionTrait,
    participant: Uuid,
    why: NoMail,
) -> Result<(), DbErr> {
    repo::mail::cancel_queued(db, participant, why.reason()).await
}

/// Erasure: a person's emails (addresses, bodies), results links and unsubscribe go.
pub async fn erase_participant(db: &impl ConnectionTrait, participant: Uuid) -> Result<(), DbErr> {
    repo::mail::delete_of_participant(db, participant).await?;
    repo::results_links::delete_of_participant(db, participant).await?;
    repo::mail_optouts::delete_of_participant(db, participant).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unsubscribe_token_names_its_person_and_cannot_be_forged() {
        let links = Links::new(
            "https://app.example.org/",
            b"0123456789abcdef0123456789abcdef",
        );
        let p = Uuid::new_v4();
        let t = links.unsubscribe_token(p);
        assert_eq!(links.verify_unsubscribe(&t), Some(p));
        let other = Uuid::new_v4();
        let forged = format!("{}.{}", other.simple(), t.split_once('.').unwrap().1);
        assert_eq!(links.verify_unsubscribe(&forged), None);
        assert_eq!(links.verify_unsubscribe("nonsense"), None);
        let elsewhere = Links::new(
            "https://app.example.org",
            b"another-key-another-key-another!!",
        );
        assert_eq!(elsewhere.verify_unsubscribe(&t), None);
    }

    #[test]
    fn links_carry_tokens_after_the_hash_and_ids_name_the_public_host() {
        let links = Links::new("https://app.example.org:8443/", b"k");
        assert!(
            links
                .unsubscribe(Uuid::nil())
                .starts_with("https://app.example.org:8443/#u=")
        );
        assert!(links.results("abc").ends_with("/#r=abc"));
        assert!(links.message_id(Uuid::nil()).ends_with("@app.example.org>"));
    }
}
