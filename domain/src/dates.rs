//! The range a date may sensibly fall in, so that `+99999-01-01`, `-0001-01-01` or
//! `9999-12-31` never reach the figures: nothing before 1900, nothing that has happened dated
//! after tomorrow, and nothing planned more than a year ahead.

use crate::records::FieldError;
use chrono::{Days, Months, NaiveDate};

/// The earliest date any record may carry.
pub const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1900, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// How far past `today` (UTC) a date of something that has happened may be: one day, for an
/// organisation or a device ahead of UTC (New Zealand is 13 hours ahead) or a clock a little
/// fast. The same idea as the five minutes allowed for a device's time (DESIGN §4).
pub const HAPPENED_TOLERANCE_DAYS: u64 = 1;

fn too_early(field: &'static str) -> FieldError {
    FieldError {
        field,
        message: format!("must not be before {EARLIEST}"),
    }
}

/// A date of something that has happened (a session held, a referral, a service start, a
/// job's first day, an end): from 1900 to tomorrow.
pub fn happened(field: &'static str, date: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if date < EARLIEST {
        return Err(too_early(field));
    }
    let latest = today
        .checked_add_days(Days::new(HAPPENED_TOLERANCE_DAYS))
        .unwrap_or(NaiveDate::MAX);
    if date > latest {
        return Err(FieldError {
            field,
            message: format!("is in the future: {date} has not happened yet"),
        });
    }
    Ok(())
}

/// Each of `dates` that is given is a date of something that has happened.
pub fn all_happened(
    dates: &[(&'static str, Option<NaiveDate>)],
    today: NaiveDate,
) -> Result<(), FieldError> {
    dates
        .iter()
        .filter_map(|(field, d)| d.map(|d| (*field, d)))
        .try_for_each(|(field, d)| happened(field, d, today))
}

/// A date that may lie ahead (something planned): from 1900 to a year after today.
pub fn within_a_year(
    field: &'static str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    if date < EARLIEST {
        return Err(too_early(field));
    }
    let latest = today
        .checked_add_months(Months::new(12))
        .unwrap_or(NaiveDate::MAX);
    if date > latest {
        return Err(FieldError {
            field,
            message: format!("must not be more than a year ahead (after {latest})"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn dates_from_the_issue_are_refused_naming_the_field() {
        let today = d("2026-12-03");
        for bad in ["+99999-01-01", "-0001-01-01", "9999-12-31", "1899-12-31"] {
            let e = happened("started_on", d(bad), today).unwrap_err();
            assert_eq!(e.field, "started_on", "{bad}");
            let e = within_a_year("done_on", d(bad), today).unwrap_err();
            assert_eq!(e.field, "done_on", "{bad}");
        }
    }

    #[test]
    fn something_that_happened_may_be_dated_up_to_tomorrow() {
        let today = d("2026-12-03");
        assert_eq!(happened("held_on", d("1900-01-01"), today), Ok(()));
        assert_eq!(happened("held_on", today, today), Ok(()));
        assert_eq!(happened("held_on", d("2026-12-04"), today), Ok(()));
        assert!(happened("held_on", d("2026-12-05"), today).is_err());
    }

    #[test]
    fn something_planned_may_be_a_year_ahead() {
        let today = d("2026-12-03");
        assert_eq!(within_a_year("done_on", d("2027-12-03"), today), Ok(()));
        assert!(within_a_year("done_on", d("2027-12-04"), today).is_err());
    }

    #[test]
    fn only_the_dates_given_are_judged_and_the_first_bad_one_is_named() {
        let today = d("2026-12-03");
        let dates = [
            ("referred_on", None),
            ("started_on", Some(d("2026-01-05"))),
            ("ended_on", Some(d("9999-12-31"))),
        ];
        assert_eq!(all_happened(&dates, today).unwrap_err().field, "ended_on");
        assert_eq!(all_happened(&dates[..2], today), Ok(()));
    }
}
