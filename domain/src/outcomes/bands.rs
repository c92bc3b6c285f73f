//! Scoring bands: a value scores the highest band it reaches (≥ the threshold for A and E, ≤ for
//! B); below the lowest band scores 0 (DESIGN.md §4a).

use crate::Hundredths;
use crate::records::FieldError;
use serde::{Deserialize, Serialize};

crate::completion::wire_enum!(
    /// Which way a band is reached: at least its threshold (A, E) or at most (B).
    Direction { AtLeast = "at_least", AtMost = "at_most" }
);

/// One band: reaching `threshold` scores `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// A percentage for A and E, weeks for B.
    pub threshold: Hundredths,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 5))]
    pub score: u8,
}

/// The bands of KPIs A, B and E.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ScoringBands {
    pub kpi_a: Vec<Band>,
    pub kpi_b: Vec<Band>,
    pub kpi_e: Vec<Band>,
}

impl Default for ScoringBands {
    /// Seed 000's: A 10%=1, 30%=2, 40%=4, 50%=5 (no 3, as the seed has it); B 52 weeks=1, 39=2,
    /// 26=3, 16=4, 10=5; E 50%=1, 60%=2, 70%=3, 80%=4, 90%=5.
    fn default() -> Self {
        ScoringBands {
            kpi_a: bands(&[(10, 1), (30, 2), (40, 4), (50, 5)]),
            kpi_b: bands(&[(52, 1), (39, 2), (26, 3), (16, 4), (10, 5)]),
            kpi_e: bands(&[(50, 1), (60, 2), (70, 3), (80, 4), (90, 5)]),
        }
    }
}

/// Bands from (threshold in whole units, score) pairs.
fn bands(pairs: &[(i64, u8)]) -> Vec<Band> {
    pairs
        .iter()
        .map(|&(threshold, score)| Band {
            threshold: Hundredths::from_units(threshold),
            score,
        })
        .collect()
}

impl ScoringBands {
    /// Refuses bands a score could not be read from, naming the field (`kpi_a`, …): scores
    /// 1–5, no score twice, thresholds strictly rising with the score for A and E and strictly
    /// falling for B, percentages 0–100, weeks > 0, at most 5 bands each.
    pub fn check(&self) -> Result<(), FieldError> {
        check_bands("kpi_a", &self.kpi_a, Direction::AtLeast)?;
        check_bands("kpi_b", &self.kpi_b, Direction::AtMost)?;
        check_bands("kpi_e", &self.kpi_e, Direction::AtLeast)
    }
}

/// One KPI's bands: percentages when reached from below (A, E), weeks when from above (B).
fn check_bands(
    field: &'static str,
    bands: &[Band],
    direction: Direction,
) -> Result<(), FieldError> {
    let refuse = |message: &str| {
        Err(FieldError {
            field,
            message: message.to_owned(),
        })
    };
    if bands.is_empty() || bands.len() > 5 {
        return refuse("give from 1 to 5 bands");
    }
    for b in bands {
        if !(1..=5).contains(&b.score) {
            return refuse("a score is from 1 to 5");
        }
        match direction {
            Direction::AtLeast
                if !(Hundredths(0)..=Hundredths::from_units(100)).contains(&b.threshold) =>
            {
                return refuse("a threshold is a percentage from 0 to 100");
            }
            Direction::AtMost if b.threshold.0 <= 0 => {
                return refuse("a threshold is more than 0 weeks");
            }
            _ => {}
        }
    }
    let mut by_score = bands.to_vec();
    by_score.sort_by_key(|b| b.score);
    for pair in by_score.windows(2) {
        let (lower, higher) = (pair[0], pair[1]);
        if lower.score == higher.score {
            return refuse("each score is given once");
        }
        match direction {
            Direction::AtLeast if higher.threshold <= lower.threshold => {
                return refuse("a higher score needs a higher percentage");
            }
            Direction::AtMost if higher.threshold >= lower.threshold => {
                return refuse("a higher score needs fewer weeks");
            }
            _ => {}
        }
    }
    Ok(())
}

/// The score of `value` against `bands`.
pub fn score(value: Hundredths, bands: &[Band], direction: Direction) -> u8 {
    bands
        .iter()
        .filter(|b| match direction {
            Direction::AtLeast => value >= b.threshold,
            Direction::AtMost => value <= b.threshold,
        })
        .map(|b| b.score)
        .max()
        .unwrap_or(0)
}
