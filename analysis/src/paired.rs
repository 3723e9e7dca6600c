//! Pre/post (paired) comparisons: how many pairs went up, stayed or went down, the mean
//! change with its 95 % CI and paired t-test, the Wilcoxon signed-rank test and the
//! matched-pairs rank-biserial correlation. Results match SciPy (`ttest_rel`, `wilcoxon`
//! with its defaults).
//!
//! Pairs are `(before, after)` and every change is *after minus before*: a positive mean
//! change, a positive rank-biserial r and "improved" all mean the value went up. For
//! scales where lower is better, swap the pair order (or negate) before calling.
//!
//! Missing values: the functions on `&[(f64, f64)]` take complete pairs only and return
//! `None` if any value is NaN or infinite. [`complete_pairs`] and [`compare_pre_post`]
//! accept two equal-length slices of `Option<f64>` (position i = respondent i): a pair
//! with a missing (or non-finite) side is dropped and counted in `dropped_missing`; if the
//! slices differ in length, positions present in only one of them are dropped the same
//! way. Every test returns `None` when undefined instead of a NaN.

use crate::effect::cohens_dz;
use crate::sample::{
    all_finite, average_ranks, finite, mean, sum_sq_dev, t_quantile_975, t_two_sided_p,
};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, Normal};

/// The complete `(before, after)` pairs of two `Option` columns, and how many were dropped.
#[derive(Debug, Clone, Serialize)]
pub struct CompletePairs {
    pub pairs: Vec<(f64, f64)>,
    /// Positions where before or after was missing (or NaN / infinite).
    pub dropped_missing: usize,
}

/// Keeps positions where both `before[i]` and `after[i]` are present and finite.
pub fn complete_pairs(before: &[Option<f64>], after: &[Option<f64>]) -> CompletePairs {
    let pairs: Vec<(f64, f64)> = before
        .iter()
        .zip(after)
        .filter_map(|(b, a)| match (b, a) {
            (Some(b), Some(a)) if b.is_finite() && a.is_finite() => Some((*b, *a)),
            _ => None,
        })
        .collect();
    let dropped_missing = before.len().max(after.len()) - pairs.len();
    CompletePairs {
        pairs,
        dropped_missing,
    }
}

/// Everything reported for one pre/post measure.
#[derive(Debug, Clone, Serialize)]
pub struct PrePostComparison {
    pub n_pairs: usize,
    pub dropped_missing: usize,
    pub summary: Option<ChangeSummary>,
    pub t_test: Option<PairedTTest>,
    pub wilcoxon: Option<WilcoxonSignedRank>,
    /// Mean change / SD of the changes ([`crate::effect::cohens_dz`]).
    pub cohens_dz: Option<f64>,
}

/// Drops incomplete pairs (see [`complete_pairs`]) and runs every paired analysis.
pub fn compare_pre_post(before: &[Option<f64>], after: &[Option<f64>]) -> PrePostComparison {
    let CompletePairs {
        pairs,
        dropped_missing,
    } = complete_pairs(before, after);
    PrePostComparison {
        n_pairs: pairs.len(),
        dropped_missing,
        summary: change_summary(&pairs),
        t_test: paired_t_test(&pairs),
        wilcoxon: wilcoxon_signed_rank(&pairs),
        cohens_dz: cohens_dz(&pairs),
    }
}

/// Means and direction of change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeSummary {
    pub n_pairs: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    /// Mean of after - before.
    pub mean_change: f64,
    /// after > before.
    pub n_improved: usize,
    /// after == before.
    pub n_unchanged: usize,
    /// after < before.
    pub n_worsened: usize,
    /// Shares of n_pairs, each in 0..=1.
    pub share_improved: f64,
    pub share_unchanged: f64,
    pub share_worsened: f64,
}

/// Means and the share of pairs that went up, stayed, or went down. `None` for no pairs.
pub fn change_summary(pairs: &[(f64, f64)]) -> Option<ChangeSummary> {
    let (before, after, diffs) = split(pairs)?;
    let n_improved = diffs.iter().filter(|&&d| d > 0.0).count();
    let n_worsened = diffs.iter().filter(|&&d| d < 0.0).count();
    let n_unchanged = diffs.len() - n_improved - n_worsened;
    let n = diffs.len() as f64;
    Some(ChangeSummary {
        n_pairs: diffs.len(),
        mean_before: mean(&before)?,
        mean_after: mean(&after)?,
        mean_change: mean(&diffs)?,
        n_improved,
        n_unchanged,
        n_worsened,
        share_improved: n_improved as f64 / n,
        share_unchanged: n_unchanged as f64 / n,
        share_worsened: n_worsened as f64 / n,
    })
}

/// Paired t-test on the changes after - before.
#[derive(Debug, Clone, Serialize)]
pub struct PairedTTest {
    pub n_pairs: usize,
    pub mean_change: f64,
    /// Standard deviation of the changes (divisor n - 1).
    pub sd_change: f64,
    /// 95 % confidence interval of the mean change.
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub t: f64,
    pub df: f64,
    /// Two-sided p-value.
    pub p_value: f64,
}

/// Paired t-test, as `scipy.stats.ttest_rel(after, before)`, with the 95 % CI of the
/// mean change. `None` when n < 2 or every change is the same (zero SD: t is undefined
/// or infinite).
pub fn paired_t_test(pairs: &[(f64, f64)]) -> Option<PairedTTest> {
    let (_, _, diffs) = split(pairs)?;
    let n = diffs.len();
    if n < 2 {
        return None;
    }
    let df = (n - 1) as f64;
    let sd_change = (sum_sq_dev(&diffs)? / df).sqrt();
    if sd_change <= 0.0 {
        return None;
    }
    let mean_change = mean(&diffs)?;
    let se = sd_change / (n as f64).sqrt();
    let t = finite(mean_change / se)?;
    let half_width = t_quantile_975(df)? * se;
    Some(PairedTTest {
        n_pairs: n,
        mean_change,
        sd_change,
        ci95_low: finite(mean_change - half_width)?,
        ci95_high: finite(mean_change + half_width)?,
        t,
        df,
        p_value: t_two_sided_p(t, df)?,
    })
}

/// How the Wilcoxon p-value was computed (SciPy's `method="auto"` rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WilcoxonMethod {
    /// Exact null distribution of W+: at most 50 pairs, no zero differences, no ties.
    Exact,
    /// Exact over all 2^n sign flips of the observed ranks (ties and zeros kept as they
    /// are): at most 13 pairs with ties or zero differences. SciPy runs this as a
    /// permutation test that enumerates every flip.
    ExactSignFlips,
    /// Normal approximation with tie correction, no continuity correction: more than
    /// 50 pairs, or 14..=50 pairs with ties or zero differences.
    NormalApproximation,
}

/// Wilcoxon signed-rank test on the changes after - before.
#[derive(Debug, Clone, Serialize)]
pub struct WilcoxonSignedRank {
    pub n_pairs: usize,
    /// Pairs with after == before; left out of the ranking (SciPy's "wilcox" method).
    pub n_zero_differences: usize,
    /// Sum of the ranks of |change| over positive changes.
    pub w_plus: f64,
    /// Sum of the ranks over negative changes.
    pub w_minus: f64,
    /// min(w_plus, w_minus), the statistic SciPy reports for a two-sided test.
    pub statistic: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    pub method: WilcoxonMethod,
    /// Matched-pairs rank-biserial correlation (see [`matched_pairs_rank_biserial`]).
    pub rank_biserial: f64,
}

/// Two-sided Wilcoxon signed-rank test, matching `scipy.stats.wilcoxon(after, before)`
/// with its defaults (`zero_method="wilcox"`, `correction=False`, `method="auto"`; see
/// [`WilcoxonMethod`] for when each method is used). O(n log n) for the normal
/// approximation; the exact paths (n <= 50) cost O(n³) at most.
///
/// `None` when there are no pairs, every change is zero, or a value is not finite.
pub fn wilcoxon_signed_rank(pairs: &[(f64, f64)]) -> Option<WilcoxonSignedRank> {
    let ranked = SignedRanks::new(pairs)?;
    let n_pairs = pairs.len();
    let has_ties = ranked.tie_term > 0.0;
    let method = if n_pairs > 50 {
        WilcoxonMethod::NormalApproximation
    } else if !has_ties && ranked.n_zero == 0 {
        WilcoxonMethod::Exact
    } else if n_pairs <= 13 {
        WilcoxonMethod::ExactSignFlips
    } else {
        WilcoxonMethod::NormalApproximation
    };
    let p = match method {
        WilcoxonMethod::NormalApproximation => {
            let n = ranked.ranks.len() as f64;
            let mean_w = n * (n + 1.0) / 4.0;
            let var_w = (n * (n + 1.0) * (2.0 * n + 1.0) - ranked.tie_term / 2.0) / 24.0;
            let z = (ranked.w_plus - mean_w) / var_w.sqrt();
            2.0 * Normal::standard().sf(z.abs())
        }
        _ => ranked.sign_flip_p_value(),
    };
    Some(WilcoxonSignedRank {
        n_pairs,
        n_zero_differences: ranked.n_zero,
        w_plus: ranked.w_plus,
        w_minus: ranked.w_minus,
        statistic: ranked.w_plus.min(ranked.w_minus),
        p_value: finite(p.clamp(0.0, 1.0))?,
        method,
        rank_biserial: ranked.rank_biserial()?,
    })
}

/// Matched-pairs rank-biserial correlation (Kerby's simple difference formula):
/// r = (W+ - W-) / (W+ + W-), zero changes left out as in the signed-rank test. It runs
/// from -1 (every pair went down) to +1 (every pair went up).
///
/// `None` when there are no pairs, every change is zero, or a value is not finite.
pub fn matched_pairs_rank_biserial(pairs: &[(f64, f64)]) -> Option<f64> {
    SignedRanks::new(pairs)?.rank_biserial()
}

/// Ranks of |after - before| over the non-zero changes, with their signs.
struct SignedRanks {
    /// (rank, change is positive) per non-zero change.
    ranks: Vec<(f64, bool)>,
    tie_term: f64,
    n_zero: usize,
    w_plus: f64,
    w_minus: f64,
}

impl SignedRanks {
    fn new(pairs: &[(f64, f64)]) -> Option<Self> {
        let (_, _, diffs) = split(pairs)?;
        let nonzero: Vec<f64> = diffs.iter().copied().filter(|&d| d != 0.0).collect();
        if nonzero.is_empty() {
            return None;
        }
        let magnitudes: Vec<f64> = nonzero.iter().map(|d| d.abs()).collect();
        let (rank_values, tie_term) = average_ranks(&magnitudes);
        let ranks: Vec<(f64, bool)> = rank_values
            .into_iter()
            .zip(nonzero.iter().map(|&d| d > 0.0))
            .collect();
        let w_plus = ranks.iter().filter(|r| r.1).map(|r| r.0).sum();
        let w_minus = ranks.iter().filter(|r| !r.1).map(|r| r.0).sum();
        Some(Self {
            n_zero: diffs.len() - nonzero.len(),
            ranks,
            tie_term,
            w_plus,
            w_minus,
        })
    }

    fn rank_biserial(&self) -> Option<f64> {
        finite((self.w_plus - self.w_minus) / (self.w_plus + self.w_minus))
    }

    /// 2 min(P(W+ <= observed), P(W+ >= observed)) over all 2^n equally likely sign
    /// assignments of the observed ranks. Average ranks are multiples of 1/2, so the
    /// distribution is counted on doubled ranks (integers). Zero changes would flip to
    /// zero and are left out, which gives the same proportions. Only for n <= 50.
    fn sign_flip_p_value(&self) -> f64 {
        let doubled: Vec<usize> = self
            .ranks
            .iter()
            .map(|r| (2.0 * r.0).round() as usize)
            .collect();
        let max_sum: usize = doubled.iter().sum();
        let mut counts = vec![0.0_f64; max_sum + 1];
        counts[0] = 1.0;
        let mut reached = 0;
        for &r in &doubled {
            for s in (0..=reached).rev() {
                counts[s + r] += counts[s];
            }
            reached += r;
        }
        let observed = (2.0 * self.w_plus).round() as usize;
        let total: f64 = counts.iter().sum();
        let at_most: f64 = counts[..=observed].iter().sum();
        let at_least: f64 = counts[observed..].iter().sum();
        2.0 * at_most.min(at_least) / total
    }
}

/// Before values, after values and changes (after - before); `None` for no pairs or a
/// non-finite value.
fn split(pairs: &[(f64, f64)]) -> Option<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    if pairs.is_empty() {
        return None;
    }
    let before: Vec<f64> = pairs.iter().map(|p| p.0).collect();
    let after: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    let diffs: Vec<f64> = pairs.iter().map(|p| p.1 - p.0).collect();
    (all_finite(&before) && all_finite(&after) && all_finite(&diffs))
        .then_some((before, after, diffs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_sides_are_dropped_and_counted() {
        let before = [Some(1.0), None, Some(3.0), Some(f64::NAN), Some(5.0)];
        let after = [Some(2.0), Some(2.0), None, Some(4.0)];
        let kept = complete_pairs(&before, &after);
        assert_eq!(kept.pairs, vec![(1.0, 2.0)]);
        assert_eq!(kept.dropped_missing, 4);
        let report = compare_pre_post(&before, &after);
        assert_eq!(report.n_pairs, 1);
        assert!(report.t_test.is_none() && report.cohens_dz.is_none());
        assert_eq!(report.summary.unwrap().n_improved, 1);
    }

    #[test]
    fn all_zero_changes_give_no_test() {
        let pairs = [(3.0, 3.0), (4.0, 4.0), (2.0, 2.0)];
        assert!(paired_t_test(&pairs).is_none());
        assert!(wilcoxon_signed_rank(&pairs).is_none());
        assert!(matched_pairs_rank_biserial(&pairs).is_none());
        let summary = change_summary(&pairs).unwrap();
        assert_eq!(summary.share_unchanged, 1.0);
    }

    #[test]
    fn constant_change_has_no_t_test_but_a_signed_rank_test() {
        let pairs = [(1.0, 2.0), (2.0, 3.0), (5.0, 6.0)];
        assert!(paired_t_test(&pairs).is_none());
        let w = wilcoxon_signed_rank(&pairs).unwrap();
        assert_eq!(w.method, WilcoxonMethod::ExactSignFlips); // all |changes| tied
        assert_eq!(w.statistic, 0.0);
        assert_eq!(w.p_value, 0.25); // 2 * (1/8)
        assert_eq!(w.rank_biserial, 1.0);
    }

    #[test]
    fn empty_and_non_finite_input_give_none() {
        assert!(change_summary(&[]).is_none());
        assert!(paired_t_test(&[(1.0, 2.0)]).is_none());
        assert!(wilcoxon_signed_rank(&[(1.0, f64::NAN), (1.0, 2.0)]).is_none());
        assert!(paired_t_test(&[(f64::MAX, -f64::MAX), (0.0, 1.0)]).is_none());
    }
}
