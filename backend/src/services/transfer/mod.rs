//! The SEQF audit spreadsheet: episodes and responses as CSV, one row per record, participants
//! by reference (never by name; comments stay out). Import takes the same files into an
//! organisation: every row is checked first, and one bad row means nothing is written.
//! Column meanings: docs/formats.md.

use crate::{
    ApiError,
    entities::{episode, participant, response, staff, team},
    repo,
    time::local_date,
};
use anyhow::Context;
use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    RowError,
    completion::{Channel, Format, Respondent, Support},
    kpi::Timing,
    records::{Language, ParticipantKind, Programme, Reference},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, NotSet,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

pub const EPISODE_COLUMNS: &[&str] = &[
    "episode_id",
    "participant_id",
    "participant_reference",
    "specialist_email",
    "programme",
    "referred_on",
    "started_on",
    "profile_started_on",
    "job_started_on",
    "ended_on",
    "employer_id",
    "employer_reference",
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct EpisodeRow {
    episode_id: String,
    participant_id: String,
    participant_reference: String,
    specialist_email: String,
    programme: String,
    referred_on: String,
    started_on: String,
    profile_started_on: String,
    job_started_on: String,
    ended_on: String,
    employer_id: String,
    employer_reference: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ResponseRow {
    response_id: String,
    invitation_id: String,
    participant_id: String,
    participant_reference: String,
    participant_kind: String,
    episode_id: String,
    instrument: String,
    instrument_version: String,
    timing: String,
    /// Item answers in order, `;`-separated, `-` for a skipped item.
    answers: String,
    overall: String,
    complete: String,
    swemwbs_raw: String,
    swemwbs_metric: String,
    respondent: String,
    support: String,
    channel: String,
    format: String,
    language: String,
    answered_at: String,
    answered_on: String,
    received_at: String,
    specialist_email: String,
    team: String,
    programme: String,
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

struct Names {
    staff_email: HashMap<Uuid, String>,
    staff_by_email: HashMap<String, staff::Model>,
    team_name: HashMap<Uuid, String>,
    team_by_name: HashMap<String, Uuid>,
    participants: HashMap<Uuid, participant::Model>,
}

async fn names(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<Names> {
    let staff = repo::staff::list(db, org).await?;
    let teams = repo::teams::list(db, org).await?;
    let participants = participant::Entity::find()
        .filter(participant::Column::OrganisationId.eq(org))
        .all(db)
        .await?;
    Ok(Names {
        staff_email: staff.iter().map(|s| (s.id, s.email.clone())).collect(),
        staff_by_email: staff.into_iter().map(|s| (s.email.clone(), s)).collect(),
        team_name: teams.iter().map(|t| (t.id, t.name.clone())).collect(),
        team_by_name: teams.into_iter().map(|t| (t.name, t.id)).collect(),
        participants: participants.into_iter().map(|p| (p.id, p)).collect(),
    })
}

fn write_csv<T: Serialize>(rows: impl IntoIterator<Item = T>) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    Ok(String::from_utf8(
        w.into_inner().context("finishing the CSV")?,
    )?)
}

/// Every episode of the organisation, oldest first.
pub async fn export_episodes(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<String> {
    let n = names(db, org).await?;
    let episodes = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .order_by_asc(episode::Column::StartedOn)
        .order_by_asc(episode::Column::Id)
        .all(db)
        .await?;
    let reference = |id: &Uuid| {
        n.participants
            .get(id)
            .map(|p| p.reference.clone())
            .unwrap_or_default()
    };
    let rows: Vec<EpisodeRow> = episodes
        .iter()
        .map(|e| EpisodeRow {
            episode_id: e.id.to_string(),
            participant_id: e.participant_id.to_string(),
            participant_reference: reference(&e.participant_id),
            specialist_email: n
                .staff_email
                .get(&e.specialist_id)
                .cloned()
                .unwrap_or_default(),
            programme: e.programme.clone(),
            referred_on: opt(e.referred_on),
            started_on: e.started_on.to_string(),
            profile_started_on: opt(e.profile_started_on),
            job_started_on: opt(e.job_started_on),
            ended_on: opt(e.ended_on),
            employer_id: opt(e.employer_id),
            employer_reference: e.employer_id.as_ref().map(reference).unwrap_or_default(),
        })
        .collect();
    if rows.is_empty() {
        return Ok(format!("{}\n", EPISODE_COLUMNS.join(",")));
    }
    write_csv(rows)
}

fn answers_text(json: &str) -> anyhow::Result<String> {
    let answers: Vec<Option<u8>> = serde_json::from_str(json).context("stored answers")?;
    Ok(answers
        .iter()
        .map(|a| a.map_or_else(|| "-".to_owned(), |v| v.to_string()))
        .collect::<Vec<_>>()
        .join(";"))
}

pub const RESPONSE_COLUMNS: &[&str] = &[
    "response_id",
    "invitation_id",
    "participant_id",
    "participant_reference",
    "participant_kind",
    "episode_id",
    "instrument",
    "instrument_version",
    "timing",
    "answers",
    "overall",
    "complete",
    "swemwbs_raw",
    "swemwbs_metric",
    "respondent",
    "support",
    "channel",
    "format",
    "language",
    "answered_at",
    "answered_on",
    "received_at",
    "specialist_email",
    "team",
    "programme",
];

/// Every response of the organisation, in the order they were answered.
pub async fn export_responses(db: &impl ConnectionTrait, org: Uuid) -> anyhow::Result<String> {
    let n = names(db, org).await?;
    let responses = response::Entity::find()
        .filter(response::Column::OrganisationId.eq(org))
        .order_by_asc(response::Column::AnsweredAt)
        .order_by_asc(response::Column::ReceivedAt)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(responses.len());
    for r in &responses {
        let p = n.participants.get(&r.participant_id);
        rows.push(ResponseRow {
            response_id: r.id.to_string(),
            invitation_id: opt(r.invitation_id),
            participant_id: r.participant_id.to_string(),
            participant_reference: p.map(|p| p.reference.clone()).unwrap_or_default(),
            participant_kind: p.map(|p| p.kind.clone()).unwrap_or_default(),
            episode_id: opt(r.episode_id),
            instrument: r.instrument_key.clone(),
            instrument_version: r.instrument_version.to_string(),
            timing: r.timing.clone().unwrap_or_default(),
            answers: answers_text(&r.answers)?,
            overall: opt(r.overall),
            complete: r.complete.to_string(),
            swemwbs_raw: opt(r.swemwbs_raw),
            swemwbs_metric: opt(r.swemwbs_metric.map(|m| domain::Hundredths(i64::from(m)))),
            respondent: r.respondent.clone(),
            support: r.support.clone(),
            channel: r.channel.clone(),
            format: r.format.clone(),
            language: r.language.clone(),
            answered_at: r.answered_at.to_rfc3339(),
            answered_on: r.answered_on.to_string(),
            received_at: r.received_at.to_rfc3339(),
            specialist_email: r
                .specialist_id
                .and_then(|s| n.staff_email.get(&s).cloned())
                .unwrap_or_default(),
            team: r
                .team_id
                .and_then(|t| n.team_name.get(&t).cloned())
                .unwrap_or_default(),
            programme: r.programme.clone().unwrap_or_default(),
        });
    }
    if rows.is_empty() {
        return Ok(format!("{}\n", RESPONSE_COLUMNS.join(",")));
    }
    write_csv(rows)
}

/// Collects the problems of one row.
struct Row {
    n: usize,
    errors: Vec<RowError>,
}

impl Row {
    fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            row: self.n,
            field: field.to_owned(),
            message: message.into(),
        });
    }

    fn uuid(&mut self, field: &str, v: &str) -> Option<Uuid> {
        match Uuid::parse_str(v.trim()) {
            Ok(u) => Some(u),
            Err(_) => {
                self.bad(field, format!("{v:?} is not an id"));
                None
            }
        }
    }

    fn opt_uuid(&mut self, field: &str, v: &str) -> Option<Option<Uuid>> {
        if v.trim().is_empty() {
            Some(None)
        } else {
            self.uuid(field, v).map(Some)
        }
    }

    fn date(&mut self, field: &str, v: &str) -> Option<NaiveDate> {
        match v.trim().parse() {
            Ok(d) => Some(d),
            Err(_) => {
                self.bad(field, format!("{v:?} is not a date like 2026-04-01"));
                None
            }
        }
    }

    fn opt_date(&mut self, field: &str, v: &str) -> Option<Option<NaiveDate>> {
        if v.trim().is_empty() {
            Some(None)
        } else {
            self.date(field, v).map(Some)
        }
    }

    fn instant(&mut self, field: &str, v: &str) -> Option<DateTime<Utc>> {
        match DateTime::parse_from_rfc3339(v.trim()) {
            Ok(d) => Some(d.with_timezone(&Utc)),
            Err(_) => {
                self.bad(
                    field,
                    format!("{v:?} is not a time like 2026-04-01T10:30:00Z"),
                );
                None
            }
        }
    }

    fn parsed<T>(
        &mut self,
        field: &str,
        v: &str,
        parse: impl Fn(&str) -> Result<T, domain::ParseError>,
    ) -> Option<T> {
        match parse(v.trim()) {
            Ok(t) => Some(t),
            Err(e) => {
                self.bad(field, e.0);
                None
            }
        }
    }
}

/// A data row's number (from 1) and the row, or why it could not be read.
type NumberedRow<T> = (usize, Result<T, String>);

fn read_rows<T: serde::de::DeserializeOwned>(
    csv_text: &str,
    columns: &[&str],
) -> Result<Vec<NumberedRow<T>>, ApiError> {
    let mut r = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(csv_text.as_bytes());
    let headers = r
        .headers()
        .map_err(|e| ApiError::invalid("file", format!("the header line cannot be read: {e}")))?
        .clone();
    let missing: Vec<&str> = columns
        .iter()
        .copied()
        .filter(|c| !headers.iter().any(|h| h == *c))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::invalid(
            "file",
            format!("missing columns: {}", missing.join(", ")),
        ));
    }
    Ok(r.deserialize::<T>()
        .enumerate()
        .map(|(i, rec)| (i + 1, rec.map_err(|e| e.to_string())))
        .collect())
}

/// An id in the file that another organisation's record already has: refused, not a 500.
fn taken(e: sea_orm::DbErr) -> ApiError {
    if repo::is_unique_violation(&e) {
        ApiError::conflict(
            "file",
            "an id or reference in the file is already in use; nothing was imported",
        )
    } else {
        e.into()
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub imported: usize,
    /// Rows already present with the same content (a file imported twice).
    pub unchanged: usize,
}

struct ParticipantSeen {
    id: Uuid,
    reference: Reference,
    kind: ParticipantKind,
}

/// Inserts any participant not there yet; a known id must keep its reference and kind.
async fn ensure_participants(
    db: &impl ConnectionTrait,
    org: Uuid,
    author: Uuid,
    known: &HashMap<Uuid, participant::Model>,
    wanted: Vec<(usize, ParticipantSeen)>,
    errors: &mut Vec<RowError>,
) -> anyhow::Result<Vec<participant::ActiveModel>> {
    let mut new: HashMap<Uuid, participant::ActiveModel> = HashMap::new();
    let mut by_reference: HashMap<String, Uuid> = known
        .values()
        .map(|p| (p.reference.clone(), p.id))
        .collect();
    for (row, p) in wanted {
        if let Some(existing) = known.get(&p.id) {
            if existing.reference != p.reference.as_str() || existing.kind != p.kind.as_str() {
                errors.push(RowError {
                    row,
                    field: "participant_reference".into(),
                    message: "differs from the participant already stored under this id".into(),
                });
            }
            continue;
        }
        match by_reference.get(p.reference.as_str()) {
            Some(other) if *other != p.id => {
                errors.push(RowError {
                    row,
                    field: "participant_reference".into(),
                    message: "another participant already has this reference".into(),
                });
                continue;
            }
            _ => {}
        }
        by_reference.insert(p.reference.as_str().to_owned(), p.id);
        let now = Utc::now();
        new.entry(p.id).or_insert(participant::ActiveModel {
            id: Set(p.id),
            organisation_id: Set(org),
            kind: Set(p.kind.as_str().to_owned()),
            reference: Set(p.reference.as_str().to_owned()),
            name: Set(None),
            email: Set(None),
            phone: Set(None),
            language: Set(Language::English.as_str().to_owned()),
            accessibility: Set("{}".into()),
            equality: Set("{}".into()),
            withdrawn_at: Set(None),
            erased_at: Set(None),
            created_by: Set(author),
            body_hash: Set(crate::services::capture::body_hash(&(
                p.id,
                p.reference.as_str(),
                p.kind.as_str(),
            ))),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let _ = db;
    Ok(new.into_values().collect())
}

/// Imports an episodes file: all rows or none.
pub async fn import_episodes(
    db: &DatabaseConnection,
    org: Uuid,
    author: Uuid,
    csv_text: &str,
) -> Result<ImportReport, ApiError> {
    let n = names(db, org).await?;
    let existing: HashMap<Uuid, episode::Model> = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let mut errors = Vec::new();
    let mut wanted = Vec::new();
    let mut episodes = Vec::new();
    let mut unchanged = 0;
    for (row_n, rec) in read_rows::<EpisodeRow>(csv_text, EPISODE_COLUMNS)? {
        let mut row = Row {
            n: row_n,
            errors: Vec::new(),
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                row.bad("row", e);
                errors.extend(row.errors);
                continue;
            }
        };
        let id = row.uuid("episode_id", &rec.episode_id);
        let pid = row.uuid("participant_id", &rec.participant_id);
        let reference = row.parsed(
            "participant_reference",
            &rec.participant_reference,
            Reference::parse,
        );
        let specialist = n
            .staff_by_email
            .get(&rec.specialist_email.trim().to_lowercase())
            .cloned();
        if specialist.is_none() {
            row.bad(
                "specialist_email",
                "no staff member of this organisation has this email",
            );
        }
        let programme = row.parsed("programme", &rec.programme, Programme::parse);
        let referred = row.opt_date("referred_on", &rec.referred_on);
        let started = row.date("started_on", &rec.started_on);
        let profile = row.opt_date("profile_started_on", &rec.profile_started_on);
        let job = row.opt_date("job_started_on", &rec.job_started_on);
        let ended = row.opt_date("ended_on", &rec.ended_on);
        let employer = row.opt_uuid("employer_id", &rec.employer_id);
        let employer_ref = if rec.employer_reference.trim().is_empty() {
            None
        } else {
            row.parsed(
                "employer_reference",
                &rec.employer_reference,
                Reference::parse,
            )
        };
        if let (Some(started), Some(r), Some(p), Some(j), Some(e)) =
            (started, referred, profile, job, ended)
            && let Err(fe) = domain::records::check_episode_dates(r, started, p, j, e)
        {
            row.bad(fe.field, fe.message);
        }
        if let Some(Some(_)) = employer
            && employer_ref.is_none()
        {
            row.bad("employer_reference", "an employer needs its reference");
        }
        if !row.errors.is_empty() {
            errors.extend(row.errors);
            continue;
        }
        let (
            Some(id),
            Some(pid),
            Some(reference),
            Some(specialist),
            Some(programme),
            Some(started),
            Some(referred),
            Some(profile),
            Some(job),
            Some(ended),
            Some(employer),
        ) = (
            id, pid, reference, specialist, programme, started, referred, profile, job, ended,
            employer,
        )
        else {
            continue;
        };
        wanted.push((
            row_n,
            ParticipantSeen {
                id: pid,
                reference,
                kind: ParticipantKind::Jobseeker,
            },
        ));
        if let (Some(eid), Some(eref)) = (employer, employer_ref) {
            wanted.push((
                row_n,
                ParticipantSeen {
                    id: eid,
                    reference: eref,
                    kind: ParticipantKind::Employer,
                },
            ));
        }
        let hash = crate::services::capture::body_hash(&rec);
        if let Some(old) = existing.get(&id) {
            if old.body_hash == hash {
                unchanged += 1;
            } else {
                errors.push(RowError {
                    row: row_n,
                    field: "episode_id".into(),
                    message: "an episode with this id already exists with other content".into(),
                });
            }
            continue;
        }
        let now = Utc::now();
        episodes.push(episode::ActiveModel {
            id: Set(id),
            organisation_id: Set(org),
            participant_id: Set(pid),
            specialist_id: Set(specialist.id),
            team_id: Set(specialist.team_id),
            programme: Set(programme.as_str().to_owned()),
            referred_on: Set(referred),
            started_on: Set(started),
            profile_started_on: Set(profile),
            job_started_on: Set(job),
            ended_on: Set(ended),
            employer_id: Set(employer),
            created_by: Set(author),
            body_hash: Set(hash),
            created_at: Set(now),
            updated_at: Set(now),
        });
    }
    let people = ensure_participants(db, org, author, &n.participants, wanted, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::InvalidRows(errors));
    }
    let imported = episodes.len();
    let txn = db.begin().await?;
    for p in people {
        p.insert(&txn).await.map_err(taken)?;
    }
    for e in episodes {
        e.insert(&txn).await.map_err(taken)?;
    }
    txn.commit().await?;
    tracing::info!(imported, unchanged, "episodes imported");
    Ok(ImportReport {
        imported,
        unchanged,
    })
}

fn parse_answers(row: &mut Row, v: &str) -> Option<Vec<Option<u8>>> {
    let mut out = Vec::new();
    for (i, part) in v.split(';').enumerate() {
        let part = part.trim();
        if part == "-" || part.is_empty() {
            out.push(None);
            continue;
        }
        match part.parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => out.push(Some(n)),
            _ => {
                row.bad(
                    "answers",
                    format!("item {}: {part:?} is not a rating 1 to 5", i + 1),
                );
                return None;
            }
        }
    }
    Some(out)
}

/// Imports a responses file: all rows or none. Scores are recomputed from the answers, never
/// taken from the file.
pub async fn import_responses(
    db: &DatabaseConnection,
    org: Uuid,
    author: Uuid,
    csv_text: &str,
) -> Result<ImportReport, ApiError> {
    let mut n = names(db, org).await?;
    let tz = repo::orgs::get(db, org)
        .await?
        .map(|o| o.time_zone)
        .unwrap_or_else(|| "Europe/London".into());
    let mut instruments = HashMap::new();
    let mut errors = Vec::new();
    let mut wanted = Vec::new();
    let mut responses = Vec::new();
    let mut new_teams: HashMap<String, Uuid> = HashMap::new();
    let mut unchanged = 0;
    let rows = read_rows::<ResponseRow>(csv_text, RESPONSE_COLUMNS)?;
    let ids: Vec<Uuid> = rows
        .iter()
        .filter_map(|(_, r)| {
            r.as_ref()
                .ok()
                .and_then(|r| Uuid::parse_str(&r.response_id).ok())
        })
        .collect();
    let org_episodes: std::collections::HashSet<Uuid> = episode::Entity::find()
        .filter(episode::Column::OrganisationId.eq(org))
        .all(db)
        .await?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut existing = HashMap::new();
    for chunk in ids.chunks(500) {
        for r in response::Entity::find()
            .filter(response::Column::Id.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            existing.insert(r.id, r);
        }
    }
    for (row_n, rec) in rows {
        let mut row = Row {
            n: row_n,
            errors: Vec::new(),
        };
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                row.bad("row", e);
                errors.extend(row.errors);
                continue;
            }
        };
        let id = row.uuid("response_id", &rec.response_id);
        let invitation = row.opt_uuid("invitation_id", &rec.invitation_id);
        let pid = row.uuid("participant_id", &rec.participant_id);
        let reference = row.parsed(
            "participant_reference",
            &rec.participant_reference,
            Reference::parse,
        );
        let kind = row.parsed(
            "participant_kind",
            &rec.participant_kind,
            ParticipantKind::parse,
        );
        let episode = row.opt_uuid("episode_id", &rec.episode_id);
        if let Some(Some(e)) = episode
            && !org_episodes.contains(&e)
        {
            row.bad(
                "episode_id",
                "no such episode in this organisation; import the episodes file first",
            );
        }
        let version: Option<i32> = rec.instrument_version.trim().parse().ok();
        if version.is_none() {
            row.bad("instrument_version", "not a version number");
        }
        let def = match version {
            Some(v) => {
                let key = (rec.instrument.trim().to_owned(), v);
                if !instruments.contains_key(&key) {
                    let d = repo::instruments::version(db, &key.0, v).await?;
                    instruments.insert(key.clone(), d);
                }
                let d = instruments.get(&key).cloned().flatten();
                if d.is_none() {
                    row.bad("instrument", "unknown instrument or version");
                }
                d
            }
            None => None,
        };
        let timing = if rec.timing.trim().is_empty() {
            Some(None)
        } else {
            row.parsed("timing", &rec.timing, Timing::parse).map(Some)
        };
        let answers = parse_answers(&mut row, &rec.answers);
        let respondent = row.parsed("respondent", &rec.respondent, Respondent::parse);
        let support = row.parsed("support", &rec.support, Support::parse);
        let channel = row.parsed("channel", &rec.channel, Channel::parse);
        let format = row.parsed("format", &rec.format, Format::parse);
        let language = row.parsed("language", &rec.language, Language::parse);
        let answered_at = row.instant("answered_at", &rec.answered_at);
        let received_at = row.instant("received_at", &rec.received_at);
        let specialist = if rec.specialist_email.trim().is_empty() {
            Some(None)
        } else {
            match n
                .staff_by_email
                .get(&rec.specialist_email.trim().to_lowercase())
            {
                Some(s) => Some(Some(s.id)),
                None => {
                    row.bad(
                        "specialist_email",
                        "no staff member of this organisation has this email",
                    );
                    None
                }
            }
        };
        let programme = if rec.programme.trim().is_empty() {
            Some(None)
        } else {
            row.parsed("programme", &rec.programme, Programme::parse)
                .map(Some)
        };
        let scored = match (&def, &answers) {
            (Some(def), Some(answers)) => def
                .check(answers)
                .map_err(|e| row.bad(&e.field, e.message))
                .ok(),
            _ => None,
        };
        if let (Some(at), false) = (answered_at, rec.answered_on.trim().is_empty())
            && rec.answered_on.trim() != local_date(&tz, at).to_string()
        {
            row.bad(
                "answered_on",
                "does not match answered_at in the organisation's time zone",
            );
        }
        if !row.errors.is_empty() {
            errors.extend(row.errors);
            continue;
        }
        let (
            Some(id),
            Some(invitation),
            Some(pid),
            Some(reference),
            Some(kind),
            Some(episode),
            Some(def),
            Some(timing),
            Some(answers),
            Some(scored),
            Some(respondent),
            Some(support),
            Some(channel),
            Some(format),
            Some(language),
            Some(answered_at),
            Some(received_at),
            Some(specialist),
            Some(programme),
        ) = (
            id,
            invitation,
            pid,
            reference,
            kind,
            episode,
            def,
            timing,
            answers,
            scored,
            respondent,
            support,
            channel,
            format,
            language,
            answered_at,
            received_at,
            specialist,
            programme,
        )
        else {
            continue;
        };
        wanted.push((
            row_n,
            ParticipantSeen {
                id: pid,
                reference,
                kind,
            },
        ));
        let team = if rec.team.trim().is_empty() {
            None
        } else {
            let name = rec.team.trim().to_owned();
            Some(
                match n.team_by_name.get(&name).or_else(|| new_teams.get(&name)) {
                    Some(t) => *t,
                    None => {
                        let t = Uuid::new_v4();
                        new_teams.insert(name, t);
                        t
                    }
                },
            )
        };
        let hash = crate::services::capture::body_hash(&rec);
        if let Some(old) = existing.get(&id) {
            if old.organisation_id == org && old.body_hash == hash {
                unchanged += 1;
            } else {
                errors.push(RowError {
                    row: row_n,
                    field: "response_id".into(),
                    message: "a response with this id already exists with other content".into(),
                });
            }
            continue;
        }
        let mut am = response::ActiveModel {
            id: Set(id),
            organisation_id: Set(org),
            invitation_id: Set(invitation),
            participant_id: Set(pid),
            episode_id: Set(episode),
            instrument_key: Set(def.key.clone()),
            instrument_version: Set(def.version),
            timing: Set(timing.map(|t| t.as_str().to_owned())),
            answers: Set(serde_json::to_string(&answers).map_err(anyhow::Error::from)?),
            overall: NotSet,
            swemwbs_raw: NotSet,
            swemwbs_metric: NotSet,
            complete: NotSet,
            respondent: Set(respondent.as_str().to_owned()),
            support: Set(support.as_str().to_owned()),
            channel: Set(channel.as_str().to_owned()),
            format: Set(format.as_str().to_owned()),
            language: Set(language.as_str().to_owned()),
            answered_at: Set(answered_at),
            answered_on: Set(local_date(&tz, answered_at)),
            received_at: Set(received_at),
            author_id: Set(Some(author)),
            participant_session_id: Set(None),
            specialist_id: Set(specialist),
            team_id: Set(team),
            programme: Set(programme.map(|p| p.as_str().to_owned())),
            comment: Set(None),
            body_hash: Set(hash),
        };
        am.set_scores(&scored);
        responses.push(am);
    }
    let participants = std::mem::take(&mut n.participants);
    let people = ensure_participants(db, org, author, &participants, wanted, &mut errors).await?;
    if !errors.is_empty() {
        return Err(ApiError::InvalidRows(errors));
    }
    let imported = responses.len();
    let txn = db.begin().await?;
    for (name, id) in new_teams {
        team::ActiveModel {
            id: Set(id),
            organisation_id: Set(org),
            name: Set(name),
            created_at: Set(Utc::now()),
        }
        .insert(&txn)
        .await?;
    }
    for p in people {
        p.insert(&txn).await.map_err(taken)?;
    }
    for r in responses {
        r.insert(&txn).await.map_err(taken)?;
    }
    txn.commit().await?;
    tracing::info!(imported, unchanged, "responses imported");
    Ok(ImportReport {
        imported,
        unchanged,
    })
}
