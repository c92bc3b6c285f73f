//! Exact arithmetic for reported figures: values are held as integer hundredths and only the
//! final figure is rounded, half away from zero (DESIGN.md §4).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A figure to two decimal places, held exactly as hundredths (`2321` is 23.21).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hundredths(pub i64);

impl Hundredths {
    pub const fn from_units(units: i64) -> Self {
        Hundredths(units * 100)
    }

    /// `numerator / denominator` (both in plain units), rounded half away from zero to
    /// hundredths. `None` when the denominator is zero: there is no mean of nothing.
    pub fn ratio(numerator: i64, denominator: i64) -> Option<Self> {
        round_div(i128::from(numerator) * 100, i128::from(denominator)).map(Hundredths)
    }

    /// The mean of values already in hundredths, rounded half away from zero.
    pub fn mean_of(sum_hundredths: i64, n: i64) -> Option<Self> {
        round_div(i128::from(sum_hundredths), i128::from(n)).map(Hundredths)
    }

    /// `part / whole` as a percentage to two decimals (`5000` is 50.00%).
    pub fn percent(part: i64, whole: i64) -> Option<Self> {
        round_div(i128::from(part) * 10_000, i128::from(whole)).map(Hundredths)
    }

    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }
}

/// Integer division rounding half away from zero.
pub fn round_div(n: i128, d: i128) -> Option<i64> {
    if d == 0 {
        return None;
    }
    let (n, d) = if d < 0 { (-n, -d) } else { (n, d) };
    let q = n / d;
    let r = n % d;
    let q = if 2 * r.abs() >= d { q + n.signum() } else { q };
    i64::try_from(q).ok()
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

/// On the wire a figure is a JSON number with at most two decimals: `k / 100` as an f64 always
/// prints as its two-decimal form, and parsing it back recovers `k` exactly.
impl Serialize for Hundredths {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Hundredths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        let h = (v * 100.0).round();
        if !h.is_finite() || h.abs() > 9.0e15 {
            return Err(serde::de::Error::custom("number out of range"));
        }
        // Exactly two decimals or fewer: `h / 100` is the double nearest to the two-decimal
        // figure, so it equals `v` only if that figure is what was written. Rounding instead
        // would quietly take 0.999 as 1.00, past a documented minimum of 1.00.
        if h / 100.0 != v {
            return Err(serde::de::Error::custom(
                "a figure has at most two decimal places",
            ));
        }
        Ok(Hundredths(h as i64))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Hundredths {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Number)
            .description(Some("A figure to two decimal places"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Hundredths {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(round_div(5, 2), Some(3));
        assert_eq!(round_div(-5, 2), Some(-3));
        assert_eq!(round_div(7, 2), Some(4));
        assert_eq!(round_div(4, 3), Some(1));
        assert_eq!(round_div(-4, 3), Some(-1));
        assert_eq!(round_div(5, 3), Some(2));
        assert_eq!(round_div(1, 0), None);
    }

    #[test]
    fn a_mean_rounds_only_at_the_end() {
        // 1+2+2 = 5 over 3 = 1.6666.. -> 1.67
        assert_eq!(Hundredths::ratio(5, 3), Some(Hundredths(167)));
        // 1.005 cannot happen with one rating per response, but 201/200 = 1.005 -> 1.01
        assert_eq!(Hundredths::ratio(201, 200), Some(Hundredths(101)));
        // A negative mean change of -1.005 rounds to -1.01, not -1.00.
        assert_eq!(Hundredths::mean_of(-201, 2), Some(Hundredths(-101)));
        assert_eq!(Hundredths::percent(1, 3), Some(Hundredths(3333)));
        assert_eq!(Hundredths::percent(2, 3), Some(Hundredths(6667)));
    }

    #[test]
    fn figures_print_and_travel_with_two_decimals() {
        assert_eq!(Hundredths(2321).to_string(), "23.21");
        assert_eq!(Hundredths(-5).to_string(), "-0.05");
        assert_eq!(Hundredths(700).to_string(), "7.00");
        for k in [-3500, -1, 0, 7, 435, 2321, 3500, 123_456] {
            let json = serde_json::to_string(&Hundredths(k)).unwrap();
            let back: Hundredths = serde_json::from_str(&json).unwrap();
            assert_eq!(back, Hundredths(k), "{json}");
        }
        assert_eq!(serde_json::to_string(&Hundredths(435)).unwrap(), "4.35");
    }

    #[test]
    fn a_figure_with_more_than_two_decimals_is_refused_not_rounded() {
        for ok in ["1", "1.0", "1.5", "2.31", "4.99", "5.00", "-0.05"] {
            assert!(serde_json::from_str::<Hundredths>(ok).is_ok(), "{ok}");
        }
        for bad in ["0.999", "1.001", "4.995", "5.0000001"] {
            assert!(serde_json::from_str::<Hundredths>(bad).is_err(), "{bad}");
        }
    }
}
