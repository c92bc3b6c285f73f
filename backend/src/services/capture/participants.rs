//! Participants (jobseekers and employers) and their consent: created on a device, stored once.

use super::{body_hash, internal, json_column, same_record, store_once, stored};
use crate::{
    ApiError, Result,
    auth::StaffUser,
    entities::{consent, participant},
    repo,
    state::AppState,
};
use chrono::Utc;
use domain::records::{
    Accessibility, Consent, ConsentGivenBy, ConsentMethod, ConsentScope, Equality, Language,
    NewConsent, NewParticipant, Participant, ParticipantKind,
};
use sea_orm::{ActiveModelTrait, Set};
use uuid::Uuid;

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
            equality: equality_answers(&p.equality),
            withdrawn: p.withdrawn_at.is_some(),
            created_by: p.created_by,
            created_at: p.created_at,
        })
    }
}

/// The equality answers as stored. Before they were typed they were free labels; one that no
/// longer reads as the typed answers is shown as not recorded rather than failing the record.
fn equality_answers(stored: &str) -> Equality {
    serde_json::from_str(stored).unwrap_or_else(|_| {
        // Not the parser's message: it would quote the stored answer, which is personal data.
        tracing::warn!("stored equality answers unreadable; shown as not recorded");
        Equality::default()
    })
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
    new.equality.check(Utc::now().date_naive())?;
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
pub(super) async fn participant_for(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
    field: &'static str,
) -> Result<participant::Model> {
    repo::records::visible_participant(&state.db, user, id)
        .await?
        .ok_or_else(|| ApiError::invalid(field, "no such participant on your caseload"))
}

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
        e.check(Utc::now().date_naive())?;
        am.equality = Set(serde_json::to_string(&e).map_err(anyhow::Error::from)?);
    }
    am.updated_at = Set(Utc::now());
    let updated = am.update(&state.db).await?;
    tracing::info!(participant_id = %updated.id, "participant updated");
    updated.try_into()
}

/// Withdrawal of consent: no more invitations from now on, every consent record marked, and
/// the person's agreement to be quoted ended: their words leave the organisation's published
/// reports and are not offered for quotation again. Answers already given stay in the figures
/// (erasure is a separate request).
#[tracing::instrument(skip_all, fields(%id), err(level = "debug"))]
pub async fn withdraw_participant(
    state: &AppState,
    user: &StaffUser,
    id: Uuid,
) -> Result<Participant> {
    let current = repo::records::visible_participant(&state.db, user, id)
        .await?
        .ok_or(ApiError::NotFound("no such participant on your caseload"))?;
    if current.withdrawn_at.is_some() {
        return current.try_into();
    }
    let now = Utc::now();
    let txn = crate::db::begin_write(&state.db).await?;
    repo::records::withdraw_consents(&txn, id, now).await?;
    repo::records::withdraw_quotation(&txn, id).await?;
    repo::published_reports::unquote(&txn, current.organisation_id, id).await?;
    crate::services::mail::cancel_waiting(&txn, id, crate::services::mail::NoMail::Withdrawn)
        .await?;
    let mut am: participant::ActiveModel = current.into();
    am.withdrawn_at = Set(Some(now));
    am.updated_at = Set(now);
    let updated = am.update(&txn).await?;
    txn.commit().await?;
    tracing::info!(participant_id = %updated.id, "consent withdrawn");
    updated.try_into()
}
