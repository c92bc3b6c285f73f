//! The National Minimum Wage: a dated table of rates by age band (shipped with the UK's
//! published rates; an admin can add a year), and a job's pay against the rate for the person's
//! age on the job's start date (DESIGN.md §4a).

use crate::Hundredths;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One rate: from `from` on (until a later row for the same band), people aged at least
/// `min_age` (and under the next band's) earn at least `rate` an hour. `apprentice` rows are the
/// apprentice rate, which applies to an apprenticeship at its start (its first year).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WageRate {
    pub from: NaiveDate,
    /// 16, 18, 21, 23 or 25 (0 for the apprentice rate).
    pub min_age: u8,
    #[serde(default)]
    pub apprentice: bool,
    pub rate: Hundredths,
}

crate::completion::wire_enum!(
    PayVsMinimum { Above = "above", At = "at", Below = "below", NotKnown = "not_known" }
);

/// The UK's published rates from April 2021 to April 2026.
pub fn uk_minimum_wage_table() -> Vec<WageRate> {
    todo!("domain helper")
}

/// Refuses a table a rate could not be read from: rates > 0 and ≤ £100, ages 16–25, no two rows
/// for the same date, age and apprenticeship. Names the field (`minimum_wage`).
pub fn check_table(table: &[WageRate]) -> Result<(), crate::records::FieldError> {
    todo!("domain helper {table:?}")
}

/// The minimum hourly rate for someone born `born_on` starting a job `on` that day (`None` when
/// the table has no rate for them then, or they are under 16).
pub fn minimum_wage(
    table: &[WageRate],
    born_on: NaiveDate,
    on: NaiveDate,
    apprentice: bool,
) -> Option<Hundredths> {
    todo!("domain helper {table:?} {born_on} {on} {apprentice}")
}

/// Pay against the minimum (pennies exact: equal is `At`).
pub fn compare_pay(pay: Option<Hundredths>, minimum: Option<Hundredths>) -> PayVsMinimum {
    todo!("domain helper {pay:?} {minimum:?}")
}
