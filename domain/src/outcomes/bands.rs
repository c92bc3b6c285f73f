//! Scoring bands: a value scores the highest band it reaches (≥ the threshold for A and E, ≤ for
//! B); below the lowest band scores 0 (DESIGN.md §4a).

use crate::Hundredths;
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
        todo!("domain helper")
    }
}

impl ScoringBands {
    /// Refuses bands a score could not be read from, naming the field (`kpi_a`, …): scores
    /// 1–5, no score twice, thresholds strictly rising with the score for A and E and strictly
    /// falling for B, percentages 0–100, weeks > 0, at most 5 bands each.
    pub fn check(&self) -> Result<(), crate::records::FieldError> {
        todo!("domain helper")
    }
}

/// The score of `value` against `bands`.
pub fn score(value: Hundredths, bands: &[Band], direction: Direction) -> u8 {
    todo!("domain helper {value:?} {bands:?} {direction:?}")
}
