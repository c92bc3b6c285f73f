//! The steps both imports share: gathering checked rows in file order, adding the participants
//! they name, and writing everything in one transaction, or nothing if any row is bad.

use super::{check::Row, format::NumberedRow};
use crate::{ApiError, entities::participant, repo, services::capture::body_hash};
use chrono::Utc;
use domain::{
    RowError,
    records::{Equality, Language, ParticipantKind, Reference},
};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, Set,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// What an import did.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Rows that brought something new.
    pub imported: usize,
    /// Rows already present with the same content (a file imported twice).
    pub unchanged: usize,
}

/// A participant as a row names them.
#[derive(Clone)]
pub(super) struct ParticipantSeen {
    pub id: Uuid,
    pub reference: Reference,
    pub kind: ParticipantKind,
    /// The equality answers the row gives, if it gives any.
    pub equality: Option<Equality>,
}

impl ParticipantSeen {
    /// The participant a row names by id and reference, then of the kind `kind` reads.
    pub fn read(
        row: &mut Row,
        id: &str,
        reference: &str,
        kind: impl FnOnce(&mut Row) -> Option<ParticipantKind>,
    ) -> Option<Self> {
        let id = row.uuid("participant_id", id);
        let reference = row.parsed("participant_reference", reference, Reference::parse);
        let kind = kind(row);
        Some(ParticipantSeen {
            id: id?,
            reference: reference?,
            kind: kind?,
            equality: None,
        })
    }
}

/// The records an import writes, in an order the database accepts.
pub(super) trait Records {
    async fn insert(self, db: &impl ConnectionTrait) -> Result<(), DbErr>;
}

impl<A> Records for Vec<A>
where
    A: ActiveModelTrait + ActiveModelBehavior + Send,
    <A::Entity as EntityTrait>::Model: IntoActiveModel<A>,
{
    async fn insert(self, db: &impl ConnectionTrait) -> Result<(), DbErr> {
        repo::transfer::insert_each(db, self).await
    }
}

/// What an import gathers row by row: the new records, the participants they name (with the
/// row that names them), how many rows bring something new and how many are stored already as
/// they are, and every problem.
pub(super) struct Gathered<R> {
    pub errors: Vec<RowError>,
    pub people: Vec<(usize, ParticipantSeen)>,
    pub records: R,
    pub imported: usize,
    pub unchanged: usize,
}

impl<R: Default> Gathered<R> {
    /// Takes the rows in file order, so the problems come out row by row: `check` reads a row
    /// and notes what is wrong with it; `add` takes each row that passed.
    pub fn rows<T, C>(
        rows: Vec<NumberedRow<T>>,
        mut check: impl FnMut(&mut Row, &T) -> Option<C>,
        mut add: impl FnMut(&mut Self, usize, T, C) -> anyhow::Result<()>,
    ) -> anyhow::Result<Self> {
        let mut g = Gathered {
            errors: Vec::new(),
            people: Vec::new(),
            records: R::default(),
            imported: 0,
            unchanged: 0,
        };
        for (n, rec) in rows {
            let mut row = Row::new(n);
            let checked = row
                .read(rec)
                .and_then(|rec| check(&mut row, &rec).map(|c| (rec, c)));
            match checked {
                Some((rec, c)) => add(&mut g, n, rec, c)?,
                None => g.errors.extend(row.errors),
            }
        }
        Ok(g)
    }

    /// A row whose id is stored already: unchanged when `same` (a file imported twice),
    /// refused when the stored record differs.
    pub fn already_stored(&mut self, row: usize, same: bool, field: &str, what: &str) {
        if same {
            self.unchanged += 1;
        } else {
            self.errors.push(RowError {
                row,
                field: field.into(),
                message: format!("{what} with this id already exists with other content"),
            });
        }
    }
}

impl<R: Records> Gathered<R> {
    /// Adds the participants the organisation does not have yet, then writes the new teams,
    /// participants and records (`what`, for the log) in one transaction; nothing at all if
    /// any row had a problem.
    pub async fn write(
        mut self,
        db: &DatabaseConnection,
        org: Uuid,
        author: Uuid,
        known: &HashMap<Uuid, participant::Model>,
        teams: HashMap<String, Uuid>,
        what: &str,
    ) -> Result<ImportReport, ApiError> {
        let people = new_participants(org, author, known, self.people, &mut self.errors);
        if !self.errors.is_empty() {
            return Err(ApiError::InvalidRows(self.errors));
        }
        let imported = self.imported;
        let txn = crate::db::begin_write(db).await?;
        repo::transfer::insert_teams(&txn, org, teams).await?;
        repo::transfer::insert_each(&txn, people)
            .await
            .map_err(taken)?;
        self.records.insert(&txn).await.map_err(taken)?;
        txn.commit().await?;
        let unchanged = self.unchanged;
        tracing::info!(imported, unchanged, "{what} imported");
        Ok(ImportReport {
            imported,
            unchanged,
        })
    }
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

/// The participants to insert: those the rows name that are not there yet. A known id must
/// keep its reference and kind, and a new one may not take another's reference. Rows that give
/// a person's equality answers must agree with each other and with what is stored.
fn new_participants(
    org: Uuid,
    author: Uuid,
    known: &HashMap<Uuid, participant::Model>,
    wanted: Vec<(usize, ParticipantSeen)>,
    errors: &mut Vec<RowError>,
) -> Vec<participant::ActiveModel> {
    let mut new: HashMap<Uuid, participant::ActiveModel> = HashMap::new();
    let mut answers = Answers::default();
    let mut by_reference: HashMap<String, Uuid> = known
        .values()
        .map(|p| (p.reference.clone(), p.id))
        .collect();
    for (row, p) in wanted {
        if let Some(message) = clash(known, &by_reference, &p) {
            errors.push(RowError {
                row,
                field: "participant_reference".into(),
                message: message.into(),
            });
            continue;
        }
        if let Some(e) = answers.disagree(known, row, &p) {
            errors.push(e);
            continue;
        }
        if known.contains_key(&p.id) {
            continue;
        }
        by_reference.insert(p.reference.as_str().to_owned(), p.id);
        new.entry(p.id)
            .or_insert_with(|| participant_record(org, author, &p));
    }
    for (id, (_, equality)) in answers.0 {
        if let Some(am) = new.get_mut(&id) {
            am.equality = Set(serde_json::to_string(&equality).unwrap_or_else(|_| "{}".into()));
        }
    }
    new.into_values().collect()
}

/// The equality answers given so far for each new participant, with the row that gave them.
#[derive(Default)]
struct Answers(HashMap<Uuid, (usize, Equality)>);

impl Answers {
    /// Why the answers `p`'s row gives differ from those stored or given on an earlier row,
    /// naming the first column that differs; `None` (and noted) when they agree or are first.
    fn disagree(
        &mut self,
        known: &HashMap<Uuid, participant::Model>,
        row: usize,
        p: &ParticipantSeen,
    ) -> Option<RowError> {
        let given = p.equality.as_ref()?;
        let (before, source) = match (known.get(&p.id), self.0.get(&p.id)) {
            (Some(stored), _) => (
                serde_json::from_str(&stored.equality).unwrap_or_default(),
                "the answers stored for this participant (an import never changes them)".to_owned(),
            ),
            (None, Some((first, answers))) => (answers.clone(), format!("row {first}")),
            (None, None) => {
                self.0.insert(p.id, (row, given.clone()));
                return None;
            }
        };
        equality_difference(&before, given).map(|field| RowError {
            row,
            field: field.into(),
            message: format!("differs from {source}"),
        })
    }
}

/// The first equality column in which two sets of answers differ.
fn equality_difference(a: &Equality, b: &Equality) -> Option<&'static str> {
    [
        ("born_on", a.born_on != b.born_on),
        ("gender", a.gender != b.gender),
        ("ethnicity", a.ethnicity != b.ethnicity),
        ("disability", a.disability != b.disability),
        ("living_situation", a.living_situation != b.living_situation),
        ("area", a.area != b.area),
    ]
    .into_iter()
    .find(|(_, differs)| *differs)
    .map(|(field, _)| field)
}

/// Why a row's participant does not fit those already known, if it does not.
fn clash(
    known: &HashMap<Uuid, participant::Model>,
    by_reference: &HashMap<String, Uuid>,
    p: &ParticipantSeen,
) -> Option<&'static str> {
    match known.get(&p.id) {
        Some(existing) => (existing.reference != p.reference.as_str()
            || existing.kind != p.kind.as_str())
        .then_some("differs from the participant already stored under this id"),
        None => by_reference
            .get(p.reference.as_str())
            .is_some_and(|other| *other != p.id)
            .then_some("another participant already has this reference"),
    }
}

/// A participant known only by reference: the file never carries names or contact details.
fn participant_record(org: Uuid, author: Uuid, p: &ParticipantSeen) -> participant::ActiveModel {
    let now = Utc::now();
    participant::ActiveModel {
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
        body_hash: Set(body_hash(&(p.id, p.reference.as_str(), p.kind.as_str()))),
        created_at: Set(now),
        updated_at: Set(now),
    }
}
