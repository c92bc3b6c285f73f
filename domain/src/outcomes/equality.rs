//! Equality breakdowns (DESIGN.md §4a): the dimensions, a person's group in each, and the
//! small-number suppression with the second-smallest rule.

use crate::records::Equality;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

crate::completion::wire_enum!(
    EqualityDimension { Gender = "gender", AgeBand = "age_band", Ethnicity = "ethnicity", Disability = "disability", LivingSituation = "living_situation", Area = "area", PayVsMinimumWage = "pay_vs_minimum_wage" }
);

crate::completion::wire_enum!(
    AgeBand { Under18 = "under_18", From18To24 = "18_24", From25To34 = "25_34", From35To49 = "35_49", From50To64 = "50_64", From65 = "65_and_over" }
);

/// The age band of someone born `born_on`, on day `on` (a birthday counts from that day).
pub fn age_band(born_on: NaiveDate, on: NaiveDate) -> AgeBand {
    todo!("domain helper {born_on} {on}")
}

/// Whole years of age on `on` (a 29 February birthday falls on 1 March in other years).
pub fn age_on(born_on: NaiveDate, on: NaiveDate) -> u32 {
    todo!("domain helper {born_on} {on}")
}

/// A person's group in a dimension other than pay: the wire value of their answer,
/// `prefer_not_to_say`, or `not_recorded`. Age bands are taken on `on`.
/// `PayVsMinimumWage` is a job's, not a person's: `not_recorded` here.
pub fn group_of(e: &Equality, by: EqualityDimension, on: NaiveDate) -> String {
    todo!("domain helper {e:?} {by:?} {on}")
}

/// Which groups of one split to hide, given each group's count (in the split's order): every
/// group with fewer than `threshold`; and when exactly one group would be hidden, the next
/// smallest too (the first in order among equals), so no value can be worked out by
/// subtraction. A threshold of 0 or 1 hides nothing.
pub fn suppressed(counts: &[u64], threshold: u64) -> Vec<bool> {
    todo!("domain helper {counts:?} {threshold}")
}
