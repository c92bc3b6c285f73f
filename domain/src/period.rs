//! Reporting periods: explicit first and last calendar days, both included (DESIGN.md §4).

use crate::values::ParseError;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Period {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, ParseError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ParseError(format!("no such date {y}-{m}-{d}")))
}

impl Period {
    pub fn new(first: NaiveDate, last: NaiveDate) -> Result<Self, ParseError> {
        if last < first {
            return Err(ParseError(
                "a period's last day comes before its first".into(),
            ));
        }
        Ok(Period { first, last })
    }

    /// The calendar month `month` (1–12) of `year`.
    pub fn month(year: i32, month: u32) -> Result<Self, ParseError> {
        let first = date(year, month, 1)?;
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| ParseError("month out of range".into()))?;
        Ok(Period { first, last })
    }

    /// Calendar quarter `q` (1 = January–March).
    pub fn quarter(year: i32, q: u32) -> Result<Self, ParseError> {
        if !(1..=4).contains(&q) {
            return Err(ParseError(format!("a quarter is 1 to 4; got {q}")));
        }
        Self::months_from(date(year, 3 * q - 2, 1)?, 3)
    }

    /// UK financial-year quarter: the year starting April `start_year`; Q1 = April–June.
    pub fn financial_quarter(start_year: i32, q: u32) -> Result<Self, ParseError> {
        if !(1..=4).contains(&q) {
            return Err(ParseError(format!("a quarter is 1 to 4; got {q}")));
        }
        let first = date(start_year, 4, 1)?
            .checked_add_months(Months::new(3 * (q - 1)))
            .ok_or_else(|| ParseError("quarter out of range".into()))?;
        Self::months_from(first, 3)
    }

    /// UK financial year: 1 April `start_year` to 31 March the year after.
    pub fn financial_year(start_year: i32) -> Result<Self, ParseError> {
        Self::months_from(date(start_year, 4, 1)?, 12)
    }

    /// The most recent UK financial quarter that is over on `today`.
    pub fn last_closed_financial_quarter(today: NaiveDate) -> Result<Self, ParseError> {
        let (start_year, q) = match today.month() {
            4..=6 => (today.year() - 1, 4),
            7..=9 => (today.year(), 1),
            10..=12 => (today.year(), 2),
            _ => (today.year() - 1, 3),
        };
        Self::financial_quarter(start_year, q)
    }

    /// Every day there is: for figures over a person's whole history.
    pub fn all_time() -> Self {
        Period {
            first: NaiveDate::MIN,
            last: NaiveDate::MAX,
        }
    }

    fn months_from(first: NaiveDate, n: u32) -> Result<Self, ParseError> {
        let last = first
            .checked_add_months(Months::new(n))
            .and_then(|d| d.pred_opt())
            .ok_or_else(|| ParseError("period out of range".into()))?;
        Ok(Period { first, last })
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.first <= day && day <= self.last
    }

    /// A period is closed once its last day is over: only closed periods are shown to
    /// participants and employers.
    pub fn is_closed(&self, today: NaiveDate) -> bool {
        self.last < today
    }

    /// The period before this one: the same number of whole months when this period is whole
    /// months (so the quarter before a quarter), otherwise the same number of days.
    pub fn previous(&self) -> Option<Self> {
        let next_day = self.last.succ_opt()?;
        if self.first.day() == 1 && next_day.day() == 1 {
            let months = (next_day.year() - self.first.year()) * 12 + next_day.month() as i32
                - self.first.month() as i32;
            let months = Months::new(u32::try_from(months).ok()?);
            let first = self.first.checked_sub_months(months)?;
            return Some(Period {
                first,
                last: self.first.pred_opt()?,
            });
        }
        let len = (self.last - self.first).num_days();
        let last = self.first.pred_opt()?;
        let first = last - chrono::Duration::days(len);
        Some(Period { first, last })
    }

    /// The calendar months this period touches, each clipped to the period.
    pub fn months(&self) -> Vec<Period> {
        self.split_every(1)
    }

    /// The calendar quarters (January–March first) this period touches, each clipped to it.
    pub fn quarters(&self) -> Vec<Period> {
        self.split_every(3)
    }

    /// The UK financial-year quarters (Q1 = April–June) this period touches, each clipped to
    /// it. They begin on the same days as calendar quarters, so the parts are those of
    /// [`Period::quarters`]; only their names differ.
    pub fn financial_quarters(&self) -> Vec<Period> {
        self.split_every(3)
    }

    /// The parts of a trend over this period.
    pub fn parts(&self, by: TrendBy) -> Vec<Period> {
        match by {
            TrendBy::Month => self.months(),
            TrendBy::Quarter => self.quarters(),
            TrendBy::FinancialQuarter => self.financial_quarters(),
        }
    }

    /// Runs of `months` calendar months starting in January (so every quarter starts in
    /// January, April, July or October), each clipped to this period.
    fn split_every(&self, months: u32) -> Vec<Period> {
        let mut out = Vec::new();
        let mut cursor = self
            .first
            .with_day(1)
            .and_then(|d| d.with_month0(d.month0() / months * months));
        while let Some(start) = cursor {
            if start > self.last {
                break;
            }
            let next = start.checked_add_months(Months::new(months));
            let Some(last) = next.map_or(Some(NaiveDate::MAX), |d| d.pred_opt()) else {
                break;
            };
            out.push(Period {
                first: start.max(self.first),
                last: last.min(self.last),
            });
            cursor = next;
        }
        out
    }
}

crate::completion::wire_enum!(
    /// How a trend splits its period: calendar months, calendar quarters, or UK financial-year
    /// quarters (DESIGN.md §4 Trends).
    TrendBy { Month = "month", Quarter = "quarter", FinancialQuarter = "financial_quarter" }
);

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn months_end_on_their_last_day_including_leap_february() {
        assert_eq!(Period::month(2028, 2).unwrap().last, d("2028-02-29"));
        assert_eq!(Period::month(2027, 2).unwrap().last, d("2027-02-28"));
        assert_eq!(Period::month(2026, 12).unwrap().last, d("2026-12-31"));
        assert!(Period::month(2026, 13).is_err());
    }

    #[test]
    fn financial_quarters_start_in_april() {
        let q1 = Period::financial_quarter(2026, 1).unwrap();
        assert_eq!((q1.first, q1.last), (d("2026-04-01"), d("2026-06-30")));
        let q4 = Period::financial_quarter(2026, 4).unwrap();
        assert_eq!((q4.first, q4.last), (d("2027-01-01"), d("2027-03-31")));
        let fy = Period::financial_year(2026).unwrap();
        assert_eq!((fy.first, fy.last), (d("2026-04-01"), d("2027-03-31")));
        let cq = Period::quarter(2026, 3).unwrap();
        assert_eq!((cq.first, cq.last), (d("2026-07-01"), d("2026-09-30")));
    }

    #[test]
    fn both_ends_of_a_period_are_inside_it() {
        let march = Period::month(2026, 3).unwrap();
        assert!(march.contains(d("2026-03-01")));
        assert!(march.contains(d("2026-03-31")));
        assert!(!march.contains(d("2026-04-01")));
        assert!(!march.contains(d("2026-02-28")));
    }

    #[test]
    fn a_period_is_closed_only_after_its_last_day() {
        let march = Period::month(2026, 3).unwrap();
        assert!(!march.is_closed(d("2026-03-31")));
        assert!(march.is_closed(d("2026-04-01")));
    }

    #[test]
    fn a_backwards_period_is_refused() {
        assert!(Period::new(d("2026-03-02"), d("2026-03-01")).is_err());
    }

    #[test]
    fn a_quarter_splits_into_its_three_months() {
        let months = Period::financial_quarter(2026, 1).unwrap().months();
        assert_eq!(months.len(), 3);
        assert_eq!(months[2].last, d("2026-06-30"));
    }

    fn spans(parts: &[Period]) -> Vec<(NaiveDate, NaiveDate)> {
        parts.iter().map(|p| (p.first, p.last)).collect()
    }

    #[test]
    fn a_period_splits_into_financial_quarters_clipped_at_both_ends() {
        let p = Period::new(d("2026-03-15"), d("2026-07-10")).unwrap();
        let parts = p.parts(TrendBy::FinancialQuarter);
        assert_eq!(
            spans(&parts),
            [
                (d("2026-03-15"), d("2026-03-31")),
                (d("2026-04-01"), d("2026-06-30")),
                (d("2026-07-01"), d("2026-07-10")),
            ]
        );
        assert_eq!(parts[1], Period::financial_quarter(2026, 1).unwrap());
    }

    #[test]
    fn the_31st_of_march_closes_a_financial_year_and_the_1st_of_april_opens_one() {
        let p = Period::new(d("2026-03-31"), d("2026-04-01")).unwrap();
        let parts = p.financial_quarters();
        assert_eq!(
            spans(&parts),
            [
                (d("2026-03-31"), d("2026-03-31")),
                (d("2026-04-01"), d("2026-04-01")),
            ]
        );
        assert!(
            Period::financial_quarter(2025, 4)
                .unwrap()
                .contains(parts[0].first)
        );
        assert!(
            Period::financial_quarter(2026, 1)
                .unwrap()
                .contains(parts[1].first)
        );
    }

    #[test]
    fn a_financial_year_splits_into_its_four_quarters() {
        let fy = Period::financial_year(2026).unwrap();
        let expected: Vec<Period> = (1..=4)
            .map(|q| Period::financial_quarter(2026, q).unwrap())
            .collect();
        assert_eq!(fy.financial_quarters(), expected);
        assert_eq!(fy.parts(TrendBy::Month).len(), 12);
    }

    #[test]
    fn calendar_quarters_are_clipped_and_start_in_january() {
        let p = Period::new(d("2025-12-31"), d("2026-02-10")).unwrap();
        assert_eq!(
            spans(&p.parts(TrendBy::Quarter)),
            [
                (d("2025-12-31"), d("2025-12-31")),
                (d("2026-01-01"), d("2026-02-10")),
            ]
        );
        let year = Period::new(d("2026-01-01"), d("2026-12-31")).unwrap();
        let expected: Vec<Period> = (1..=4).map(|q| Period::quarter(2026, q).unwrap()).collect();
        assert_eq!(year.quarters(), expected);
        let one_day = Period::new(d("2026-05-17"), d("2026-05-17")).unwrap();
        assert_eq!(one_day.quarters(), [one_day]);
        assert_eq!(one_day.months(), [one_day]);
    }

    #[test]
    fn trend_parts_use_their_wire_names() {
        assert_eq!(
            TrendBy::parse("financial_quarter").unwrap(),
            TrendBy::FinancialQuarter
        );
        assert_eq!(
            serde_json::to_string(&TrendBy::Quarter).unwrap(),
            "\"quarter\""
        );
        assert!(TrendBy::parse("week").is_err());
    }

    #[test]
    fn the_last_closed_financial_quarter_is_the_one_before_today_s() {
        let q = |today| Period::last_closed_financial_quarter(d(today)).unwrap();
        assert_eq!(q("2026-04-01"), Period::financial_quarter(2025, 4).unwrap());
        assert_eq!(q("2026-06-30"), Period::financial_quarter(2025, 4).unwrap());
        assert_eq!(q("2026-07-01"), Period::financial_quarter(2026, 1).unwrap());
        assert_eq!(q("2026-12-03"), Period::financial_quarter(2026, 2).unwrap());
        assert_eq!(q("2027-01-01"), Period::financial_quarter(2026, 3).unwrap());
        assert_eq!(q("2027-03-31"), Period::financial_quarter(2026, 3).unwrap());
        assert!(!q("2026-12-03").contains(d("2026-12-03")));
    }

    #[test]
    fn the_previous_period_is_the_month_or_quarter_before() {
        let prev = Period::month(2026, 3).unwrap().previous().unwrap();
        assert_eq!((prev.first, prev.last), (d("2026-02-01"), d("2026-02-28")));
        let prev = Period::financial_quarter(2026, 1)
            .unwrap()
            .previous()
            .unwrap();
        assert_eq!(prev, Period::financial_quarter(2025, 4).unwrap());
        let odd = Period::new(d("2026-03-10"), d("2026-03-19"))
            .unwrap()
            .previous()
            .unwrap();
        assert_eq!((odd.first, odd.last), (d("2026-02-28"), d("2026-03-09")));
    }
}
