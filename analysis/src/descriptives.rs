//! Descriptive statistics of one numeric variable: count, mean, sample standard deviation,
//! quartiles, minimum and maximum.
//!
//! Missing values: `None` and any non-finite value (`NaN`, `±inf`) count as missing; they
//! are reported in [`Descriptives::missing`] and excluded from every statistic. A statistic
//! that is undefined for the remaining values (everything when no value is left, the
//! standard deviation when fewer than two are left) is `None`, never `NaN`.
//!
//! Quantiles use linear interpolation between order statistics, the definition of
//! `numpy.percentile(method="linear")` (the default) and R's `quantile(type = 7)`: for
//! sorted values `x[0..n]` and probability `p`, `h = (n - 1) p` and
//! `Q(p) = x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋ + 1] - x[⌊h⌋])`.

use serde::Serialize;

/// Summary of one numeric variable; see the module documentation for the definitions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Descriptives {
    /// Number of non-missing (finite) values.
    pub n: u64,
    /// Number of missing values (`None`, `NaN` or infinite).
    pub missing: u64,
    pub mean: Option<f64>,
    /// Sample standard deviation (denominator `n - 1`); `None` when `n < 2`.
    pub sd: Option<f64>,
    pub median: Option<f64>,
    /// First quartile (25th percentile, linear interpolation).
    pub q1: Option<f64>,
    /// Third quartile (75th percentile, linear interpolation).
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// Describes `values`, treating `None` and non-finite values as missing.
///
/// Runs in O(n log n) (one sort of a copy of the finite values).
pub fn describe(values: &[Option<f64>]) -> Descriptives {
    let mut sorted: Vec<f64> = values
        .iter()
        .filter_map(|v| v.filter(|x| x.is_finite()))
        .collect();
    let missing = (values.len() - sorted.len()) as u64;
    let n = sorted.len();
    if n == 0 {
        return Descriptives {
            n: 0,
            missing,
            mean: None,
            sd: None,
            median: None,
            q1: None,
            q3: None,
            min: None,
            max: None,
        };
    }
    sorted.sort_unstable_by(f64::total_cmp);

    let mean = mean_of(&sorted);
    // Two-pass variance: numerically stable for data with a large common offset.
    let sd = (n >= 2).then(|| {
        let squares: f64 = sorted.iter().map(|x| (x - mean) * (x - mean)).sum();
        (squares / (n - 1) as f64).sqrt()
    });

    Descriptives {
        n: n as u64,
        missing,
        mean: Some(mean),
        sd,
        median: quantile_sorted(&sorted, 0.5),
        q1: quantile_sorted(&sorted, 0.25),
        q3: quantile_sorted(&sorted, 0.75),
        min: sorted.first().copied(),
        max: sorted.last().copied(),
    }
}

/// Mean with a correction pass, which keeps it accurate when values share a large offset.
fn mean_of(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let first = values.iter().sum::<f64>() / n;
    let correction = values.iter().map(|x| x - first).sum::<f64>() / n;
    first + correction
}

/// Quantile `p` (0 ≤ p ≤ 1) of already sorted, finite values by linear interpolation
/// (numpy's default, R type 7). `None` when `sorted` is empty or `p` is outside `[0, 1]`.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lower = h.floor();
    let index = lower as usize;
    let fraction = h - lower;
    let low = sorted[index];
    if fraction == 0.0 || index + 1 >= sorted.len() {
        return Some(low);
    }
    let high = sorted[index + 1];
    // Same two-sided lerp as numpy, so results agree to the last bits near the upper value.
    let diff = high - low;
    Some(if fraction >= 0.5 {
        high - diff * (1.0 - fraction)
    } else {
        low + diff * fraction
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_and_infinity_count_as_missing() {
        let d = describe(&[
            Some(1.0),
            Some(f64::NAN),
            None,
            Some(f64::INFINITY),
            Some(3.0),
        ]);
        assert_eq!(d.n, 2);
        assert_eq!(d.missing, 3);
        assert_eq!(d.mean, Some(2.0));
        assert_eq!(d.min, Some(1.0));
        assert_eq!(d.max, Some(3.0));
    }

    #[test]
    fn empty_and_all_missing_give_no_statistics() {
        for input in [vec![], vec![None, Some(f64::NAN)]] {
            let d = describe(&input);
            assert_eq!(d.n, 0);
            assert_eq!(d.missing, input.len() as u64);
            assert!(d.mean.is_none() && d.sd.is_none() && d.median.is_none());
            assert!(d.q1.is_none() && d.q3.is_none() && d.min.is_none() && d.max.is_none());
        }
    }

    #[test]
    fn single_value_has_no_sd_but_a_median() {
        let d = describe(&[Some(4.5)]);
        assert_eq!(d.sd, None);
        assert_eq!((d.median, d.q1, d.q3), (Some(4.5), Some(4.5), Some(4.5)));
    }

    #[test]
    fn quantile_rejects_out_of_range_probability() {
        assert_eq!(quantile_sorted(&[1.0, 2.0], 1.5), None);
        assert_eq!(quantile_sorted(&[1.0, 2.0], f64::NAN), None);
        assert_eq!(quantile_sorted(&[1.0, 2.0], 1.0), Some(2.0));
    }
}
