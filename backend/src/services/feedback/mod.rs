//! Giving people the results (DESIGN.md §7): "you said, we did" actions and their digests,
//! purpose-limited results links, a participant's own wellbeing change, and the prompts that
//! send a specialist to talk a decline through in person.

use crate::{
    ApiError, Result,
    auth::{self, StaffUser},
    entities::{
        episode, feedback_action, participant, response, results_link, wellbeing_prompt_done,
    },
    repo,
    services::mail::{self, Links, templates},
    state::AppState,
};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::{
    Hundredths, Role,
    feedback::{
        Action, ActionAudience, EasyReadAction, MailKind, NewAction, OwnWellbeing, PublicAction,
        UpdateAction, WellbeingPrompt,
    },
    instrument::{Audience, InstrumentKey},
    kpi::{self, ChangeBand, SwemwbsAnswer},
    period::Period,
    records::{ParticipantKind, PublicResults},
};
use futures_util::future::LocalBoxFuture;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

pub const RESULTS: &str = "results";

/// Most published actions a reader is shown.
const PUBLIC_ACTIONS: u64 = 50;

fn json_column<T: serde::de::DeserializeOwned>(what: &str, v: &str) -> Result<T> {
    serde_json::from_str(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v).map_err(anyhow::Error::from)?)
}

// ---------------------------------------------------------------- actions

impl TryFrom<feedback_action::Model> for Action {
    type Error = ApiError;
    fn try_from(a: feedback_action::Model) -> Result<Self> {
        Ok(Action {
            id: a.id,
            audience: ActionAudience::parse(&a.audience)
                .map_err(|e| anyhow::anyhow!("stored audience: {e}"))?,
            period: match (a.period_first, a.period_last) {
                (Some(first), Some(last)) => Some(Period { first, last }),
                _ => None,
            },
            response_ids: json_column("response_ids", &a.response_ids)?,
            you_said: json_column("you_said", &a.you_said)?,
            we_did: json_column("we_did", &a.we_did)?,
            easy_read: a
                .easy_read
                .as_deref()
                .map(|e| json_column::<EasyReadAction>("easy_read", e))
                .transpose()?,
            done_on: a.done_on,
            created_by: a.created_by,
            created_at: a.created_at,
            updated_at: a.updated_at,
            published_at: a.published_at,
        })
    }
}

fn public(a: Action) -> PublicAction {
    {
        PublicAction {
            id: a.id,
            audience: a.audience,
            period: a.period,
            you_said: a.you_said,
            we_did: a.we_did,
            easy_read: a.easy_read,
            done_on: a.done_on,
            published_at: a.published_at.unwrap_or(a.updated_at),
            prompted_by_responses: a.response_ids.len() as u64,
        }
    }
}

/// The responses an action names: each must be one of the organisation's. Duplicates collapse.
async fn checked_responses(
    db: &impl ConnectionTrait,
    org: Uuid,
    ids: &[Uuid],
) -> Result<Vec<Uuid>> {
    let mut seen = HashSet::new();
    let wanted: Vec<Uuid> = ids.iter().copied().filter(|id| seen.insert(*id)).collect();
    let found: HashSet<Uuid> = response::Entity::find()
        .select_only()
        .column(response::Column::Id)
        .filter(response::Column::OrganisationId.eq(org))
        .filter(response::Column::Id.is_in(wanted.iter().copied()))
        .into_tuple::<Uuid>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    if let Some(i) = ids.iter().position(|id| !found.contains(id)) {
        return Err(ApiError::invalid(
            format!("response_ids[{i}]"),
            "no such response in your organisation",
        ));
    }
    Ok(wanted)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_action(state: &AppState, user: &StaffUser, new: NewAction) -> Result<Action> {
    new.check()?;
    let responses = checked_responses(&state.db, user.organisation_id, &new.response_ids).await?;
    let now = Utc::now();
    let am = feedback_action::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(user.organisation_id),
        audience: Set(new.audience.as_str().to_owned()),
        period_first: Set(new.period.map(|p| p.first)),
        period_last: Set(new.period.map(|p| p.last)),
        response_ids: Set(to_json(&responses)?),
        you_said: Set(to_json(&new.you_said)?),
        we_did: Set(to_json(&new.we_did)?),
        easy_read: Set(new.easy_read.as_ref().map(to_json).transpose()?),
        done_on: Set(new.done_on),
        created_by: Set(user.id),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        published_by: Set(None),
    };
    let created = am.insert(&state.db).await?;
    tracing::info!(action_id = %created.id, "action written");
    created.try_into()
}

async fn find_action(
    db: &impl ConnectionTrait,
    org: Uuid,
    id: Uuid,
) -> Result<feedback_action::Model> {
    feedback_action::Entity::find_by_id(id)
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("no such action"))
}

pub async fn get_action(state: &AppState, user: &StaffUser, id: Uuid) -> Result<Action> {
    find_action(&state.db, user.organisation_id, id)
        .await?
        .try_into()
}

pub async fn list_actions(state: &AppState, user: &StaffUser) -> Result<Vec<Action>> {
    feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(user.organisation_id))
        .order_by_desc(feedback_action::Column::CreatedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(Action::try_from)
        .collect()
}

#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn update_action(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: UpdateAction,
) -> Result<Action> {
    change.check()?;
    let current = find_action(&state.db, user.organisation_id, id).await?;
    let mut am: feedback_action::ActiveModel = current.into();
    if let Some(a) = change.audience {
        am.audience = Set(a.as_str().to_owned());
    }
    if let Some(p) = change.period {
        am.period_first = Set(Some(p.first));
        am.period_last = Set(Some(p.last));
    }
    if let Some(ids) = &change.response_ids {
        let ids = checked_responses(&state.db, user.organisation_id, ids).await?;
        am.response_ids = Set(to_json(&ids)?);
    }
    if let Some(t) = &change.you_said {
        am.you_said = Set(to_json(t)?);
    }
    if let Some(t) = &change.we_did {
        am.we_did = Set(to_json(t)?);
    }
    if let Some(e) = &change.easy_read {
        am.easy_read = Set(Some(to_json(e)?));
    }
    if let Some(d) = change.done_on {
        am.done_on = Set(d);
    }
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(action_id = %updated.id, "action changed");
    updated.try_into()
}

/// Publishes an action and queues a results digest to everyone of its audience who may be
/// emailed, in one transaction: either both happen or neither. Publishing again changes nothing.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn publish_action(state: &AppState, user: &StaffUser, id: Uuid) -> Result<(Action, u64)> {
    let current = find_action(&state.db, user.organisation_id, id).await?;
    if current.published_at.is_some() {
        return Ok((current.try_into()?, 0));
    }
    let action: Action = current.clone().try_into()?;
    if action.easy_read.is_none() {
        return Err(ApiError::invalid(
            "easy_read",
            "write the Easy Read version before publishing",
        ));
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    // Written first, and only if still a draft: of two managers publishing at once, one queues.
    let won = feedback_action::Entity::update_many()
        .col_expr(
            feedback_action::Column::PublishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            feedback_action::Column::PublishedBy,
            sea_orm::sea_query::Expr::value(user.id),
        )
        .filter(feedback_action::Column::Id.eq(id))
        .filter(feedback_action::Column::PublishedAt.is_null())
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let queued = if won {
        queue_digests(&txn, &mail::Links::of(state), &action, now).await?
    } else {
        0
    };
    txn.commit().await?;
    let published = find_action(&state.db, user.organisation_id, id).await?;
    tracing::info!(action_id = %id, emails = queued, "action published");
    Ok((published.try_into()?, queued))
}

/// One digest per person of the audience who may be emailed, each with its own results link.
async fn queue_digests(
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

/// Published actions a reader of this audience sees, newest first.
pub async fn public_actions(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
) -> Result<Vec<PublicAction>> {
    let rows = feedback_action::Entity::find()
        .filter(feedback_action::Column::OrganisationId.eq(org))
        .filter(feedback_action::Column::PublishedAt.is_not_null())
        .order_by_desc(feedback_action::Column::PublishedAt)
        .all(db)
        .await?;
    let mut out = Vec::new();
    for row in rows {
        let a: Action = row.try_into()?;
        if a.audience.includes(audience) {
            out.push(public(a));
        }
        if out.len() as u64 >= PUBLIC_ACTIONS {
            break;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- results links

/// Makes a results link for one participant; returns its token (stored only as a hash).
pub async fn new_link(
    db: &impl ConnectionTrait,
    org: Uuid,
    participant: Uuid,
    days: i64,
    now: DateTime<Utc>,
) -> Result<(String, DateTime<Utc>)> {
    let token = auth::random_token();
    let expires_at = now + Duration::days(days);
    results_link::ActiveModel {
        id: Set(Uuid::new_v4()),
        organisation_id: Set(org),
        participant_id: Set(participant),
        token_hash: Set(auth::token_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(db)
    .await?;
    Ok((token, expires_at))
}

/// A results link for someone staff may see, or a participant's own (after their survey).
pub async fn link_for(
    state: &AppState,
    person: &participant::Model,
) -> Result<domain::feedback::ResultsLink> {
    if person.erased_at.is_some() || person.withdrawn_at.is_some() {
        return Err(ApiError::Expired(
            "this person has withdrawn; no results link can be made",
        ));
    }
    let days = mail::settings(&state.db, person.organisation_id)
        .await?
        .results_link_days;
    let (token, expires_at) = new_link(
        &state.db,
        person.organisation_id,
        person.id,
        i64::from(days),
        Utc::now(),
    )
    .await?;
    Ok(domain::feedback::ResultsLink {
        link: mail::Links::of(state).results(&token),
        token,
        expires_at,
    })
}

/// A results session's claims: one participant's results, nothing else.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ResultsClaims {
    /// The participant.
    pub sub: Uuid,
    pub org: Uuid,
    /// The results link it was opened from: deleting the link ends the session.
    pub lid: Uuid,
    pub iat: i64,
    pub exp: i64,
    pub typ: String,
}

/// Opens a results link: a session token that lives a day at most, never past the link.
pub async fn open_link(
    state: &AppState,
    token: &str,
) -> Result<
    Option<(
        results_link::Model,
        participant::Model,
        String,
        DateTime<Utc>,
    )>,
> {
    let Some(link) = results_link::Entity::find()
        .filter(results_link::Column::TokenHash.eq(auth::token_hash(token.trim())))
        .one(&state.db)
        .await?
    else {
        return Ok(None);
    };
    let person = repo::records::find_participant_any(&state.db, link.participant_id)
        .await?
        .filter(|p| p.erased_at.is_none());
    let now = Utc::now();
    let Some(person) = person else {
        return Err(ApiError::Expired("this results link no longer works"));
    };
    if link.expires_at <= now {
        return Err(ApiError::Expired("this results link has expired"));
    }
    let exp = link.expires_at.min(now + Duration::days(1));
    let access = state.keys.sign(&ResultsClaims {
        sub: person.id,
        org: person.organisation_id,
        lid: link.id,
        iat: now.timestamp(),
        exp: exp.timestamp(),
        typ: RESULTS.to_owned(),
    })?;
    Ok(Some((link, person, access, exp)))
}

/// A participant holding an opened results link. It reads that person's results only.
#[derive(Debug, Clone)]
pub struct ResultsReader {
    pub participant: participant::Model,
}

impl FromRequest for ResultsReader {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim().to_owned());
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("AppState not registered"))?;
            let again = ApiError::Unauthorized("open your results link again");
            let token = token.ok_or(ApiError::Unauthorized("open your results link first"))?;
            let claims = state
                .keys
                .decode::<ResultsClaims>(&token)
                .filter(|c| c.typ == RESULTS)
                .ok_or(ApiError::Unauthorized("open your results link again"))?;
            let link = results_link::Entity::find_by_id(claims.lid)
                .one(&state.db)
                .await?
                .filter(|l| l.participant_id == claims.sub && l.expires_at > Utc::now());
            if link.is_none() {
                return Err(again);
            }
            let participant = repo::records::find_participant_any(&state.db, claims.sub)
                .await?
                .filter(|p| p.organisation_id == claims.org && p.erased_at.is_none())
                .ok_or(again)?;
            Ok(ResultsReader { participant })
        })
    }
}

/// The service's satisfaction for people like the reader, last closed quarter, hidden below
/// the small-number threshold (the same figure `GET /api/survey/results` gives).
pub async fn service_results(
    db: &impl ConnectionTrait,
    org: Uuid,
    audience: Audience,
) -> Result<PublicResults> {
    let org = repo::orgs::get(db, org)
        .await?
        .ok_or_else(|| anyhow::anyhow!("participant without organisation"))?;
    let today = crate::time::today(&org.time_zone);
    let period =
        Period::last_closed_financial_quarter(today).map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = repo::instruments::settings(db, org.id).await?;
    let small = u64::try_from(settings.small_number).unwrap_or(kpi::DEFAULT_SMALL_NUMBER);
    let k = crate::services::reports::satisfaction(
        db,
        org.id,
        audience,
        period,
        &Default::default(),
        small,
    )
    .await?;
    Ok(PublicResults {
        organisation_name: org.name,
        period,
        satisfaction: kpi::public_figure(k.mean, k.n, period, today, small),
    })
}

// ---------------------------------------------------------------- wellbeing

fn swemwbs_answers(rows: &[repo::invitations::KpiRow]) -> Result<Vec<SwemwbsAnswer>> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.extend(crate::services::reports::swemwbs_answer(r)?);
    }
    Ok(out)
}

/// A participant's own wellbeing change, per episode that has a scored start and end, by the
/// same pairing rule as the wellbeing figure. `episode` narrows it to one.
pub async fn own_wellbeing(
    db: &impl ConnectionTrait,
    person: &participant::Model,
    episode: Option<Uuid>,
) -> Result<Vec<OwnWellbeing>> {
    let mut q = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(person.organisation_id))
        .filter(episode::Column::ParticipantId.eq(person.id));
    if let Some(id) = episode {
        q = q.filter(episode::Column::Id.eq(id));
    }
    let ids: Vec<Uuid> = q.all(db).await?.into_iter().map(|e| e.id).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = repo::invitations::responses_of_episodes(
        db,
        person.organisation_id,
        &ids,
        Some(InstrumentKey::Swemwbs),
    )
    .await?;
    let answered_on: HashMap<Uuid, NaiveDate> =
        rows.iter().map(|r| (r.id, r.answered_on)).collect();
    let settings = repo::instruments::settings(db, person.organisation_id).await?;
    let threshold = Hundredths(i64::from(settings.change_threshold));
    let k = kpi::wellbeing(
        Period::all_time(),
        &[],
        &swemwbs_answers(&rows)?,
        threshold,
        0,
    );
    Ok(k.pairs
        .into_iter()
        .map(|p| OwnWellbeing {
            episode_id: p.episode_id,
            start: p.start,
            start_answered_on: answered_on
                .get(&p.start_response_id)
                .copied()
                .unwrap_or_default(),
            end: p.end,
            end_answered_on: answered_on
                .get(&p.end_response_id)
                .copied()
                .unwrap_or_default(),
            change: p.change,
            band: p.band,
            threshold,
        })
        .collect())
}

/// Days back a decline stays on the prompt list.
const PROMPT_DAYS: i64 = 365;

/// Wellbeing declines of the past year not yet talked through: a specialist's for the
/// episodes they support now, a manager's for the organisation.
pub async fn prompts(state: &AppState, user: &StaffUser) -> Result<Vec<WellbeingPrompt>> {
    let db = &state.db;
    let org = repo::orgs::get(db, user.organisation_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("staff without organisation"))?;
    let today = crate::time::today(&org.time_zone);
    let period = Period {
        first: today - Duration::days(PROMPT_DAYS),
        last: today + Duration::days(1),
    };
    let settings = repo::instruments::settings(db, org.id).await?;
    let threshold = Hundredths(i64::from(settings.change_threshold));
    let k =
        crate::services::reports::wellbeing(db, org.id, period, &Default::default(), threshold, 0)
            .await?;
    let declines: Vec<_> = k
        .pairs
        .into_iter()
        .filter(|p| p.band == ChangeBand::Declined)
        .collect();
    if declines.is_empty() {
        return Ok(Vec::new());
    }
    let done: HashSet<Uuid> = wellbeing_prompt_done::Entity::find()
        .filter(wellbeing_prompt_done::Column::OrganisationId.eq(org.id))
        .filter(
            wellbeing_prompt_done::Column::EndResponseId
                .is_in(declines.iter().map(|p| p.end_response_id)),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.end_response_id)
        .collect();
    let mut out = Vec::new();
    for p in declines
        .into_iter()
        .filter(|p| !done.contains(&p.end_response_id))
    {
        let Some(ep) = repo::records::find_episode_any(db, p.episode_id).await? else {
            continue;
        };
        if !user.is_at_least(Role::Manager) && ep.specialist_id != user.id {
            continue;
        }
        let Some(person) = repo::records::find_participant_any(db, ep.participant_id)
            .await?
            .filter(|p| p.erased_at.is_none())
        else {
            continue;
        };
        let end_on = repo::invitations::find_response_any(db, p.end_response_id)
            .await?
            .map(|r| r.answered_on)
            .unwrap_or(today);
        out.push(WellbeingPrompt {
            id: p.end_response_id,
            episode_id: ep.id,
            participant_id: person.id,
            participant_reference: person.reference,
            specialist_id: ep.specialist_id,
            start: p.start,
            end: p.end,
            change: p.change,
            end_answered_on: end_on,
        });
    }
    out.sort_by_key(|p| std::cmp::Reverse(p.end_answered_on));
    Ok(out)
}

/// Marks a decline as talked through. The id is the end form's response id; it must be a
/// SWEMWBS end form on an episode the caller may see.
pub async fn prompt_done(state: &AppState, user: &StaffUser, id: Uuid) -> Result<()> {
    let db = &state.db;
    let r = repo::invitations::find_response_any(db, id)
        .await?
        .filter(|r| r.organisation_id == user.organisation_id)
        .filter(|r| {
            r.instrument_key == InstrumentKey::Swemwbs.as_str()
                && r.timing.as_deref() == Some("end")
        })
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    let episode = r
        .episode_id
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    repo::records::visible_episode(db, user, episode)
        .await?
        .ok_or(ApiError::NotFound("no such wellbeing prompt"))?;
    let am = wellbeing_prompt_done::ActiveModel {
        end_response_id: Set(id),
        organisation_id: Set(user.organisation_id),
        done_by: Set(user.id),
        done_at: Set(Utc::now()),
    };
    match am.insert(db).await {
        Ok(_) => {}
        Err(e) if repo::is_unique_violation(&e) => {}
        Err(e) => return Err(e.into()),
    }
    tracing::info!(response_id = %id, "wellbeing decline talked through");
    Ok(())
}
