//! The outcome figures of a period (DESIGN.md §4a), from episode and referral facts.
//!
//! Each figure is written once, over the episodes (or referrals) its `counts` lets in; the
//! equality split asks the same functions again with a `counts` that also asks for the group.

use super::equality::NOT_RECORDED;
use super::*;
use crate::fixed::round_div;
use crate::kpi::interval::{Sums, wilson};
use chrono::Months;
use std::collections::BTreeMap;

/// Whether an episode counts for the filter asked, on the day that puts it in a figure.
type Counts<'a> = &'a dyn Fn(&EpisodeFacts, NaiveDate) -> bool;
/// The same for a referral.
type CountsReferral<'a> = &'a dyn Fn(&ReferralFacts) -> bool;

/// A new paid job starting this many days or fewer after the last one ended continues the
/// spell; one day more breaks it.
const SPELL_GAP_DAYS: i64 = 28;

/// Whether an episode is on the active caseload on `on`: started by then and not ended before
/// (an episode ending on `on` is still active that day).
pub fn active_on(e: &EpisodeFacts, on: NaiveDate) -> bool {
    e.started_on <= on && e.ended_on.is_none_or(|end| end >= on)
}

/// Every outcome figure of `period` as of `as_of`. `counts(e, day)` says whether an episode
/// counts for the filter asked (its holder on `day`: the profile start for KPI A, the first
/// paid job start for B and E, the service start for "into paid work", a job's start for the
/// job figures); `counts_referral` the same for a referral (on its referral date).
#[allow(clippy::too_many_arguments)]
pub fn outcome_figures(
    episodes: &[EpisodeFacts],
    referrals: &[ReferralFacts],
    period: Period,
    as_of: NaiveDate,
    programme: Programme,
    settings: &OutcomeSettings,
    counts: impl Fn(&EpisodeFacts, NaiveDate) -> bool,
    counts_referral: impl Fn(&ReferralFacts) -> bool,
) -> OutcomeFigures {
    let bench = benchmarks(programme);
    let targets = &settings.targets;
    let jobs = jobs_started_in(episodes, period, &counts);
    let paid: Vec<_> = jobs.iter().copied().filter(|(_, j)| j.paid).collect();
    let access = access_rate(referrals, period, &counts_referral);
    let into_paid_work = into_paid_work(episodes, period, as_of, &counts);
    OutcomeFigures {
        period,
        as_of,
        programme,
        kpi_a: kpi_a(episodes, period, as_of, programme, settings, &counts),
        kpi_b: kpi_b(episodes, period, settings, &counts),
        kpi_e: kpi_e(episodes, period, as_of, programme, settings, &counts),
        access_judged: judged(access.percent, Some(bench.access), at_least(targets.access)),
        access,
        not_accepted: not_accepted(referrals, period, &counts_referral),
        into_paid_work_judged: judged(
            into_paid_work.percent,
            Some(bench.into_paid_work),
            at_least(targets.into_paid_work),
        ),
        into_paid_work,
        outcome_mix: outcome_mix(&jobs),
        job_analysis: rate(
            jobs.iter().filter(|(_, j)| j.job_analysis).count() as u64,
            jobs.len() as u64,
        ),
        hours_before: hours_before(&paid),
        hours_after: mean(
            paid.iter()
                .filter_map(|(_, j)| j.hours_per_week.map(|h| h.0)),
        ),
        hourly_pay: mean(paid.iter().filter_map(|(_, j)| j.hourly_pay.map(|p| p.0))),
        sustained_weeks: sustained_weeks(episodes, period, as_of, &counts),
        sectors: sectors(&jobs),
        minimum_wage: minimum_wage_counts(&paid, &settings.minimum_wage),
        cost: cost(episodes, period, programme, settings, &counts),
    }
}

// ---- Shared pieces -------------------------------------------------------------------------

/// `numerator` of `n` as a percentage with its Wilson interval.
fn rate(numerator: u64, n: u64) -> Rate {
    Rate {
        numerator,
        n,
        percent: Hundredths::percent(to_i64(numerator), to_i64(n)),
        interval: wilson(numerator, n),
    }
}

/// The mean of values in hundredths with its t interval.
fn mean(values: impl IntoIterator<Item = i64>) -> Mean {
    let sums: Sums = values.into_iter().collect();
    Mean {
        n: sums.n,
        mean: sums.mean(),
        interval: sums.interval(),
    }
}

/// Days to a mean in weeks to `places` decimals (1 or 2), held as hundredths; its interval's
/// bounds to the same places.
fn mean_weeks(days: &[i64], places: u32) -> Mean {
    // The interval is taken over days in thousandths, so its own rounding (to a thousandth of
    // a day) stays far below the hundredth of a week it is reported to.
    const PER_DAY: i64 = 1_000;
    let scale = 10_i128.pow(places);
    let step = 10_i64.pow(2 - places.min(2));
    // `days / over` in weeks, rounded once to `places`.
    let to_weeks =
        |days: i128, over: i128| round_div(days * scale, 7 * over).map(|v| Hundredths(v * step));
    let n = days.len() as u64;
    let total: i128 = days.iter().map(|d| i128::from(*d)).sum();
    let sums: Sums = days.iter().map(|d| d * PER_DAY).collect();
    let interval = sums.interval().and_then(|iv| {
        Some(Interval {
            low: to_weeks(i128::from(iv.low.0), i128::from(PER_DAY))?,
            high: to_weeks(i128::from(iv.high.0), i128::from(PER_DAY))?,
        })
    });
    Mean {
        n,
        mean: to_weeks(total, i128::from(n)),
        interval,
    }
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn at_least(target: Option<Hundredths>) -> Option<Benchmark> {
    target.map(|value| Benchmark::AtLeast { value })
}

fn at_most(target: Option<Hundredths>) -> Option<Benchmark> {
    target.map(|value| Benchmark::AtMost { value })
}

/// A value beside its benchmark and target, each with its RAG when there is a value.
fn judged(
    value: Option<Hundredths>,
    benchmark: Option<Benchmark>,
    target: Option<Benchmark>,
) -> Judged {
    Judged {
        benchmark,
        benchmark_rag: value.zip(benchmark).map(|(v, b)| rag(v, b)),
        target,
        target_rag: value.zip(target).map(|(v, t)| rag(v, t)),
    }
}

fn scored(value: Option<Hundredths>, bands: &[Band], direction: Direction) -> Scored {
    Scored {
        score: value.map(|v| score(v, bands, direction)),
        bands: bands.to_vec(),
        direction,
    }
}

/// The start of an episode's first paid job.
fn first_paid_start(e: &EpisodeFacts) -> Option<NaiveDate> {
    e.jobs.iter().filter(|j| j.paid).map(|j| j.started_on).min()
}

/// Whether a paid job had started by `as_of`.
fn into_paid_work_by(e: &EpisodeFacts, as_of: NaiveDate) -> bool {
    e.jobs.iter().any(|j| j.paid && j.started_on <= as_of)
}

/// The episodes whose first paid job started in the period and count on that day, with it.
fn first_paid_in<'a>(
    episodes: &'a [EpisodeFacts],
    period: Period,
    counts: Counts<'a>,
) -> impl Iterator<Item = (&'a EpisodeFacts, NaiveDate)> + 'a {
    episodes.iter().filter_map(move |e| {
        let first = first_paid_start(e)?;
        (period.contains(first) && counts(e, first)).then_some((e, first))
    })
}

// ---- KPIs A, B and E -----------------------------------------------------------------------

fn kpi_a(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    programme: Programme,
    settings: &OutcomeSettings,
    counts: Counts,
) -> KpiA {
    let (rate, still_early) = kpi_a_rate(episodes, period, as_of, counts);
    KpiA {
        scored: scored(rate.percent, &settings.bands.kpi_a, Direction::AtLeast),
        judged: judged(
            rate.percent,
            Some(benchmarks(programme).into_paid_work),
            at_least(settings.targets.kpi_a),
        ),
        rate,
        still_early,
    }
}

/// KPI A's rate, and how many of its cohort started their profile less than 12 months before
/// the as-of date.
fn kpi_a_rate(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    counts: Counts,
) -> (Rate, u64) {
    let year_before = as_of.checked_sub_months(Months::new(12));
    let (mut n, mut paid, mut still_early) = (0, 0, 0);
    for e in episodes {
        let Some(profile) = e.profile_started_on else {
            continue;
        };
        if !period.contains(profile) || !counts(e, profile) {
            continue;
        }
        n += 1;
        paid += u64::from(into_paid_work_by(e, as_of));
        still_early += u64::from(year_before.is_none_or(|d| profile > d));
    }
    (rate(paid, n), still_early)
}

fn kpi_b(
    episodes: &[EpisodeFacts],
    period: Period,
    settings: &OutcomeSettings,
    counts: Counts,
) -> KpiB {
    let weeks = kpi_b_weeks(episodes, period, counts);
    KpiB {
        scored: scored(weeks.mean, &settings.bands.kpi_b, Direction::AtMost),
        weeks,
    }
}

/// KPI B: weeks from service start to the first paid job, to 1 dp.
fn kpi_b_weeks(episodes: &[EpisodeFacts], period: Period, counts: Counts) -> Mean {
    let days: Vec<i64> = first_paid_in(episodes, period, counts)
        .map(|(e, first)| (first - e.started_on).num_days())
        .collect();
    mean_weeks(&days, 1)
}

/// The weeks KPI E looks ahead: 26, or 13 for IPS.
fn kpi_e_weeks(programme: Programme) -> u32 {
    match programme {
        Programme::Seqf => 26,
        Programme::Ips => 13,
    }
}

fn kpi_e(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    programme: Programme,
    settings: &OutcomeSettings,
    counts: Counts,
) -> KpiE {
    let weeks = kpi_e_weeks(programme);
    let (rate, too_early) = kpi_e_rate(episodes, period, as_of, weeks, counts);
    KpiE {
        scored: scored(rate.percent, &settings.bands.kpi_e, Direction::AtLeast),
        judged: judged(
            rate.percent,
            Some(benchmarks(programme).sustained),
            at_least(settings.targets.kpi_e),
        ),
        rate,
        too_early,
        weeks,
    }
}

/// KPI E's rate, and how many of its cohort are too early to tell.
fn kpi_e_rate(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    weeks: u32,
    counts: Counts,
) -> (Rate, u64) {
    let (mut n, mut sustained, mut too_early) = (0, 0, 0);
    for (e, first) in first_paid_in(episodes, period, counts) {
        let day = first.checked_add_days(chrono::Days::new(7 * u64::from(weeks)));
        let Some(day) = day.filter(|day| *day <= as_of) else {
            too_early += 1;
            continue;
        };
        n += 1;
        // Still in the spell that the first paid job began (seed 000: "sustain paid work for
        // 6 months"); a later spell after a longer gap does not count.
        let spells = paid_spells(e, as_of);
        sustained += u64::from(spells.first().is_some_and(|s| s.covers(day)));
    }
    (rate(sustained, n), too_early)
}

/// A run of paid work: paid jobs each starting within `SPELL_GAP_DAYS` of the previous end,
/// or overlapping it. `end` is absent while it goes on.
#[derive(Debug, Clone, Copy)]
struct Spell {
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Spell {
    fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|end| end >= day)
    }

    fn continued_by(&self, next_start: NaiveDate) -> bool {
        self.end
            .is_none_or(|end| (next_start - end).num_days() <= SPELL_GAP_DAYS)
    }
}

/// An episode's paid spells as known on `as_of`, earliest first: jobs started after it are
/// not known yet, and an end after it has not happened yet.
fn paid_spells(e: &EpisodeFacts, as_of: NaiveDate) -> Vec<Spell> {
    let mut jobs: Vec<&JobFacts> = e
        .jobs
        .iter()
        .filter(|j| j.paid && j.started_on <= as_of)
        .collect();
    jobs.sort_by_key(|j| j.started_on);
    let mut spells: Vec<Spell> = Vec::new();
    for j in jobs {
        let end = j.ended_on.filter(|end| *end <= as_of);
        match spells.last_mut() {
            Some(s) if s.continued_by(j.started_on) => {
                s.end = s.end.zip(end).map(|(a, b)| a.max(b));
            }
            _ => spells.push(Spell {
                start: j.started_on,
                end,
            }),
        }
    }
    spells
}

// ---- Access and starters into paid work ----------------------------------------------------

/// The referrals of the period that count.
fn referrals_in<'a>(
    referrals: &'a [ReferralFacts],
    period: Period,
    counts_referral: CountsReferral<'a>,
) -> impl Iterator<Item = &'a ReferralFacts> + 'a {
    referrals
        .iter()
        .filter(move |r| period.contains(r.referred_on) && counts_referral(r))
}

/// % of the period's referrals that started on the service.
fn access_rate(
    referrals: &[ReferralFacts],
    period: Period,
    counts_referral: CountsReferral,
) -> Rate {
    let (mut n, mut started) = (0, 0);
    for r in referrals_in(referrals, period, counts_referral) {
        n += 1;
        started += u64::from(r.started);
    }
    rate(started, n)
}

/// The period's referrals not accepted, by reason: every reason, zeros too, then any recorded
/// without one (`not_recorded`, listed only when there are some).
fn not_accepted(
    referrals: &[ReferralFacts],
    period: Period,
    counts_referral: CountsReferral,
) -> Vec<Count> {
    let refused: Vec<&ReferralFacts> = referrals_in(referrals, period, counts_referral)
        .filter(|r| r.accepted == Some(false))
        .collect();
    let mut by_reason: Vec<Count> = NotAcceptedReason::ALL
        .iter()
        .map(|reason| Count {
            key: reason.as_str().to_owned(),
            n: refused
                .iter()
                .filter(|r| r.not_accepted_reason == Some(*reason))
                .count() as u64,
        })
        .collect();
    let without = refused
        .iter()
        .filter(|r| r.not_accepted_reason.is_none())
        .count() as u64;
    if without > 0 {
        by_reason.push(Count {
            key: NOT_RECORDED.to_owned(),
            n: without,
        });
    }
    by_reason
}

/// Of the episodes whose service started in the period, the % into paid work by `as_of`.
fn into_paid_work(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    counts: Counts,
) -> Rate {
    let (mut n, mut paid) = (0, 0);
    for e in episodes
        .iter()
        .filter(|e| period.contains(e.started_on) && counts(e, e.started_on))
    {
        n += 1;
        paid += u64::from(into_paid_work_by(e, as_of));
    }
    rate(paid, n)
}

// ---- Job figures ---------------------------------------------------------------------------

/// The jobs started in the period that count, each with its episode.
fn jobs_started_in<'a>(
    episodes: &'a [EpisodeFacts],
    period: Period,
    counts: Counts,
) -> Vec<(&'a EpisodeFacts, &'a JobFacts)> {
    episodes
        .iter()
        .flat_map(|e| e.jobs.iter().map(move |j| (e, j)))
        .filter(|(e, j)| period.contains(j.started_on) && counts(e, j.started_on))
        .collect()
}

/// Jobs by outcome type, every type listed.
fn outcome_mix(jobs: &[(&EpisodeFacts, &JobFacts)]) -> Vec<Count> {
    OutcomeType::ALL
        .iter()
        .map(|outcome| Count {
            key: outcome.as_str().to_owned(),
            n: jobs.iter().filter(|(_, j)| j.outcome == *outcome).count() as u64,
        })
        .collect()
}

/// Jobs by SIC section, in letter order, then `not_recorded`; only those with jobs.
fn sectors(jobs: &[(&EpisodeFacts, &JobFacts)]) -> Vec<Count> {
    let mut by_sector: BTreeMap<Sector, u64> = BTreeMap::new();
    let mut not_recorded = 0;
    for (_, j) in jobs {
        match j.sector {
            Some(s) => *by_sector.entry(s).or_default() += 1,
            None => not_recorded += 1,
        }
    }
    let mut counts: Vec<Count> = by_sector
        .into_iter()
        .map(|(s, n)| Count {
            key: s.as_str().to_owned(),
            n,
        })
        .collect();
    if not_recorded > 0 {
        counts.push(Count {
            key: NOT_RECORDED.to_owned(),
            n: not_recorded,
        });
    }
    counts
}

/// A paid job's pay against the minimum wage for the person's age on its first day.
fn pay_vs_minimum(e: &EpisodeFacts, j: &JobFacts, table: &[WageRate]) -> PayVsMinimum {
    let apprentice = j.outcome == OutcomeType::Apprenticeship;
    let minimum = e
        .equality
        .born_on
        .and_then(|born| minimum_wage(table, born, j.started_on, apprentice));
    compare_pay(j.hourly_pay, minimum)
}

/// Paid jobs against the minimum wage: above, at, below, not known (zeros too).
fn minimum_wage_counts(paid: &[(&EpisodeFacts, &JobFacts)], table: &[WageRate]) -> Vec<Count> {
    let compared: Vec<PayVsMinimum> = paid
        .iter()
        .map(|(e, j)| pay_vs_minimum(e, j, table))
        .collect();
    PayVsMinimum::ALL
        .iter()
        .map(|p| Count {
            key: p.as_str().to_owned(),
            n: compared.iter().filter(|c| *c == p).count() as u64,
        })
        .collect()
}

/// Mean hours a week before support, once per episode with a paid job in the period.
fn hours_before(paid: &[(&EpisodeFacts, &JobFacts)]) -> Mean {
    let mut seen = std::collections::BTreeSet::new();
    mean(paid.iter().filter_map(|(e, _)| {
        let hours = e.hours_before?;
        seen.insert(e.episode_id).then_some(hours.0)
    }))
}

/// Mean weeks of the paid spells that began in the period: to their end, or to `as_of` when
/// they go on past it.
fn sustained_weeks(
    episodes: &[EpisodeFacts],
    period: Period,
    as_of: NaiveDate,
    counts: Counts,
) -> Mean {
    let days: Vec<i64> = episodes
        .iter()
        .flat_map(|e| paid_spells(e, as_of).into_iter().map(move |s| (e, s)))
        .filter(|(e, s)| period.contains(s.start) && counts(e, s.start))
        .map(|(_, s)| (s.end.unwrap_or(as_of) - s.start).num_days())
        .collect();
    mean_weeks(&days, 2)
}

// ---- Cost ----------------------------------------------------------------------------------

/// Cost per participant and per job outcome, from the contract values wholly inside the
/// period; none when there are none.
fn cost(
    episodes: &[EpisodeFacts],
    period: Period,
    programme: Programme,
    settings: &OutcomeSettings,
    counts: Counts,
) -> Option<Cost> {
    let inside: Vec<&ContractValue> = settings
        .contract_values
        .iter()
        .filter(|c| c.first >= period.first && c.last <= period.last)
        .collect();
    let first = inside.iter().map(|c| c.first).min()?;
    let last = inside.iter().map(|c| c.last).max()?;
    let amount: i64 = inside.iter().map(|c| c.amount.0).sum();
    let participants = episodes
        .iter()
        .filter(|e| e.started_on <= last && e.ended_on.is_none_or(|end| end >= first))
        .filter(|e| counts(e, e.started_on))
        .count() as u64;
    let span = Period { first, last };
    let job_outcomes = first_paid_in(episodes, span, counts).count() as u64;
    let per = |n: u64| round_div(i128::from(amount), i128::from(n)).map(Hundredths);
    let (per_participant, per_job_outcome) = (per(participants), per(job_outcomes));
    let bench = benchmarks(programme);
    let targets = &settings.targets;
    Some(Cost {
        contract_value: Hundredths(amount),
        first,
        last,
        participants,
        job_outcomes,
        per_participant,
        per_participant_judged: judged(
            per_participant,
            Some(bench.cost_per_participant),
            at_most(targets.cost_per_participant),
        ),
        per_job_outcome,
        per_job_outcome_judged: judged(
            per_job_outcome,
            Some(bench.cost_per_job_outcome),
            at_most(targets.cost_per_job_outcome),
        ),
    })
}

// ---- Equality ------------------------------------------------------------------------------

/// Every figure of `period` split by `by`: KPI A, B, E, access ("access") and KPI D ("kpi_d",
/// from the counted jobseeker answers given as (the person's equality answers, the day
/// answered, the overall rating 1–5)). Age bands are taken on the day that puts the episode in
/// the figure (the profile start for A, the first paid job start for B and E, the referral for
/// access, the answer for D); pay against the minimum wage splits by the first paid job in the
/// period (B, E; others `not_known`). Groups are every value of the dimension plus
/// `prefer_not_to_say` and `not_recorded`, in that order, zeros included. When `suppress`,
/// `suppressed` hides groups per figure by that figure's n.
#[allow(clippy::too_many_arguments)]
pub fn equality_figures(
    episodes: &[EpisodeFacts],
    referrals: &[ReferralFacts],
    kpi_d_answers: &[(Equality, NaiveDate, u8)],
    period: Period,
    as_of: NaiveDate,
    settings: &OutcomeSettings,
    by: EqualityDimension,
    threshold: u64,
    suppress: bool,
    counts: impl Fn(&EpisodeFacts, NaiveDate) -> bool,
    counts_referral: impl Fn(&ReferralFacts) -> bool,
) -> EqualityFigures {
    let groups = equality::groups(by);
    let table = settings.minimum_wage.as_slice();
    let weeks = kpi_e_weeks(programme_of(episodes));
    let split = |figure: &str, value: &dyn Fn(&str) -> (u64, Option<Hundredths>)| {
        split_by(figure, &groups, value, threshold, suppress)
    };
    let splits = vec![
        split("kpi_a", &|g| {
            let (rate, _) = kpi_a_rate(episodes, period, as_of, &in_group(&counts, by, g, None));
            (rate.n, rate.percent)
        }),
        split("kpi_b", &|g| {
            let weeks = kpi_b_weeks(episodes, period, &in_group(&counts, by, g, Some(table)));
            (weeks.n, weeks.mean)
        }),
        split("kpi_e", &|g| {
            let (rate, _) = kpi_e_rate(
                episodes,
                period,
                as_of,
                weeks,
                &in_group(&counts, by, g, Some(table)),
            );
            (rate.n, rate.percent)
        }),
        split("access", &|g| {
            let of_group = |r: &ReferralFacts| {
                counts_referral(r) && person_group(&r.equality, by, r.referred_on) == g
            };
            let rate = access_rate(referrals, period, &of_group);
            (rate.n, rate.percent)
        }),
        split("kpi_d", &|g| {
            let d = kpi_d(kpi_d_answers, period, &|e, day| {
                person_group(e, by, day) == g
            });
            (d.n, d.mean)
        }),
    ];
    EqualityFigures {
        period,
        as_of,
        by,
        threshold,
        suppression_applied: suppress,
        splits,
    }
}

/// `counts`, and in group `g` on the day that puts the episode in the figure. Pay is its first
/// paid job's when `pay_table` is given (B and E), `not_known` otherwise.
fn in_group<'a>(
    counts: &'a dyn Fn(&EpisodeFacts, NaiveDate) -> bool,
    by: EqualityDimension,
    g: &'a str,
    pay_table: Option<&'a [WageRate]>,
) -> impl Fn(&EpisodeFacts, NaiveDate) -> bool + 'a {
    move |e, day| counts(e, day) && episode_group(e, by, day, pay_table) == g
}

/// The equality split is not given a programme: KPI E looks 13 weeks ahead when every episode
/// is IPS, 26 otherwise (SEQF unless the filter names IPS).
fn programme_of(episodes: &[EpisodeFacts]) -> Programme {
    if !episodes.is_empty() && episodes.iter().all(|e| e.programme == Programme::Ips) {
        Programme::Ips
    } else {
        Programme::Seqf
    }
}

/// An episode's group on `day`. Pay against the minimum wage is its first paid job's when
/// `pay_table` is given, `not_known` otherwise.
fn episode_group(
    e: &EpisodeFacts,
    by: EqualityDimension,
    day: NaiveDate,
    pay_table: Option<&[WageRate]>,
) -> String {
    if by != EqualityDimension::PayVsMinimumWage {
        return group_of(&e.equality, by, day);
    }
    let first_paid = e
        .jobs
        .iter()
        .filter(|j| j.paid)
        .min_by_key(|j| j.started_on);
    let pay = match (first_paid, pay_table) {
        (Some(j), Some(table)) => pay_vs_minimum(e, j, table),
        _ => PayVsMinimum::NotKnown,
    };
    pay.as_str().to_owned()
}

/// A person's group on `day` where there is no job to take pay from (a referral, an answer):
/// `not_known` for pay.
fn person_group(e: &Equality, by: EqualityDimension, day: NaiveDate) -> String {
    if by == EqualityDimension::PayVsMinimumWage {
        return PayVsMinimum::NotKnown.as_str().to_owned();
    }
    group_of(e, by, day)
}

/// KPI D: the mean overall rating of the answers in the period that `of` lets in.
fn kpi_d(
    answers: &[(Equality, NaiveDate, u8)],
    period: Period,
    of: &dyn Fn(&Equality, NaiveDate) -> bool,
) -> Mean {
    mean(
        answers
            .iter()
            .filter(|(e, day, rating)| {
                period.contains(*day) && (1..=5).contains(rating) && of(e, *day)
            })
            .map(|(_, _, rating)| i64::from(*rating) * 100),
    )
}

/// One figure over every group, each hidden when `suppress` says so by the groups' n.
fn split_by(
    figure: &str,
    groups: &[&str],
    value: &dyn Fn(&str) -> (u64, Option<Hundredths>),
    threshold: u64,
    suppress: bool,
) -> EqualitySplit {
    let values: Vec<(u64, Option<Hundredths>)> = groups.iter().map(|g| value(g)).collect();
    let ns: Vec<u64> = values.iter().map(|(n, _)| *n).collect();
    let hidden = if suppress {
        suppressed(&ns, threshold)
    } else {
        vec![false; ns.len()]
    };
    let groups = groups
        .iter()
        .zip(values)
        .zip(hidden)
        .map(|((group, (n, value)), hidden)| GroupFigure {
            group: (*group).to_owned(),
            n: (!hidden).then_some(n),
            suppressed: hidden,
            value: if hidden { None } else { value },
        })
        .collect();
    EqualitySplit {
        figure: figure.to_owned(),
        groups,
    }
}
