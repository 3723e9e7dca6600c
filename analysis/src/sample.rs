//! Small numeric helpers shared by the comparison, reliability and effect-size modules:
//! mean, sample variance, ranks with ties averaged, and the few distribution look-ups
//! they all need (two-sided t p-values and the 97.5 % t quantile for 95 % intervals).
//!
//! Missing values: none here. Every helper takes only values the caller has already
//! kept; callers check that those are finite (see [`all_finite`]) before calling.

use statrs::distribution::{Continuous, ContinuousCDF, StudentsT};

/// `Some(x)` when `x` is finite, `None` for NaN or an infinity. Every public statistic
/// passes through this, so a result never holds NaN.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}

/// True when no value is NaN or infinite.
pub(crate) fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}

/// Arithmetic mean; `None` for an empty slice.
pub(crate) fn mean(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    finite(values.iter().sum::<f64>() / values.len() as f64)
}

/// Sum of squared deviations from the mean (two-pass, so it stays accurate for data far
/// from zero). `None` for an empty slice.
pub(crate) fn sum_sq_dev(values: &[f64]) -> Option<f64> {
    let m = mean(values)?;
    finite(values.iter().map(|v| (v - m) * (v - m)).sum())
}

/// Sample variance (divisor n - 1); `None` when n < 2.
pub(crate) fn variance(values: &[f64]) -> Option<f64> {
    if values.len() < 2 {
        return None;
    }
    finite(sum_sq_dev(values)? / (values.len() - 1) as f64)
}

/// Ranks (1-based) of `values` in their original order, ties given the average of the
/// ranks they span, together with the tie term sum(t^3 - t) over the tie groups (0 when
/// there are no ties). O(n log n). Values must be finite.
pub(crate) fn average_ranks(values: &[f64]) -> (Vec<f64>, f64) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut tie_term = 0.0;
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && values[order[end]] == values[order[start]] {
            end += 1;
        }
        // Positions start..end (0-based) share ranks start+1 ..= end.
        let rank = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = rank;
        }
        let t = (end - start) as f64;
        tie_term += t * t * t - t;
        start = end;
    }
    (ranks, tie_term)
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom.
pub(crate) fn t_two_sided_p(t: f64, df: f64) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    finite((2.0 * dist.sf(t.abs())).clamp(0.0, 1.0))
}

/// The 97.5 % quantile of Student's t with `df` degrees of freedom (the multiplier of a
/// 95 % confidence interval). statrs' inverse is only good to about 1e-6 for large df, so
/// the result is polished with Newton steps on the survival function.
pub(crate) fn t_quantile_975(df: f64) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    let mut x = dist.inverse_cdf(0.975);
    for _ in 0..3 {
        let density = dist.pdf(x);
        if density.is_nan() || density <= 0.0 {
            break;
        }
        let step = (dist.sf(x) - 0.025) / density;
        x += step;
        if step.abs() <= 1e-15 * x.abs() {
            break;
        }
    }
    finite(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_average_ties_and_count_them() {
        let (ranks, tie_term) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(ranks, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(tie_term, 24.0); // one group of three: 27 - 3
    }

    #[test]
    fn variance_needs_two_values() {
        assert_eq!(variance(&[5.0]), None);
        assert_eq!(mean(&[]), None);
        assert_eq!(variance(&[1.0, 3.0]), Some(2.0));
    }

    #[test]
    fn t_quantile_matches_known_values() {
        // scipy.stats.t.ppf(0.975, df)
        let cases = [(1.0, 12.706204736174698), (30.0, 2.0422724563012373)];
        for (df, expected) in cases {
            let got = t_quantile_975(df).unwrap();
            assert!((got - expected).abs() < 1e-12 * expected, "{df}: {got}");
        }
        let large = t_quantile_975(1e5).unwrap();
        assert!((large - 1.9599877075346095).abs() < 1e-10, "{large}");
    }
}
