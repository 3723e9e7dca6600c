//! Fisher's exact test for 2 × 2 tables, two-sided, with SciPy's definition
//! (`scipy.stats.fisher_exact(table, alternative="two-sided")`).
//!
//! The p-value is the probability, under the hypergeometric distribution of the top-left
//! cell given the margins, of every table whose probability is at most the observed one
//! times `1 + 1e-14` (SciPy's relative tolerance for "as or more extreme", which keeps
//! mathematically tied tables from being lost to rounding); capped at 1.
//!
//! To make that comparison reliable, probabilities are computed relative to the mode by the
//! exact recurrence `p(x+1)/p(x) = (K-x)(m-x) / ((x+1)(N-K-m+x+1))` in double-double
//! arithmetic (≈ 1e-30 relative error per step), so mirror-image tables tie to well within
//! the tolerance. O(min(row, column total)) time and memory.
//!
//! Missing values: none here; the caller passes counts (see [`super::crosstab`]).

use serde::Serialize;

/// SciPy's relative tolerance for tables "as extreme as" the observed one.
const RELATIVE_TOLERANCE: f64 = 1e-14;

/// Largest table total handled (counts are exact integers in `f64` up to 2^53).
const MAX_COUNT: u64 = 1 << 53;

/// Result of Fisher's exact test on a 2 × 2 table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FisherTest {
    /// Two-sided p-value (SciPy's definition).
    pub p_value: f64,
    /// Sample odds ratio `a·d / (b·c)` for the table `[[a, b], [c, d]]` (SciPy's
    /// "statistic"); `None` when `b·c = 0` (infinite).
    pub odds_ratio: Option<f64>,
}

/// Two-sided Fisher exact test of `[[a, b], [c, d]]`. `None` when a row or column total
/// is zero (no test possible; SciPy reports p = 1 there) or the total exceeds 2^53.
pub fn fisher_exact_2x2(table: [[u64; 2]; 2]) -> Option<FisherTest> {
    let [[a, b], [c, d]] = table;
    // Counts must stay exact in f64 (and sums must not overflow): 2^53 is far beyond surveys.
    if table.iter().flatten().any(|&count| count > MAX_COUNT) {
        return None;
    }
    let row0 = a + b; // K: "successes" in the population
    let row1 = c + d;
    let col0 = a + c; // m: draws
    if row0 == 0 || row1 == 0 || col0 == 0 || b + d == 0 || row0 + row1 > MAX_COUNT {
        return None;
    }
    let odds_ratio = (b > 0 && c > 0).then(|| (a as f64 * d as f64) / (b as f64 * c as f64));

    let total = row0 + row1;
    let low = col0.saturating_sub(row1);
    let high = row0.min(col0);
    // Mode of the hypergeometric distribution, as SciPy computes it.
    let mode = ((u128::from(col0) + 1) * (u128::from(row0) + 1) / (u128::from(total) + 2)) as u64;
    let mode = mode.clamp(low, high);

    // Relative probabilities p(x) / p(mode) for x in low..=high.
    let len = (high - low + 1) as usize;
    let mut relative = vec![0.0; len];
    let index = |x: u64| (x - low) as usize;
    let mut p = DoubleDouble::ONE;
    relative[index(mode)] = 1.0;
    for x in mode..high {
        // p(x + 1) = p(x) (K - x)(m - x) / ((x + 1)(N - K - m + x + 1))
        p = p
            .mul((row0 - x) as f64)
            .mul((col0 - x) as f64)
            .div((x + 1) as f64)
            .div((row1 + x + 1 - col0) as f64);
        relative[index(x + 1)] = p.hi;
    }
    let mut p = DoubleDouble::ONE;
    for x in (low + 1..=mode).rev() {
        // p(x - 1) = p(x) x (N - K - m + x) / ((K - x + 1)(m - x + 1))
        p = p
            .mul(x as f64)
            .mul((row1 + x - col0) as f64)
            .div((row0 - x + 1) as f64)
            .div((col0 - x + 1) as f64);
        relative[index(x - 1)] = p.hi;
    }

    let observed = relative[index(a)];
    let limit = observed * (1.0 + RELATIVE_TOLERANCE);
    let mut extreme = 0.0;
    let mut all = 0.0;
    for &q in &relative {
        all += q;
        if q <= limit {
            extreme += q;
        }
    }
    Some(FisherTest {
        p_value: (extreme / all).min(1.0),
        odds_ratio,
    })
}

/// Unevaluated sum `hi + lo` with `|lo| <= ulp(hi) / 2`: about 106 bits of precision.
#[derive(Debug, Clone, Copy)]
struct DoubleDouble {
    hi: f64,
    lo: f64,
}

impl DoubleDouble {
    const ONE: Self = Self { hi: 1.0, lo: 0.0 };

    fn normalised(hi: f64, lo: f64) -> Self {
        let sum = hi + lo;
        Self {
            hi: sum,
            lo: lo - (sum - hi),
        }
    }

    /// `self * factor` for an exactly representable `factor`.
    fn mul(self, factor: f64) -> Self {
        let product = self.hi * factor;
        let error = self.hi.mul_add(factor, -product) + self.lo * factor;
        Self::normalised(product, error)
    }

    /// `self / divisor` for an exactly representable, non-zero `divisor`.
    fn div(self, divisor: f64) -> Self {
        let q1 = self.hi / divisor;
        let remainder = (-q1).mul_add(divisor, self.hi) + self.lo;
        Self::normalised(q1, remainder / divisor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_margin_has_no_test() {
        assert!(fisher_exact_2x2([[0, 0], [3, 4]]).is_none());
        assert!(fisher_exact_2x2([[0, 5], [0, 4]]).is_none());
        assert!(fisher_exact_2x2([[0, 0], [0, 0]]).is_none());
        assert!(fisher_exact_2x2([[u64::MAX, 1], [1, u64::MAX]]).is_none());
    }

    #[test]
    fn symmetric_table_counts_its_mirror_image() {
        // [[3, 0], [0, 3]]: only the observed table and its mirror are as extreme,
        // each with probability 1 / C(6, 3) = 1 / 20.
        let test = fisher_exact_2x2([[3, 0], [0, 3]]).unwrap();
        assert!((test.p_value - 0.1).abs() < 1e-15);
        assert_eq!(test.odds_ratio, None);
    }

    #[test]
    fn table_at_the_mode_has_p_one() {
        let test = fisher_exact_2x2([[5, 5], [5, 5]]).unwrap();
        assert_eq!(test.p_value, 1.0);
        assert_eq!(test.odds_ratio, Some(1.0));
    }
}
