//! Importing a responses file: each row checked against the organisation's staff, episodes and
//! instruments, scored from its answers (never from the file's scores), then the new responses,
//! teams and participants written together, or none.

use super::{
    check::Row,
    export::response_row,
    format::{NumberedRow, RESPONSE_COLUMNS, ResponseRow, read_rows},
    import::{Gathered, ImportReport, ParticipantSeen},
    names::{Names, names},
};
use crate::{ApiError, entities::response, repo, services::capture::body_hash, time::local_date};
use chrono::{DateTime, Utc};
use domain::{
    completion::{Channel, Format, Respondent, Support},
    instrument::{InstrumentDefinition, Scored},
    kpi::Timing,
    records::{Language, ParticipantKind, Programme},
};
use sea_orm::{DatabaseConnection, DbErr, NotSet, Set};
use std::collections::{HashMap, HashSet, hash_map::Entry};
use uuid::Uuid;

/// What the rows are checked against, and whose import it is.
struct Known {
    org: Uuid,
    author: Uuid,
    names: Names,
    /// The organisation's time zone, which gives an answer its date.
    tz: String,
    episodes: HashSet<Uuid>,
    /// Responses already stored under the file's ids, in any organisation.
    existing: HashMap<Uuid, response::Model>,
    /// Each instrument version the file names; `None` for one that does not exist.
    instruments: HashMap<(String, i32), Option<InstrumentDefinition>>,
}

/// A responses row that passed every check.
struct CheckedResponse {
    id: Uuid,
    invitation: Option<Uuid>,
    participant: ParticipantSeen,
    episode: Option<Uuid>,
    def: InstrumentDefinition,
    timing: Option<Timing>,
    answers: Vec<Option<u8>>,
    scored: Scored,
    respondent: Respondent,
    support: Support,
    channel: Channel,
    format: Format,
    language: Language,
    answered_at: DateTime<Utc>,
    received_at: DateTime<Utc>,
    specialist: Option<Uuid>,
    programme: Option<Programme>,
}

/// Imports a responses file: all rows or none. Scores are recomputed from the answers, never
/// taken from the file.
pub async fn import_responses(
    db: &DatabaseConnection,
    org: Uuid,
    author: Uuid,
    csv_text: &str,
) -> Result<ImportReport, ApiError> {
    let names = names(db, org).await?;
    let tz = repo::orgs::time_zone(db, org).await?;
    let rows = read_rows::<ResponseRow>(csv_text, RESPONSE_COLUMNS)?;
    let known = Known::load(db, org, author, names, tz, &rows).await?;
    let mut new_teams = HashMap::new();
    let gathered = Gathered::rows(
        rows,
        |row, rec| check(row, &known, rec),
        |g, n, rec, c| add(g, &known, &mut new_teams, n, &rec, c),
    )?;
    gathered
        .write(
            db,
            org,
            author,
            &known.names.participants,
            new_teams,
            "responses",
        )
        .await
}

impl Known {
    /// Looks up what the rows refer to: the organisation's episodes, the responses already
    /// stored under the rows' ids, and each instrument version named (each once).
    async fn load(
        db: &DatabaseConnection,
        org: Uuid,
        author: Uuid,
        names: Names,
        tz: String,
        rows: &[NumberedRow<ResponseRow>],
    ) -> Result<Known, DbErr> {
        let readable = || rows.iter().filter_map(|(_, r)| r.as_ref().ok());
        let ids: Vec<Uuid> = readable()
            .filter_map(|r| Uuid::parse_str(&r.response_id).ok())
            .collect();
        let episodes = repo::transfer::episodes(db, org)
            .await?
            .into_iter()
            .map(|e| e.id)
            .collect();
        let existing = repo::transfer::responses_any(db, &ids).await?;
        let mut instruments = HashMap::new();
        for key in readable().filter_map(instrument_key) {
            if let Entry::Vacant(slot) = instruments.entry(key) {
                let (instrument, version) = slot.key();
                let def = repo::instruments::version(db, instrument, *version).await?;
                slot.insert(def);
            }
        }
        Ok(Known {
            org,
            author,
            names,
            tz,
            episodes,
            existing,
            instruments,
        })
    }

    /// The episode a row names, if any: it must be one of the organisation's.
    fn episode(&self, row: &mut Row, v: &str) -> Option<Option<Uuid>> {
        let episode = row.opt_uuid("episode_id", v);
        if let Some(Some(e)) = episode
            && !self.episodes.contains(&e)
        {
            row.bad(
                "episode_id",
                "no such episode in this organisation; import the episodes file first",
            );
        }
        episode
    }

    /// The instrument version a row names, noting a bad version or an unknown instrument.
    fn instrument(&self, row: &mut Row, rec: &ResponseRow) -> Option<InstrumentDefinition> {
        let Some(key) = instrument_key(rec) else {
            row.bad("instrument_version", "not a version number");
            return None;
        };
        let def = self.instruments.get(&key).cloned().flatten();
        if def.is_none() {
            row.bad("instrument", "unknown instrument or version");
        }
        def
    }

    /// The date of the answer must be its date in the organisation's time zone, if given.
    fn check_answered_on(&self, row: &mut Row, at: Option<DateTime<Utc>>, on: &str) {
        if let (Some(at), false) = (at, on.trim().is_empty())
            && on.trim() != local_date(&self.tz, at).to_string()
        {
            row.bad(
                "answered_on",
                "does not match answered_at in the organisation's time zone",
            );
        }
    }

    /// The team a row names: the organisation's, or one the import creates (once per name).
    fn team(&self, new_teams: &mut HashMap<String, Uuid>, name: &str) -> Option<Uuid> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        if let Some(t) = self.names.team_by_name.get(name) {
            return Some(*t);
        }
        Some(
            *new_teams
                .entry(name.to_owned())
                .or_insert_with(Uuid::new_v4),
        )
    }
}

/// The instrument and version a row names, if its version is a number.
fn instrument_key(rec: &ResponseRow) -> Option<(String, i32)> {
    let version = rec.instrument_version.trim().parse().ok()?;
    Some((rec.instrument.trim().to_owned(), version))
}

/// Reads a row's fields and scores its answers, noting every problem on the row.
fn check(row: &mut Row, known: &Known, rec: &ResponseRow) -> Option<CheckedResponse> {
    let id = row.uuid("response_id", &rec.response_id);
    let invitation = row.opt_uuid("invitation_id", &rec.invitation_id);
    let participant = ParticipantSeen::read(
        row,
        &rec.participant_id,
        &rec.participant_reference,
        |row| {
            row.parsed(
                "participant_kind",
                &rec.participant_kind,
                ParticipantKind::parse,
            )
        },
    );
    let episode = known.episode(row, &rec.episode_id);
    let def = known.instrument(row, rec);
    let timing = row.opt_parsed("timing", &rec.timing, Timing::parse);
    let answers = row.answers(&rec.answers);
    let respondent = row.parsed("respondent", &rec.respondent, Respondent::parse);
    let support = row.parsed("support", &rec.support, Support::parse);
    let channel = row.parsed("channel", &rec.channel, Channel::parse);
    let format = row.parsed("format", &rec.format, Format::parse);
    let language = row.parsed("language", &rec.language, Language::parse);
    let answered_at = row.instant("answered_at", &rec.answered_at);
    let received_at = row.instant("received_at", &rec.received_at);
    let specialist = specialist(row, &known.names, &rec.specialist_email);
    let programme = row.opt_parsed("programme", &rec.programme, Programme::parse);
    let scored = score(row, def.as_ref(), answers.as_deref());
    known.check_answered_on(row, answered_at, &rec.answered_on);
    if !row.errors.is_empty() {
        return None;
    }
    Some(CheckedResponse {
        id: id?,
        invitation: invitation?,
        participant: participant?,
        episode: episode?,
        def: def?,
        timing: timing?,
        answers: answers?,
        scored: scored?,
        respondent: respondent?,
        support: support?,
        channel: channel?,
        format: format?,
        language: language?,
        answered_at: answered_at?,
        received_at: received_at?,
        specialist: specialist?,
        programme: programme?,
    })
}

/// The staff member a row names, if it names one.
fn specialist(row: &mut Row, names: &Names, email: &str) -> Option<Option<Uuid>> {
    if email.trim().is_empty() {
        return Some(None);
    }
    names.specialist(row, email).map(|s| Some(s.id))
}

/// The answers scored by their instrument, noting on the row why they do not fit it.
fn score(
    row: &mut Row,
    def: Option<&InstrumentDefinition>,
    answers: Option<&[Option<u8>]>,
) -> Option<Scored> {
    let (def, answers) = def.zip(answers)?;
    def.check(answers)
        .map_err(|e| row.bad(&e.field, e.message))
        .ok()
}

/// Takes a checked row: its participant is wanted and its team made whatever happens, its
/// response only if new.
fn add(
    g: &mut Gathered<Vec<response::ActiveModel>>,
    known: &Known,
    new_teams: &mut HashMap<String, Uuid>,
    n: usize,
    rec: &ResponseRow,
    c: CheckedResponse,
) -> anyhow::Result<()> {
    g.people.push((n, c.participant.clone()));
    let team = known.team(new_teams, &rec.team);
    let hash = body_hash(rec);
    match known.existing.get(&c.id) {
        Some(old) => {
            // The same as stored: imported from this very file before, or the row the
            // organisation's own export gives for it (however it was first sent).
            let same = old.organisation_id == known.org
                && (old.body_hash == hash || response_row(&known.names, old)? == *rec);
            g.already_stored(n, same, "response_id", "a response")
        }
        None => {
            g.records.push(record(known, c, team, hash)?);
            g.imported += 1;
        }
    }
    Ok(())
}

fn record(
    known: &Known,
    c: CheckedResponse,
    team: Option<Uuid>,
    hash: String,
) -> anyhow::Result<response::ActiveModel> {
    let mut am = response::ActiveModel {
        id: Set(c.id),
        organisation_id: Set(known.org),
        invitation_id: Set(c.invitation),
        participant_id: Set(c.participant.id),
        episode_id: Set(c.episode),
        instrument_key: Set(c.def.key.as_str().to_owned()),
        instrument_version: Set(c.def.version),
        timing: Set(c.timing.map(|t| t.as_str().to_owned())),
        answers: Set(serde_json::to_string(&c.answers)?),
        overall: NotSet,
        swemwbs_raw: NotSet,
        swemwbs_metric: NotSet,
        complete: NotSet,
        respondent: Set(c.respondent.as_str().to_owned()),
        support: Set(c.support.as_str().to_owned()),
        channel: Set(c.channel.as_str().to_owned()),
        format: Set(c.format.as_str().to_owned()),
        language: Set(c.language.as_str().to_owned()),
        answered_at: Set(c.answered_at),
        answered_on: Set(local_date(&known.tz, c.answered_at)),
        received_at: Set(c.received_at),
        author_id: Set(Some(known.author)),
        participant_session_id: Set(None),
        specialist_id: Set(c.specialist),
        team_id: Set(team),
        programme: Set(c.programme.map(|p| p.as_str().to_owned())),
        comment: Set(None),
        may_quote: Set(false),
        body_hash: Set(hash),
    };
    am.set_scores(&c.scored);
    Ok(am)
}
