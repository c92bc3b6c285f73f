//! The Short Warwick-Edinburgh Mental Wellbeing Scale: its fixed items, scoring and the
//! raw-to-metric conversion (Stewart-Brown et al. 2009). Wording, order and response
//! categories are never altered (DESIGN.md §3).

use crate::fixed::Hundredths;
use crate::values::{ParseError, Rating};
use serde::{Deserialize, Serialize};

pub const ITEMS: [&str; 7] = [
    "I've been feeling optimistic about the future",
    "I've been feeling useful",
    "I've been feeling relaxed",
    "I've been dealing with problems well",
    "I've been thinking clearly",
    "I've been feeling close to other people",
    "I've been able to make up my own mind about things",
];

pub const INSTRUCTION: &str = "Below are some statements about feelings and thoughts. Please tick the box that best describes your experience of each over the last 2 weeks.";

pub const RESPONSES: [&str; 5] = [
    "None of the time",
    "Rarely",
    "Some of the time",
    "Often",
    "All of the time",
];

pub const COPYRIGHT: &str = "© NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.";

/// Metric score in hundredths for raw scores 7..=35 (index = raw - 7).
const METRIC: [i64; 29] = [
    700, 951, 1125, 1240, 1333, 1408, 1475, 1532, 1584, 1636, // 7..=16
    1688, 1743, 1798, 1859, 1925, 1998, 2073, 2154, 2235, 2321, // 17..=26
    2411, 2503, 2602, 2703, 2813, 2931, 3070, 3255, 3500, // 27..=35
];

/// The metric score for a raw score, or `None` outside 7..=35.
pub fn metric_for_raw(raw: u8) -> Option<Hundredths> {
    let i = usize::from(raw.checked_sub(7)?);
    METRIC.get(i).copied().map(Hundredths)
}

/// One SWEMWBS form: exactly seven items, each answered 1–5 or left blank.
/// A form with a blank is kept (it is evidence of the attempt) but never scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<Option<u8>>", into = "Vec<Option<u8>>")]
pub struct SwemwbsForm([Option<Rating>; 7]);

impl SwemwbsForm {
    pub fn parse(items: &[Option<u8>]) -> Result<Self, ParseError> {
        if items.len() != 7 {
            return Err(ParseError(format!(
                "SWEMWBS has exactly 7 items; got {}",
                items.len()
            )));
        }
        let mut out = [None; 7];
        for (i, item) in items.iter().enumerate() {
            out[i] = match item {
                Some(v) => Some(
                    Rating::new(*v).map_err(|e| ParseError(format!("item {}: {}", i + 1, e.0)))?,
                ),
                None => None,
            };
        }
        Ok(SwemwbsForm(out))
    }

    pub fn items(&self) -> &[Option<Rating>; 7] {
        &self.0
    }

    pub fn is_complete(&self) -> bool {
        self.0.iter().all(Option::is_some)
    }

    /// The sum of the seven items (7–35), or `None` when any is blank.
    pub fn raw(&self) -> Option<u8> {
        self.0
            .iter()
            .try_fold(0u8, |acc, r| r.map(|r| acc + r.get()))
    }

    /// The metric score, or `None` when the form is incomplete.
    pub fn metric(&self) -> Option<Hundredths> {
        self.raw().and_then(metric_for_raw)
    }
}

impl TryFrom<Vec<Option<u8>>> for SwemwbsForm {
    type Error = ParseError;
    fn try_from(v: Vec<Option<u8>>) -> Result<Self, Self::Error> {
        SwemwbsForm::parse(&v)
    }
}

impl From<SwemwbsForm> for Vec<Option<u8>> {
    fn from(f: SwemwbsForm) -> Self {
        f.0.iter().map(|r| r.map(Rating::get)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The conversion table of DESIGN.md §3, row by row.
    const TABLE: [(u8, &str); 29] = [
        (7, "7.00"),
        (8, "9.51"),
        (9, "11.25"),
        (10, "12.40"),
        (11, "13.33"),
        (12, "14.08"),
        (13, "14.75"),
        (14, "15.32"),
        (15, "15.84"),
        (16, "16.36"),
        (17, "16.88"),
        (18, "17.43"),
        (19, "17.98"),
        (20, "18.59"),
        (21, "19.25"),
        (22, "19.98"),
        (23, "20.73"),
        (24, "21.54"),
        (25, "22.35"),
        (26, "23.21"),
        (27, "24.11"),
        (28, "25.03"),
        (29, "26.02"),
        (30, "27.03"),
        (31, "28.13"),
        (32, "29.31"),
        (33, "30.70"),
        (34, "32.55"),
        (35, "35.00"),
    ];

    #[test]
    fn every_row_of_the_conversion_table() {
        for (raw, metric) in TABLE {
            assert_eq!(
                metric_for_raw(raw).unwrap().to_string(),
                metric,
                "raw {raw}"
            );
        }
        assert_eq!(metric_for_raw(6), None);
        assert_eq!(metric_for_raw(36), None);
    }

    #[test]
    fn a_form_that_sums_to_each_raw_score_gets_that_rows_metric() {
        for (raw, metric) in TABLE {
            // Spread `raw` over seven items of 1..=5.
            let mut items = [1u8; 7];
            let mut left = raw - 7;
            for item in items.iter_mut() {
                let add = left.min(4);
                *item += add;
                left -= add;
            }
            let form = SwemwbsForm::parse(&items.map(Some)).unwrap();
            assert_eq!(form.raw(), Some(raw));
            assert_eq!(form.metric().unwrap().to_string(), metric);
        }
    }

    #[test]
    fn an_incomplete_form_is_kept_but_not_scored() {
        let form =
            SwemwbsForm::parse(&[Some(3), Some(3), None, Some(3), Some(3), Some(3), Some(3)])
                .unwrap();
        assert!(!form.is_complete());
        assert_eq!(form.raw(), None);
        assert_eq!(form.metric(), None);
    }

    #[test]
    fn six_or_eight_items_are_refused() {
        assert!(SwemwbsForm::parse(&[Some(3); 6]).is_err());
        assert!(SwemwbsForm::parse(&[Some(3); 8]).is_err());
        assert!(serde_json::from_str::<SwemwbsForm>("[3,3,3,3,3,3]").is_err());
    }

    #[test]
    fn an_item_outside_one_to_five_is_refused_and_named() {
        let e = SwemwbsForm::parse(&[
            Some(3),
            Some(6),
            Some(3),
            Some(3),
            Some(3),
            Some(3),
            Some(3),
        ])
        .unwrap_err();
        assert!(e.0.contains("item 2"), "{e}");
        assert!(SwemwbsForm::parse(&[Some(0); 7]).is_err());
    }

    #[test]
    fn a_form_travels_as_a_list_with_nulls_for_blanks() {
        let f: SwemwbsForm = serde_json::from_str("[1,2,3,4,5,null,1]").unwrap();
        assert_eq!(serde_json::to_string(&f).unwrap(), "[1,2,3,4,5,null,1]");
    }
}
