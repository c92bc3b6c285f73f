//! Results digests: the email each person of an action's audience gets when it is published.

use super::results::new_link;
use crate::{
    Result,
    entities::{feedback_action, participant},
    services::mail::{self, Links, templates},
};
use chrono::{DateTime, Utc};
use domain::{
    feedback::{Action, MailKind},
    records::ParticipantKind,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// One digest per person of the audience who may be emailed, each with its own results link.
pub(super) async fn queue_digests(
    db: &impl ConnectionTrait,
    links: &Links,
    action: &Action,
    now: DateTime<Utc>,
) -> Result<u64> {
    let kinds: Vec<&str> = [ParticipantKind::Jobseeker, ParticipantKind::Employer]
        .into_iter()
        .filter(|k| action.audience.includes(k.audience()))
        .map(|k| k.as_str())
        .collect();
    let Some(org_id) = feedback_action::Entity::find_by_id(action.id)
        .one(db)
        .await?
        .map(|a| a.organisation_id)
    else {
        return Ok(0);
    };
    let org = mail::organisation_of(db, org_id).await?;
    let settings = mail::settings(db, org_id).await?;
    let people = participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org_id))
        .filter(participant::Column::Kind.is_in(kinds))
        .filter(participant::Column::WithdrawnAt.is_null())
        .filter(participant::Column::ErasedAt.is_null())
        .filter(participant::Column::Email.is_not_null())
        .all(db)
        .await?;
    let mut queued = 0;
    for person in people {
        let Ok(to) = mail::may_email(db, &person).await? else {
            continue;
        };
        let lang = mail::language_of(&person);
        let (said, did) = match (&action.easy_read, mail::wants_easy_read(&person)) {
            (Some(e), true) => (&e.you_said, &e.we_did),
            _ => (&action.you_said, &action.we_did),
        };
        let (token, expires_at) = new_link(
            db,
            org_id,
            person.id,
            i64::from(settings.results_link_days),
            now,
        )
        .await?;
        let rendered = templates::digest(
            lang,
            &org.name,
            &[templates::ActionLines {
                you_said: said.in_language(lang),
                we_did: did.in_language(lang),
                done_on: action.done_on,
            }],
            &links.results(&token),
            crate::time::local_date(&org.time_zone, expires_at),
            &links.unsubscribe(person.id),
        );
        let draft = mail::Draft {
            organisation_id: org_id,
            participant_id: person.id,
            kind: MailKind::Digest,
            dedupe_key: format!("digest:{}:{}", action.id, person.id),
            invitation_id: None,
            action_id: Some(action.id),
            language: lang,
            to,
            rendered,
            remind_at: None,
        };
        if mail::enqueue(db, links, draft, now).await? {
            queued += 1;
        }
    }
    Ok(queued)
}
