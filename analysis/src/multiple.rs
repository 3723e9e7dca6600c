//! Multiple-testing correction of p-values: Holm's step-down method (family-wise error
//! rate) and Benjamini–Hochberg (false discovery rate).
//!
//! Both return adjusted p-values in the input order, monotone in the raw p-values and
//! capped at 1, matching `statsmodels.stats.multitest.multipletests(method="holm")` /
//! `(method="fdr_bh")` and `scipy.stats.false_discovery_control(method="bh")`.
//!
//! Missing values: an input that is not a valid p-value (`NaN`, negative, above 1) is
//! treated as missing, like R's `p.adjust` treats `NA`: its output is `None` and it does not
//! count towards the number of tests `m`. O(m log m).

/// Holm-adjusted p-values: for the i-th smallest of `m` valid p-values (i = 1..m),
/// `max over j <= i of min(1, (m - j + 1) p_(j))`.
pub fn holm(p_values: &[f64]) -> Vec<Option<f64>> {
    adjust(p_values, |sorted| {
        let m = sorted.len();
        let mut running_max: f64 = 0.0;
        for (i, (_, p)) in sorted.iter_mut().enumerate() {
            running_max = running_max.max(*p * (m - i) as f64);
            *p = running_max.min(1.0);
        }
    })
}

/// Benjamini–Hochberg adjusted p-values (q-values): for the i-th smallest of `m` valid
/// p-values, `min over j >= i of min(1, m p_(j) / j)`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<Option<f64>> {
    adjust(p_values, |sorted| {
        let m = sorted.len();
        let mut running_min: f64 = 1.0;
        for (i, (_, p)) in sorted.iter_mut().enumerate().rev() {
            running_min = running_min.min(*p * m as f64 / (i + 1) as f64);
            *p = running_min;
        }
    })
}

/// Sorts the valid p-values (stable, so ties keep input order), lets `step` adjust them in
/// place in ascending order, and scatters them back to input positions.
fn adjust(p_values: &[f64], step: impl FnOnce(&mut [(usize, f64)])) -> Vec<Option<f64>> {
    let mut sorted: Vec<(usize, f64)> = p_values
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, p)| (0.0..=1.0).contains(p))
        .collect();
    sorted.sort_by(|a, b| a.1.total_cmp(&b.1));
    step(&mut sorted);
    let mut adjusted = vec![None; p_values.len()];
    for (index, p) in sorted {
        adjusted[index] = Some(p);
    }
    adjusted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_p_values_are_skipped_and_do_not_count() {
        let adjusted = holm(&[0.01, f64::NAN, 0.04, -0.1, 1.5]);
        assert_eq!(adjusted, vec![Some(0.02), None, Some(0.04), None, None]);
        let adjusted = benjamini_hochberg(&[0.04, f64::NAN, 0.01]);
        assert_eq!(adjusted, vec![Some(0.04), None, Some(0.02)]);
    }

    #[test]
    fn empty_input_gives_empty_output() {
        assert!(holm(&[]).is_empty());
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    #[test]
    fn adjusted_values_are_capped_at_one() {
        assert_eq!(holm(&[0.6, 0.7]), vec![Some(1.0), Some(1.0)]);
        assert_eq!(benjamini_hochberg(&[0.9, 1.0]), vec![Some(1.0), Some(1.0)]);
    }
}
