//! Internal consistency of a multi-item scale: Cronbach's alpha, alpha if each item is
//! deleted, and the corrected item-total correlation of each item (the item against the
//! sum of the *other* items).
//!
//! Input is one row per respondent, one `Option<f64>` per item, in the same item order on
//! every row. Missing values: listwise deletion. A row with any missing item (`None`, NaN
//! or infinite, or a row shorter than the longest row) is dropped and counted in
//! `n_dropped`; every statistic uses the same complete rows. Undefined statistics (fewer
//! than 2 items or complete rows, zero variance) are `None`, never NaN.

use crate::sample::finite;
use serde::Serialize;

/// Reliability of one scale.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleReliability {
    /// Number of items (the length of the longest row).
    pub items: usize,
    /// Complete rows used.
    pub n_used: usize,
    /// Rows dropped because an item was missing.
    pub n_dropped: usize,
    /// Cronbach's alpha = k/(k-1) * (1 - sum of item variances / variance of the total).
    /// Can be negative when items correlate negatively (e.g. an item not reverse-coded).
    pub alpha: Option<f64>,
    /// One entry per item, in input order.
    pub item_statistics: Vec<ItemStatistics>,
}

/// How one item relates to the rest of the scale.
#[derive(Debug, Clone, Serialize)]
pub struct ItemStatistics {
    /// 0-based position of the item in each row.
    pub item: usize,
    /// Alpha of the remaining k - 1 items; `None` when fewer than 2 would remain.
    pub alpha_if_deleted: Option<f64>,
    /// Pearson correlation of the item with the sum of the other items.
    pub corrected_item_total_correlation: Option<f64>,
}

/// Cronbach's alpha with per-item statistics, listwise deletion of incomplete rows.
/// O(rows x items).
pub fn cronbach_alpha<R: AsRef<[Option<f64>]>>(rows: &[R]) -> ScaleReliability {
    let k = rows.iter().map(|r| r.as_ref().len()).max().unwrap_or(0);
    let complete: Vec<Vec<f64>> = rows
        .iter()
        .filter_map(|row| {
            let row = row.as_ref();
            if row.len() != k {
                return None;
            }
            row.iter().map(|v| v.filter(|x| x.is_finite())).collect()
        })
        .collect();
    let n_used = complete.len();
    let mut result = ScaleReliability {
        items: k,
        n_used,
        n_dropped: rows.len() - n_used,
        alpha: None,
        item_statistics: (0..k)
            .map(|item| ItemStatistics {
                item,
                alpha_if_deleted: None,
                corrected_item_total_correlation: None,
            })
            .collect(),
    };
    if k < 2 || n_used < 2 {
        return result;
    }

    let n = n_used as f64;
    let item_means: Vec<f64> = (0..k)
        .map(|j| complete.iter().map(|row| row[j]).sum::<f64>() / n)
        .collect();
    let totals: Vec<f64> = complete.iter().map(|row| row.iter().sum()).collect();
    let total_mean = totals.iter().sum::<f64>() / n;
    // Sums of squared deviations; the n - 1 divisors cancel in every ratio below.
    let item_ss: Vec<f64> = (0..k)
        .map(|j| {
            complete
                .iter()
                .map(|row| (row[j] - item_means[j]).powi(2))
                .sum()
        })
        .collect();
    let total_ss: f64 = totals.iter().map(|t| (t - total_mean).powi(2)).sum();
    let item_ss_sum: f64 = item_ss.iter().sum();
    result.alpha = alpha_from(k, item_ss_sum, total_ss);

    for (j, stats) in result.item_statistics.iter_mut().enumerate() {
        // rest = total - item j, for every row, in one pass.
        let rest_mean = total_mean - item_means[j];
        let (mut rest_ss, mut cross) = (0.0, 0.0);
        for (row, total) in complete.iter().zip(&totals) {
            let rest_dev = (total - row[j]) - rest_mean;
            rest_ss += rest_dev * rest_dev;
            cross += (row[j] - item_means[j]) * rest_dev;
        }
        stats.alpha_if_deleted = alpha_from(k - 1, item_ss_sum - item_ss[j], rest_ss);
        if item_ss[j] > 0.0 && rest_ss > 0.0 {
            stats.corrected_item_total_correlation =
                finite((cross / (item_ss[j] * rest_ss).sqrt()).clamp(-1.0, 1.0));
        }
    }
    result
}

/// Alpha for `k` items from the summed item sums of squares and the total's sum of squares.
fn alpha_from(k: usize, item_ss_sum: f64, total_ss: f64) -> Option<f64> {
    if k < 2 || total_ss <= 0.0 || !total_ss.is_finite() {
        return None;
    }
    let k = k as f64;
    finite(k / (k - 1.0) * (1.0 - item_ss_sum / total_ss))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incomplete_rows_are_dropped_listwise() {
        let rows = vec![
            vec![Some(1.0), Some(2.0), Some(2.0)],
            vec![Some(2.0), None, Some(3.0)],
            vec![Some(3.0), Some(3.0), Some(4.0)],
            vec![Some(4.0), Some(5.0)],
            vec![Some(5.0), Some(4.0), Some(f64::NAN)],
            vec![Some(4.0), Some(4.0), Some(5.0)],
        ];
        let r = cronbach_alpha(&rows);
        assert_eq!((r.items, r.n_used, r.n_dropped), (3, 3, 3));
        assert!(r.alpha.is_some());
    }

    #[test]
    fn degenerate_scales_give_none() {
        // Fewer than two complete rows.
        let one_row = [[Some(1.0), Some(2.0)]];
        let r = cronbach_alpha(&one_row);
        assert!(r.alpha.is_none() && r.item_statistics[0].alpha_if_deleted.is_none());
        // One item only.
        let r = cronbach_alpha(&[[Some(1.0)], [Some(2.0)]]);
        assert!(r.alpha.is_none());
        // Everybody answers the same: zero variance everywhere.
        let same = [[Some(3.0), Some(3.0)], [Some(3.0), Some(3.0)]];
        let r = cronbach_alpha(&same);
        assert!(r.alpha.is_none());
        assert!(
            r.item_statistics
                .iter()
                .all(|s| s.corrected_item_total_correlation.is_none())
        );
        // No rows at all.
        let none: [[Option<f64>; 3]; 0] = [];
        let r = cronbach_alpha(&none);
        assert_eq!((r.items, r.n_used, r.n_dropped), (0, 0, 0));
    }

    #[test]
    fn constant_item_has_no_correlation_but_alpha_exists() {
        let rows = [
            [Some(1.0), Some(2.0), Some(3.0)],
            [Some(2.0), Some(3.0), Some(3.0)],
            [Some(4.0), Some(4.0), Some(3.0)],
        ];
        let r = cronbach_alpha(&rows);
        assert!(r.alpha.is_some());
        assert!(
            r.item_statistics[2]
                .corrected_item_total_correlation
                .is_none()
        );
        // Two items left, perfectly correlated after dropping the constant one.
        assert!(
            r.item_statistics[0]
                .corrected_item_total_correlation
                .unwrap()
                > 0.9
        );
        // With two items, deleting one leaves a single item: no alpha.
        let two = cronbach_alpha(&[[Some(1.0), Some(2.0)], [Some(2.0), Some(4.0)]]);
        assert!(
            two.item_statistics
                .iter()
                .all(|s| s.alpha_if_deleted.is_none())
        );
    }
}
