//! The periods a manager can look at (DESIGN.md §4): quick choices ending on or around today,
//! a month, a calendar quarter, a UK financial-year quarter (Q1 = April–June), a financial year,
//! or any first and last day up to three years apart.

use chrono::{Datelike, Months, NaiveDate};
use domain::period::Period;

use crate::i18n::{Messages, StaffMessages, fill};

/// The kinds of period the picker offers, quick choices first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ThisQuarter,
    LastQuarter,
    ThisFinancialYear,
    TwelveMonths,
    Month,
    Quarter,
    FinancialQuarter,
    FinancialYear,
    Custom,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::ThisQuarter,
        Kind::LastQuarter,
        Kind::ThisFinancialYear,
        Kind::TwelveMonths,
        Kind::Month,
        Kind::Quarter,
        Kind::FinancialQuarter,
        Kind::FinancialYear,
        Kind::Custom,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Kind::ThisQuarter => "this-quarter",
            Kind::LastQuarter => "last-quarter",
            Kind::ThisFinancialYear => "financial-year",
            Kind::TwelveMonths => "twelve-months",
            Kind::Month => "month",
            Kind::Quarter => "quarter",
            Kind::FinancialQuarter => "fy-quarter",
            Kind::FinancialYear => "fy",
            Kind::Custom => "custom",
        }
    }

    pub fn label(self, t: &'static StaffMessages) -> &'static str {
        match self {
            Kind::ThisQuarter => t.staff_period_this_quarter,
            Kind::LastQuarter => t.staff_period_last_quarter,
            Kind::ThisFinancialYear => t.staff_period_financial_year,
            Kind::TwelveMonths => t.staff_period_twelve_months,
            Kind::Month => t.staff_period_kind_month,
            Kind::Quarter => t.staff_period_kind_quarter,
            Kind::FinancialQuarter => t.staff_period_kind_fy_quarter,
            Kind::FinancialYear => t.staff_period_kind_fy,
            Kind::Custom => t.staff_period_kind_custom,
        }
    }

    /// Whether the period follows the financial year, so its trend is in financial quarters.
    pub fn financial(self) -> bool {
        matches!(
            self,
            Kind::ThisFinancialYear | Kind::FinancialQuarter | Kind::FinancialYear
        )
    }
}

/// A period chosen with the selects: `year` is the calendar year for a month or a calendar
/// quarter, and the year the financial year starts in for a financial quarter or year;
/// `quarter` is 1–4 of whichever year that is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pick {
    pub kind: Kind,
    pub year: i32,
    pub month: u32,
    pub quarter: u32,
}

impl Pick {
    /// `kind`, with its selects set to the latest part of `shown` that has begun by `today`
    /// (so moving from "this financial year" to "a month" lands on this month).
    pub fn seeded(kind: Kind, shown: Option<Period>, today: NaiveDate) -> Pick {
        let day = shown.map_or(today, |p| p.last.min(today).max(p.first));
        let (year, quarter) = if kind.financial() {
            financial_quarter_of(day)
        } else {
            (day.year(), day.month0() / 3 + 1)
        };
        Pick {
            kind,
            year,
            month: day.month(),
            quarter,
        }
    }

    /// The period picked; `None` for a custom period (its dates are checked by [`custom`]) or
    /// a choice out of range.
    pub fn period(self, today: NaiveDate) -> Option<Period> {
        let this_quarter = Period::quarter(today.year(), today.month0() / 3 + 1).ok()?;
        match self.kind {
            Kind::ThisQuarter => Some(this_quarter),
            Kind::LastQuarter => this_quarter.previous(),
            Kind::ThisFinancialYear => Period::financial_year(financial_quarter_of(today).0).ok(),
            Kind::TwelveMonths => twelve_months_to(today),
            Kind::Month => Period::month(self.year, self.month).ok(),
            Kind::Quarter => Period::quarter(self.year, self.quarter).ok(),
            Kind::FinancialQuarter => Period::financial_quarter(self.year, self.quarter).ok(),
            Kind::FinancialYear => Period::financial_year(self.year).ok(),
            Kind::Custom => None,
        }
    }

    /// The period's name, e.g. "FY 2025-26 Q1 (Apr–Jun 2025)"; `None` for twelve months and
    /// custom periods, which the dates name well enough.
    pub fn name(self, today: NaiveDate, t: &'static StaffMessages, m: &Messages) -> Option<String> {
        let p = self.period(today)?;
        match self.kind {
            Kind::TwelveMonths | Kind::Custom => None,
            Kind::Month => Some(format!(
                "{} {}",
                month_name(m, p.first.month()),
                p.first.year()
            )),
            Kind::ThisQuarter | Kind::LastQuarter | Kind::Quarter => {
                Some(quarter_name(t, p.first.year(), p.first.month0() / 3 + 1))
            }
            Kind::FinancialQuarter => {
                let (year, q) = financial_quarter_of(p.first);
                Some(fy_quarter_name(t, year, q))
            }
            Kind::ThisFinancialYear | Kind::FinancialYear => {
                Some(fill(t.staff_fy_name, &[("fy", &fy_label(p.first.year()))]))
            }
        }
    }
}

/// The financial year (by the year it starts in) and its quarter (Q1 = April–June) that hold
/// `day`.
pub fn financial_quarter_of(day: NaiveDate) -> (i32, u32) {
    let year = if day.month() >= 4 {
        day.year()
    } else {
        day.year() - 1
    };
    (year, (day.month0() + 9) % 12 / 3 + 1)
}

/// "2025-26" for the financial year starting in April 2025.
pub fn fy_label(start_year: i32) -> String {
    format!("{start_year}-{:02}", (start_year + 1).rem_euclid(100))
}

/// The months of calendar quarter `q` (1–4), e.g. "Apr–Jun".
pub fn quarter_months(t: &'static StaffMessages, q: u32) -> &'static str {
    match q {
        1 => t.staff_quarter_months_1,
        2 => t.staff_quarter_months_2,
        3 => t.staff_quarter_months_3,
        _ => t.staff_quarter_months_4,
    }
}

/// Which calendar quarter financial quarter `q` is (Q1 = April–June is the second).
pub fn calendar_quarter_of_financial(q: u32) -> u32 {
    q % 4 + 1
}

/// "2025 Q2 (Apr–Jun)".
pub fn quarter_name(t: &'static StaffMessages, year: i32, q: u32) -> String {
    fill(
        t.staff_quarter_name,
        &[
            ("year", &year.to_string()),
            ("q", &q.to_string()),
            ("months", quarter_months(t, q)),
        ],
    )
}

/// "FY 2025-26 Q1 (Apr–Jun 2025)".
pub fn fy_quarter_name(t: &'static StaffMessages, start_year: i32, q: u32) -> String {
    let calendar_year = if q == 4 { start_year + 1 } else { start_year };
    fill(
        t.staff_fy_quarter_name,
        &[
            ("fy", &fy_label(start_year)),
            ("q", &q.to_string()),
            (
                "months",
                quarter_months(t, calendar_quarter_of_financial(q)),
            ),
            ("year", &calendar_year.to_string()),
        ],
    )
}

pub fn month_name(m: &Messages, month: u32) -> &'static str {
    [
        m.month_1, m.month_2, m.month_3, m.month_4, m.month_5, m.month_6, m.month_7, m.month_8,
        m.month_9, m.month_10, m.month_11, m.month_12,
    ]
    .get(month.saturating_sub(1) as usize)
    .copied()
    .unwrap_or_default()
}

/// The twelve calendar months ending with the one that holds `day`.
pub fn twelve_months_to(day: NaiveDate) -> Option<Period> {
    let month = Period::month(day.year(), day.month()).ok()?;
    let first = month.first.checked_sub_months(Months::new(11))?;
    Period::new(first, month.last).ok()
}

/// What the month-by-month trend covers: the twelve months to the period's last month, or the
/// whole of a longer period, in whole months.
pub fn monthly_range(p: Period) -> Option<Period> {
    let twelve = twelve_months_to(p.last)?;
    let first = p.first.with_day(1)?.min(twelve.first);
    Period::new(first, twelve.last).ok()
}

/// What the quarter-by-quarter trend covers: the four quarters to the one holding the period's
/// last day, or the whole of a longer period, in whole quarters (calendar and financial
/// quarters begin on the same days, so one range serves both).
pub fn quarterly_range(p: Period) -> Option<Period> {
    let last = Period::quarter(p.last.year(), p.last.month0() / 3 + 1).ok()?;
    let four = last.first.checked_sub_months(Months::new(9))?;
    let start = Period::quarter(p.first.year(), p.first.month0() / 3 + 1).ok()?;
    Period::new(start.first.min(four), last.last).ok()
}

/// The longest custom period: three years.
const MOST_MONTHS: u32 = 36;

/// What is wrong with a custom period's dates, shown beside the field concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateProblem {
    FirstMissing,
    LastMissing,
    LastBeforeFirst,
    TooLong,
}

impl DateProblem {
    pub fn message(self, t: &'static StaffMessages) -> &'static str {
        match self {
            DateProblem::FirstMissing => t.staff_period_error_first,
            DateProblem::LastMissing => t.staff_period_error_last,
            DateProblem::LastBeforeFirst => t.staff_period_error_order,
            DateProblem::TooLong => t.staff_period_error_long,
        }
    }
}

/// The custom period's problems, for the first day's field and the last day's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateProblems {
    pub first: Option<DateProblem>,
    pub last: Option<DateProblem>,
}

/// A custom period from two date fields' values (`YYYY-MM-DD`, empty when not a whole date):
/// the last day on or after the first, and at most three years in all.
pub fn custom(first: &str, last: &str) -> Result<Period, DateProblems> {
    let parse = |s: &str| s.trim().parse::<NaiveDate>().ok();
    match (parse(first), parse(last)) {
        (Some(first), Some(last)) => {
            if last < first {
                Err(DateProblems {
                    first: None,
                    last: Some(DateProblem::LastBeforeFirst),
                })
            } else if first
                .checked_add_months(Months::new(MOST_MONTHS))
                .is_none_or(|limit| last >= limit)
            {
                Err(DateProblems {
                    first: None,
                    last: Some(DateProblem::TooLong),
                })
            } else {
                Period::new(first, last).map_err(|_| DateProblems::default())
            }
        }
        (first, last) => Err(DateProblems {
            first: first.is_none().then_some(DateProblem::FirstMissing),
            last: last.is_none().then_some(DateProblem::LastMissing),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{EN, STAFF_CY, STAFF_EN};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn pick(kind: Kind, year: i32, month: u32, quarter: u32) -> Pick {
        Pick {
            kind,
            year,
            month,
            quarter,
        }
    }

    #[test]
    fn financial_quarters_start_in_april() {
        assert_eq!(financial_quarter_of(d("2025-04-01")), (2025, 1));
        assert_eq!(financial_quarter_of(d("2025-06-30")), (2025, 1));
        assert_eq!(financial_quarter_of(d("2025-12-31")), (2025, 3));
        assert_eq!(financial_quarter_of(d("2026-01-01")), (2025, 4));
        assert_eq!(financial_quarter_of(d("2026-03-31")), (2025, 4));
        assert_eq!(fy_label(2025), "2025-26");
        assert_eq!(fy_label(1999), "1999-00");
    }

    #[test]
    fn each_kind_gives_its_period_and_name() {
        let today = d("2026-12-03");
        let fq = pick(Kind::FinancialQuarter, 2025, 1, 1);
        assert_eq!(fq.period(today), Period::financial_quarter(2025, 1).ok());
        assert_eq!(
            fq.name(today, &STAFF_EN, &EN).unwrap(),
            "FY 2025-26 Q1 (Apr–Jun 2025)"
        );
        let q4 = pick(Kind::FinancialQuarter, 2025, 1, 4);
        assert_eq!(
            q4.name(today, &STAFF_EN, &EN).unwrap(),
            "FY 2025-26 Q4 (Jan–Mar 2026)"
        );
        assert!(q4.name(today, &STAFF_CY, &EN).unwrap().contains("2025-26"));
        let month = pick(Kind::Month, 2026, 2, 1);
        assert_eq!(month.period(today).unwrap().last, d("2026-02-28"));
        assert_eq!(month.name(today, &STAFF_EN, &EN).unwrap(), "February 2026");
        let quarter = pick(Kind::Quarter, 2026, 1, 3);
        assert_eq!(
            quarter.name(today, &STAFF_EN, &EN).unwrap(),
            "2026 Q3 (Jul–Sep)"
        );
        let fy = pick(Kind::ThisFinancialYear, 0, 1, 1);
        assert_eq!(fy.period(today), Period::financial_year(2026).ok());
        assert_eq!(fy.name(today, &STAFF_EN, &EN).unwrap(), "FY 2026-27");
        assert_eq!(pick(Kind::Custom, 2026, 1, 1).period(today), None);
    }

    #[test]
    fn a_new_kind_starts_from_the_period_shown() {
        let today = d("2026-12-03");
        let fy = Period::financial_year(2026).ok();
        let p = Pick::seeded(Kind::FinancialQuarter, fy, today);
        assert_eq!((p.year, p.quarter), (2026, 3));
        let p = Pick::seeded(Kind::Month, Period::financial_quarter(2025, 1).ok(), today);
        assert_eq!((p.year, p.month), (2025, 6));
        let p = Pick::seeded(Kind::Quarter, None, today);
        assert_eq!((p.year, p.quarter), (2026, 4));
    }

    #[test]
    fn a_custom_period_is_checked_field_by_field() {
        assert_eq!(
            custom("2025-04-01", "2025-06-30"),
            Ok(Period::financial_quarter(2025, 1).unwrap())
        );
        assert_eq!(
            custom("", "2025-06-30"),
            Err(DateProblems {
                first: Some(DateProblem::FirstMissing),
                last: None
            })
        );
        assert_eq!(
            custom("2025-06-30", "2025-06-29").unwrap_err().last,
            Some(DateProblem::LastBeforeFirst)
        );
        // Three whole years is the most: 1 April 2023 to 31 March 2026.
        assert!(custom("2023-04-01", "2026-03-31").is_ok());
        assert_eq!(
            custom("2023-04-01", "2026-04-01").unwrap_err().last,
            Some(DateProblem::TooLong)
        );
        assert!(custom("2025-06-30", "2025-06-30").is_ok());
    }

    #[test]
    fn trends_cover_at_least_a_year_in_whole_months_and_quarters() {
        let fq = Period::financial_quarter(2025, 1).unwrap();
        let months = monthly_range(fq).unwrap();
        assert_eq!(
            (months.first, months.last),
            (d("2024-07-01"), d("2025-06-30"))
        );
        assert_eq!(months.months().len(), 12);
        let quarters = quarterly_range(fq).unwrap();
        assert_eq!(
            (quarters.first, quarters.last),
            (d("2024-07-01"), d("2025-06-30"))
        );
        assert_eq!(quarters.quarters().len(), 4);
        // A month in the middle of a quarter: the quarter it is in ends the range.
        let may = Period::month(2025, 5).unwrap();
        assert_eq!(quarterly_range(may).unwrap().last, d("2025-06-30"));
        // A longer custom period is covered whole.
        let long = custom("2023-05-15", "2025-06-10").unwrap();
        assert_eq!(monthly_range(long).unwrap().first, d("2023-05-01"));
        assert_eq!(quarterly_range(long).unwrap().first, d("2023-04-01"));
        assert_eq!(quarterly_range(long).unwrap().quarters().len(), 9);
    }
}
