//! Comparisons of independent groups on a numeric outcome: Welch's t-test, the
//! Mann-Whitney U test (two groups), one-way ANOVA and the Kruskal-Wallis H test
//! (two or more groups). Results match SciPy (`ttest_ind(equal_var=False)`,
//! `mannwhitneyu`, `f_oneway`, `kruskal`) with their default options.
//!
//! Missing values: callers pass only the non-missing values of each group (drop missing
//! responses first). If a NaN or infinity slips through, the function returns `None`
//! rather than a NaN statistic. Likewise `None` whenever the test is undefined: too few
//! values, zero variance, or every value tied.
//!
//! Sign convention: differences are *first minus second*.

use crate::effect::{eta_squared, rank_biserial_from_u};
use crate::sample::{
    all_finite, average_ranks, finite, mean, sum_sq_dev, t_quantile_975, t_two_sided_p, variance,
};
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor, Normal};

/// Welch's unequal-variances t-test of `first` against `second`.
#[derive(Debug, Clone, Serialize)]
pub struct WelchTTest {
    pub n_first: usize,
    pub n_second: usize,
    pub mean_first: f64,
    pub mean_second: f64,
    /// mean_first - mean_second.
    pub mean_difference: f64,
    /// 95 % confidence interval of the mean difference (Welch degrees of freedom).
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub t: f64,
    /// Welch-Satterthwaite degrees of freedom (not an integer in general).
    pub df: f64,
    pub p_value: f64,
}

/// Welch's t-test (two-sided), as `scipy.stats.ttest_ind(first, second, equal_var=False)`.
///
/// `None` when a group has fewer than 2 values or both groups have zero variance.
pub fn welch_t_test(first: &[f64], second: &[f64]) -> Option<WelchTTest> {
    let (n1, n2) = (first.len(), second.len());
    if n1 < 2 || n2 < 2 || !all_finite(first) || !all_finite(second) {
        return None;
    }
    let (mean_first, mean_second) = (mean(first)?, mean(second)?);
    let share1 = variance(first)? / n1 as f64;
    let share2 = variance(second)? / n2 as f64;
    let se_sq = share1 + share2;
    if se_sq <= 0.0 {
        return None;
    }
    let se = se_sq.sqrt();
    let df =
        se_sq * se_sq / (share1 * share1 / (n1 - 1) as f64 + share2 * share2 / (n2 - 1) as f64);
    let mean_difference = mean_first - mean_second;
    let t = finite(mean_difference / se)?;
    let half_width = t_quantile_975(df)? * se;
    Some(WelchTTest {
        n_first: n1,
        n_second: n2,
        mean_first,
        mean_second,
        mean_difference,
        ci95_low: finite(mean_difference - half_width)?,
        ci95_high: finite(mean_difference + half_width)?,
        t,
        df: finite(df)?,
        p_value: t_two_sided_p(t, df)?,
    })
}

/// How a p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MannWhitneyMethod {
    /// Exact null distribution of U (no ties, at least one sample of 8 or fewer).
    Exact,
    /// Normal approximation with tie correction and continuity correction.
    NormalApproximation,
}

/// Mann-Whitney U test of `first` against `second`.
#[derive(Debug, Clone, Serialize)]
pub struct MannWhitneyU {
    pub n_first: usize,
    pub n_second: usize,
    /// U of the first sample: the number of (first, second) pairs with first > second,
    /// ties counting half. This is what SciPy reports as the statistic.
    pub u_first: f64,
    /// n_first * n_second - u_first.
    pub u_second: f64,
    /// Two-sided p-value.
    pub p_value: f64,
    pub method: MannWhitneyMethod,
    /// Rank-biserial correlation 2 U1 / (n1 n2) - 1, positive when `first` tends higher
    /// (see [`crate::effect::rank_biserial_from_u`]).
    pub rank_biserial: f64,
}

/// Two-sided Mann-Whitney U test, matching `scipy.stats.mannwhitneyu` with its defaults
/// (`use_continuity=True`, `method="auto"`): the exact distribution when there are no
/// ties and either sample has at most 8 values, otherwise the normal approximation with
/// tie and continuity correction. Ranking makes it O(n log n); the exact distribution
/// costs O(min(n1, n2)² max(n1, n2)) and is only used with min(n1, n2) <= 8.
///
/// `None` when a sample is empty or every value is tied (no information to rank).
pub fn mann_whitney_u(first: &[f64], second: &[f64]) -> Option<MannWhitneyU> {
    let (n1, n2) = (first.len(), second.len());
    if n1 == 0 || n2 == 0 || !all_finite(first) || !all_finite(second) {
        return None;
    }
    let combined: Vec<f64> = first.iter().chain(second).copied().collect();
    let (ranks, tie_term) = average_ranks(&combined);
    let rank_sum_first: f64 = ranks[..n1].iter().sum();
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    let u_first = rank_sum_first - n1f * (n1f + 1.0) / 2.0;
    let u_second = n1f * n2f - u_first;
    let n = n1f + n2f;
    let all_tied = combined.iter().all(|&v| v == combined[0]);
    if all_tied {
        return None;
    }
    let (p, method) = if (n1 <= 8 || n2 <= 8) && tie_term == 0.0 {
        // Without ties U is an integer; P(U >= max) = P(U <= min) by symmetry.
        let smaller = u_first.min(u_second).round() as usize;
        let p = 2.0 * mann_whitney_exact_cdf(n1.min(n2), n1.max(n2), smaller);
        (p, MannWhitneyMethod::Exact)
    } else {
        let mu = n1f * n2f / 2.0;
        let sd = (n1f * n2f / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)))).sqrt();
        let z = (u_first.max(u_second) - mu - 0.5) / sd;
        let p = 2.0 * Normal::standard().sf(z);
        (p, MannWhitneyMethod::NormalApproximation)
    };
    Some(MannWhitneyU {
        n_first: n1,
        n_second: n2,
        u_first,
        u_second,
        p_value: finite(p.clamp(0.0, 1.0))?,
        method,
        rank_biserial: rank_biserial_from_u(u_first, n1, n2)?,
    })
}

/// P(U <= k) under the null for sample sizes `m <= n` without ties.
///
/// The counts of U are the coefficients of the Gaussian binomial [m+n choose m]_q =
/// prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i); multiplying in one factor at a time gives
/// [n+i choose i]_q after step i. Only degrees 0..=k are needed, and each step is
/// rescaled by i / (n+i) so the coefficients stay probabilities. O(m k) time.
fn mann_whitney_exact_cdf(m: usize, n: usize, k: usize) -> f64 {
    let mut probs = vec![0.0; k + 1];
    probs[0] = 1.0;
    let mut next = vec![0.0; k + 1];
    for i in 1..=m {
        let scale = i as f64 / (n + i) as f64;
        for j in 0..=k {
            // times (1 - q^(n+i)), then divided by (1 - q^i)
            let mut value = probs[j];
            if j >= n + i {
                value -= probs[j - n - i];
            }
            if j >= i {
                value += next[j - i];
            }
            next[j] = value;
        }
        for (p, &v) in probs.iter_mut().zip(&next) {
            *p = v * scale;
        }
    }
    probs.iter().sum()
}

/// One-way analysis of variance.
#[derive(Debug, Clone, Serialize)]
pub struct OneWayAnova {
    /// Non-empty groups compared.
    pub groups: usize,
    pub n_total: usize,
    pub f: f64,
    pub df_between: f64,
    pub df_within: f64,
    pub p_value: f64,
    pub ss_between: f64,
    pub ss_within: f64,
    /// ss_between / (ss_between + ss_within).
    pub eta_squared: f64,
}

/// One-way ANOVA F test, as `scipy.stats.f_oneway`, plus eta squared. Empty groups are
/// ignored (they carry no information); `groups` counts the ones used.
///
/// `None` with fewer than 2 non-empty groups, no within-group degrees of freedom
/// (every group has one value) or zero within-group variance (F would be infinite).
pub fn one_way_anova<G: AsRef<[f64]>>(groups: &[G]) -> Option<OneWayAnova> {
    let used: Vec<&[f64]> = non_empty_finite_groups(groups)?;
    let k = used.len();
    let n_total: usize = used.iter().map(|g| g.len()).sum();
    if k < 2 || n_total <= k {
        return None;
    }
    let grand_mean = used.iter().map(|g| g.iter().sum::<f64>()).sum::<f64>() / n_total as f64;
    let mut ss_between = 0.0;
    let mut ss_within = 0.0;
    for g in &used {
        let m = mean(g)?;
        ss_between += g.len() as f64 * (m - grand_mean) * (m - grand_mean);
        ss_within += sum_sq_dev(g)?;
    }
    if ss_within <= 0.0 || !ss_between.is_finite() {
        return None;
    }
    let df_between = (k - 1) as f64;
    let df_within = (n_total - k) as f64;
    let f = (ss_between / df_between) / (ss_within / df_within);
    let dist = FisherSnedecor::new(df_between, df_within).ok()?;
    Some(OneWayAnova {
        groups: k,
        n_total,
        f: finite(f)?,
        df_between,
        df_within,
        p_value: finite(dist.sf(f).clamp(0.0, 1.0))?,
        ss_between,
        ss_within,
        eta_squared: eta_squared(ss_between, ss_within)?,
    })
}

/// Kruskal-Wallis H test.
#[derive(Debug, Clone, Serialize)]
pub struct KruskalWallis {
    /// Non-empty groups compared.
    pub groups: usize,
    pub n_total: usize,
    /// H corrected for ties.
    pub h: f64,
    pub df: f64,
    /// From the chi-squared distribution with `df` degrees of freedom.
    pub p_value: f64,
}

/// Kruskal-Wallis H test with tie correction, as `scipy.stats.kruskal`. Empty groups are
/// ignored; `groups` counts the ones used. O(n log n).
///
/// `None` with fewer than 2 non-empty groups or when every value is tied.
pub fn kruskal_wallis<G: AsRef<[f64]>>(groups: &[G]) -> Option<KruskalWallis> {
    let used: Vec<&[f64]> = non_empty_finite_groups(groups)?;
    let k = used.len();
    if k < 2 {
        return None;
    }
    let combined: Vec<f64> = used.iter().flat_map(|g| g.iter().copied()).collect();
    let n = combined.len() as f64;
    let (ranks, tie_term) = average_ranks(&combined);
    let tie_correction = 1.0 - tie_term / (n * n * n - n);
    if tie_correction <= 0.0 {
        return None; // all values tied
    }
    let mut start = 0;
    let mut weighted = 0.0;
    for g in &used {
        let rank_sum: f64 = ranks[start..start + g.len()].iter().sum();
        weighted += rank_sum * rank_sum / g.len() as f64;
        start += g.len();
    }
    let h_raw = 12.0 / (n * (n + 1.0)) * weighted - 3.0 * (n + 1.0);
    // Rounding can leave a tiny negative H for identical groups; H is >= 0 by definition.
    let h = (h_raw / tie_correction).max(0.0);
    let df = (k - 1) as f64;
    let dist = ChiSquared::new(df).ok()?;
    Some(KruskalWallis {
        groups: k,
        n_total: combined.len(),
        h: finite(h)?,
        df,
        p_value: finite(dist.sf(h).clamp(0.0, 1.0))?,
    })
}

/// The non-empty groups, or `None` if any value is NaN or infinite.
fn non_empty_finite_groups<G: AsRef<[f64]>>(groups: &[G]) -> Option<Vec<&[f64]>> {
    let used: Vec<&[f64]> = groups
        .iter()
        .map(|g| g.as_ref())
        .filter(|g| !g.is_empty())
        .collect();
    used.iter().all(|g| all_finite(g)).then_some(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welch_needs_two_values_and_some_variance() {
        assert!(welch_t_test(&[1.0], &[2.0, 3.0]).is_none());
        assert!(welch_t_test(&[1.0, 1.0], &[2.0, 2.0, 2.0]).is_none());
        assert!(welch_t_test(&[1.0, f64::NAN], &[2.0, 3.0]).is_none());
        // One group constant is fine: df comes from the other group alone.
        let r = welch_t_test(&[1.0, 1.0], &[2.0, 3.0, 4.0]).unwrap();
        assert!((r.df - 2.0).abs() < 1e-12);
    }

    #[test]
    fn mann_whitney_all_ties_or_empty_is_none() {
        assert!(mann_whitney_u(&[2.0, 2.0], &[2.0, 2.0, 2.0]).is_none());
        assert!(mann_whitney_u(&[], &[1.0]).is_none());
        assert!(mann_whitney_u(&[1.0], &[f64::INFINITY]).is_none());
        let one_each = mann_whitney_u(&[1.0], &[2.0]).unwrap();
        assert_eq!(one_each.method, MannWhitneyMethod::Exact);
        assert_eq!(one_each.p_value, 1.0);
    }

    #[test]
    fn exact_cdf_counts_small_case_by_hand() {
        // m = 2, n = 2: U takes 0,1,2,2,3,4 over the 6 arrangements.
        let cdf: Vec<f64> = (0..=4).map(|k| mann_whitney_exact_cdf(2, 2, k)).collect();
        let expected = [1.0 / 6.0, 2.0 / 6.0, 4.0 / 6.0, 5.0 / 6.0, 1.0];
        for (got, want) in cdf.iter().zip(expected) {
            assert!((got - want).abs() < 1e-15, "{cdf:?}");
        }
    }

    /// Deterministic spread-out values without ties (a simple LCG).
    fn pseudo_values(n: usize, seed: u64, shift: f64) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (state >> 11) as f64 / (1u64 << 53) as f64 + shift
            })
            .collect()
    }

    #[test]
    fn large_samples_stay_fast_and_finite() {
        let a = pseudo_values(100_000, 1, 0.0);
        let b = pseudo_values(100_000, 2, 0.001);
        let u = mann_whitney_u(&a, &b).unwrap();
        assert_eq!(u.method, MannWhitneyMethod::NormalApproximation);
        assert!(u.p_value > 0.0 && u.p_value <= 1.0);
        let h = kruskal_wallis(&[&a[..50_000], &a[50_000..], &b[..]]).unwrap();
        assert!(h.p_value > 0.0 && h.p_value <= 1.0);
        // 8 against 100,000 without ties takes the exact path (as SciPy would); for a
        // sample this large it must agree closely with the normal approximation.
        let small = pseudo_values(8, 3, 0.1);
        let exact = mann_whitney_u(&small, &b).unwrap();
        assert_eq!(exact.method, MannWhitneyMethod::Exact);
        let (n1, n2) = (8.0, 100_000.0);
        let sd = (n1 * n2 * (n1 + n2 + 1.0) / 12.0_f64).sqrt();
        let z = (exact.u_first.max(exact.u_second) - n1 * n2 / 2.0 - 0.5) / sd;
        let normal_p = 2.0 * Normal::standard().sf(z);
        assert!(
            (exact.p_value - normal_p).abs() < 0.02,
            "{} vs {normal_p}",
            exact.p_value
        );
    }

    #[test]
    fn anova_and_kruskal_degenerate_cases_are_none() {
        let constant: [&[f64]; 2] = [&[3.0, 3.0], &[3.0, 3.0, 3.0]];
        assert!(one_way_anova(&constant).is_none());
        assert!(kruskal_wallis(&constant).is_none());
        let single_group: [&[f64]; 2] = [&[1.0, 2.0], &[]];
        assert!(one_way_anova(&single_group).is_none());
        assert!(kruskal_wallis(&single_group).is_none());
        let one_value_each: [&[f64]; 2] = [&[1.0], &[2.0]];
        assert!(one_way_anova(&one_value_each).is_none());
        // Constant within groups but different between: F would be infinite.
        let separated: [&[f64]; 2] = [&[1.0, 1.0], &[2.0, 2.0]];
        assert!(one_way_anova(&separated).is_none());
        assert!(kruskal_wallis(&separated).is_some());
    }
}
