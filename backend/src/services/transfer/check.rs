//! Reading one row's fields into typed values, collecting every problem with the field it is in
//! (so a refused file names them all at once).

use chrono::{DateTime, NaiveDate, Utc};
use domain::RowError;
use uuid::Uuid;

/// Collects the problems of one row.
pub(super) struct Row {
    n: usize,
    pub errors: Vec<RowError>,
}

impl Row {
    pub fn new(n: usize) -> Self {
        Row {
            n,
            errors: Vec::new(),
        }
    }

    pub fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            row: self.n,
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// The record, or `None` with the reason noted when the line could not be read at all.
    pub fn read<T>(&mut self, rec: Result<T, String>) -> Option<T> {
        rec.map_err(|e| self.bad("row", e)).ok()
    }

    /// A field that may be left empty: `Some(None)` when it is, `read` otherwise.
    fn or_empty<T>(
        &mut self,
        v: &str,
        read: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<Option<T>> {
        if v.trim().is_empty() {
            Some(None)
        } else {
            read(self).map(Some)
        }
    }

    /// A value `parse` reads from the trimmed field; otherwise the field "is not `what`".
    fn value<T, E>(
        &mut self,
        field: &str,
        v: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
        what: &str,
    ) -> Option<T> {
        match parse(v.trim()) {
            Ok(t) => Some(t),
            Err(_) => {
                self.bad(field, format!("{v:?} is not {what}"));
                None
            }
        }
    }

    pub fn uuid(&mut self, field: &str, v: &str) -> Option<Uuid> {
        self.value(field, v, Uuid::parse_str, "an id")
    }

    pub fn opt_uuid(&mut self, field: &str, v: &str) -> Option<Option<Uuid>> {
        self.or_empty(v, |row| row.uuid(field, v))
    }

    pub fn date(&mut self, field: &str, v: &str) -> Option<NaiveDate> {
        self.value(field, v, str::parse, "a date like 2026-04-01")
    }

    pub fn opt_date(&mut self, field: &str, v: &str) -> Option<Option<NaiveDate>> {
        self.or_empty(v, |row| row.date(field, v))
    }

    pub fn instant(&mut self, field: &str, v: &str) -> Option<DateTime<Utc>> {
        let parse = |v: &str| DateTime::parse_from_rfc3339(v).map(|d| d.with_timezone(&Utc));
        self.value(field, v, parse, "a time like 2026-04-01T10:30:00Z")
    }

    pub fn parsed<T>(
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

    pub fn opt_parsed<T>(
        &mut self,
        field: &str,
        v: &str,
        parse: impl Fn(&str) -> Result<T, domain::ParseError>,
    ) -> Option<Option<T>> {
        self.or_empty(v, |row| row.parsed(field, v, parse))
    }

    /// Item answers, `;`-separated, `-` or nothing for a skipped item.
    pub fn answers(&mut self, v: &str) -> Option<Vec<Option<u8>>> {
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
                    self.bad(
                        "answers",
                        format!("item {}: {part:?} is not a rating 1 to 5", i + 1),
                    );
                    return None;
                }
            }
        }
        Some(out)
    }
}
