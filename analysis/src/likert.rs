//! Summaries of ordered rating-scale (Likert) items: the distribution over the scale
//! points, mean, standard deviation and median of the scale scores, and top-2-box and
//! bottom-2-box shares; [`likert_matrix`] summarises several items on the same scale.
//!
//! Coding: an answer is the code `0..points` in scale order (0 = lowest point); its scale
//! score is `code + 1`, so a 5-point item scores 1..=5.
//!
//! Missing values: `None` is missing; a code `>= points` is counted in `out_of_range`.
//! Both are excluded from every statistic (percentages are of the valid answers). With
//! no valid answer all statistics are `None`.

use serde::Serialize;

use crate::frequencies::{CategoryFrequency, category_rows, percent};

/// Summary of one rating-scale item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikertSummary {
    /// Number of scale points `k`.
    pub points: usize,
    /// Valid answers (codes `0..points`).
    pub n: u64,
    pub missing: u64,
    pub out_of_range: u64,
    /// One entry per scale point in scale order (code `i` = score `i + 1`): count, percent
    /// of valid answers and its Wilson 95 % interval.
    pub distribution: Vec<CategoryFrequency>,
    /// Mean scale score (1..=k).
    pub mean: Option<f64>,
    /// Sample standard deviation of the scores (`n - 1`); `None` when `n < 2`.
    pub sd: Option<f64>,
    /// Median score; the average of the two middle scores when `n` is even (so it can be
    /// e.g. 3.5), as `numpy.median`.
    pub median: Option<f64>,
    /// Percent of valid answers in the two highest points; `None` for scales with fewer
    /// than 4 points, where the top two and bottom two boxes would overlap or cover all.
    pub top2_percent: Option<f64>,
    /// Percent of valid answers in the two lowest points (same rule as `top2_percent`).
    pub bottom2_percent: Option<f64>,
}

/// Summarises one item answered on a `points`-point scale; see the module docs.
pub fn likert(codes: &[Option<usize>], points: usize) -> LikertSummary {
    let mut counts = vec![0u64; points];
    let mut missing = 0;
    let mut out_of_range = 0;
    for code in codes {
        match code {
            None => missing += 1,
            Some(c) => match counts.get_mut(*c) {
                Some(count) => *count += 1,
                None => out_of_range += 1,
            },
        }
    }
    summarise_counts(&counts, missing, out_of_range)
}

fn summarise_counts(counts: &[u64], missing: u64, out_of_range: u64) -> LikertSummary {
    let points = counts.len();
    let n: u64 = counts.iter().sum();
    let scored = || {
        counts
            .iter()
            .enumerate()
            .map(|(code, &count)| ((code + 1) as f64, count as f64))
    };
    let mean = (n > 0).then(|| scored().map(|(s, c)| s * c).sum::<f64>() / n as f64);
    let sd = match mean {
        Some(m) if n >= 2 => {
            let squares: f64 = scored().map(|(s, c)| c * (s - m) * (s - m)).sum();
            Some((squares / (n - 1) as f64).sqrt())
        }
        _ => None,
    };
    let median = (n > 0).then(|| {
        // 0-based ranks of the middle value(s) in the sorted answers.
        let low = score_at_rank(counts, (n - 1) / 2);
        let high = score_at_rank(counts, n / 2);
        (low + high) / 2.0
    });
    let boxes = points >= 4;
    let top2 = counts.iter().rev().take(2).sum();
    let bottom2 = counts.iter().take(2).sum();
    LikertSummary {
        points,
        n,
        missing,
        out_of_range,
        distribution: category_rows(counts, n),
        mean,
        sd,
        median,
        top2_percent: percent(top2, n).filter(|_| boxes),
        bottom2_percent: percent(bottom2, n).filter(|_| boxes),
    }
}

/// Score (code + 1) of the answer with 0-based rank `rank` when answers are sorted;
/// `rank` must be below the total count.
fn score_at_rank(counts: &[u64], rank: u64) -> f64 {
    let mut seen = 0;
    for (code, &count) in counts.iter().enumerate() {
        seen += count;
        if rank < seen {
            return (code + 1) as f64;
        }
    }
    counts.len() as f64
}

/// Summaries of several items on the same scale (a question matrix / item battery).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LikertMatrix {
    pub points: usize,
    /// One summary per item, in input order.
    pub items: Vec<LikertSummary>,
}

/// Summarises each item of a matrix question answered on the same `points`-point scale.
/// Each item is summarised on its own answers (missing values per item, not listwise).
pub fn likert_matrix<T: AsRef<[Option<usize>]>>(items: &[T], points: usize) -> LikertMatrix {
    LikertMatrix {
        points,
        items: items
            .iter()
            .map(|item| likert(item.as_ref(), points))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_averages_the_middle_scores() {
        let s = likert(&[Some(0), Some(1), Some(2), Some(4)], 5);
        assert_eq!(s.median, Some(2.5));
        assert_eq!(s.mean, Some((1.0 + 2.0 + 3.0 + 5.0) / 4.0));
    }

    #[test]
    fn boxes_need_four_points() {
        let s = likert(&[Some(0), Some(2)], 3);
        assert_eq!((s.top2_percent, s.bottom2_percent), (None, None));
        let s = likert(&[Some(0), Some(3), Some(3), None], 4);
        assert_eq!(s.top2_percent, Some(200.0 / 3.0));
        assert_eq!(s.bottom2_percent, Some(100.0 / 3.0));
    }

    #[test]
    fn missing_and_out_of_range_are_excluded() {
        let s = likert(&[None, Some(9), Some(1)], 5);
        assert_eq!((s.n, s.missing, s.out_of_range), (1, 1, 1));
        assert_eq!((s.mean, s.sd, s.median), (Some(2.0), None, Some(2.0)));
    }

    #[test]
    fn zero_point_scale_and_all_missing_do_not_panic() {
        let s = likert(&[Some(0), None], 0);
        assert_eq!((s.n, s.out_of_range, s.missing), (0, 1, 1));
        assert!(s.mean.is_none() && s.median.is_none() && s.distribution.is_empty());
        let s = likert(&[None, None], 5);
        assert!(s.mean.is_none() && s.top2_percent.is_none());
    }

    #[test]
    fn matrix_keeps_item_order() {
        let items = vec![vec![Some(0)], vec![Some(4), None]];
        let m = likert_matrix(&items, 5);
        assert_eq!(m.items.len(), 2);
        assert_eq!(m.items[0].mean, Some(1.0));
        assert_eq!((m.items[1].mean, m.items[1].missing), (Some(5.0), 1));
    }
}
