//! Equality breakdowns (DESIGN.md §4a): the dimensions, a person's group in each, and the
//! small-number suppression with the second-smallest rule.

use super::wage::PayVsMinimum;
use crate::records::Equality;
use crate::records::{Area, Ethnicity, Gender, LivingSituation, PrimaryNeed};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

crate::completion::wire_enum!(
    EqualityDimension { Gender = "gender", AgeBand = "age_band", Ethnicity = "ethnicity", Disability = "disability", LivingSituation = "living_situation", Area = "area", PayVsMinimumWage = "pay_vs_minimum_wage" }
);

crate::completion::wire_enum!(
    AgeBand { Under18 = "under_18", From18To24 = "18_24", From25To34 = "25_34", From35To49 = "35_49", From50To64 = "50_64", From65 = "65_and_over" }
);

/// The age band of someone born `born_on`, on day `on` (a birthday counts from that day).
pub fn age_band(born_on: NaiveDate, on: NaiveDate) -> AgeBand {
    match age_on(born_on, on) {
        0..=17 => AgeBand::Under18,
        18..=24 => AgeBand::From18To24,
        25..=34 => AgeBand::From25To34,
        35..=49 => AgeBand::From35To49,
        50..=64 => AgeBand::From50To64,
        _ => AgeBand::From65,
    }
}

/// Whole years of age on `on` (a 29 February birthday falls on 1 March in other years).
pub fn age_on(born_on: NaiveDate, on: NaiveDate) -> u32 {
    // Comparing (month, day) puts 29 February after 28 February and before 1 March, so in a
    // year without it the birthday is reached on 1 March.
    let before_birthday = (on.month(), on.day()) < (born_on.month(), born_on.day());
    let years = on.year() - born_on.year() - i32::from(before_birthday);
    u32::try_from(years).unwrap_or(0)
}

/// A person's group in a dimension other than pay: the wire value of their answer,
/// `prefer_not_to_say`, or `not_recorded`. Age bands are taken on `on`.
/// `PayVsMinimumWage` is a job's, not a person's: `not_recorded` here.
pub fn group_of(e: &Equality, by: EqualityDimension, on: NaiveDate) -> String {
    let answer = match by {
        EqualityDimension::Gender => e.gender.map(|v| v.as_str()),
        EqualityDimension::AgeBand => e.born_on.map(|b| age_band(b, on).as_str()),
        EqualityDimension::Ethnicity => e.ethnicity.map(|v| v.as_str()),
        EqualityDimension::Disability => e.disability.map(|v| v.as_str()),
        EqualityDimension::LivingSituation => e.living_situation.map(|v| v.as_str()),
        EqualityDimension::Area => e.area.map(|v| v.as_str()),
        EqualityDimension::PayVsMinimumWage => None,
    };
    answer.unwrap_or(NOT_RECORDED).to_owned()
}

/// The group of everyone whose answer is absent.
pub(crate) const NOT_RECORDED: &str = "not_recorded";

/// Every group of a split, in order: each value of the dimension (its "prefer not to say"
/// among them), then `not_recorded` (not for pay, whose `not_known` is that group).
pub(crate) fn groups(by: EqualityDimension) -> Vec<&'static str> {
    fn all<T: Copy>(values: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
        values.iter().map(|v| name(*v)).collect()
    }
    let mut groups = match by {
        EqualityDimension::Gender => all(Gender::ALL, Gender::as_str),
        EqualityDimension::AgeBand => all(AgeBand::ALL, AgeBand::as_str),
        EqualityDimension::Ethnicity => all(Ethnicity::ALL, Ethnicity::as_str),
        EqualityDimension::Disability => all(PrimaryNeed::ALL, PrimaryNeed::as_str),
        EqualityDimension::LivingSituation => all(LivingSituation::ALL, LivingSituation::as_str),
        EqualityDimension::Area => all(Area::ALL, Area::as_str),
        EqualityDimension::PayVsMinimumWage => all(PayVsMinimum::ALL, PayVsMinimum::as_str),
    };
    // Pay against the minimum wage is a job's: `not_known` already holds every job it cannot
    // be worked out for, so an always-empty `not_recorded` group would only trip suppression.
    if by != EqualityDimension::PayVsMinimumWage && !groups.contains(&NOT_RECORDED) {
        groups.push(NOT_RECORDED);
    }
    groups
}

/// Which groups of one split to hide, given each group's count (in the split's order): every
/// group with fewer than `threshold`; and when exactly one group would be hidden, the next
/// smallest too (the first in order among equals), so no value can be worked out by
/// subtraction. A threshold of 0 or 1 hides nothing.
pub fn suppressed(counts: &[u64], threshold: u64) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts
        .iter()
        .map(|&n| threshold > 1 && n < threshold)
        .collect();
    if hidden.iter().filter(|h| **h).count() == 1 {
        // `min_by_key` keeps the first of equal counts.
        let next_smallest = counts
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden[*i])
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        if let Some(i) = next_smallest {
            hidden[i] = true;
        }
    }
    hidden
}
