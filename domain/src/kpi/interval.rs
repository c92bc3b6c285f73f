//! 95% intervals beside every mean and percentage (DESIGN.md §4 Uncertainty), so a move
//! between two months can be told from noise. Sums stay exact integers; floating point is used
//! only for the last step (the square root and the t or normal quantile), and the bounds are
//! rounded half away from zero to hundredths like every other figure.

use crate::fixed::Hundredths;
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// A 95% interval around a figure, in the figure's own unit (a mean rating, metric points, or
/// percent), each bound to 2 decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Interval {
    pub low: Hundredths,
    pub high: Hundredths,
}

/// t(0.975, df): the two-sided 95% quantile of Student's t. `None` for df 0.
pub fn t_975(df: u64) -> Option<f64> {
    if df == 0 {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, df as f64).ok()?.inverse_cdf(0.975);
    t.is_finite().then_some(t)
}

/// z(0.975): the two-sided 95% quantile of the standard normal (1.959964…).
pub fn z_975() -> Option<f64> {
    let z = Normal::new(0.0, 1.0).ok()?.inverse_cdf(0.975);
    z.is_finite().then_some(z)
}

/// Exact running sums of values in hundredths, for a mean and its interval.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sums {
    pub n: u64,
    pub sum: i128,
    pub sum_of_squares: i128,
}

impl Sums {
    pub fn push(&mut self, hundredths: i64) {
        self.push_many(hundredths, 1);
    }

    /// The same value `count` times.
    pub fn push_many(&mut self, hundredths: i64, count: u64) {
        let (x, c) = (i128::from(hundredths), i128::from(count));
        self.n += count;
        self.sum += x * c;
        self.sum_of_squares += x * x * c;
    }

    /// The mean, rounded half away from zero; `None` when there are no values.
    pub fn mean(&self) -> Option<Hundredths> {
        crate::fixed::round_div(self.sum, i128::from(self.n)).map(Hundredths)
    }

    /// mean ± t(0.975, n−1)·s/√n; `None` for fewer than 2 values.
    pub fn interval(&self) -> Option<Interval> {
        if self.n < 2 {
            return None;
        }
        let n = i128::from(self.n);
        // n(n−1)·s², exact: never negative, zero only when every value is the same.
        let spread = n * self.sum_of_squares - self.sum * self.sum;
        if spread == 0 {
            let mean = self.mean()?;
            return Some(Interval {
                low: mean,
                high: mean,
            });
        }
        let t = t_975(self.n - 1)?;
        let (n, spread) = (self.n as f64, spread as f64);
        let mean = self.sum as f64 / n;
        // s/√n = √(spread / (n(n−1))) / √n = √(spread / (n²(n−1)))
        let half = t * (spread / (n * n * (n - 1.0))).sqrt();
        Some(Interval {
            low: hundredths(mean - half)?,
            high: hundredths(mean + half)?,
        })
    }
}

impl FromIterator<i64> for Sums {
    fn from_iter<I: IntoIterator<Item = i64>>(values: I) -> Self {
        let mut s = Sums::default();
        for v in values {
            s.push(v);
        }
        s
    }
}

/// The 95% interval of a mean of values given in hundredths (a rating of 4 is 400; a SWEMWBS
/// change as stored). `None` for fewer than 2 values.
pub fn mean_interval(values: impl IntoIterator<Item = i64>) -> Option<Interval> {
    values.into_iter().collect::<Sums>().interval()
}

/// The Wilson score 95% interval of the percentage `k` of `n`, in percent hundredths (15 of 30
/// is 33.15 to 66.85). Stays within 0 to 100. `None` for n < 2 or k > n.
pub fn wilson(k: u64, n: u64) -> Option<Interval> {
    if n < 2 || k > n {
        return None;
    }
    let z = z_975()?;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2n = z * z / n;
    let centre = (p + z2n / 2.0) / (1.0 + z2n);
    let half = z / (1.0 + z2n) * (p * (1.0 - p) / n + z2n / (4.0 * n)).sqrt();
    let percent = |x: f64| hundredths((x * 10_000.0).clamp(0.0, 10_000.0));
    Some(Interval {
        low: percent(centre - half)?,
        high: percent(centre + half)?,
    })
}

/// A value in hundredths (as f64), rounded half away from zero.
fn hundredths(x: f64) -> Option<Hundredths> {
    let r = x.round();
    (r.is_finite() && r.abs() < 9.0e15).then_some(Hundredths(r as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iv(low: i64, high: i64) -> Option<Interval> {
        Some(Interval {
            low: Hundredths(low),
            high: Hundredths(high),
        })
    }

    fn to_3dp(x: Option<f64>) -> f64 {
        (x.unwrap() * 1000.0).round() / 1000.0
    }

    #[test]
    fn t_quantiles_match_the_published_tables() {
        assert_eq!(to_3dp(t_975(1)), 12.706);
        assert_eq!(to_3dp(t_975(4)), 2.776);
        assert_eq!(to_3dp(t_975(30)), 2.042);
        assert_eq!(to_3dp(t_975(1000)), 1.962);
        assert_eq!(to_3dp(z_975()), 1.960);
        assert_eq!(t_975(0), None);
    }

    #[test]
    fn a_mean_of_five_ratings_has_the_textbook_interval() {
        // 1..5: mean 3, s² = 2.5, t(0.975, 4) = 2.776445, half-width = 2.776445·√(2.5/5)
        // = 1.963243 -> 1.04 to 4.96.
        let s: Sums = [100, 200, 300, 400, 500].into_iter().collect();
        assert_eq!(s.mean(), Some(Hundredths(300)));
        assert_eq!(mean_interval([100, 200, 300, 400, 500]), iv(104, 496));
    }

    #[test]
    fn a_wellbeing_change_interval_in_metric_points() {
        // Changes 3.00, -1.00, 5.50, 0.00: mean 1.875, s² = 8.729167,
        // t(0.975, 3) = 3.182446, half-width = 3.182446·√(8.729167/4) = 4.701295
        // -> -2.826295 to 6.576295 -> -2.83 to 6.58.
        assert_eq!(mean_interval([300, -100, 550, 0]), iv(-283, 658));
        // A mean change below zero: -0.9967 ± 8.598143 (changes 3.00, -2.99, -3.00).
        assert_eq!(mean_interval([300, -299, -300]), iv(-959, 760));
    }

    #[test]
    fn one_value_has_no_interval_and_equal_values_have_no_width() {
        assert_eq!(mean_interval([400]), None);
        assert_eq!(mean_interval([]), None);
        assert_eq!(mean_interval([400, 400]), iv(400, 400));
        assert_eq!(mean_interval([-150, -150, -150]), iv(-150, -150));
    }

    #[test]
    fn wilson_intervals_for_a_percentage() {
        // 15 of 30, z = 1.959964: centre 0.5, half-width 0.168459 -> 33.15 to 66.85.
        assert_eq!(wilson(15, 30), iv(3315, 6685));
        // 1 of 3 -> 6.149 to 79.234.
        assert_eq!(wilson(1, 3), iv(615, 7923));
    }

    #[test]
    fn wilson_stays_within_nought_and_a_hundred() {
        // 0 of 10: 0 to z²/(n + z²) = 27.753.
        assert_eq!(wilson(0, 10), iv(0, 2775));
        assert_eq!(wilson(10, 10), iv(7225, 10_000));
        assert_eq!(wilson(1, 1), None);
        assert_eq!(wilson(0, 0), None);
        assert_eq!(wilson(3, 2), None);
    }
}
