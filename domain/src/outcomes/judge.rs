//! Benchmarks (seed 003, by programme), the organisation's own targets, and RAG: Green meets
//! it, Amber is within 10% of it (relative), Red is further (DESIGN.md §4a).

use crate::Hundredths;
use crate::records::{FieldError, Programme};
use serde::{Deserialize, Serialize};

crate::completion::wire_enum!(
    Rag { Green = "green", Amber = "amber", Red = "red" }
);

/// What a figure should reach: at least, at most, or within a range (cost per participant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Benchmark {
    AtLeast { value: Hundredths },
    AtMost { value: Hundredths },
    Between { low: Hundredths, high: Hundredths },
}

/// RAG of `value` against `b`. Amber when short of it by no more than 10% of the benchmark
/// (a range: of the nearer end); exactly 10% short is Amber.
pub fn rag(value: Hundredths, b: Benchmark) -> Rag {
    match b {
        Benchmark::AtLeast { value: low } if value >= low => Rag::Green,
        Benchmark::AtLeast { value: low } => short_of_low(value, low),
        Benchmark::AtMost { value: high } if value <= high => Rag::Green,
        Benchmark::AtMost { value: high } => past_high(value, high),
        Benchmark::Between { low, .. } if value < low => short_of_low(value, low),
        Benchmark::Between { high, .. } if value > high => past_high(value, high),
        Benchmark::Between { .. } => Rag::Green,
    }
}

// Within 10% compared in integers (10·v against 9·b or 11·b), so exactly 10% is exact.

/// Below `low`: Amber down to 90% of it.
fn short_of_low(value: Hundredths, low: Hundredths) -> Rag {
    if 10 * i128::from(value.0) >= 9 * i128::from(low.0) {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// Above `high`: Amber up to 110% of it.
fn past_high(value: Hundredths, high: Hundredths) -> Rag {
    if 10 * i128::from(value.0) <= 11 * i128::from(high.0) {
        Rag::Amber
    } else {
        Rag::Red
    }
}

/// Seed 003's benchmarks for one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Benchmarks {
    /// Referrals that start: ≥ 70%.
    pub access: Benchmark,
    /// Starters into paid work: ≥ 40%.
    pub into_paid_work: Benchmark,
    /// Sustained paid work: SEQF ≥ 70% beyond 26 weeks, IPS ≥ 65% beyond 13.
    pub sustained: Benchmark,
    /// Active caseload per specialist: SEQF ≤ 15, IPS ≤ 25.
    pub caseload: Benchmark,
    /// IPS senior specialists ≤ 20; none for SEQF.
    pub caseload_senior: Option<Benchmark>,
    /// SEQF £4,500–£6,500, IPS £2,000–£2,500.
    pub cost_per_participant: Benchmark,
    /// Seed 002's best practice: £2,818–£4,024 (context, both programmes).
    pub cost_per_job_outcome: Benchmark,
    /// Seed 002's best-practice job outcome rate: 43%.
    pub job_outcome_rate: Benchmark,
}

pub fn benchmarks(programme: Programme) -> Benchmarks {
    let at_least = |units| Benchmark::AtLeast {
        value: Hundredths::from_units(units),
    };
    let at_most = |units| Benchmark::AtMost {
        value: Hundredths::from_units(units),
    };
    let between = |low, high| Benchmark::Between {
        low: Hundredths::from_units(low),
        high: Hundredths::from_units(high),
    };
    let (sustained, caseload, caseload_senior, cost_per_participant) = match programme {
        Programme::Seqf => (at_least(70), at_most(15), None, between(4_500, 6_500)),
        Programme::Ips => (
            at_least(65),
            at_most(25),
            Some(at_most(20)),
            between(2_000, 2_500),
        ),
    };
    Benchmarks {
        access: at_least(70),
        into_paid_work: at_least(40),
        sustained,
        caseload,
        caseload_senior,
        cost_per_participant,
        cost_per_job_outcome: between(2_818, 4_024),
        job_outcome_rate: at_least(43),
    }
}

/// The organisation's own contract targets; each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Targets {
    #[serde(default)]
    pub access: Option<Hundredths>,
    #[serde(default)]
    pub kpi_a: Option<Hundredths>,
    #[serde(default)]
    pub into_paid_work: Option<Hundredths>,
    #[serde(default)]
    pub kpi_e: Option<Hundredths>,
    /// At most this many active clients per specialist.
    #[serde(default)]
    pub caseload: Option<Hundredths>,
    /// At most this many pounds.
    #[serde(default)]
    pub cost_per_participant: Option<Hundredths>,
    #[serde(default)]
    pub cost_per_job_outcome: Option<Hundredths>,
}

impl Targets {
    /// Percentages 0–100, counts and pounds > 0; names the field at fault.
    pub fn check(&self) -> Result<(), FieldError> {
        let percentages = [
            ("targets.access", self.access),
            ("targets.kpi_a", self.kpi_a),
            ("targets.into_paid_work", self.into_paid_work),
            ("targets.kpi_e", self.kpi_e),
        ];
        for (field, target) in percentages {
            if target.is_some_and(|t| !(Hundredths(0)..=Hundredths::from_units(100)).contains(&t)) {
                return Err(FieldError {
                    field,
                    message: "must be a percentage from 0 to 100".to_owned(),
                });
            }
        }
        let positive = [
            ("targets.caseload", self.caseload),
            ("targets.cost_per_participant", self.cost_per_participant),
            ("targets.cost_per_job_outcome", self.cost_per_job_outcome),
        ];
        for (field, target) in positive {
            if target.is_some_and(|t| t.0 <= 0) {
                return Err(FieldError {
                    field,
                    message: "must be more than 0".to_owned(),
                });
            }
        }
        Ok(())
    }
}
