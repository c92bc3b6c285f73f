//! Results digests: the email each person of an action's audience gets when it is published.

use super::results::new_link;
use crate::{
    Result,
    entities::{organisation, participant},
    repo,
    services::mail::{self, Links, templates},
};
use chrono::{DateTime, Utc};
use domain::{
    feedback::{Action, MailKind},
    records::{Language, ParticipantKind},
};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// One digest per person of the audience who may be emailed, each with its own results link.
pub(super) async fn queue_digests(
    db: &impl ConnectionTrait,
    links: &Links,
    org: Uuid,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<u64> {
    let digest = Digest {
        links,
        org: mail::organisation_of(db, org).await?,
        link_days: i64::from(mail::settings(db, org).await?.results_link_days),
        action,
        now,
    };
    let mut queued = 0;
    for person in repo::mail::recipients(db, org, audience_kinds(action)).await? {
        if digest.queue_for(db, &person).await? {
            queued += 1;
        }
    }
    Ok(queued)
}

/// The kinds of participant an action's audience takes in.
fn audience_kinds(action: &Action) -> Vec<&'static str> {
    [ParticipantKind::Jobseeker, ParticipantKind::Employer]
        .into_iter()
        .filter(|k| action.audience.includes(k.audience()))
        .map(|k| k.as_str())
        .collect()
}

/// What every digest of one action shares.
struct Digest<'a> {
    links: &'a Links,
    org: organisation::Model,
    link_days: i64,
    action: &'a Action,
    now: DateTime<Utc>,
}

impl Digest<'_> {
    /// Queues the digest for one person. `false` if they may not be emailed or have it already.
    async fn queue_for(
        &self,
        db: &impl ConnectionTrait,
        person: &participant::Model,
    ) -> Result<bool> {
        let Ok(to) = mail::may_email(db, person).await? else {
            return Ok(false);
        };
        let lang = mail::language_of(person);
        let (token, expires_at) =
            new_link(db, self.org.id, person.id, self.link_days, self.now).await?;
        let rendered = self.render(person, lang, &token, expires_at);
        let draft = mail::NewMail {
            organisation_id: self.org.id,
            participant_id: person.id,
            kind: MailKind::Digest,
            dedupe_key: format!("digest:{}:{}", self.action.id, person.id),
            invitation_id: None,
            action_id: Some(self.action.id),
            language: lang,
            to,
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: rendered.html,
            remind_at: None,
        };
        Ok(mail::enqueue(db, self.links, draft, self.now).await?)
    }

    /// The email in the person's language, in Easy Read if they asked for it.
    fn render(
        &self,
        person: &participant::Model,
        lang: Language,
        token: &str,
        expires_at: DateTime<Utc>,
    ) -> templates::Rendered {
        let action = self.action;
        let (said, did) = match (&action.easy_read, mail::wants_easy_read(person)) {
            (Some(e), true) => (&e.you_said, &e.we_did),
            _ => (&action.you_said, &action.we_did),
        };
        templates::digest(
            lang,
            &self.org.name,
            &[templates::ActionLines {
                you_said: said.in_language(lang),
                we_did: did.in_language(lang),
                done_on: action.done_on,
            }],
            &self.links.results(token),
            crate::time::local_date(&self.org.time_zone, expires_at),
            &self.links.unsubscribe(person.id),
        )
    }
}
