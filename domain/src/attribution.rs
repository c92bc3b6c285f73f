//! Who a figure counts for (DESIGN.md §4 Attribution). An episode keeps the history of who
//! held it; a response counts for the holder at the moment it was answered, a due survey or a
//! wellbeing gap for the holder on the day it fell due. Every filter — team, specialist,
//! programme — applies to every figure the same way.

use crate::records::Programme;
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// One entry of an episode's holder history: from `since` on, until the next entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub specialist_id: Uuid,
    pub team_id: Option<Uuid>,
    pub since: DateTime<Utc>,
}

/// The holder at moment `at`: the latest entry that had taken effect by then. Before the first
/// entry (a form answered before the episode was recorded, say) the first holder holds it.
pub fn holding_at(history: &[Holding], at: DateTime<Utc>) -> Option<&Holding> {
    latest(history, |h| h.since <= at)
}

/// The holder on calendar day `day`: the latest entry that took effect on or before that day
/// (`local_date` gives an entry's day in the organisation's time zone). A move during the day
/// makes the new holder that day's.
pub fn holding_on(
    history: &[Holding],
    day: NaiveDate,
    local_date: impl Fn(DateTime<Utc>) -> NaiveDate,
) -> Option<&Holding> {
    latest(history, |h| local_date(h.since) <= day)
}

fn latest(history: &[Holding], taken_effect: impl Fn(&Holding) -> bool) -> Option<&Holding> {
    history
        .iter()
        .filter(|h| taken_effect(h))
        .max_by_key(|h| h.since)
        .or_else(|| history.iter().min_by_key(|h| h.since))
}

/// The filters a figure was asked for; `None` is "all".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    pub team_id: Option<Uuid>,
    pub specialist_id: Option<Uuid>,
    pub programme: Option<Programme>,
}

impl Attribution {
    /// No filter at all: the whole organisation.
    pub fn is_everyone(&self) -> bool {
        self.team_id.is_none() && self.specialist_id.is_none() && self.programme.is_none()
    }

    /// Whether a record held by `holding` in an episode of `programme` counts here. A record
    /// with no holder (no episode) counts only for the whole organisation.
    pub fn counts(&self, holding: Option<&Holding>, programme: Option<Programme>) -> bool {
        if self.programme.is_some() && self.programme != programme {
            return false;
        }
        if self.team_id.is_none() && self.specialist_id.is_none() {
            return true;
        }
        holding.is_some_and(|h| {
            self.specialist_id.is_none_or(|s| s == h.specialist_id)
                && self.team_id.is_none_or(|t| h.team_id == Some(t))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 5, d, h, 0, 0).unwrap()
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// Held by specialist 1 (team 10) from the 4th, moved to specialist 2 (team 20) at noon
    /// on the 6th.
    fn history() -> Vec<Holding> {
        vec![
            Holding {
                specialist_id: id(2),
                team_id: Some(id(20)),
                since: at(6, 12),
            },
            Holding {
                specialist_id: id(1),
                team_id: Some(id(10)),
                since: at(4, 9),
            },
        ]
    }

    #[test]
    fn an_answer_counts_for_whoever_held_the_episode_when_it_was_answered() {
        let h = history();
        assert_eq!(holding_at(&h, at(5, 9)).unwrap().specialist_id, id(1));
        assert_eq!(holding_at(&h, at(6, 11)).unwrap().specialist_id, id(1));
        assert_eq!(holding_at(&h, at(6, 12)).unwrap().specialist_id, id(2));
        assert_eq!(holding_at(&h, at(20, 0)).unwrap().specialist_id, id(2));
    }

    #[test]
    fn before_the_first_entry_the_first_holder_holds_it() {
        assert_eq!(
            holding_at(&history(), at(1, 0)).unwrap().specialist_id,
            id(1)
        );
        assert_eq!(holding_at(&[], at(1, 0)), None);
    }

    #[test]
    fn a_due_day_belongs_to_whoever_held_the_episode_by_the_end_of_it() {
        let h = history();
        let day = |d| NaiveDate::from_ymd_opt(2026, 5, d).unwrap();
        let utc = |t: DateTime<Utc>| t.date_naive();
        assert_eq!(holding_on(&h, day(5), utc).unwrap().specialist_id, id(1));
        assert_eq!(holding_on(&h, day(6), utc).unwrap().specialist_id, id(2));
        // In a zone 13 hours ahead, the move at noon UTC on the 6th is the 7th there.
        let ahead = |t: DateTime<Utc>| (t + chrono::Duration::hours(13)).date_naive();
        assert_eq!(holding_on(&h, day(6), ahead).unwrap().specialist_id, id(1));
        assert_eq!(holding_on(&h, day(7), ahead).unwrap().specialist_id, id(2));
    }

    #[test]
    fn every_filter_applies_to_the_holder_and_the_programme() {
        let h = history();
        let first = holding_at(&h, at(5, 0));
        let everyone = Attribution::default();
        assert!(everyone.counts(first, Some(Programme::Seqf)));
        assert!(everyone.counts(None, None));
        let team10 = Attribution {
            team_id: Some(id(10)),
            ..Default::default()
        };
        assert!(team10.counts(first, Some(Programme::Ips)));
        assert!(!team10.counts(holding_at(&h, at(7, 0)), Some(Programme::Ips)));
        assert!(!team10.counts(None, None));
        let specialist2 = Attribution {
            specialist_id: Some(id(2)),
            ..Default::default()
        };
        assert!(!specialist2.counts(first, None));
        let ips = Attribution {
            programme: Some(Programme::Ips),
            ..Default::default()
        };
        assert!(ips.counts(first, Some(Programme::Ips)));
        assert!(!ips.counts(first, Some(Programme::Seqf)));
        assert!(!ips.counts(None, None));
    }
}
