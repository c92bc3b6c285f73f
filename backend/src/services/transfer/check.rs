//! Reading one row's fields into typed values, collecting every problem with the field it is in
//! (so a refused file names them all at once).

use chrono::{DateTime, NaiveDate, Utc};
use domain::{Hundredths, RowError};
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

    /// A date of something that has happened: every date column of the files is one
    /// (`domain::dates`, as the API judges them).
    pub fn date(&mut self, field: &str, v: &str) -> Option<NaiveDate> {
        let d = self.value(field, v, str::parse, "a date like 2026-04-01")?;
        match domain::dates::happened("date", d, crate::time::utc_today()) {
            Ok(()) => Some(d),
            Err(e) => {
                self.bad(field, e.message);
                None
            }
        }
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

    /// `true`/`false` (or `yes`/`no`, any case).
    pub fn bool(&mut self, field: &str, v: &str) -> Option<bool> {
        self.value(field, v, parse_bool, "true or false")
    }

    pub fn opt_bool(&mut self, field: &str, v: &str) -> Option<Option<bool>> {
        self.or_empty(v, |row| row.bool(field, v))
    }

    /// A figure with at most two decimals (`12.5`, `12.50`), held exactly.
    pub fn opt_hundredths(&mut self, field: &str, v: &str) -> Option<Option<Hundredths>> {
        self.or_empty(v, |row| {
            row.value(field, v, parse_hundredths, "a number like 12.50")
        })
    }

    /// A column this kind of row leaves empty: noted, with why, when it is not.
    pub fn empty(&mut self, field: &str, v: &str, why: &str) {
        if !v.trim().is_empty() {
            self.bad(field, why);
        }
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

fn parse_bool(v: &str) -> Result<bool, ()> {
    match v.to_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(()),
    }
}

/// Digits, then at most two decimals after a point: exact, never through a float.
fn parse_hundredths(v: &str) -> Result<Hundredths, ()> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (units, fraction) = match v.split_once('.') {
        Some((u, f)) if digits(f) && f.len() <= 2 => (u, f),
        Some(_) => return Err(()),
        None => (v, ""),
    };
    if !digits(units) {
        return Err(());
    }
    let units: i64 = units.parse().map_err(|_| ())?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| ())?;
    units
        .checked_mul(100)
        .and_then(|u| u.checked_add(cents))
        .map(Hundredths)
        .ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_read_exactly_to_two_decimals() {
        assert_eq!(parse_hundredths("12.5"), Ok(Hundredths(1250)));
        assert_eq!(parse_hundredths("12.05"), Ok(Hundredths(1205)));
        assert_eq!(parse_hundredths("7"), Ok(Hundredths(700)));
        for bad in ["", ".5", "12.", "12.345", "-1", "1e2", "£8.50", "twelve"] {
            assert_eq!(parse_hundredths(bad), Err(()), "{bad}");
        }
    }

    #[test]
    fn yes_and_no_read_as_true_and_false() {
        assert_eq!(parse_bool("TRUE"), Ok(true));
        assert_eq!(parse_bool("no"), Ok(false));
        assert!(parse_bool("1").is_err());
    }
}
