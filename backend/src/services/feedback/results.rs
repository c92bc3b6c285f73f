//! Results links: made for a participant, opened for a short session that reads their results.

use crate::{
    ApiError, Result, auth,
    entities::{participant, results_link},
    repo,
    services::mail,
    state::AppState,
};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use chrono::{DateTime, Duration, Utc};
use domain::{instrument::Audience, kpi, period::Period, records::PublicResults};
use futures_util::future::LocalBoxFuture;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The `typ` of a results session's token, so no other token of ours opens results.
pub const RESULTS: &str = "results";

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
    repo::results_links::insert(
        db,
        org,
        participant,
        auth::token_hash(&token),
        now,
        expires_at,
    )
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
    let hash = auth::token_hash(token.trim());
    let Some(link) = repo::results_links::find_by_token_hash(&state.db, &hash).await? else {
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
            let link = repo::results_links::find_any(&state.db, claims.lid)
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
    let small = settings.small_number();
    let k = crate::services::reports::satisfaction(
        db,
        org.id,
        audience,
        period,
        &Default::default(),
        small,
        false,
    )
    .await?;
    Ok(PublicResults {
        organisation_name: org.name,
        period,
        satisfaction: kpi::public_figure(k.mean, k.n, period, today, small),
    })
}
