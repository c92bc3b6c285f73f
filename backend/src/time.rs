//! Time as an organisation sees it: the calendar date of an instant in its time zone. Every
//! date a figure is counted by (`answered_on`, "today", an expiry date in an email) comes from
//! here, so a response answered at 00:30 on a summer morning counts for that day, not the one
//! before.

use chrono::{DateTime, NaiveDate, Utc};

/// Where an organisation's time zone is unknown or unreadable.
pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::Europe::London;

/// The zone an IANA name stands for, if it is one (`Europe/London`, `Asia/Tokyo`, `UTC`);
/// exact spelling, as the tz database has it.
pub fn zone(name: &str) -> Option<chrono_tz::Tz> {
    name.parse().ok()
}

/// The calendar date of an instant in the organisation's time zone.
pub fn local_date(time_zone: &str, at: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(DEFAULT_TIME_ZONE);
    at.with_timezone(&tz).date_naive()
}

/// Today in UTC: what "has it happened yet" is judged against (`domain::dates` allows a day
/// ahead, for any time zone), so judging a date needs no database read.
pub fn utc_today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The instant a calendar day starts in the organisation's time zone (its first existing
/// moment, should a clock change skip midnight).
pub fn start_of_day(time_zone: &str, day: NaiveDate) -> DateTime<Utc> {
    use chrono::{Duration, TimeZone};
    let tz: chrono_tz::Tz = time_zone.parse().unwrap_or(DEFAULT_TIME_ZONE);
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    (0..=3)
        .find_map(|h| {
            tz.from_local_datetime(&(midnight + Duration::hours(h)))
                .earliest()
        })
        .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc))
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
    fn a_day_starts_at_local_midnight() {
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        assert_eq!(
            start_of_day("Europe/London", summer),
            at("2026-06-30T23:00:00Z")
        );
        let winter = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        assert_eq!(
            start_of_day("Europe/London", winter),
            at("2026-12-01T00:00:00Z")
        );
        // Midnight does not exist in Santiago on the day clocks go forward (6 Sept 2026):
        // the day starts at 01:00 local, 04:00 UTC.
        let skipped = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(
            start_of_day("America/Santiago", skipped),
            at("2026-09-06T04:00:00Z")
        );
    }

    #[test]
    fn only_iana_names_are_zones() {
        assert_eq!(zone("Asia/Tokyo"), Some(chrono_tz::Asia::Tokyo));
        assert_eq!(zone("UTC"), Some(chrono_tz::UTC));
        for bad in [
            "Mars/Olympus",
            "",
            " Europe/London",
            "europe/london",
            &"A".repeat(300),
        ] {
            assert_eq!(zone(bad), None, "{bad:?}");
        }
        let d = local_date("Asia/Tokyo", at("2026-11-10T23:30:00Z"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 11, 11).unwrap());
    }

    #[test]
    fn an_unreadable_time_zone_counts_as_london() {
        let d = local_date("Mars/Olympus", at("2026-06-30T23:30:00Z"));
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 7, 1).unwrap());
    }
}
