//! Time as an organisation sees it: the calendar date of an instant in its time zone. Every
//! date a figure is counted by (`answered_on`, "today", an expiry date in an email) comes from
//! here, so a response answered at 00:30 on a summer morning counts for that day, not the one
//! before.

use chrono::{DateTime, NaiveDate, Utc};

/// Where an organisation's time zone is unknown or unreadable.
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::London;

/// The calendar date of an instant in the organisation's time zone.
pub fn local_date(time_zone: &str, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(DEFAULT_TIME_ZONE);
    at.with_timezone(&tz).date_naive()
}

/// Today in the organisation's time zone.
pub fn today(time_zone: &str) -> NaiveDate {
    local_date(time_zone, Utc::now())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn a_summer_night_after_midnight_is_the_next_day_in_london() {
        let d = local_date("Europe/London", at("2026-06-30T23:30:00Z"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
        let winter = local_date("Europe/London", at("2026-12-31T23:30:00Z"));
        assert_eq!(winter, NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    }

    #[test]
    fn an_unreadable_time_zone_counts_as_london() {
        let d = local_date("Mars/Olympus", at("2026-06-30T23:30:00Z"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
    }
}
