//! Outcomes: KPIs A, B and E with their scores, access, caseload, the other figures seed 000
//! names, benchmarks and RAG, pay against the minimum wage, cost, and equality splits with
//! small-number suppression (DESIGN.md §4a). Pure functions over facts the server reads; no I/O.

pub mod bands;
pub mod equality;
pub mod figures;
pub mod judge;
#[cfg(test)]
mod tests;
pub mod wage;

use crate::Hundredths;
use crate::journey::{NotAcceptedReason, OutcomeType, ReferralSource, Sector};
use crate::kpi::interval::Interval;
use crate::period::Period;
use crate::records::{Equality, Programme};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub use bands::{Band, Direction, ScoringBands, score};
pub use equality::{AgeBand, EqualityDimension, group_of, suppressed};
pub use figures::{active_on, equality_figures, outcome_figures};
pub use judge::{Benchmark, Benchmarks, Rag, Targets, benchmarks, rag};
pub use wage::{PayVsMinimum, WageRate, compare_pay, minimum_wage, uk_minimum_wage_table};

/// One job of an episode, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFacts {
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub paid: bool,
    pub outcome: OutcomeType,
    pub sector: Option<Sector>,
    pub hours_per_week: Option<Hundredths>,
    pub hourly_pay: Option<Hundredths>,
    pub job_analysis: bool,
}

/// One episode of support, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EpisodeFacts {
    pub episode_id: Uuid,
    pub programme: Programme,
    /// The service start (first meeting).
    pub started_on: NaiveDate,
    pub profile_started_on: Option<NaiveDate>,
    /// Support end.
    pub ended_on: Option<NaiveDate>,
    pub hours_before: Option<Hundredths>,
    /// The jobseeker's equality answers (date of birth among them).
    pub equality: Equality,
    pub jobs: Vec<JobFacts>,
}

/// One referral, as the figures need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralFacts {
    pub referral_id: Uuid,
    pub programme: Programme,
    pub referred_on: NaiveDate,
    pub source: ReferralSource,
    pub accepted: Option<bool>,
    pub not_accepted_reason: Option<NotAcceptedReason>,
    /// An episode of support started from it.
    pub started: bool,
    pub equality: Equality,
}

/// A contract value an admin recorded: the total cost of the service for a period, including
/// management and overheads, in pounds and pence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContractValue {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub amount: Hundredths,
}

/// An organisation's outcome settings: the scoring bands, its own targets, its contract values
/// and its minimum-wage table (the UK's, plus any year an admin added).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OutcomeSettings {
    pub bands: ScoringBands,
    pub targets: Targets,
    pub contract_values: Vec<ContractValue>,
    pub minimum_wage: Vec<WageRate>,
}

impl Default for OutcomeSettings {
    fn default() -> Self {
        OutcomeSettings {
            bands: ScoringBands::default(),
            targets: Targets::default(),
            contract_values: Vec::new(),
            minimum_wage: uk_minimum_wage_table(),
        }
    }
}

impl OutcomeSettings {
    /// Refuses settings a figure could not be read from, naming the field: the bands, the
    /// targets, contract values (a period first ≤ last, an amount above £0, no two overlapping)
    /// and the minimum-wage table.
    pub fn check(&self) -> Result<(), crate::records::FieldError> {
        self.bands.check()?;
        self.targets.check()?;
        let mut values: Vec<&ContractValue> = self.contract_values.iter().collect();
        values.sort_by_key(|c| c.first);
        for c in &values {
            if c.last < c.first {
                return Err(field(
                    "contract_values",
                    "a period ends on or after it starts",
                ));
            }
            if c.amount.0 <= 0 {
                return Err(field("contract_values", "an amount is more than £0"));
            }
        }
        if values.windows(2).any(|w| w[1].first <= w[0].last) {
            return Err(field("contract_values", "two contract periods overlap"));
        }
        wage::check_table(&self.minimum_wage)
    }
}

fn field(field: &'static str, message: &str) -> crate::records::FieldError {
    crate::records::FieldError {
        field,
        message: message.to_owned(),
    }
}

/// A percentage of a count: `numerator` of `n`, to 2 decimals, with its 95% Wilson interval
/// (none for n < 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rate {
    pub numerator: u64,
    pub n: u64,
    pub percent: Option<Hundredths>,
    pub interval: Option<Interval>,
}

/// A mean of `n` values, to 2 decimals, with its 95% t interval (none for n < 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mean {
    pub n: u64,
    pub mean: Option<Hundredths>,
    pub interval: Option<Interval>,
}

/// A figure beside its programme benchmark and the organisation's own target, each with a RAG
/// word (absent when there is no value, benchmark or target).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Judged {
    pub benchmark: Option<Benchmark>,
    pub benchmark_rag: Option<Rag>,
    pub target: Option<Benchmark>,
    pub target_rag: Option<Rag>,
}

/// A 0–5 score and the bands it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scored {
    /// Absent when there is no value to score.
    pub score: Option<u8>,
    pub bands: Vec<Band>,
    pub direction: Direction,
}

/// KPI A: of the episodes whose vocational profile started in the period, the % with a paid
/// job start on or before the as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiA {
    pub rate: Rate,
    /// Of the cohort, how many started their profile less than 12 months before the as-of date.
    pub still_early: u64,
    pub scored: Scored,
    pub judged: Judged,
}

/// KPI B: the mean weeks (to 1 dp) from service start to the first paid job start, over the
/// episodes whose first paid job started in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiB {
    /// `mean` is in weeks, rounded to one decimal (held to two: 12.30).
    pub weeks: Mean,
    pub scored: Scored,
}

/// KPI E: of the episodes whose first paid job started in the period and whose 26 (IPS: 13)
/// weeks had passed by the as-of date, the % still in paid work then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiE {
    pub rate: Rate,
    /// First paid job in the period, its weeks not over by the as-of date: not counted.
    pub too_early: u64,
    /// 26, or 13 for the IPS variant.
    pub weeks: u32,
    pub scored: Scored,
    pub judged: Judged,
}

/// A count under a key (an outcome type, a sector letter, a reason, a pay comparison).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub n: u64,
}

/// The cost figures of a period, from the contract values recorded wholly inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cost {
    /// The contract values counted (those wholly inside the period), and their span.
    pub contract_value: Hundredths,
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// Participants supported in that span (episodes started by its end, not ended before it
    /// began).
    pub participants: u64,
    /// Job outcomes in that span (first paid job starts).
    pub job_outcomes: u64,
    pub per_participant: Option<Hundredths>,
    pub per_participant_judged: Judged,
    pub per_job_outcome: Option<Hundredths>,
    pub per_job_outcome_judged: Judged,
}

/// Every outcome figure of a period for one filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutcomeFigures {
    pub period: Period,
    pub as_of: NaiveDate,
    /// The programme whose benchmarks apply (SEQF unless the filter names IPS).
    pub programme: Programme,
    pub kpi_a: KpiA,
    pub kpi_b: KpiB,
    pub kpi_e: KpiE,
    /// % of referrals in the period that started on the service.
    pub access: Rate,
    pub access_judged: Judged,
    /// Referrals in the period not accepted, by reason.
    pub not_accepted: Vec<Count>,
    /// Of the episodes that started in the period, the % into paid work (seed 003's
    /// "starters into paid work") by the as-of date.
    pub into_paid_work: Rate,
    pub into_paid_work_judged: Judged,
    /// Jobs started in the period by outcome type (every outcome type listed, zeros too).
    pub outcome_mix: Vec<Count>,
    /// % of jobs started in the period with a job analysis.
    pub job_analysis: Rate,
    /// Mean hours a week before support, over episodes with a paid job started in the period.
    pub hours_before: Mean,
    /// Mean hours a week of paid jobs started in the period.
    pub hours_after: Mean,
    /// Mean hourly pay of paid jobs started in the period.
    pub hourly_pay: Mean,
    /// Mean length in weeks of the paid spells that began in the period (ended spells to their
    /// end, open ones to the as-of date).
    pub sustained_weeks: Mean,
    /// Jobs started in the period by SIC section (letters; "not_recorded").
    pub sectors: Vec<Count>,
    /// Paid jobs started in the period against the minimum wage (above/at/below/not_known).
    pub minimum_wage: Vec<Count>,
    pub cost: Option<Cost>,
}

/// Active caseload of one specialist on a date, beside the benchmark.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Caseload {
    pub specialist_id: Uuid,
    pub name: String,
    pub active: u64,
    pub judged: Judged,
}

/// Active caseload per specialist on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseloadFigures {
    pub on: NaiveDate,
    pub specialists: Vec<Caseload>,
}

/// One group of an equality split. When `suppressed`, every value is absent and the screen says
/// "fewer than N".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GroupFigure {
    pub group: String,
    /// How many are behind the value; absent when suppressed (it would give the count away).
    pub n: Option<u64>,
    pub suppressed: bool,
    /// A percentage (A, E, access) or a mean (B weeks, D rating).
    pub value: Option<Hundredths>,
}

/// One figure split by one equality dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EqualitySplit {
    /// kpi_a, kpi_b, kpi_e, access, kpi_d.
    pub figure: String,
    pub groups: Vec<GroupFigure>,
}

/// Every outcome and satisfaction figure of a period split by one equality dimension.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EqualityFigures {
    pub period: Period,
    pub as_of: NaiveDate,
    pub by: EqualityDimension,
    /// The small-number threshold used ("fewer than N").
    pub threshold: u64,
    /// Whether suppression was applied (always, except in a manager's working view).
    pub suppression_applied: bool,
    pub splits: Vec<EqualitySplit>,
}
