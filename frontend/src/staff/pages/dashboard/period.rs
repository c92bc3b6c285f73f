//! The periods a manager can look at, each ending on or around today.

use chrono::{Datelike, Months, NaiveDate};
use domain::period::Period;

use crate::i18n::StaffMessages;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    ThisQuarter,
    LastQuarter,
    FinancialYear,
    TwelveMonths,
}

impl Choice {
    pub const ALL: [Choice; 4] = [
        Choice::ThisQuarter,
        Choice::LastQuarter,
        Choice::FinancialYear,
        Choice::TwelveMonths,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Choice::ThisQuarter => "this-quarter",
            Choice::LastQuarter => "last-quarter",
            Choice::FinancialYear => "financial-year",
            Choice::TwelveMonths => "twelve-months",
        }
    }

    pub fn label(self, t: &'static StaffMessages) -> &'static str {
        match self {
            Choice::ThisQuarter => t.staff_period_this_quarter,
            Choice::LastQuarter => t.staff_period_last_quarter,
            Choice::FinancialYear => t.staff_period_financial_year,
            Choice::TwelveMonths => t.staff_period_twelve_months,
        }
    }

    pub fn period(self, today: NaiveDate) -> Option<Period> {
        let this_quarter = Period::quarter(today.year(), (today.month() - 1) / 3 + 1).ok()?;
        match self {
            Choice::ThisQuarter => Some(this_quarter),
            Choice::LastQuarter => this_quarter.previous(),
            Choice::FinancialYear => {
                let start = if today.month() >= 4 {
                    today.year()
                } else {
                    today.year() - 1
                };
                Period::financial_year(start).ok()
            }
            Choice::TwelveMonths => twelve_months_to(today),
        }
    }
}

/// The twelve calendar months ending with the one that holds `day`.
pub fn twelve_months_to(day: NaiveDate) -> Option<Period> {
    let month = Period::month(day.year(), day.month()).ok()?;
    let first = month.first.checked_sub_months(Months::new(11))?;
    Period::new(first, month.last).ok()
}
