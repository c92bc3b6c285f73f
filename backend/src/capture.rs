//! Storing the records captured in the field: participants, consent, episodes, sessions,
//! invitations and responses. Each arrives with an id made on the device. The same id with the
//! same body is stored once and answered the same; the same id with another body is a 409.
//! Single endpoints and the batch endpoint both come through here, so the rules are one.

use crate::{
    ApiError, Result,
    auth::{self, InvitationHolder, StaffUser},
    entities::{
        consent, episode, invitation, participant, response, session_edit, support_session,
    },
    repo,
    startup::AppState,
};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use domain::{
    Role,
    completion::{Format, Respondent},
    instrument::{Audience, InstrumentDefinition, InstrumentKind},
    kpi::Timing,
    records::{
        Accessibility, Consent, ConsentGivenBy, ConsentMethod, ConsentScope, Episode, Equality,
        FieldError, Invitation, Keep, Language, NewConsent, NewEpisode, NewInvitation,
        NewParticipant, NewResponse, NewSession, Participant, ParticipantKind, Programme,
        ResponseReceipt, Session, SessionConflict, SessionEdit, SessionRecord, Stage,
    },
    swemwbs::SwemwbsForm,
};
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use serde::Serialize;
use uuid::Uuid;

/// Devices' clocks drift: an answer up to this far in the future is accepted.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// A fingerprint of the body a record was created with.
pub fn body_hash<T: Serialize>(body: &T) -> String {
    auth::token_hash(&serde_json::to_string(body).unwrap_or_default())
}

/// A stored record made on a device: which organisation holds it and the body it was made from.
pub trait Fingerprinted {
    fn organisation(&self) -> Uuid;
    fn fingerprint(&self) -> &str;
}

macro_rules! fingerprinted {
    ($($m:path),+) => {$(
        impl Fingerprinted for $m {
            fn organisation(&self) -> Uuid {
                self.organisation_id
            }
            fn fingerprint(&self) -> &str {
                &self.body_hash
            }
        }
    )+};
}
fingerprinted!(
    participant::Model,
    consent::Model,
    episode::Model,
    support_session::Model,
    invitation::Model,
    response::Model
);

/// The same id again: the stored record if it is the same one, a conflict otherwise.
fn same_record<M: Fingerprinted>(existing: M, org: Uuid, hash: &str) -> Result<M> {
    if existing.organisation() == org && existing.fingerprint() == hash {
        Ok(existing)
    } else {
        Err(ApiError::conflict(
            "id",
            "this id was already used for a record with different content",
        ))
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::invalid(e.field, e.message)
    }
}

pub(crate) fn stored<T>(
    what: &str,
    v: &str,
    parse: impl Fn(&str) -> std::result::Result<T, domain::ParseError>,
) -> Result<T> {
    parse(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

fn json_column<T: serde::de::DeserializeOwned>(what: &str, v: &str) -> Result<T> {
    serde_json::from_str(v).map_err(|e| anyhow::anyhow!("stored {what} is invalid: {e}").into())
}

type ModelOf<A> = <<A as ActiveModelTrait>::Entity as sea_orm::EntityTrait>::Model;

/// Inserts a record made on a device, in this writer's turn (`db::WriteTurns`). A unique clash
/// on its id is a resend racing this one (answered like any resend); any other unique clash
/// goes to `other_clash`.
async fn store_once<A, F, Fut>(
    state: &AppState,
    am: A,
    org: Uuid,
    hash: &str,
    find: F,
    other_clash: fn(DbErr) -> ApiError,
) -> Result<ModelOf<A>>
where
    A: ActiveModelTrait + sea_orm::ActiveModelBehavior + Send,
    ModelOf<A>: IntoActiveModel<A> + Fingerprinted,
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = std::result::Result<Option<ModelOf<A>>, DbErr>>,
{
    let turn = state.turns.take().await?;
    let inserted = am.insert(&state.db).await;
    drop(turn);
    match inserted {
        Ok(m) => Ok(m),
        Err(e) if repo::is_unique_violation(&e) => match find().await? {
            Some(existing) => same_record(existing, org, hash),
            None => Err(other_clash(e)),
        },
        Err(e) => Err(e.into()),
    }
}

fn internal(e: DbErr) -> ApiError {
    e.into()
}

// ---------------------------------------------------------------- participants

impl TryFrom<participant::Model> for Participant {
    type Error = ApiError;
    fn try_from(p: participant::Model) -> Result<Self> {
        Ok(Participant {
            id: p.id,
            kind: stored("kind", &p.kind, ParticipantKind::parse)?,
            reference: p.reference,
            name: p.name,
            email: p.email,
            phone: p.phone,
            language: stored("language", &p.language, Language::parse)?,
            accessibility: json_column::<Accessibility>("accessibility", &p.accessibility)?,
            equality: json_column::<Equality>("equality", &p.equality)?,
            withdrawn: p.withdrawn_at.is_some(),
            created_by: p.created_by,
            created_at: p.created_at,
        })
    }
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn participant(
    state: &AppState,
    user: &StaffUser,
    new: NewParticipant,
) -> Result<Participant> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_participant_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    let now = Utc::now();
    let am = participant::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        kind: Set(new.kind.as_str().to_owned()),
        reference: Set(new.reference.as_str().to_owned()),
        name: Set(new.name.map(String::from)),
        email: Set(new.email.map(String::from)),
        phone: Set(new.phone.map(String::from)),
        language: Set(new.language.as_str().to_owned()),
        accessibility: Set(serde_json::to_string(&new.accessibility).map_err(anyhow::Error::from)?),
        equality: Set(serde_json::to_string(&new.equality).map_err(anyhow::Error::from)?),
        withdrawn_at: Set(None),
        erased_at: Set(None),
        created_by: Set(user.id),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created = store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::records::find_participant_any(&state.db, new.id),
        |_| {
            ApiError::conflict(
                "reference",
                "another participant already has this reference",
            )
        },
    )
    .await?;
    tracing::info!(participant_id = %created.id, "participant stored");
    created.try_into()
}

/// A participant this staff member may work with, or a 400 naming the field.
async fn participant_for(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    field: &'static str,
) -> Result<participant::Model> {
    repo::records::visible_participant(&state.db, user, id)
        .await?
        .ok_or_else(|| ApiError::invalid(field, "no such participant on your caseload"))
}

// ---------------------------------------------------------------- consent

impl TryFrom<consent::Model> for Consent {
    type Error = ApiError;
    fn try_from(c: consent::Model) -> Result<Self> {
        let scopes: Vec<String> = json_column("scopes", &c.scopes)?;
        Ok(Consent {
            id: c.id,
            participant_id: c.participant_id,
            scopes: scopes
                .iter()
                .map(|s| stored("scope", s, ConsentScope::parse))
                .collect::<Result<_>>()?,
            given_by: stored("given_by", &c.given_by, ConsentGivenBy::parse)?,
            method: stored("method", &c.method, ConsentMethod::parse)?,
            text_version: c.text_version,
            given_at: c.given_at,
            withdrawn_at: c.withdrawn_at,
            recorded_by: c.recorded_by,
        })
    }
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn consent(state: &AppState, user: &StaffUser, new: NewConsent) -> Result<Consent> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_consent_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    new.check(Utc::now())?;
    participant_for(state, user, new.participant_id, "participant_id").await?;
    let scopes: Vec<&str> = new.scopes.iter().map(|s| s.as_str()).collect();
    let am = consent::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        participant_id: Set(new.participant_id),
        scopes: Set(serde_json::to_string(&scopes).map_err(anyhow::Error::from)?),
        given_by: Set(new.given_by.as_str().to_owned()),
        method: Set(new.method.as_str().to_owned()),
        text_version: Set(new.text_version.as_str().to_owned()),
        given_at: Set(new.given_at),
        withdrawn_at: Set(None),
        recorded_by: Set(user.id),
        body_hash: Set(hash.clone()),
        created_at: Set(Utc::now()),
    };
    let id = new.id;
    store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::records::find_consent_any(&state.db, id),
        internal,
    )
    .await?
    .try_into()
}

// ---------------------------------------------------------------- episodes

impl TryFrom<episode::Model> for Episode {
    type Error = ApiError;
    fn try_from(e: episode::Model) -> Result<Self> {
        Ok(Episode {
            id: e.id,
            participant_id: e.participant_id,
            specialist_id: e.specialist_id,
            team_id: e.team_id,
            programme: stored("programme", &e.programme, Programme::parse)?,
            referred_on: e.referred_on,
            started_on: e.started_on,
            profile_started_on: e.profile_started_on,
            job_started_on: e.job_started_on,
            ended_on: e.ended_on,
            employer_id: e.employer_id,
        })
    }
}

/// The specialist an episode is assigned to: specialists take their own; managers may name
/// any active specialist of the organisation.
pub async fn specialist_for(
    state: &AppState,
    user: &StaffUser,
    requested: Option<Uuid>,
) -> Result<crate::entities::staff::Model> {
    let id = requested.unwrap_or(user.id);
    if id != user.id && !user.is_at_least(Role::Manager) {
        return Err(ApiError::invalid(
            "specialist_id",
            "a specialist can only assign episodes to themselves",
        ));
    }
    repo::staff::get(&state.db, user.organisation_id, id)
        .await?
        .filter(|s| s.active)
        .ok_or_else(|| ApiError::invalid("specialist_id", "no such active staff member"))
}

pub async fn employer_for(state: &AppState, user: &StaffUser, id: Option<Uuid>) -> Result<()> {
    if let Some(id) = id {
        let p = repo::records::find_participant_any(&state.db, id).await?;
        if !p.is_some_and(|p| p.organisation_id == user.organisation_id && p.kind == "employer") {
            return Err(ApiError::invalid("employer_id", "no such employer"));
        }
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn episode(state: &AppState, user: &StaffUser, new: NewEpisode) -> Result<Episode> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_episode_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    new.check()?;
    let person = participant_for(state, user, new.participant_id, "participant_id").await?;
    if person.kind != ParticipantKind::Jobseeker.as_str() {
        return Err(ApiError::invalid(
            "participant_id",
            "support episodes are for jobseekers; name employers as employer_id",
        ));
    }
    let specialist = specialist_for(state, user, new.specialist_id).await?;
    employer_for(state, user, new.employer_id).await?;
    let now = Utc::now();
    let am = episode::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        participant_id: Set(new.participant_id),
        specialist_id: Set(specialist.id),
        team_id: Set(specialist.team_id),
        programme: Set(new.programme.as_str().to_owned()),
        referred_on: Set(new.referred_on),
        started_on: Set(new.started_on),
        profile_started_on: Set(new.profile_started_on),
        job_started_on: Set(new.job_started_on),
        ended_on: Set(new.ended_on),
        employer_id: Set(new.employer_id),
        created_by: Set(user.id),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = new.id;
    store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::records::find_episode_any(&state.db, id),
        internal,
    )
    .await?
    .try_into()
}

// ---------------------------------------------------------------- sessions

impl TryFrom<support_session::Model> for Session {
    type Error = ApiError;
    fn try_from(s: support_session::Model) -> Result<Self> {
        Ok(Session {
            id: s.id,
            episode_id: s.episode_id,
            author_id: s.author_id,
            held_on: s.held_on,
            duration_minutes: u16::try_from(s.duration_minutes)
                .map_err(|e| anyhow::anyhow!("stored duration: {e}"))?,
            stage: stored("stage", &s.stage, Stage::parse)?,
            activity: s.activity,
            note: (!s.note.is_empty()).then_some(s.note),
            version: s.version,
            updated_at: s.updated_at,
        })
    }
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn session(state: &AppState, user: &StaffUser, new: NewSession) -> Result<Session> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::records::find_session_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        return existing.try_into();
    }
    new.check()?;
    repo::records::visible_episode(&state.db, user, new.episode_id)
        .await?
        .ok_or_else(|| ApiError::invalid("episode_id", "no such episode on your caseload"))?;
    let now = Utc::now();
    let am = support_session::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(user.organisation_id),
        episode_id: Set(new.episode_id),
        author_id: Set(user.id),
        held_on: Set(new.held_on),
        duration_minutes: Set(i32::from(new.duration_minutes)),
        stage: Set(new.stage.as_str().to_owned()),
        activity: Set(new.activity.as_str().to_owned()),
        note: Set(new.note.map(String::from).unwrap_or_default()),
        version: Set(1),
        body_hash: Set(hash.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let id = new.id;
    store_once(
        state,
        am,
        user.organisation_id,
        &hash,
        || repo::records::find_session_any(&state.db, id),
        internal,
    )
    .await?
    .try_into()
}

// ---------------------------------------------------------------- invitations

/// Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

fn short_code() -> String {
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())]))
        .collect()
}

pub fn invitation_token(state: &AppState, id: Uuid) -> String {
    auth::hmac_token(&state.token_secret, &id.to_string())
}

pub fn invitation_view(state: &AppState, i: invitation::Model) -> Result<Invitation> {
    Ok(Invitation {
        id: i.id,
        participant_id: i.participant_id,
        episode_id: i.episode_id,
        token: invitation_token(state, i.id),
        instrument: i.instrument_key,
        instrument_version: i.instrument_version,
        timing: i
            .timing
            .as_deref()
            .map(|t| stored("timing", t, Timing::parse))
            .transpose()?,
        short_code: i.short_code,
        expires_at: i.expires_at,
        created_at: i.created_at,
    })
}

/// SWEMWBS is a licensed instrument: refused until an admin records the licence.
async fn ensure_licensed(state: &AppState, org: Uuid, def: &InstrumentDefinition) -> Result<()> {
    if def.kind == InstrumentKind::Swemwbs
        && !repo::instruments::settings(&state.db, org)
            .await?
            .swemwbs_licence_held
    {
        return Err(ApiError::Forbidden(
            "SWEMWBS is switched off until an admin records that the organisation holds its Warwick licence",
        ));
    }
    Ok(())
}

fn audience_of(kind: &str) -> Audience {
    if kind == ParticipantKind::Employer.as_str() {
        Audience::Employer
    } else {
        Audience::Jobseeker
    }
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn invitation(
    state: &AppState,
    user: &StaffUser,
    new: NewInvitation,
) -> Result<Invitation> {
    let hash = body_hash(&new);
    if let Some(existing) = repo::invitations::find_any(&state.db, new.id).await? {
        let existing = same_record(existing, user.organisation_id, &hash)?;
        if new.send_email {
            // A resend after the email was lost on the way is queued now; otherwise nothing.
            email_invitation(state, &existing).await?;
        }
        return invitation_view(state, existing);
    }
    let person = participant_for(state, user, new.participant_id, "participant_id").await?;
    if person.withdrawn_at.is_some() {
        return Err(ApiError::invalid(
            "participant_id",
            "this person has withdrawn consent: no more invitations",
        ));
    }
    if new.send_email
        && let Err(why) = crate::mail::may_email(&state.db, &person).await?
    {
        return Err(ApiError::invalid("send_email", why.message()));
    }
    let def = repo::instruments::latest(&state.db, &new.instrument)
        .await?
        .ok_or_else(|| ApiError::invalid("instrument", "unknown instrument"))?;
    ensure_licensed(state, user.organisation_id, &def).await?;
    if def.audience != audience_of(&person.kind) {
        return Err(ApiError::invalid(
            "instrument",
            "this survey is not for this kind of participant",
        ));
    }
    if def.kind == InstrumentKind::Swemwbs && new.timing.is_none() {
        return Err(ApiError::invalid(
            "timing",
            "SWEMWBS needs start, review or end",
        ));
    }
    if let Some(episode_id) = new.episode_id {
        let ep = repo::records::visible_episode(&state.db, user, episode_id)
            .await?
            .filter(|e| e.participant_id == person.id || e.employer_id == Some(person.id))
            .ok_or_else(|| {
                ApiError::invalid("episode_id", "no such episode for this participant")
            })?;
        let _ = ep;
    } else if def.kind == InstrumentKind::Swemwbs {
        return Err(ApiError::invalid(
            "episode_id",
            "SWEMWBS belongs to a support episode",
        ));
    }
    let days = i64::from(new.expires_in_days.unwrap_or(28));
    if !(1..=90).contains(&days) {
        return Err(ApiError::invalid("expires_in_days", "must be 1 to 90"));
    }
    let now = Utc::now();
    let token_hash = auth::token_hash(&invitation_token(state, new.id));
    // A random code can collide with a live one; try a few.
    for _ in 0..4 {
        let am = invitation::ActiveModel {
            id: Set(new.id),
            organisation_id: Set(user.organisation_id),
            participant_id: Set(person.id),
            episode_id: Set(new.episode_id),
            instrument_key: Set(def.key.clone()),
            instrument_version: Set(def.version),
            timing: Set(new.timing.map(|t| t.as_str().to_owned())),
            token_hash: Set(token_hash.clone()),
            short_code: Set(short_code()),
            expires_at: Set(now + Duration::days(days)),
            created_by: Set(user.id),
            body_hash: Set(hash.clone()),
            created_at: Set(now),
        };
        let turn = state.turns.take().await?;
        let inserted = am.insert(&state.db).await;
        drop(turn);
        match inserted {
            Ok(m) => {
                tracing::info!(invitation_id = %m.id, "invitation created");
                if new.send_email {
                    email_invitation(state, &m).await?;
                }
                return invitation_view(state, m);
            }
            Err(e) if repo::is_unique_violation(&e) => {
                if let Some(existing) = repo::invitations::find_any(&state.db, new.id).await? {
                    let existing = same_record(existing, user.organisation_id, &hash)?;
                    if new.send_email {
                        email_invitation(state, &existing).await?;
                    }
                    return invitation_view(state, existing);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(anyhow::anyhow!("could not find a free short code").into())
}

/// Queues the invitation's email (once: queueing it again does nothing). Whether the person
/// may be emailed was checked before the invitation was stored; if that changed since, the
/// worker cancels the email, so this never refuses a stored invitation.
async fn email_invitation(state: &AppState, inv: &invitation::Model) -> Result<()> {
    let links = crate::feedback::links(state);
    let queued = crate::mail::queue_invitation(
        &state.db,
        &links,
        inv,
        domain::feedback::MailKind::Invitation,
        Utc::now(),
    )
    .await?;
    if let Err(why) = queued {
        tracing::info!(invitation_id = %inv.id, reason = why.reason(), "invitation email not queued");
    }
    Ok(())
}

// ---------------------------------------------------------------- responses

/// Who is submitting a response.
pub enum Submitter<'a> {
    Staff(&'a StaffUser),
    Participant(&'a InvitationHolder),
}

impl Submitter<'_> {
    fn organisation_id(&self) -> Uuid {
        match self {
            Submitter::Staff(u) => u.organisation_id,
            Submitter::Participant(h) => h.organisation_id,
        }
    }
}

/// What a response is an answer to, settled before its answers are checked.
struct Target {
    invitation: Option<invitation::Model>,
    participant: participant::Model,
    episode: Option<episode::Model>,
    definition: InstrumentDefinition,
    timing: Option<Timing>,
}

fn must_match<T: PartialEq>(
    given: Option<T>,
    actual: Option<T>,
    field: &'static str,
) -> Result<()> {
    match given {
        Some(g) if Some(&g) != actual.as_ref() => Err(ApiError::invalid(
            field,
            "does not match the invitation; leave it out",
        )),
        _ => Ok(()),
    }
}

async fn target_of(state: &AppState, who: &Submitter<'_>, new: &NewResponse) -> Result<Target> {
    let db = &state.db;
    let invitation = match (who, new.invitation_id) {
        (Submitter::Participant(h), given) => {
            if given.is_some_and(|g| g != h.invitation_id) {
                return Err(ApiError::invalid("invitation_id", "not your invitation"));
            }
            Some(
                repo::invitations::find_any(db, h.invitation_id)
                    .await?
                    .filter(|i| i.organisation_id == h.organisation_id)
                    .ok_or(ApiError::Unauthorized("open your invitation link again"))?,
            )
        }
        (Submitter::Staff(u), Some(id)) => {
            let inv = repo::invitations::find_any(db, id)
                .await?
                .filter(|i| i.organisation_id == u.organisation_id)
                .ok_or_else(|| ApiError::invalid("invitation_id", "no such invitation"))?;
            repo::records::visible_participant(db, u, inv.participant_id)
                .await?
                .ok_or_else(|| ApiError::invalid("invitation_id", "no such invitation"))?;
            Some(inv)
        }
        (Submitter::Staff(_), None) => None,
    };
    match invitation {
        Some(inv) => {
            must_match(
                new.participant_id,
                Some(inv.participant_id),
                "participant_id",
            )?;
            must_match(new.episode_id, inv.episode_id, "episode_id")?;
            must_match(
                new.instrument.clone(),
                Some(inv.instrument_key.clone()),
                "instrument",
            )?;
            let inv_timing = inv
                .timing
                .as_deref()
                .map(|t| stored("timing", t, Timing::parse))
                .transpose()?;
            must_match(new.timing, inv_timing, "timing")?;
            let definition =
                repo::instruments::version(db, &inv.instrument_key, inv.instrument_version)
                    .await?
                    .ok_or_else(|| anyhow::anyhow!("invitation names a missing instrument"))?;
            let participant = repo::records::find_participant_any(db, inv.participant_id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("invitation names a missing participant"))?;
            let episode = match inv.episode_id {
                Some(id) => repo::records::find_episode_any(db, id).await?,
                None => None,
            };
            Ok(Target {
                invitation: Some(inv),
                participant,
                episode,
                definition,
                timing: inv_timing,
            })
        }
        None => {
            let Submitter::Staff(user) = who else {
                return Err(ApiError::Unauthorized("open your invitation link again"));
            };
            let participant_id = new.participant_id.ok_or_else(|| {
                ApiError::invalid("participant_id", "name the invitation or the participant")
            })?;
            let participant =
                participant_for(state, user, participant_id, "participant_id").await?;
            let key = new
                .instrument
                .as_deref()
                .ok_or_else(|| ApiError::invalid("instrument", "name the instrument answered"))?;
            let definition = repo::instruments::latest(db, key)
                .await?
                .ok_or_else(|| ApiError::invalid("instrument", "unknown instrument"))?;
            if definition.audience != audience_of(&participant.kind) {
                return Err(ApiError::invalid(
                    "instrument",
                    "this survey is not for this kind of participant",
                ));
            }
            let episode = match new.episode_id {
                Some(id) => Some(
                    repo::records::visible_episode(db, user, id)
                        .await?
                        .filter(|e| {
                            e.participant_id == participant.id
                                || e.employer_id == Some(participant.id)
                        })
                        .ok_or_else(|| {
                            ApiError::invalid("episode_id", "no such episode for this participant")
                        })?,
                ),
                None => None,
            };
            Ok(Target {
                invitation: None,
                participant,
                episode,
                definition,
                timing: new.timing,
            })
        }
    }
}

/// The answers, checked against the instrument: one per item, each 1–5 or skipped.
fn check_answers(def: &InstrumentDefinition, answers: &[Option<u8>]) -> Result<()> {
    if answers.len() != def.items.len() {
        return Err(ApiError::invalid(
            "answers",
            format!(
                "{} has {} items; got {} answers",
                def.key,
                def.items.len(),
                answers.len()
            ),
        ));
    }
    for (i, a) in answers.iter().enumerate() {
        if let Some(v) = a
            && !(1..=5).contains(v)
        {
            return Err(ApiError::invalid(
                format!("answers[{i}]"),
                format!("a rating is 1 to 5; got {v}"),
            ));
        }
    }
    Ok(())
}

/// The calendar date of an instant in the organisation's time zone.
pub fn local_date(tz_name: &str, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = tz_name.parse().unwrap_or(chrono_tz::Europe::London);
    at.with_timezone(&tz).date_naive()
}

fn receipt(r: &response::Model, second_answer: bool) -> ResponseReceipt {
    let self_report = r.respondent == Respondent::SelfReport.as_str();
    ResponseReceipt {
        id: r.id,
        instrument: r.instrument_key.clone(),
        instrument_version: r.instrument_version,
        answered_on: r.answered_on,
        complete: r.complete,
        swemwbs_raw: r
            .swemwbs_raw
            .and_then(|v| u8::try_from(v).ok())
            .filter(|_| self_report),
        swemwbs_metric: r
            .swemwbs_metric
            .map(|m| domain::Hundredths(i64::from(m)))
            .filter(|_| self_report),
        second_answer,
    }
}

/// Whether an earlier answer (by answer time, then arrival) to the same invitation exists.
async fn is_second_answer(db: &impl ConnectionTrait, r: &response::Model) -> Result<bool> {
    let Some(inv) = r.invitation_id else {
        return Ok(false);
    };
    let answers = repo::invitations::answers_to(db, inv).await?;
    Ok(answers.first().is_some_and(|first| first.id != r.id))
}

#[tracing::instrument(skip_all, fields(id = %new.id), err(level = "debug"))]
pub async fn response(
    state: &AppState,
    who: Submitter<'_>,
    new: NewResponse,
) -> Result<ResponseReceipt> {
    let db = &state.db;
    let org = who.organisation_id();
    let hash = body_hash(&new);
    if let Some(existing) = repo::invitations::find_response_any(db, new.id).await? {
        let existing = same_record(existing, org, &hash)?;
        let second = is_second_answer(db, &existing).await?;
        return Ok(receipt(&existing, second));
    }
    let target = target_of(state, &who, &new).await?;
    let def = &target.definition;
    ensure_licensed(state, org, def).await?;

    if let Submitter::Participant(h) = &who
        && let Some(inv) = &target.invitation
        && repo::invitations::answers_to(db, inv.id)
            .await?
            .iter()
            .any(|r| r.participant_session_id == Some(h.session_id))
    {
        return Err(ApiError::conflict(
            "invitation_id",
            "you have already answered this survey",
        ));
    }
    check_answers(def, &new.answers)?;
    let c = new.completion;
    if !def.offers_language(c.language.as_str()) {
        return Err(ApiError::invalid(
            "completion.language",
            "this survey is not available in that language",
        ));
    }
    if c.format == Format::EasyRead && !def.has_easy_read() {
        return Err(ApiError::invalid(
            "completion.format",
            "this survey has no Easy Read form",
        ));
    }
    if new.comment.is_some() && def.comment_prompt.is_none() {
        return Err(ApiError::invalid("comment", "this survey takes no comment"));
    }
    let swemwbs = def.kind == InstrumentKind::Swemwbs;
    if swemwbs && target.timing.is_none() {
        return Err(ApiError::invalid(
            "timing",
            "SWEMWBS needs start, review or end",
        ));
    }
    if swemwbs && target.episode.is_none() {
        return Err(ApiError::invalid(
            "episode_id",
            "SWEMWBS belongs to a support episode",
        ));
    }
    let now = Utc::now();
    if new.answered_at > now + CLOCK_SKEW {
        return Err(ApiError::invalid("answered_at", "is in the future"));
    }
    if let Some(inv) = &target.invitation {
        if new.answered_at + CLOCK_SKEW < inv.created_at {
            return Err(ApiError::invalid(
                "answered_at",
                "is before the invitation was made",
            ));
        }
        // Judged by when it was answered, not when the answer arrived.
        if new.answered_at > inv.expires_at {
            return Err(ApiError::Expired(
                "this invitation had expired when it was answered",
            ));
        }
    }

    let (overall, raw, metric, complete) = if swemwbs {
        let form =
            SwemwbsForm::parse(&new.answers).map_err(|e| ApiError::invalid("answers", e.0))?;
        (
            None,
            form.raw().map(i16::from),
            form.metric().and_then(|m| i32::try_from(m.0).ok()),
            form.is_complete(),
        )
    } else {
        let overall = def
            .overall_index()
            .and_then(|i| new.answers.get(i).copied().flatten())
            .map(i16::from);
        (overall, None, None, new.answers.iter().all(Option::is_some))
    };
    let tz = repo::orgs::time_zone(db, org).await?;
    let episode = target.episode.as_ref();
    let am = response::ActiveModel {
        id: Set(new.id),
        organisation_id: Set(org),
        invitation_id: Set(target.invitation.as_ref().map(|i| i.id)),
        participant_id: Set(target.participant.id),
        episode_id: Set(episode.map(|e| e.id)),
        instrument_key: Set(def.key.clone()),
        instrument_version: Set(def.version),
        timing: Set(target.timing.map(|t| t.as_str().to_owned())),
        answers: Set(serde_json::to_string(&new.answers).map_err(anyhow::Error::from)?),
        overall: Set(overall),
        swemwbs_raw: Set(raw),
        swemwbs_metric: Set(metric),
        complete: Set(complete),
        respondent: Set(c.respondent.as_str().to_owned()),
        support: Set(c.support.as_str().to_owned()),
        channel: Set(c.channel.as_str().to_owned()),
        format: Set(c.format.as_str().to_owned()),
        language: Set(c.language.as_str().to_owned()),
        answered_at: Set(new.answered_at),
        answered_on: Set(local_date(&tz, new.answered_at)),
        received_at: Set(now),
        author_id: Set(match &who {
            Submitter::Staff(u) => Some(u.id),
            Submitter::Participant(_) => None,
        }),
        participant_session_id: Set(match &who {
            Submitter::Participant(h) => Some(h.session_id),
            Submitter::Staff(_) => None,
        }),
        // Attribution is fixed at the moment of answering: a later caseload move changes nothing.
        specialist_id: Set(episode.map(|e| e.specialist_id)),
        team_id: Set(episode.and_then(|e| e.team_id)),
        programme: Set(episode.map(|e| e.programme.clone())),
        comment: Set(new.comment.map(String::from)),
        body_hash: Set(hash.clone()),
    };
    let id = new.id;
    let stored = store_once(
        state,
        am,
        org,
        &hash,
        || repo::invitations::find_response_any(db, id),
        internal,
    )
    .await?;
    let second = is_second_answer(db, &stored).await?;
    tracing::info!(response_id = %stored.id, instrument = %stored.instrument_key, second, "response stored");
    Ok(receipt(&stored, second))
}

/// Changes an episode: dates, employer, or (managers) the specialist it is assigned to.
/// Responses already given keep the specialist and team they were answered under.
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn update_episode(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: domain::records::UpdateEpisode,
) -> Result<Episode> {
    let current = repo::records::visible_episode(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such episode on your caseload"))?;
    let profile = change
        .profile_started_on
        .unwrap_or(current.profile_started_on);
    let job = change.job_started_on.unwrap_or(current.job_started_on);
    let ended = change.ended_on.unwrap_or(current.ended_on);
    domain::records::check_episode_dates(
        current.referred_on,
        current.started_on,
        profile,
        job,
        ended,
    )?;
    let employer = change.employer_id.unwrap_or(current.employer_id);
    if change.employer_id.is_some() {
        employer_for(state, user, employer).await?;
    }
    let specialist = match change.specialist_id {
        Some(s) if s != current.specialist_id => Some(specialist_for(state, user, Some(s)).await?),
        _ => None,
    };
    let mut am: episode::ActiveModel = current.into();
    am.profile_started_on = Set(profile);
    am.job_started_on = Set(job);
    am.ended_on = Set(ended);
    am.employer_id = Set(employer);
    if let Some(s) = specialist {
        am.specialist_id = Set(s.id);
        am.team_id = Set(s.team_id);
    }
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(episode_id = %updated.id, "episode updated");
    updated.try_into()
}

/// Changes a participant's details (contact, language, preferences, equality monitoring).
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn update_participant(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    change: domain::records::UpdateParticipant,
) -> Result<Participant> {
    let current = repo::records::visible_participant(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such participant on your caseload"))?;
    let mut am: participant::ActiveModel = current.into();
    if let Some(name) = change.name {
        am.name = Set(name.map(String::from));
    }
    if let Some(email) = change.email {
        am.email = Set(email.map(String::from));
    }
    if let Some(phone) = change.phone {
        am.phone = Set(phone.map(String::from));
    }
    if let Some(language) = change.language {
        am.language = Set(language.as_str().to_owned());
    }
    if let Some(a) = change.accessibility {
        am.accessibility = Set(serde_json::to_string(&a).map_err(anyhow::Error::from)?);
    }
    if let Some(e) = change.equality {
        am.equality = Set(serde_json::to_string(&e).map_err(anyhow::Error::from)?);
    }
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(participant_id = %updated.id, "participant updated");
    updated.try_into()
}

/// Withdrawal of consent: no more invitations from now on, and every consent record marked.
/// Answers already given stay (erasure is a separate request).
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn withdraw_participant(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<Participant> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
    let current = repo::records::visible_participant(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such participant on your caseload"))?;
    if current.withdrawn_at.is_some() {
        return current.try_into();
    }
    let now = Utc::now();
    let txn = state.db.begin().await?;
    consent::Entity::update_many()
        .col_expr(consent::Column::WithdrawnAt, Expr::value(now))
        .filter(consent::Column::ParticipantId.eq(id))
        .filter(consent::Column::WithdrawnAt.is_null())
        .exec(&txn)
        .await?;
    crate::mail::cancel_waiting(&txn, id, crate::mail::NoMail::Withdrawn).await?;
    let mut am: participant::ActiveModel = current.into();
    am.withdrawn_at = Set(Some(now));
    am.updated_at = Set(now);
    let updated = am.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(participant_id = %updated.id, "consent withdrawn");
    updated.try_into()
}

// ---------------------------------------------------------------- session edits

/// The refusal a stale edit gets: it is kept, and the person is told to resolve it.
fn stale_edit(current_version: i32) -> ApiError {
    ApiError::conflict(
        "base_version",
        format!(
            "this session changed since your copy (it is now version {current_version}); \
             your edit is kept beside it as a conflict to resolve"
        ),
    )
}

/// A session this staff member may see, with its episode's visibility rules.
pub async fn visible_session(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<support_session::Model> {
    let s = repo::records::find_session_any(&state.db, id)
        .await?
        .filter(|s| s.organisation_id == user.organisation_id)
        .ok_or(ApiError::NotFound("no such session"))?;
    repo::records::visible_episode(&state.db, user, s.episode_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    Ok(s)
}

/// Applies an edit made against the current version; keeps a stale one as a conflict (409)
/// without touching the session. The same edit sent again gets the same answer.
#[tracing::instrument(skip_all, fields(%session_id, edit_id = %edit.id), err(level = "debug"))]
pub async fn edit_session(
    state: &AppState,
    user: &StaffUser,
    session_id: Uuid,
    edit: SessionEdit,
) -> Result<Session> {
    let current = visible_session(state, user, session_id).await?;
    let hash = body_hash(&(session_id, &edit));
    if let Some(done) = session_edit::Entity::find_by_id(edit.id)
        .one(&state.db)
        .await?
    {
        return edit_outcome(state, done, user.organisation_id, &hash).await;
    }
    edit.check()?;
    let txn = state.db.begin().await?;
    let applied = support_session::Entity::update_many()
        .col_expr(support_session::Column::HeldOn, Expr::value(edit.held_on))
        .col_expr(
            support_session::Column::DurationMinutes,
            Expr::value(i32::from(edit.duration_minutes)),
        )
        .col_expr(
            support_session::Column::Stage,
            Expr::value(edit.stage.as_str()),
        )
        .col_expr(
            support_session::Column::Activity,
            Expr::value(edit.activity.as_str()),
        )
        .col_expr(
            support_session::Column::Note,
            Expr::value(edit.note.as_ref().map(|n| n.as_str()).unwrap_or_default()),
        )
        .col_expr(
            support_session::Column::Version,
            Expr::col(support_session::Column::Version).add(1),
        )
        .col_expr(support_session::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(support_session::Column::Id.eq(session_id))
        .filter(support_session::Column::Version.eq(edit.base_version))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    let row = session_edit::ActiveModel {
        id: Set(edit.id),
        organisation_id: Set(user.organisation_id),
        session_id: Set(session_id),
        author_id: Set(user.id),
        base_version: Set(edit.base_version),
        held_on: Set(edit.held_on),
        duration_minutes: Set(i32::from(edit.duration_minutes)),
        stage: Set(edit.stage.as_str().to_owned()),
        activity: Set(edit.activity.as_str().to_owned()),
        note: Set(edit.note.map(String::from).unwrap_or_default()),
        outcome: Set(if applied { "applied" } else { "conflict" }.to_owned()),
        body_hash: Set(hash.clone()),
        created_at: Set(Utc::now()),
    };
    match row.insert(&txn).await {
        Ok(_) => txn.commit().await?,
        Err(e) if repo::is_unique_violation(&e) => {
            // The same edit, sent twice at once: the other copy's answer stands.
            txn.rollback().await?;
            let done = session_edit::Entity::find_by_id(edit.id)
                .one(&state.db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("edit vanished after a unique violation"))?;
            return edit_outcome(state, done, user.organisation_id, &hash).await;
        }
        Err(e) => return Err(e.into()),
    }
    let now = repo::records::find_session_any(&state.db, session_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("session vanished during an edit"))?;
    if applied {
        tracing::info!(version = now.version, "session edited");
        now.try_into()
    } else {
        tracing::info!(
            current = current.version,
            "stale session edit kept as a conflict"
        );
        Err(stale_edit(now.version))
    }
}

/// The answer an edit already stored gets when it is sent again.
async fn edit_outcome(
    state: &AppState,
    done: session_edit::Model,
    org: Uuid,
    hash: &str,
) -> Result<Session> {
    if done.organisation_id != org || done.body_hash != hash {
        return Err(ApiError::conflict(
            "id",
            "this id was already used for a record with different content",
        ));
    }
    let now = repo::records::find_session_any(&state.db, done.session_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    match done.outcome.as_str() {
        "applied" => now.try_into(),
        _ => Err(stale_edit(now.version)),
    }
}

/// A session with the stale edits still waiting to be resolved.
pub async fn session_record(state: &AppState, s: support_session::Model) -> Result<SessionRecord> {
    let conflicts = session_edit::Entity::find()
        .filter(session_edit::Column::SessionId.eq(s.id))
        .filter(session_edit::Column::Outcome.eq("conflict"))
        .order_by_asc(session_edit::Column::CreatedAt)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|e| {
            Ok(SessionConflict {
                edit_id: e.id,
                author_id: e.author_id,
                base_version: e.base_version,
                held_on: e.held_on,
                duration_minutes: u16::try_from(e.duration_minutes)
                    .map_err(|err| anyhow::anyhow!("stored duration: {err}"))?,
                stage: stored("stage", &e.stage, Stage::parse)?,
                activity: e.activity,
                note: (!e.note.is_empty()).then_some(e.note),
                made_at: e.created_at,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(SessionRecord {
        session: s.try_into()?,
        conflicts,
    })
}

/// Resolves one conflict: keep the session as it stands, or apply the conflicting edit on top
/// of it (a new version). Either way the conflict leaves the list; the edit stays on record.
#[tracing::instrument(skip_all, fields(%session_id, %edit_id), err(level = "debug"))]
pub async fn resolve_session_conflict(
    state: &AppState,
    user: &StaffUser,
    session_id: Uuid,
    edit_id: Uuid,
    keep: Keep,
) -> Result<SessionRecord> {
    visible_session(state, user, session_id).await?;
    let txn = state.db.begin().await?;
    let e = session_edit::Entity::find_by_id(edit_id)
        .filter(session_edit::Column::SessionId.eq(session_id))
        .filter(session_edit::Column::Outcome.eq("conflict"))
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("no such conflict on this session"))?;
    if keep == Keep::Theirs {
        support_session::Entity::update_many()
            .col_expr(support_session::Column::HeldOn, Expr::value(e.held_on))
            .col_expr(
                support_session::Column::DurationMinutes,
                Expr::value(e.duration_minutes),
            )
            .col_expr(support_session::Column::Stage, Expr::value(e.stage.clone()))
            .col_expr(
                support_session::Column::Activity,
                Expr::value(e.activity.clone()),
            )
            .col_expr(support_session::Column::Note, Expr::value(e.note.clone()))
            .col_expr(
                support_session::Column::Version,
                Expr::col(support_session::Column::Version).add(1),
            )
            .col_expr(support_session::Column::UpdatedAt, Expr::value(Utc::now()))
            .filter(support_session::Column::Id.eq(session_id))
            .exec(&txn)
            .await?;
    }
    session_edit::Entity::update_many()
        .col_expr(session_edit::Column::Outcome, Expr::value("resolved"))
        .filter(session_edit::Column::Id.eq(edit_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    tracing::info!(keep = keep.as_str(), "session conflict resolved");
    let s = repo::records::find_session_any(&state.db, session_id)
        .await?
        .ok_or(ApiError::NotFound("no such session"))?;
    session_record(state, s).await
}
