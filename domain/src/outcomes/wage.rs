//! The National Minimum Wage: a dated table of rates by age band (shipped with the UK's
//! published rates; an admin can add a year), and a job's pay against the rate for the person's
//! age on the job's start date (DESIGN.md §4a).

use crate::Hundredths;
use crate::records::FieldError;
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
    /// (the year the rates took effect on 1 April, [(min age, pence an hour)], apprentice
    /// pence). From 2024 the national living wage starts at 21: the 23+ band is gone.
    type Year = (i32, &'static [(u8, i64)], i64);
    const UK: &[Year] = &[
        (2021, &[(23, 891), (21, 836), (18, 656), (16, 462)], 430),
        (2022, &[(23, 950), (21, 918), (18, 683), (16, 481)], 481),
        (2023, &[(23, 1042), (21, 1018), (18, 749), (16, 528)], 528),
        (2024, &[(21, 1144), (18, 860), (16, 640)], 640),
        (2025, &[(21, 1221), (18, 1000), (16, 755)], 755),
        (2026, &[(21, 1271), (18, 1085), (16, 800)], 800),
    ];
    let mut table = Vec::new();
    for &(year, ages, apprentice) in UK {
        let Some(from) = NaiveDate::from_ymd_opt(year, 4, 1) else {
            continue;
        };
        table.extend(ages.iter().map(|&(min_age, pence)| WageRate {
            from,
            min_age,
            apprentice: false,
            rate: Hundredths(pence),
        }));
        table.push(WageRate {
            from,
            min_age: 0,
            apprentice: true,
            rate: Hundredths(apprentice),
        });
    }
    table
}

/// Refuses a table a rate could not be read from: rates > 0 and ≤ £100, ages 16–25, no two rows
/// for the same date, age and apprenticeship. Names the field (`minimum_wage`).
pub fn check_table(table: &[WageRate]) -> Result<(), FieldError> {
    let refuse = |message: String| {
        Err(FieldError {
            field: "minimum_wage",
            message,
        })
    };
    for (i, r) in table.iter().enumerate() {
        if r.rate <= Hundredths(0) || r.rate > Hundredths::from_units(100) {
            return refuse(format!(
                "the rate from {} must be more than £0 and at most £100",
                r.from
            ));
        }
        if r.apprentice && r.min_age != 0 {
            return refuse(format!("the apprentice rate from {} has min_age 0", r.from));
        }
        if !r.apprentice && !(16..=25).contains(&r.min_age) {
            return refuse(format!(
                "the rate from {} is for an age from 16 to 25",
                r.from
            ));
        }
        let same = |o: &WageRate| {
            o.from == r.from && o.min_age == r.min_age && o.apprentice == r.apprentice
        };
        if table[..i].iter().any(same) {
            return refuse(format!(
                "the rate from {} for age {} is given twice",
                r.from, r.min_age
            ));
        }
    }
    Ok(())
}

/// The minimum hourly rate for someone born `born_on` starting a job `on` that day (`None` when
/// the table has no rate for them then, or they are under 16).
pub fn minimum_wage(
    table: &[WageRate],
    born_on: NaiveDate,
    on: NaiveDate,
    apprentice: bool,
) -> Option<Hundredths> {
    let age = super::equality::age_on(born_on, on);
    if age < 16 {
        return None;
    }
    // Only the rows of the table in force that day: bands change between years (2024 dropped
    // 23+), so a band missing from it must not be read from an older year.
    let in_force = table
        .iter()
        .map(|r| r.from)
        .filter(|from| *from <= on)
        .max()?;
    let rows = || table.iter().filter(move |r| r.from == in_force);
    if apprentice && let Some(r) = rows().find(|r| r.apprentice) {
        return Some(r.rate);
    }
    rows()
        .filter(|r| !r.apprentice && u32::from(r.min_age) <= age)
        .max_by_key(|r| r.min_age)
        .map(|r| r.rate)
}

/// Pay against the minimum (pennies exact: equal is `At`).
pub fn compare_pay(pay: Option<Hundredths>, minimum: Option<Hundredths>) -> PayVsMinimum {
    match (pay, minimum) {
        (Some(p), Some(m)) if p > m => PayVsMinimum::Above,
        (Some(p), Some(m)) if p == m => PayVsMinimum::At,
        (Some(_), Some(_)) => PayVsMinimum::Below,
        _ => PayVsMinimum::NotKnown,
    }
}
