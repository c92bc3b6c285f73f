//! Benchmarks (seed 003, by programme), the organisation's own targets, and RAG: Green meets
//! it, Amber is within 10% of it (relative), Red is further (DESIGN.md §4a).

use crate::Hundredths;
use crate::records::Programme;
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
    todo!("domain helper {value:?} {b:?}")
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
    todo!("domain helper {programme:?}")
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
    pub fn check(&self) -> Result<(), crate::records::FieldError> {
        todo!("domain helper")
    }
}
