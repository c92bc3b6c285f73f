//! Coverage: how many people were *due* a survey in a period and how many answered, so a
//! response rate cannot be raised by inviting only the happy (DESIGN.md §4).

use crate::fixed::Hundredths;
use crate::kpi::Timing;
use crate::kpi::interval::{Interval, wilson};
use crate::period::Period;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use uuid::Uuid;

/// Employers are asked once per placement, from this long after the job start.
pub const EMPLOYER_SURVEY_AFTER: Duration = Duration::weeks(4);

#[derive(Debug, Clone, Copy)]
pub struct CoverageEpisode {
    pub id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub job_started_on: Option<NaiveDate>,
    pub employer_id: Option<Uuid>,
}

/// What has been answered for an episode (any date: an answer that came late still counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Answered {
    JobseekerSatisfaction,
    EmployerSatisfaction,
    Swemwbs(Timing),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DueAnswered {
    pub due: u64,
    pub answered: u64,
    /// answered / due, as a percentage to 2 decimals; absent when nothing was due.
    pub pct: Option<Hundredths>,
    /// Wilson 95% interval of `pct`; absent when fewer than 2 were due.
    #[serde(default)]
    pub pct_interval: Option<Interval>,
}

impl DueAnswered {
    fn add(&mut self, answered: bool) {
        self.due += 1;
        if answered {
            self.answered += 1;
        }
        self.pct = Hundredths::percent(self.answered as i64, self.due as i64);
        self.pct_interval = wilson(self.answered, self.due);
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub period: Period,
    /// Due for every episode that ended in the period.
    pub jobseeker_satisfaction: DueAnswered,
    /// Due once per placement, four weeks after the job start.
    pub employer_satisfaction: DueAnswered,
    /// Due at every episode start.
    pub swemwbs_start: DueAnswered,
    /// Due at every episode end.
    pub swemwbs_end: DueAnswered,
    /// Secondary: invitations made in the period, and how many of them were answered.
    pub invitations_sent: u64,
    pub invitations_answered: u64,
}

/// Due versus answered in `period`. `counts(episode, day)` says whether a survey of that
/// episode falling due on that day counts for the figure asked for (whoever held the episode
/// that day matches its filters); `invitations` are those made under the same filters, by the
/// day they were made and whether they were answered.
pub fn coverage(
    period: Period,
    episodes: &[CoverageEpisode],
    answered: &HashSet<(Uuid, Answered)>,
    invitations: &[(NaiveDate, bool)],
    counts: impl Fn(Uuid, NaiveDate) -> bool,
) -> Coverage {
    let has = |id: Uuid, what: Answered| answered.contains(&(id, what));
    let mut c = Coverage {
        period,
        jobseeker_satisfaction: DueAnswered::default(),
        employer_satisfaction: DueAnswered::default(),
        swemwbs_start: DueAnswered::default(),
        swemwbs_end: DueAnswered::default(),
        invitations_sent: 0,
        invitations_answered: 0,
    };
    let due = |day: NaiveDate, e: &CoverageEpisode| period.contains(day) && counts(e.id, day);
    for e in episodes {
        if due(e.started_on, e) {
            c.swemwbs_start
                .add(has(e.id, Answered::Swemwbs(Timing::Start)));
        }
        if e.ended_on.is_some_and(|d| due(d, e)) {
            c.swemwbs_end.add(has(e.id, Answered::Swemwbs(Timing::End)));
            c.jobseeker_satisfaction
                .add(has(e.id, Answered::JobseekerSatisfaction));
        }
        if let (Some(job), Some(_)) = (e.job_started_on, e.employer_id)
            && due(job + EMPLOYER_SURVEY_AFTER, e)
        {
            c.employer_satisfaction
                .add(has(e.id, Answered::EmployerSatisfaction));
        }
    }
    for (made_on, was_answered) in invitations {
        if period.contains(*made_on) {
            c.invitations_sent += 1;
            if *was_answered {
                c.invitations_answered += 1;
            }
        }
    }
    c
}

crate::completion::wire_enum!(
    /// One form of one episode, as a specialist's caseload shows it.
    FormState { NotYet = "not_yet", Due = "due", Done = "done" }
);

/// Which forms an episode owes now, by the coverage rules above: SWEMWBS at the start from the
/// day support starts; SWEMWBS at the end and the jobseeker's satisfaction survey once the
/// episode has ended; the employer's survey four weeks after the job start. An answer given
/// early (an end form before the end date is recorded) counts as done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EpisodeForms {
    pub episode_id: Uuid,
    pub swemwbs_start: FormState,
    pub swemwbs_end: FormState,
    pub jobseeker_satisfaction: FormState,
    /// Only for a placement with an employer and a job start.
    pub employer_satisfaction: Option<FormState>,
}

pub fn forms_of(
    e: &CoverageEpisode,
    answered: &HashSet<(Uuid, Answered)>,
    today: NaiveDate,
) -> EpisodeForms {
    let state = |what: Answered, due_from: Option<NaiveDate>| {
        if answered.contains(&(e.id, what)) {
            FormState::Done
        } else if due_from.is_some_and(|d| d <= today) {
            FormState::Due
        } else {
            FormState::NotYet
        }
    };
    EpisodeForms {
        episode_id: e.id,
        swemwbs_start: state(Answered::Swemwbs(Timing::Start), Some(e.started_on)),
        swemwbs_end: state(Answered::Swemwbs(Timing::End), e.ended_on),
        jobseeker_satisfaction: state(Answered::JobseekerSatisfaction, e.ended_on),
        employer_satisfaction: match (e.job_started_on, e.employer_id) {
            (Some(job), Some(_)) => Some(state(
                Answered::EmployerSatisfaction,
                Some(job + EMPLOYER_SURVEY_AFTER),
            )),
            _ => None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_episode_owes_each_form_from_the_day_the_rules_say() {
        let id = Uuid::new_v4();
        let e = CoverageEpisode {
            id,
            started_on: d("2026-01-05"),
            ended_on: Some(d("2026-06-30")),
            job_started_on: Some(d("2026-05-01")),
            employer_id: Some(Uuid::new_v4()),
        };
        let none = HashSet::new();
        // Before the end: only the start form is owed; the employer's from four weeks in.
        let f = forms_of(&e, &none, d("2026-05-28"));
        assert_eq!(f.swemwbs_start, FormState::Due);
        assert_eq!(f.swemwbs_end, FormState::NotYet);
        assert_eq!(f.jobseeker_satisfaction, FormState::NotYet);
        assert_eq!(f.employer_satisfaction, Some(FormState::NotYet));
        assert_eq!(
            forms_of(&e, &none, d("2026-05-29")).employer_satisfaction,
            Some(FormState::Due),
            "due exactly four weeks after the job start"
        );
        // The end day: the end form and the satisfaction survey are owed.
        let f = forms_of(&e, &none, d("2026-06-30"));
        assert_eq!(
            (f.swemwbs_end, f.jobseeker_satisfaction),
            (FormState::Due, FormState::Due)
        );
        // Answered, early or on time: done.
        let answered: HashSet<_> = [
            (id, Answered::Swemwbs(Timing::Start)),
            (id, Answered::Swemwbs(Timing::End)),
        ]
        .into_iter()
        .collect();
        let f = forms_of(&e, &answered, d("2026-03-01"));
        assert_eq!(
            (f.swemwbs_start, f.swemwbs_end),
            (FormState::Done, FormState::Done)
        );
        // No employer: no employer survey.
        let alone = CoverageEpisode {
            employer_id: None,
            ..e
        };
        assert_eq!(
            forms_of(&alone, &none, d("2026-07-01")).employer_satisfaction,
            None
        );
        // Support not started yet: nothing owed.
        assert_eq!(
            forms_of(&e, &none, d("2026-01-04")).swemwbs_start,
            FormState::NotYet
        );
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn due_and_answered_follow_starts_ends_and_placements() {
        let march = Period::month(2026, 3).unwrap();
        let (a, b, c) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
        let episodes = [
            // starts and ends in March; start form done, end form and survey missing
            CoverageEpisode {
                id: a,
                started_on: d("2026-03-01"),
                ended_on: Some(d("2026-03-31")),
                job_started_on: None,
                employer_id: None,
            },
            // ended in March with everything done; job started 4 weeks before 10 March
            CoverageEpisode {
                id: b,
                started_on: d("2025-01-01"),
                ended_on: Some(d("2026-03-15")),
                job_started_on: Some(d("2026-02-10")),
                employer_id: Some(Uuid::from_u128(9)),
            },
            // placement due on 1 April: not March's
            CoverageEpisode {
                id: c,
                started_on: d("2025-01-01"),
                ended_on: None,
                job_started_on: Some(d("2026-03-04")),
                employer_id: Some(Uuid::from_u128(9)),
            },
        ];
        let answered: HashSet<_> = [
            (a, Answered::Swemwbs(Timing::Start)),
            (b, Answered::Swemwbs(Timing::End)),
            (b, Answered::JobseekerSatisfaction),
            (b, Answered::EmployerSatisfaction),
        ]
        .into_iter()
        .collect();
        let k = coverage(
            march,
            &episodes,
            &answered,
            &[
                (d("2026-03-02"), true),
                (d("2026-03-03"), false),
                (d("2026-04-01"), true),
            ],
            |_, _| true,
        );
        assert_eq!((k.swemwbs_start.due, k.swemwbs_start.answered), (1, 1));
        assert_eq!((k.swemwbs_end.due, k.swemwbs_end.answered), (2, 1));
        assert_eq!(k.swemwbs_end.pct, Some(Hundredths(5000)));
        // Wilson, 1 of 2: 9.45 to 90.55.
        assert_eq!(
            k.swemwbs_end.pct_interval,
            Some(Interval {
                low: Hundredths(945),
                high: Hundredths(9055)
            })
        );
        assert_eq!(k.swemwbs_start.pct_interval, None, "only one was due");
        assert_eq!(
            (
                k.jobseeker_satisfaction.due,
                k.jobseeker_satisfaction.answered
            ),
            (2, 1)
        );
        assert_eq!(
            (
                k.employer_satisfaction.due,
                k.employer_satisfaction.answered
            ),
            (1, 1)
        );
        assert_eq!((k.invitations_sent, k.invitations_answered), (2, 1));
    }

    #[test]
    fn a_due_survey_counts_only_where_its_due_day_is_attributed() {
        let march = Period::month(2026, 3).unwrap();
        let a = Uuid::from_u128(1);
        // Started 2 March under one specialist, moved on 10 March, ended 20 March.
        let episodes = [CoverageEpisode {
            id: a,
            started_on: d("2026-03-02"),
            ended_on: Some(d("2026-03-20")),
            job_started_on: None,
            employer_id: None,
        }];
        let before_move = |_, day: NaiveDate| day < d("2026-03-10");
        let k = coverage(march, &episodes, &HashSet::new(), &[], before_move);
        assert_eq!(k.swemwbs_start.due, 1);
        assert_eq!(k.swemwbs_end.due, 0);
        assert_eq!(k.jobseeker_satisfaction.due, 0);
        let after_move = |_, day: NaiveDate| day >= d("2026-03-10");
        let k = coverage(march, &episodes, &HashSet::new(), &[], after_move);
        assert_eq!(k.swemwbs_start.due, 0);
        assert_eq!((k.swemwbs_end.due, k.jobseeker_satisfaction.due), (1, 1));
    }

    #[test]
    fn a_count_stored_before_intervals_still_reads_back() {
        let old: DueAnswered =
            serde_json::from_str(r#"{"due": 2, "answered": 1, "pct": 50.0}"#).unwrap();
        assert_eq!(old.pct_interval, None);
    }

    #[test]
    fn nothing_due_means_no_percentage() {
        let k = coverage(
            Period::month(2026, 3).unwrap(),
            &[],
            &HashSet::new(),
            &[],
            |_, _| true,
        );
        assert_eq!(
            k.swemwbs_start,
            DueAnswered {
                due: 0,
                answered: 0,
                pct: None,
                pct_interval: None,
            }
        );
    }
}
