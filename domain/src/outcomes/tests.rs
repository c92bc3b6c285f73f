//! The outcome figures as a manager would check them by hand (DESIGN.md §4a).

use super::*;
use crate::journey::{NotAcceptedReason, OutcomeType, ReferralSource, Sector};
use crate::kpi::interval::wilson;
use crate::records::{Area, Gender};
use std::cell::RefCell;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn h(hundredths: i64) -> Hundredths {
    Hundredths(hundredths)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn q1_2024() -> Period {
    Period::quarter(2024, 1).unwrap()
}

/// A paid new job with nothing else recorded.
fn job(start: &str, end: Option<&str>) -> JobFacts {
    JobFacts {
        started_on: d(start),
        ended_on: end.map(d),
        paid: true,
        outcome: OutcomeType::NewJob,
        sector: None,
        hours_per_week: None,
        hourly_pay: None,
        job_analysis: false,
    }
}

fn unpaid(start: &str) -> JobFacts {
    JobFacts {
        paid: false,
        ..job(start, None)
    }
}

fn episode(n: u128, start: &str, jobs: Vec<JobFacts>) -> EpisodeFacts {
    EpisodeFacts {
        episode_id: id(n),
        programme: Programme::Seqf,
        started_on: d(start),
        profile_started_on: None,
        ended_on: None,
        hours_before: None,
        equality: Equality::default(),
        jobs,
    }
}

fn profiled(n: u128, profile: &str, jobs: Vec<JobFacts>) -> EpisodeFacts {
    EpisodeFacts {
        profile_started_on: Some(d(profile)),
        ..episode(n, "2023-12-01", jobs)
    }
}

fn referral(n: u128, day: &str, started: bool) -> ReferralFacts {
    ReferralFacts {
        referral_id: id(n),
        programme: Programme::Seqf,
        referred_on: d(day),
        source: ReferralSource::JobCentre,
        accepted: started.then_some(true),
        not_accepted_reason: None,
        started,
        equality: Equality::default(),
    }
}

fn refused(n: u128, day: &str, reason: NotAcceptedReason) -> ReferralFacts {
    ReferralFacts {
        accepted: Some(false),
        not_accepted_reason: Some(reason),
        ..referral(n, day, false)
    }
}

/// Every figure, counting everything, with the default settings.
fn figures_with(
    episodes: &[EpisodeFacts],
    referrals: &[ReferralFacts],
    period: Period,
    as_of: &str,
    programme: Programme,
    settings: &OutcomeSettings,
) -> OutcomeFigures {
    outcome_figures(
        episodes,
        referrals,
        period,
        d(as_of),
        programme,
        settings,
        |_, _| true,
        |_| true,
    )
}

fn figures(episodes: &[EpisodeFacts], period: Period, as_of: &str) -> OutcomeFigures {
    let settings = OutcomeSettings::default();
    figures_with(episodes, &[], period, as_of, Programme::Seqf, &settings)
}

fn counts(pairs: &[(&str, u64)]) -> Vec<Count> {
    pairs
        .iter()
        .map(|(key, n)| Count {
            key: (*key).to_owned(),
            n: *n,
        })
        .collect()
}

// ---- KPI A ---------------------------------------------------------------------------------

#[test]
fn kpi_a_is_the_profile_cohort_in_paid_work_by_the_as_of_date_with_those_still_early() {
    // As of 15 May 2025, "still early" is a profile started after 15 May 2024.
    let episodes = [
        // Profile in April, paid job in September: counted, not early.
        profiled(1, "2024-04-10", vec![job("2024-09-01", None)]),
        // Profile exactly 12 months before the as-of date: not early; no job.
        profiled(2, "2024-05-15", vec![]),
        // A day later: early; a paid job on the as-of date itself counts.
        profiled(3, "2024-05-16", vec![job("2025-05-15", None)]),
        // Early; unpaid work, and a paid job the day after the as-of date: not counted.
        profiled(
            4,
            "2024-06-30",
            vec![unpaid("2024-08-01"), job("2025-05-16", None)],
        ),
        // Profile outside the quarter, or none: not in the cohort.
        profiled(5, "2024-07-01", vec![job("2024-07-02", None)]),
        episode(6, "2024-04-02", vec![job("2024-05-01", None)]),
    ];
    let period = Period::financial_quarter(2024, 1).unwrap();
    let a = figures(&episodes, period, "2025-05-15").kpi_a;
    // 2 of 4 = 50.00%: scores 5 (50% = 5) and meets the 40% benchmark.
    assert_eq!((a.rate.numerator, a.rate.n), (2, 4));
    assert_eq!(a.rate.percent, Some(h(5000)));
    assert_eq!(a.rate.interval, wilson(2, 4));
    assert!(a.rate.interval.is_some());
    assert_eq!(a.still_early, 2);
    assert_eq!(a.scored.score, Some(5));
    assert_eq!(a.scored.direction, Direction::AtLeast);
    assert_eq!(a.scored.bands, ScoringBands::default().kpi_a);
    assert_eq!(
        a.judged.benchmark,
        Some(Benchmark::AtLeast { value: h(4000) })
    );
    assert_eq!(a.judged.benchmark_rag, Some(Rag::Green));
    assert_eq!((a.judged.target, a.judged.target_rag), (None, None));
}

#[test]
fn kpi_a_asks_the_filter_on_the_profile_start() {
    let episodes = [
        profiled(1, "2024-01-10", vec![job("2024-02-01", None)]),
        profiled(2, "2024-02-10", vec![]),
        profiled(3, "2024-03-10", vec![]),
    ];
    let settings = OutcomeSettings {
        targets: Targets {
            kpi_a: Some(h(3500)),
            ..Targets::default()
        },
        ..OutcomeSettings::default()
    };
    // Episode 1 was held elsewhere on its profile start.
    let f = outcome_figures(
        &episodes,
        &[],
        q1_2024(),
        d("2024-12-31"),
        Programme::Seqf,
        &settings,
        |_, day| day != d("2024-01-10"),
        |_| true,
    );
    // 0 of 2: scores 0; 0% against a 35% target is Red.
    assert_eq!((f.kpi_a.rate.numerator, f.kpi_a.rate.n), (0, 2));
    assert_eq!(f.kpi_a.rate.percent, Some(h(0)));
    assert_eq!(f.kpi_a.scored.score, Some(0));
    assert_eq!(f.kpi_a.judged.target_rag, Some(Rag::Red));
    // Nobody in the cohort: no value, no score, no RAG.
    let empty = figures(&[], q1_2024(), "2024-12-31").kpi_a;
    assert_eq!((empty.rate.n, empty.rate.percent), (0, None));
    assert_eq!(empty.scored.score, None);
    assert_eq!(empty.judged.benchmark_rag, None);
}

// ---- KPI B ---------------------------------------------------------------------------------

#[test]
fn kpi_b_is_weeks_from_service_start_to_the_first_paid_job_to_one_decimal() {
    let episodes = [
        // 1 January to 28 March 2024 is 87 days = 12.43 weeks -> 12.4. The unpaid work before
        // it and the second paid job after it do not move the first paid job.
        episode(
            1,
            "2024-01-01",
            vec![
                unpaid("2024-01-15"),
                job("2024-05-01", None),
                job("2024-03-28", Some("2024-04-30")),
            ],
        ),
        // First paid job before the quarter: not counted, though another starts in it.
        episode(
            2,
            "2023-10-01",
            vec![job("2023-12-01", None), job("2024-02-01", None)],
        ),
    ];
    let b = figures(&episodes, q1_2024(), "2024-12-31").kpi_b;
    assert_eq!(b.weeks.n, 1);
    assert_eq!(b.weeks.mean, Some(h(1240)));
    assert_eq!(b.weeks.interval, None);
    // 12.4 weeks is within 16 (4) but not 10 (5).
    assert_eq!(b.scored.score, Some(4));
    assert_eq!(b.scored.direction, Direction::AtMost);
}

#[test]
fn kpi_b_rounds_a_half_tenth_of_a_week_away_from_zero() {
    // 80 + 85 + 88 + 90 = 343 days over 4 = 85.75 days = 12.25 weeks -> 12.3 (not 12.2).
    let episodes: Vec<EpisodeFacts> = [80, 85, 88, 90]
        .into_iter()
        .enumerate()
        .map(|(i, days)| {
            let start = d("2024-01-01");
            let first = start + chrono::Days::new(days);
            let mut e = episode(i as u128, "2024-01-01", vec![]);
            e.jobs.push(JobFacts {
                started_on: first,
                ..job("2024-01-01", None)
            });
            e
        })
        .collect();
    let b = figures(&episodes, Period::all_time(), "2024-12-31").kpi_b;
    assert_eq!(b.weeks.n, 4);
    assert_eq!(b.weeks.mean, Some(h(1230)));
    // Days: s² = 56.75 / 3 = 18.9167, s/√4 = 2.174665, t(0.975, 3) = 3.182446, half-width
    // 6.920804 days; 78.829196 / 7 = 11.26 -> 11.3 and 92.670804 / 7 = 13.24 -> 13.2.
    assert_eq!(
        b.weeks.interval,
        Some(Interval {
            low: h(1130),
            high: h(1320)
        })
    );
}

#[test]
fn kpi_b_scores_at_most_its_thresholds() {
    let bands = ScoringBands::default().kpi_b;
    let cases = [
        (1000, 5),
        (1010, 4),
        (1600, 4),
        (1610, 3),
        (2600, 3),
        (2610, 2),
        (3900, 2),
        (3910, 1),
        (5200, 1),
        (5210, 0),
        (0, 5),
    ];
    for (weeks, expected) in cases {
        assert_eq!(
            score(h(weeks), &bands, Direction::AtMost),
            expected,
            "{weeks}"
        );
    }
}

#[test]
fn kpi_a_scores_at_least_its_thresholds_and_has_no_3() {
    let bands = ScoringBands::default().kpi_a;
    let cases = [
        (0, 0),
        (999, 0),
        (1000, 1),
        (2999, 1),
        (3000, 2),
        (3999, 2),
        (4000, 4),
        (4999, 4),
        (5000, 5),
        (10_000, 5),
    ];
    for (percent, expected) in cases {
        assert_eq!(
            score(h(percent), &bands, Direction::AtLeast),
            expected,
            "{percent}"
        );
    }
    assert!(bands.iter().all(|b| b.score != 3));
}

#[test]
fn kpi_e_scores_at_least_its_thresholds() {
    let bands = ScoringBands::default().kpi_e;
    for (threshold, band) in [(5000, 1), (6000, 2), (7000, 3), (8000, 4), (9000, 5)] {
        assert_eq!(score(h(threshold), &bands, Direction::AtLeast), band);
        assert_eq!(
            score(h(threshold - 1), &bands, Direction::AtLeast),
            band - 1
        );
    }
}

#[test]
fn a_score_is_the_highest_band_reached_whatever_order_the_bands_are_in() {
    let bands = [
        Band {
            threshold: h(5000),
            score: 5,
        },
        Band {
            threshold: h(1000),
            score: 1,
        },
    ];
    assert_eq!(score(h(6000), &bands, Direction::AtLeast), 5);
    assert_eq!(score(h(2000), &bands, Direction::AtLeast), 1);
    assert_eq!(score(h(2000), &[], Direction::AtLeast), 0);
}

// ---- Scoring bands and targets an admin edits ----------------------------------------------

#[test]
fn the_seed_bands_are_the_defaults_and_pass_their_check() {
    let b = ScoringBands::default();
    let pairs = |bands: &[Band]| -> Vec<(i64, u8)> {
        bands
            .iter()
            .map(|b| (b.threshold.0 / 100, b.score))
            .collect()
    };
    assert_eq!(pairs(&b.kpi_a), [(10, 1), (30, 2), (40, 4), (50, 5)]);
    assert_eq!(
        pairs(&b.kpi_b),
        [(52, 1), (39, 2), (26, 3), (16, 4), (10, 5)]
    );
    assert_eq!(
        pairs(&b.kpi_e),
        [(50, 1), (60, 2), (70, 3), (80, 4), (90, 5)]
    );
    assert_eq!(b.check(), Ok(()));
}

#[test]
fn bands_a_score_cannot_be_read_from_are_refused_naming_the_kpi() {
    let band = |units: i64, score: u8| Band {
        threshold: Hundredths::from_units(units),
        score,
    };
    let refused = |bands: ScoringBands| bands.check().unwrap_err().field;
    let with_a = |kpi_a| ScoringBands {
        kpi_a,
        ..ScoringBands::default()
    };
    let with_b = |kpi_b| ScoringBands {
        kpi_b,
        ..ScoringBands::default()
    };
    let with_e = |kpi_e| ScoringBands {
        kpi_e,
        ..ScoringBands::default()
    };
    assert_eq!(refused(with_a(vec![band(10, 1), band(20, 1)])), "kpi_a");
    assert_eq!(refused(with_a(vec![band(30, 1), band(20, 2)])), "kpi_a");
    assert_eq!(refused(with_a(vec![band(30, 1), band(30, 2)])), "kpi_a");
    assert_eq!(refused(with_a(vec![band(101, 1)])), "kpi_a");
    assert_eq!(refused(with_a(vec![band(10, 0)])), "kpi_a");
    assert_eq!(refused(with_a(vec![band(10, 6)])), "kpi_a");
    assert_eq!(refused(with_a(vec![])), "kpi_a");
    let six = (1..=6).map(|s| band(i64::from(s) * 10, s)).collect();
    assert_eq!(refused(with_e(six)), "kpi_e");
    // B falls as the score rises.
    assert_eq!(refused(with_b(vec![band(10, 1), band(20, 2)])), "kpi_b");
    assert_eq!(refused(with_b(vec![band(0, 1)])), "kpi_b");
    assert_eq!(with_b(vec![band(60, 1), band(8, 5)]).check(), Ok(()));
    // Order in the list does not matter; a percentage of 0 or 100 is fine.
    assert_eq!(with_a(vec![band(100, 5), band(0, 1)]).check(), Ok(()));
}

#[test]
fn targets_are_percentages_or_positive_counts_and_pounds() {
    assert_eq!(Targets::default().check(), Ok(()));
    let ok = Targets {
        access: Some(h(10_000)),
        kpi_a: Some(h(0)),
        into_paid_work: Some(h(4000)),
        kpi_e: Some(h(7000)),
        caseload: Some(h(1500)),
        cost_per_participant: Some(h(1)),
        cost_per_job_outcome: Some(h(300_000)),
    };
    assert_eq!(ok.check(), Ok(()));
    let field = |t: Targets| t.check().unwrap_err().field;
    assert_eq!(
        field(Targets {
            access: Some(h(10_001)),
            ..Targets::default()
        }),
        "targets.access"
    );
    assert_eq!(
        field(Targets {
            kpi_e: Some(h(-1)),
            ..Targets::default()
        }),
        "targets.kpi_e"
    );
    assert_eq!(
        field(Targets {
            caseload: Some(h(0)),
            ..Targets::default()
        }),
        "targets.caseload"
    );
    assert_eq!(
        field(Targets {
            cost_per_job_outcome: Some(h(-100)),
            ..Targets::default()
        }),
        "targets.cost_per_job_outcome"
    );
}

// ---- KPI E ---------------------------------------------------------------------------------

#[test]
fn kpi_e_a_28_day_gap_continues_the_spell_and_29_days_break_it() {
    // 10 January + 182 days = 10 July 2024, which falls in the gap between the two jobs.
    let episodes = [
        // 1 July to 29 July is 28 days: the same spell, still in work on 10 July.
        episode(
            1,
            "2023-12-01",
            vec![
                job("2024-01-10", Some("2024-07-01")),
                job("2024-07-29", None),
            ],
        ),
        // 1 July to 30 July is 29 days: the spell ended on 1 July.
        episode(
            2,
            "2023-12-01",
            vec![
                job("2024-01-10", Some("2024-07-01")),
                job("2024-07-30", None),
            ],
        ),
        // Overlapping jobs make one spell: 1 February + 182 = 1 August, in the second job.
        episode(
            3,
            "2023-12-01",
            vec![
                job("2024-02-01", Some("2024-03-01")),
                job("2024-02-15", None),
            ],
        ),
        // 1 March + 182 = 30 August: a job ending that day is still work that day ...
        episode(4, "2023-12-01", vec![job("2024-03-01", Some("2024-08-30"))]),
        // ... and one ending the day before is not.
        episode(5, "2023-12-01", vec![job("2024-03-01", Some("2024-08-29"))]),
        // First paid job before the quarter: not in the cohort.
        episode(
            6,
            "2023-12-01",
            vec![
                job("2023-12-31", Some("2024-01-01")),
                job("2024-02-01", None),
            ],
        ),
    ];
    let e = figures(&episodes, q1_2024(), "2025-01-31").kpi_e;
    // 3 of 5 = 60.00%: scores 2, and is Red against 70% (short by more than 7 points).
    assert_eq!((e.rate.numerator, e.rate.n), (3, 5));
    assert_eq!(e.rate.percent, Some(h(6000)));
    assert_eq!(e.too_early, 0);
    assert_eq!(e.weeks, 26);
    assert_eq!(e.scored.score, Some(2));
    assert_eq!(
        e.judged.benchmark,
        Some(Benchmark::AtLeast { value: h(7000) })
    );
    assert_eq!(e.judged.benchmark_rag, Some(Rag::Red));
}

#[test]
fn kpi_e_too_early_to_tell_is_not_counted_as_a_failure() {
    // As of 30 August 2024: 1 March + 182 = 30 August is over; 2 March + 182 = 31 August
    // is not.
    let episodes = [
        episode(1, "2024-01-01", vec![job("2024-03-01", None)]),
        episode(2, "2024-01-01", vec![job("2024-03-02", Some("2024-03-05"))]),
        episode(3, "2024-01-01", vec![job("2024-01-10", Some("2024-02-01"))]),
    ];
    let e = figures(&episodes, q1_2024(), "2024-08-30").kpi_e;
    // 1 of 2 = 50.00% (scores 1); the one whose 26 weeks are not over is only "too early".
    assert_eq!((e.rate.numerator, e.rate.n), (1, 2));
    assert_eq!(e.rate.percent, Some(h(5000)));
    assert_eq!(e.too_early, 1);
    assert_eq!(e.scored.score, Some(1));
}

#[test]
fn kpi_e_ips_looks_13_weeks_ahead() {
    // 10 January + 91 days = 10 April 2024: a job ending that day is sustained for IPS, not
    // for SEQF's 26 weeks.
    let mut episodes = vec![episode(
        1,
        "2024-01-01",
        vec![job("2024-01-10", Some("2024-04-10"))],
    )];
    episodes.push(episode(2, "2024-01-01", vec![job("2024-01-11", None)]));
    let settings = OutcomeSettings::default();
    let ips = figures_with(
        &episodes,
        &[],
        q1_2024(),
        "2024-04-10",
        Programme::Ips,
        &settings,
    )
    .kpi_e;
    assert_eq!(ips.weeks, 13);
    // Episode 2's 13 weeks end on 11 April: too early as of 10 April.
    assert_eq!((ips.rate.numerator, ips.rate.n, ips.too_early), (1, 1, 1));
    assert_eq!(
        ips.judged.benchmark,
        Some(Benchmark::AtLeast { value: h(6500) })
    );
    assert_eq!(ips.judged.benchmark_rag, Some(Rag::Green));
    let seqf = figures(&episodes, q1_2024(), "2024-12-31").kpi_e;
    assert_eq!(seqf.weeks, 26);
    assert_eq!((seqf.rate.numerator, seqf.rate.n), (1, 2));
}

#[test]
fn kpi_e_a_new_spell_after_a_longer_gap_is_not_the_work_sustained() {
    // Seed 000: "people starting work who sustain paid work for 6 months". The first spell
    // ended on 1 February; the job from 1 April is a new spell, so 10 July does not count.
    let episodes = [episode(
        1,
        "2024-01-01",
        vec![
            job("2024-01-10", Some("2024-02-01")),
            job("2024-04-01", None),
        ],
    )];
    let e = figures(&episodes, q1_2024(), "2024-12-31").kpi_e;
    assert_eq!((e.rate.numerator, e.rate.n), (0, 1));
}

#[test]
fn kpi_e_reads_the_work_as_known_on_the_as_of_date() {
    // As of 20 July: the spell ended 1 July and no job had started since, though one is
    // dated 25 July (within 28 days). The report for that date says not sustained.
    let episodes = [episode(
        1,
        "2024-01-01",
        vec![
            job("2024-01-10", Some("2024-07-01")),
            job("2024-07-25", None),
        ],
    )];
    let then = figures(&episodes, q1_2024(), "2024-07-20").kpi_e;
    assert_eq!((then.rate.numerator, then.rate.n), (0, 1));
    let now = figures(&episodes, q1_2024(), "2024-07-31").kpi_e;
    assert_eq!((now.rate.numerator, now.rate.n), (1, 1));
}

// ---- Access and starters into paid work ----------------------------------------------------

#[test]
fn access_is_referrals_that_started_with_the_reasons_others_were_not_accepted() {
    let referrals = [
        referral(1, "2024-01-05", true),
        referral(2, "2024-02-01", true),
        referral(3, "2024-03-31", false),
        refused(4, "2024-02-10", NotAcceptedReason::Declined),
        refused(5, "2024-03-01", NotAcceptedReason::Declined),
        refused(6, "2024-03-02", NotAcceptedReason::CouldNotContact),
        // Outside the quarter.
        referral(7, "2023-12-31", true),
        refused(8, "2024-04-01", NotAcceptedReason::Ineligible),
    ];
    let settings = OutcomeSettings {
        targets: Targets {
            access: Some(h(3500)),
            ..Targets::default()
        },
        ..OutcomeSettings::default()
    };
    let f = figures_with(
        &[],
        &referrals,
        q1_2024(),
        "2024-12-31",
        Programme::Seqf,
        &settings,
    );
    // 2 of 6 = 33.33%: Red against 70%; Amber against a 35% target (31.5% is 10% short).
    assert_eq!((f.access.numerator, f.access.n), (2, 6));
    assert_eq!(f.access.percent, Some(h(3333)));
    assert_eq!(f.access.interval, wilson(2, 6));
    assert_eq!(f.access_judged.benchmark_rag, Some(Rag::Red));
    assert_eq!(
        f.access_judged.target,
        Some(Benchmark::AtLeast { value: h(3500) })
    );
    assert_eq!(f.access_judged.target_rag, Some(Rag::Amber));
    assert_eq!(
        f.not_accepted,
        counts(&[
            ("ineligible", 0),
            ("declined", 2),
            ("could_not_contact", 1),
            ("other", 0)
        ])
    );
}

#[test]
fn access_asks_the_filter_about_each_referral() {
    let referrals = [
        referral(1, "2024-01-05", true),
        refused(2, "2024-02-10", NotAcceptedReason::Other),
    ];
    let f = outcome_figures(
        &[],
        &referrals,
        q1_2024(),
        d("2024-12-31"),
        Programme::Seqf,
        &OutcomeSettings::default(),
        |_, _| true,
        |r| r.referral_id == id(2),
    );
    assert_eq!((f.access.numerator, f.access.n), (0, 1));
    assert_eq!(
        f.not_accepted[3],
        Count {
            key: "other".into(),
            n: 1
        }
    );
}

#[test]
fn starters_into_paid_work_by_the_as_of_date() {
    let episodes = [
        episode(1, "2024-01-15", vec![job("2024-05-01", None)]),
        episode(2, "2024-02-01", vec![unpaid("2024-02-02")]),
        episode(3, "2024-03-31", vec![job("2025-01-01", None)]),
        episode(4, "2023-12-01", vec![job("2024-01-01", None)]),
    ];
    let f = figures(&episodes, q1_2024(), "2024-12-31");
    // 1 of 3 = 33.33%: Red against 40% (36% would be Amber).
    assert_eq!((f.into_paid_work.numerator, f.into_paid_work.n), (1, 3));
    assert_eq!(f.into_paid_work.percent, Some(h(3333)));
    assert_eq!(
        f.into_paid_work_judged.benchmark,
        Some(Benchmark::AtLeast { value: h(4000) })
    );
    assert_eq!(f.into_paid_work_judged.benchmark_rag, Some(Rag::Red));
}

// ---- Job figures ---------------------------------------------------------------------------

#[test]
fn job_figures_over_the_jobs_started_in_the_period() {
    let mut ep1 = episode(
        1,
        "2024-01-02",
        vec![
            // 23 on 10 January 2024: the April 2023 table's 23+ rate, £10.42: at.
            JobFacts {
                sector: Some(Sector::G),
                hours_per_week: Some(h(3000)),
                hourly_pay: Some(h(1042)),
                job_analysis: true,
                ..job("2024-01-10", Some("2024-01-31"))
            },
            JobFacts {
                outcome: OutcomeType::RetainedJob,
                hours_per_week: Some(h(1600)),
                hourly_pay: Some(h(1200)),
                ..job("2024-02-01", None)
            },
            JobFacts {
                sector: Some(Sector::G),
                job_analysis: true,
                ..unpaid("2024-02-15")
            },
        ],
    );
    ep1.equality.born_on = Some(d("2000-06-15"));
    ep1.hours_before = Some(h(800));
    let mut ep2 = episode(
        2,
        "2024-02-20",
        vec![
            // An apprenticeship at £5.00 against the apprentice rate of £5.28: below.
            JobFacts {
                outcome: OutcomeType::Apprenticeship,
                sector: Some(Sector::C),
                hours_per_week: Some(h(3750)),
                hourly_pay: Some(h(500)),
                ..job("2024-03-01", Some("2024-04-30"))
            },
            // Self-employment, no pay recorded: not known.
            JobFacts {
                outcome: OutcomeType::SelfEmployment,
                sector: Some(Sector::A),
                ..job("2024-03-15", Some("2024-06-14"))
            },
        ],
    );
    ep2.equality.born_on = Some(d("2005-01-01"));
    // A job after the quarter and hours before that are not counted.
    let mut ep3 = episode(3, "2024-03-01", vec![job("2024-04-02", None)]);
    ep3.hours_before = Some(h(2000));
    let f = figures(&[ep1, ep2, ep3], q1_2024(), "2024-12-31");
    assert_eq!(
        f.outcome_mix,
        counts(&[
            ("new_job", 2),
            ("retained_job", 1),
            ("self_employment", 1),
            ("apprenticeship", 1)
        ])
    );
    // 2 of 5 jobs had a job analysis.
    assert_eq!((f.job_analysis.numerator, f.job_analysis.n), (2, 5));
    assert_eq!(f.job_analysis.percent, Some(h(4000)));
    assert_eq!(
        f.sectors,
        counts(&[("A", 1), ("C", 1), ("G", 2), ("not_recorded", 1)])
    );
    // Paid jobs' hours: (30 + 16 + 37.5) / 3 = 27.833 -> 27.83; pay (10.42 + 12 + 5) / 3
    // = 9.14.
    assert_eq!((f.hours_after.n, f.hours_after.mean), (3, Some(h(2783))));
    assert_eq!((f.hourly_pay.n, f.hourly_pay.mean), (3, Some(h(914))));
    assert!(f.hours_after.interval.is_some());
    assert_eq!(
        f.minimum_wage,
        counts(&[("above", 1), ("at", 1), ("below", 1), ("not_known", 1)])
    );
    // Hours before: only episode 1 has a paid job in the quarter and hours recorded.
    assert_eq!((f.hours_before.n, f.hours_before.mean), (1, Some(h(800))));
    assert_eq!(f.hours_before.interval, None);
    // Spells begun in the quarter: 10 January, still going on 31 December (356 days), and
    // 1 March to 14 June (105 days, two overlapping jobs). 461 / 14 = 32.93 weeks.
    assert_eq!(f.sustained_weeks.n, 2);
    assert_eq!(f.sustained_weeks.mean, Some(h(3293)));
}

#[test]
fn each_figure_asks_the_filter_on_its_own_day() {
    let mut e = episode(
        1,
        "2024-01-02",
        vec![job("2024-02-01", None), unpaid("2024-03-01")],
    );
    e.profile_started_on = Some(d("2024-01-10"));
    let asked = RefCell::new(std::collections::BTreeSet::new());
    outcome_figures(
        &[e],
        &[],
        q1_2024(),
        d("2024-12-31"),
        Programme::Seqf,
        &OutcomeSettings::default(),
        |_, day| {
            asked.borrow_mut().insert(day);
            true
        },
        |_| true,
    );
    // Service start, profile start, first paid job (and spell) start, each job's start.
    let days: Vec<NaiveDate> = asked.into_inner().into_iter().collect();
    assert_eq!(
        days,
        [
            d("2024-01-02"),
            d("2024-01-10"),
            d("2024-02-01"),
            d("2024-03-01")
        ]
    );
}

#[test]
fn an_episode_is_on_the_caseload_from_its_start_to_its_end_day() {
    let mut e = episode(1, "2024-01-10", vec![]);
    assert!(!active_on(&e, d("2024-01-09")));
    assert!(active_on(&e, d("2024-01-10")));
    assert!(active_on(&e, d("2030-01-01")));
    e.ended_on = Some(d("2024-03-31"));
    assert!(active_on(&e, d("2024-03-31")));
    assert!(!active_on(&e, d("2024-04-01")));
}

// ---- Cost ----------------------------------------------------------------------------------

fn contract(first: &str, last: &str, pounds: i64) -> ContractValue {
    ContractValue {
        first: d(first),
        last: d(last),
        amount: Hundredths::from_units(pounds),
    }
}

#[test]
fn cost_per_participant_and_per_job_outcome_from_the_contract_values_inside_the_period() {
    let ended = |n, start: &str, end: &str| EpisodeFacts {
        ended_on: Some(d(end)),
        ..episode(n, start, vec![])
    };
    let mut episodes = vec![
        // Ended on the span's first day: supported in it. Its first paid job came before.
        EpisodeFacts {
            jobs: vec![job("2024-03-15", None)],
            ..ended(1, "2024-03-01", "2024-04-01")
        },
        // Ended the day before: not.
        ended(2, "2024-03-01", "2024-03-31"),
        // Started on the span's last day: supported; the day after: not.
        episode(3, "2025-03-31", vec![]),
        episode(4, "2025-04-01", vec![]),
        // Two first paid jobs in the span, and unpaid work that is no job outcome.
        episode(5, "2024-06-01", vec![job("2024-07-01", None)]),
        episode(6, "2024-06-01", vec![job("2025-03-31", None)]),
        episode(7, "2024-06-01", vec![unpaid("2024-07-01")]),
    ];
    for n in 8..=11 {
        episodes.push(episode(n, "2024-06-01", vec![]));
    }
    let settings = OutcomeSettings {
        contract_values: vec![
            contract("2024-04-01", "2024-09-30", 30_000),
            contract("2024-10-01", "2025-03-31", 33_000),
            // Not wholly inside the financial year: left out.
            contract("2025-03-01", "2025-04-30", 5_000),
        ],
        targets: Targets {
            cost_per_participant: Some(Hundredths::from_units(7_000)),
            cost_per_job_outcome: Some(Hundredths::from_units(30_000)),
            ..Targets::default()
        },
        ..OutcomeSettings::default()
    };
    let year = Period::financial_year(2024).unwrap();
    let f = figures_with(
        &episodes,
        &[],
        year,
        "2025-05-01",
        Programme::Seqf,
        &settings,
    );
    let cost = f.cost.unwrap();
    assert_eq!(cost.contract_value, Hundredths::from_units(63_000));
    assert_eq!((cost.first, cost.last), (d("2024-04-01"), d("2025-03-31")));
    // Episodes 1, 3 and 5 to 11: 9 participants; £63,000 / 9 = £7,000.00.
    assert_eq!(cost.participants, 9);
    assert_eq!(cost.per_participant, Some(Hundredths::from_units(7_000)));
    // SEQF's £4,500–£6,500: £7,000 is within 10% above £6,500 (£7,150): Amber. The £7,000
    // target (at most) is met.
    assert_eq!(
        cost.per_participant_judged.benchmark,
        Some(Benchmark::Between {
            low: Hundredths::from_units(4_500),
            high: Hundredths::from_units(6_500)
        })
    );
    assert_eq!(cost.per_participant_judged.benchmark_rag, Some(Rag::Amber));
    assert_eq!(
        cost.per_participant_judged.target,
        Some(Benchmark::AtMost {
            value: Hundredths::from_units(7_000)
        })
    );
    assert_eq!(cost.per_participant_judged.target_rag, Some(Rag::Green));
    // 2 job outcomes: £31,500 each. Red against £2,818–£4,024; Amber against £30,000.
    assert_eq!(cost.job_outcomes, 2);
    assert_eq!(cost.per_job_outcome, Some(Hundredths::from_units(31_500)));
    assert_eq!(cost.per_job_outcome_judged.benchmark_rag, Some(Rag::Red));
    assert_eq!(cost.per_job_outcome_judged.target_rag, Some(Rag::Amber));
}

#[test]
fn cost_is_to_the_penny_and_absent_without_a_contract_value_inside_the_period() {
    let settings = OutcomeSettings {
        contract_values: vec![contract("2024-01-01", "2024-03-31", 100)],
        ..OutcomeSettings::default()
    };
    let episodes: Vec<EpisodeFacts> = (1..=3).map(|n| episode(n, "2024-01-01", vec![])).collect();
    let f = figures_with(
        &episodes,
        &[],
        q1_2024(),
        "2024-12-31",
        Programme::Ips,
        &settings,
    );
    let cost = f.cost.unwrap();
    // £100 / 3 = £33.333 -> £33.33; no job outcomes: no cost per job outcome, no RAG.
    assert_eq!(cost.per_participant, Some(h(3333)));
    assert_eq!(cost.per_participant_judged.benchmark_rag, Some(Rag::Red));
    assert_eq!(cost.job_outcomes, 0);
    assert_eq!(cost.per_job_outcome, None);
    assert_eq!(cost.per_job_outcome_judged.benchmark_rag, None);
    // £200 / 3 = £66.667 -> £66.67.
    let settings = OutcomeSettings {
        contract_values: vec![contract("2024-01-01", "2024-03-31", 200)],
        ..OutcomeSettings::default()
    };
    let f = figures_with(
        &episodes,
        &[],
        q1_2024(),
        "2024-12-31",
        Programme::Ips,
        &settings,
    );
    assert_eq!(f.cost.unwrap().per_participant, Some(h(6667)));
    // A month's figures hold no quarter's contract value.
    let january = Period::month(2024, 1).unwrap();
    let f = figures_with(
        &episodes,
        &[],
        january,
        "2024-12-31",
        Programme::Ips,
        &settings,
    );
    assert_eq!(f.cost, None);
}

// ---- Benchmarks and RAG --------------------------------------------------------------------

#[test]
fn rag_at_the_benchmark_within_10_percent_and_beyond() {
    let at_least = Benchmark::AtLeast { value: h(7000) };
    assert_eq!(rag(h(7000), at_least), Rag::Green);
    assert_eq!(rag(h(10_000), at_least), Rag::Green);
    assert_eq!(rag(h(6999), at_least), Rag::Amber);
    // Exactly 10% short (63.00 of 70.00) is Amber; a hundredth more is Red.
    assert_eq!(rag(h(6300), at_least), Rag::Amber);
    assert_eq!(rag(h(6299), at_least), Rag::Red);

    let at_most = Benchmark::AtMost { value: h(1500) };
    assert_eq!(rag(h(1500), at_most), Rag::Green);
    assert_eq!(rag(h(0), at_most), Rag::Green);
    assert_eq!(rag(h(1650), at_most), Rag::Amber);
    assert_eq!(rag(h(1651), at_most), Rag::Red);

    // A range: each side against its nearer end.
    let between = Benchmark::Between {
        low: Hundredths::from_units(4_500),
        high: Hundredths::from_units(6_500),
    };
    // In pence.
    for (pence, expected) in [
        (450_000, Rag::Green),
        (650_000, Rag::Green),
        (500_000, Rag::Green),
        (405_000, Rag::Amber),
        (404_999, Rag::Red),
        (715_000, Rag::Amber),
        (715_001, Rag::Red),
    ] {
        assert_eq!(rag(h(pence), between), expected, "{pence}");
    }
}

#[test]
fn seed_003_benchmarks_by_programme() {
    let units = Hundredths::from_units;
    let seqf = benchmarks(Programme::Seqf);
    let ips = benchmarks(Programme::Ips);
    for b in [&seqf, &ips] {
        assert_eq!(b.access, Benchmark::AtLeast { value: units(70) });
        assert_eq!(b.into_paid_work, Benchmark::AtLeast { value: units(40) });
        assert_eq!(
            b.cost_per_job_outcome,
            Benchmark::Between {
                low: units(2_818),
                high: units(4_024)
            }
        );
        assert_eq!(b.job_outcome_rate, Benchmark::AtLeast { value: units(43) });
    }
    assert_eq!(seqf.sustained, Benchmark::AtLeast { value: units(70) });
    assert_eq!(ips.sustained, Benchmark::AtLeast { value: units(65) });
    assert_eq!(seqf.caseload, Benchmark::AtMost { value: units(15) });
    assert_eq!(ips.caseload, Benchmark::AtMost { value: units(25) });
    assert_eq!(seqf.caseload_senior, None);
    assert_eq!(
        ips.caseload_senior,
        Some(Benchmark::AtMost { value: units(20) })
    );
    assert_eq!(
        seqf.cost_per_participant,
        Benchmark::Between {
            low: units(4_500),
            high: units(6_500)
        }
    );
    assert_eq!(
        ips.cost_per_participant,
        Benchmark::Between {
            low: units(2_000),
            high: units(2_500)
        }
    );
}

// ---- Minimum wage --------------------------------------------------------------------------

fn nmw(born: &str, on: &str) -> Option<Hundredths> {
    minimum_wage(&uk_minimum_wage_table(), d(born), d(on), false)
}

#[test]
fn the_rate_changes_on_1_april() {
    // An adult on 31 March 2025 is owed £11.44, on 1 April £12.21.
    assert_eq!(nmw("1990-01-01", "2025-03-31"), Some(h(1144)));
    assert_eq!(nmw("1990-01-01", "2025-04-01"), Some(h(1221)));
    // So £11.44 an hour is at the minimum for a job starting on 31 March, below it a day later.
    let pay = Some(h(1144));
    assert_eq!(
        compare_pay(pay, nmw("1990-01-01", "2025-03-31")),
        PayVsMinimum::At
    );
    assert_eq!(
        compare_pay(pay, nmw("1990-01-01", "2025-04-01")),
        PayVsMinimum::Below
    );
    // Before the table begins there is no rate.
    assert_eq!(nmw("1990-01-01", "2021-03-31"), None);
    assert_eq!(nmw("1990-01-01", "2021-04-01"), Some(h(891)));
    assert_eq!(nmw("1990-01-01", "2026-04-01"), Some(h(1271)));
}

#[test]
fn the_adult_rate_starts_on_the_21st_birthday() {
    // Born 15 June 2003: 20 on 14 June 2024 (18–20 rate £8.60), 21 on 15 June (£11.44).
    assert_eq!(nmw("2003-06-15", "2024-06-14"), Some(h(860)));
    assert_eq!(nmw("2003-06-15", "2024-06-15"), Some(h(1144)));
}

#[test]
fn a_29_february_birthday_falls_on_1_march_in_other_years() {
    assert_eq!(equality::age_on(d("2004-02-29"), d("2025-02-28")), 20);
    assert_eq!(equality::age_on(d("2004-02-29"), d("2025-03-01")), 21);
    assert_eq!(equality::age_on(d("2004-02-29"), d("2024-02-28")), 19);
    assert_eq!(equality::age_on(d("2004-02-29"), d("2024-02-29")), 20);
    assert_eq!(nmw("2004-02-29", "2025-02-28"), Some(h(860)));
    assert_eq!(nmw("2004-02-29", "2025-03-01"), Some(h(1144)));
}

#[test]
fn only_the_bands_of_the_table_in_force_apply() {
    // 2023: 22 is the 21–22 rate, 23 the 23+ rate.
    assert_eq!(nmw("2001-01-01", "2023-06-01"), Some(h(1018)));
    assert_eq!(nmw("2000-01-01", "2023-06-01"), Some(h(1042)));
    // 2024 has no 23+ band: a 40-year-old is on the 21+ rate, not 2023's 23+ one.
    assert_eq!(nmw("1984-01-01", "2024-04-01"), Some(h(1144)));
    // 16 and 17 year olds; under 16 there is no rate.
    assert_eq!(nmw("2008-04-01", "2024-04-01"), Some(h(640)));
    assert_eq!(nmw("2008-04-02", "2024-04-01"), None);
}

#[test]
fn an_apprenticeship_takes_the_apprentice_rate() {
    let table = uk_minimum_wage_table();
    let born = d("1990-01-01");
    assert_eq!(
        minimum_wage(&table, born, d("2025-04-01"), true),
        Some(h(755))
    );
    assert_eq!(
        minimum_wage(&table, born, d("2021-04-01"), true),
        Some(h(430))
    );
    // A table without an apprentice row that year falls back on the age rate.
    let no_apprentice: Vec<WageRate> = table.iter().copied().filter(|r| !r.apprentice).collect();
    assert_eq!(
        minimum_wage(&no_apprentice, born, d("2025-04-01"), true),
        Some(h(1221))
    );
    // Under 16 there is no rate, apprentice or not.
    assert_eq!(
        minimum_wage(&table, d("2010-01-01"), d("2025-04-01"), true),
        None
    );
}

#[test]
fn pay_is_compared_to_the_penny() {
    let min = Some(h(1221));
    assert_eq!(compare_pay(Some(h(1222)), min), PayVsMinimum::Above);
    assert_eq!(compare_pay(Some(h(1221)), min), PayVsMinimum::At);
    assert_eq!(compare_pay(Some(h(1220)), min), PayVsMinimum::Below);
    assert_eq!(compare_pay(None, min), PayVsMinimum::NotKnown);
    assert_eq!(compare_pay(Some(h(1221)), None), PayVsMinimum::NotKnown);
}

#[test]
fn the_uk_table_passes_its_check_and_broken_tables_do_not() {
    let table = uk_minimum_wage_table();
    assert_eq!(table.len(), 5 * 3 + 4 * 3);
    assert_eq!(wage::check_table(&table), Ok(()));
    assert_eq!(wage::check_table(&[]), Ok(()));
    let row = WageRate {
        from: d("2027-04-01"),
        min_age: 21,
        apprentice: false,
        rate: h(1300),
    };
    let refused = |rows: &[WageRate]| wage::check_table(rows).unwrap_err().field;
    assert_eq!(refused(&[row, row]), "minimum_wage");
    assert_eq!(refused(&[WageRate { rate: h(0), ..row }]), "minimum_wage");
    assert_eq!(
        refused(&[WageRate {
            rate: h(10_001),
            ..row
        }]),
        "minimum_wage"
    );
    assert_eq!(refused(&[WageRate { min_age: 15, ..row }]), "minimum_wage");
    assert_eq!(refused(&[WageRate { min_age: 26, ..row }]), "minimum_wage");
    let apprentice = WageRate {
        apprentice: true,
        min_age: 0,
        ..row
    };
    assert_eq!(wage::check_table(&[row, apprentice]), Ok(()));
    assert_eq!(
        refused(&[WageRate {
            min_age: 16,
            ..apprentice
        }]),
        "minimum_wage"
    );
}

// ---- Equality groups and suppression -------------------------------------------------------

#[test]
fn age_bands_change_on_the_birthday() {
    let born = d("2000-06-15");
    let band = |on: &str| equality::age_band(born, d(on));
    assert_eq!(band("2018-06-14"), AgeBand::Under18);
    assert_eq!(band("2018-06-15"), AgeBand::From18To24);
    assert_eq!(band("2025-06-14"), AgeBand::From18To24);
    assert_eq!(band("2025-06-15"), AgeBand::From25To34);
    assert_eq!(band("2035-06-15"), AgeBand::From35To49);
    assert_eq!(band("2050-06-15"), AgeBand::From50To64);
    assert_eq!(band("2065-06-14"), AgeBand::From50To64);
    assert_eq!(band("2065-06-15"), AgeBand::From65);
    // Before birth (a data slip) is no age at all.
    assert_eq!(equality::age_on(born, d("1999-01-01")), 0);
}

#[test]
fn a_persons_group_is_their_answer_or_not_recorded() {
    let mut e = Equality {
        gender: Some(Gender::PreferNotToSay),
        born_on: Some(d("2006-03-15")),
        area: Some(Area::Rural),
        ..Equality::default()
    };
    let on = d("2024-03-15");
    assert_eq!(
        group_of(&e, EqualityDimension::Gender, on),
        "prefer_not_to_say"
    );
    assert_eq!(group_of(&e, EqualityDimension::AgeBand, on), "18_24");
    assert_eq!(
        group_of(&e, EqualityDimension::AgeBand, d("2024-03-14")),
        "under_18"
    );
    assert_eq!(group_of(&e, EqualityDimension::Area, on), "rural");
    assert_eq!(
        group_of(&e, EqualityDimension::Ethnicity, on),
        "not_recorded"
    );
    assert_eq!(
        group_of(&e, EqualityDimension::PayVsMinimumWage, on),
        "not_recorded"
    );
    e.born_on = None;
    assert_eq!(group_of(&e, EqualityDimension::AgeBand, on), "not_recorded");
}

#[test]
fn suppression_hides_small_groups_and_the_next_smallest_when_only_one_is_small() {
    // One group under 5 (3): the next smallest (8) goes too, so 3 cannot be had by
    // subtraction.
    assert_eq!(suppressed(&[12, 3, 8, 20], 5), [false, true, true, false]);
    // Two under 5: nothing more.
    assert_eq!(suppressed(&[2, 3, 10], 5), [true, true, false]);
    // An empty group counts as small; of equal next-smallest groups the first goes.
    assert_eq!(suppressed(&[0, 10, 10], 5), [true, true, false]);
    assert_eq!(suppressed(&[10, 4, 7, 7], 5), [false, true, true, false]);
    // Exactly the threshold is shown.
    assert_eq!(suppressed(&[5, 5], 5), [false, false]);
    // A lone group has nothing to hide behind.
    assert_eq!(suppressed(&[3], 5), [true]);
    // A threshold of 0 or 1 hides nothing.
    assert_eq!(suppressed(&[0, 10], 1), [false, false]);
    assert_eq!(suppressed(&[0, 10], 0), [false, false]);
    assert_eq!(suppressed(&[], 5), Vec::<bool>::new());
}

#[test]
fn every_group_of_a_dimension_is_listed_once_in_order() {
    assert_eq!(
        equality::groups(EqualityDimension::Gender),
        [
            "woman",
            "man",
            "non_binary",
            "other",
            "prefer_not_to_say",
            "not_recorded"
        ]
    );
    assert_eq!(
        equality::groups(EqualityDimension::AgeBand),
        [
            "under_18",
            "18_24",
            "25_34",
            "35_49",
            "50_64",
            "65_and_over",
            "not_recorded"
        ]
    );
    assert_eq!(
        equality::groups(EqualityDimension::PayVsMinimumWage),
        ["above", "at", "below", "not_known"]
    );
    for by in EqualityDimension::ALL {
        let groups = equality::groups(*by);
        let mut unique = groups.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), groups.len(), "{by}");
        if *by != EqualityDimension::PayVsMinimumWage {
            assert_eq!(groups.last(), Some(&"not_recorded"), "{by}");
        }
    }
}

/// Episodes of people living in one kind of area (`None`: not recorded): service start
/// 2 January 2024, profile 15 January, and the first `paid` of them a paid job from
/// 1 February (30 days: 4.3 weeks), still going.
fn living_in(area: Option<Area>, people: u128, paid: u128, first_id: u128) -> Vec<EpisodeFacts> {
    (0..people)
        .map(|i| {
            let jobs = if i < paid {
                vec![job("2024-02-01", None)]
            } else {
                vec![]
            };
            let mut e = episode(first_id + i, "2024-01-02", jobs);
            e.profile_started_on = Some(d("2024-01-15"));
            e.equality.area = area;
            e
        })
        .collect()
}

fn answers(area: Option<Area>, ratings: &[u8], day: &str) -> Vec<(Equality, NaiveDate, u8)> {
    ratings
        .iter()
        .map(|r| {
            let e = Equality {
                area,
                ..Equality::default()
            };
            (e, d(day), *r)
        })
        .collect()
}

fn area_split(suppress: bool) -> EqualityFigures {
    let mut episodes = living_in(Some(Area::Urban), 7, 4, 100);
    episodes.extend(living_in(Some(Area::Rural), 5, 2, 200));
    episodes.extend(living_in(Some(Area::PreferNotToSay), 5, 5, 300));
    episodes.extend(living_in(None, 2, 1, 400));
    let mut kpi_d = answers(Some(Area::Urban), &[5, 4, 4, 4, 4], "2024-02-10");
    kpi_d.extend(answers(
        Some(Area::Rural),
        &[3, 3, 3, 3, 3, 3],
        "2024-03-10",
    ));
    kpi_d.extend(answers(None, &[5], "2024-03-31"));
    // Outside the quarter.
    kpi_d.extend(answers(Some(Area::Rural), &[1], "2024-04-01"));
    let mut referrals = vec![referral(1, "2024-01-05", true)];
    referrals[0].equality.area = Some(Area::Urban);
    equality_figures(
        &episodes,
        &referrals,
        &kpi_d,
        q1_2024(),
        d("2025-01-31"),
        &OutcomeSettings::default(),
        EqualityDimension::Area,
        5,
        suppress,
        |_, _| true,
        |_| true,
    )
}

/// (group, n, value) of one figure.
fn rows(f: &EqualityFigures, figure: &str) -> Vec<(String, Option<u64>, Option<i64>)> {
    let split = f.splits.iter().find(|s| s.figure == figure).unwrap();
    split
        .groups
        .iter()
        .map(|g| (g.group.clone(), g.n, g.value.map(|v| v.0)))
        .collect()
}

fn row(group: &str, n: u64, value: Option<i64>) -> (String, Option<u64>, Option<i64>) {
    (group.to_owned(), Some(n), value)
}

/// A suppressed group: neither its count nor its value is shown.
fn hid(group: &str) -> (String, Option<u64>, Option<i64>) {
    (group.to_owned(), None, None)
}

#[test]
fn an_equality_split_without_suppression_shows_every_group() {
    let f = area_split(false);
    assert!(!f.suppression_applied);
    assert_eq!(f.threshold, 5);
    let figures: Vec<&str> = f.splits.iter().map(|s| s.figure.as_str()).collect();
    assert_eq!(figures, ["kpi_a", "kpi_b", "kpi_e", "access", "kpi_d"]);
    // KPI A: 4 of 7 = 57.14%, 2 of 5 = 40%, 5 of 5, 1 of 2.
    assert_eq!(
        rows(&f, "kpi_a"),
        [
            row("urban", 7, Some(5714)),
            row("rural", 5, Some(4000)),
            row("prefer_not_to_say", 5, Some(10_000)),
            row("not_recorded", 2, Some(5000)),
        ]
    );
    // KPI B: 30 days is 4.3 weeks for everyone in work.
    assert_eq!(
        rows(&f, "kpi_b"),
        [
            row("urban", 4, Some(430)),
            row("rural", 2, Some(430)),
            row("prefer_not_to_say", 5, Some(430)),
            row("not_recorded", 1, Some(430)),
        ]
    );
    // KPI E: all still in work on 1 August 2024.
    assert_eq!(rows(&f, "kpi_e")[0], row("urban", 4, Some(10_000)));
    assert_eq!(
        rows(&f, "access"),
        [
            row("urban", 1, Some(10_000)),
            row("rural", 0, None),
            row("prefer_not_to_say", 0, None),
            row("not_recorded", 0, None),
        ]
    );
    // KPI D: 21 / 5 = 4.20; 3.00 (the April answer is outside); none; 5.00.
    assert_eq!(
        rows(&f, "kpi_d"),
        [
            row("urban", 5, Some(420)),
            row("rural", 6, Some(300)),
            row("prefer_not_to_say", 0, None),
            row("not_recorded", 1, Some(500)),
        ]
    );
    let none_hidden = f
        .splits
        .iter()
        .flat_map(|s| &s.groups)
        .all(|g| !g.suppressed);
    assert!(none_hidden);
}

#[test]
fn an_equality_split_with_suppression_hides_small_groups_per_figure() {
    let f = area_split(true);
    assert!(f.suppression_applied);
    let hidden = |figure: &str| -> Vec<bool> {
        let split = f.splits.iter().find(|s| s.figure == figure).unwrap();
        split.groups.iter().map(|g| g.suppressed).collect()
    };
    // KPI A's n are 7, 5, 5, 2: only "not recorded" is under 5, so the first 5 (rural) goes
    // too.
    assert_eq!(
        rows(&f, "kpi_a"),
        [
            row("urban", 7, Some(5714)),
            hid("rural"),
            row("prefer_not_to_say", 5, Some(10_000)),
            hid("not_recorded"),
        ]
    );
    assert_eq!(hidden("kpi_a"), [false, true, false, true]);
    // B's n are 4, 2, 5, 1: three small groups, nothing more.
    assert_eq!(hidden("kpi_b"), [true, true, false, true]);
    assert_eq!(rows(&f, "kpi_b")[2], row("prefer_not_to_say", 5, Some(430)));
    // D's n are 5, 6, 0, 1: two small groups.
    assert_eq!(hidden("kpi_d"), [false, false, true, true]);
    assert_eq!(rows(&f, "kpi_d")[3], hid("not_recorded"));
    // Access: one referral, in a group of its own: every group hidden.
    assert_eq!(hidden("access"), [true, true, true, true]);
}

#[test]
fn age_bands_in_a_split_are_taken_on_the_day_that_puts_someone_in_each_figure() {
    // 18 on 15 March 2024: profile started the day before (under 18), referred and answered
    // on the birthday (18–24).
    let born = Equality {
        born_on: Some(d("2006-03-15")),
        ..Equality::default()
    };
    let mut e = profiled(1, "2024-03-14", vec![]);
    e.equality = born.clone();
    let mut r = referral(1, "2024-03-15", true);
    r.equality = born.clone();
    let f = equality_figures(
        &[e],
        &[r],
        &[(born, d("2024-03-15"), 4)],
        q1_2024(),
        d("2024-12-31"),
        &OutcomeSettings::default(),
        EqualityDimension::AgeBand,
        5,
        false,
        |_, _| true,
        |_| true,
    );
    let n_in = |figure: &str, group: &str| {
        rows(&f, figure)
            .into_iter()
            .find(|(g, _, _)| g == group)
            .unwrap()
            .1
            .unwrap()
    };
    assert_eq!(n_in("kpi_a", "under_18"), 1);
    assert_eq!(n_in("kpi_a", "18_24"), 0);
    assert_eq!(n_in("access", "18_24"), 1);
    assert_eq!(n_in("kpi_d", "18_24"), 1);
    assert_eq!(rows(&f, "kpi_a").len(), 7);
}

#[test]
fn pay_splits_b_and_e_by_the_first_paid_job_and_the_rest_are_not_known() {
    // 23+ on 1 February 2024: £10.42. The first paid job pays £12: above, though a later one
    // pays less.
    let mut above = episode(
        1,
        "2024-01-02",
        vec![
            JobFacts {
                hourly_pay: Some(h(1200)),
                ..job("2024-02-01", None)
            },
            JobFacts {
                hourly_pay: Some(h(900)),
                ..job("2024-03-01", None)
            },
        ],
    );
    above.equality.born_on = Some(d("1990-01-01"));
    above.profile_started_on = Some(d("2024-01-10"));
    let unknown = episode(2, "2024-01-02", vec![job("2024-02-01", None)]);
    let f = equality_figures(
        &[above, unknown],
        &[],
        &answers(None, &[4], "2024-02-01"),
        q1_2024(),
        d("2025-01-31"),
        &OutcomeSettings::default(),
        EqualityDimension::PayVsMinimumWage,
        5,
        false,
        |_, _| true,
        |_| true,
    );
    let ns = |figure: &str| -> Vec<Option<u64>> { rows(&f, figure).iter().map(|r| r.1).collect() };
    // above, at, below, not_known
    assert_eq!(ns("kpi_b"), [Some(1), Some(0), Some(0), Some(1)]);
    assert_eq!(ns("kpi_e"), [Some(1), Some(0), Some(0), Some(1)]);
    assert_eq!(ns("kpi_a"), [Some(0), Some(0), Some(0), Some(1)]);
    assert_eq!(ns("kpi_d"), [Some(0), Some(0), Some(0), Some(1)]);
}

#[test]
fn an_equality_split_asks_the_filter_and_the_programme_of_its_episodes() {
    // IPS episodes: KPI E looks 13 weeks ahead. 1 February + 91 = 2 May 2024.
    let mut e = episode(1, "2024-01-02", vec![job("2024-02-01", Some("2024-05-02"))]);
    e.programme = Programme::Ips;
    let mut other = e.clone();
    other.episode_id = id(2);
    let split = |counts: &dyn Fn(&EpisodeFacts, NaiveDate) -> bool| {
        equality_figures(
            &[e.clone(), other.clone()],
            &[],
            &[],
            q1_2024(),
            d("2024-05-02"),
            &OutcomeSettings::default(),
            EqualityDimension::Gender,
            5,
            false,
            counts,
            |_| true,
        )
    };
    let all = split(&|_, _| true);
    assert_eq!(rows(&all, "kpi_e")[5], row("not_recorded", 2, Some(10_000)));
    let one = split(&|e, _| e.episode_id == id(1));
    assert_eq!(rows(&one, "kpi_e")[5], row("not_recorded", 1, Some(10_000)));
}
