//! Checks groups, paired, reliability and effect against SciPy reference values written by
//! `analysis/tests/reference/comparisons.py` (see its header for how to regenerate).
//!
//! Tolerance: 1e-9 relative plus 1e-12 absolute (for values that are 0 in exact
//! arithmetic, such as F for identical groups) on every statistic and p-value, including
//! the exact Mann-Whitney and Wilcoxon p-values. Statistics use the same closed-form
//! algorithms on both sides and agree to ~1e-14. The loosest part is statrs' erfc behind
//! every normal-approximation p-value, measured at ~1e-10 relative against SciPy (t and F
//! tails are ~1e-13 at these degrees of freedom), so 1e-9 still leaves a 10x margin.
//! A `null` in the JSON means SciPy gave NaN or an infinite statistic: the Rust function
//! must return `None` there.

use analysis::effect::{cohens_d, cohens_dz, hedges_correction, hedges_g, rank_biserial_from_u};
use analysis::groups::{
    MannWhitneyMethod, kruskal_wallis, mann_whitney_u, one_way_anova, welch_t_test,
};
use analysis::paired::{
    WilcoxonMethod, change_summary, compare_pre_post, matched_pairs_rank_biserial, paired_t_test,
    wilcoxon_signed_rank,
};
use analysis::reliability::cronbach_alpha;

#[path = "reference/comparisons_schema.rs"]
mod schema;

use schema::reference;

const RELATIVE: f64 = 1e-9;
const ABSOLUTE: f64 = 1e-12;

#[track_caller]
fn close(actual: f64, expected: f64, what: &str) {
    let tolerance = RELATIVE * expected.abs() + ABSOLUTE;
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: got {actual:e}, SciPy {expected:e} (diff {:e})",
        (actual - expected).abs()
    );
}

/// Both defined and close, or both undefined.
#[track_caller]
fn close_opt(actual: Option<f64>, expected: Option<f64>, what: &str) {
    match (actual, expected) {
        (Some(a), Some(e)) => close(a, e, what),
        (None, None) => {}
        _ => panic!("{what}: got {actual:?}, SciPy {expected:?}"),
    }
}

#[test]
fn reference_records_its_versions() {
    let versions = &reference().versions;
    assert!(
        versions["scipy"]
            .as_str()
            .is_some_and(|v| v.starts_with("1."))
    );
    assert!(versions["numpy"].is_string());
}

#[test]
fn welch_t_test_matches_scipy() {
    for case in &reference().welch {
        let name = &case.name;
        let got = welch_t_test(&case.a, &case.b);
        let Some(expected_t) = case.t else {
            assert!(got.is_none(), "{name}: SciPy has no t, got {got:?}");
            continue;
        };
        let got = got.unwrap_or_else(|| panic!("{name}: no result"));
        close(got.t, expected_t, &format!("{name} t"));
        close_opt(Some(got.df), case.df, &format!("{name} df"));
        close_opt(Some(got.p_value), case.p, &format!("{name} p"));
        close(
            got.mean_difference,
            case.mean_difference,
            &format!("{name} mean diff"),
        );
        close_opt(Some(got.ci95_low), case.ci_low, &format!("{name} ci low"));
        close_opt(
            Some(got.ci95_high),
            case.ci_high,
            &format!("{name} ci high"),
        );
    }
}

#[test]
fn mann_whitney_matches_scipy_including_method() {
    let mut methods_seen = (0, 0);
    for case in &reference().mann_whitney {
        let name = &case.name;
        let got = mann_whitney_u(&case.a, &case.b);
        let Some(expected_u) = case.u1 else {
            assert!(got.is_none(), "{name}: expected no test, got {got:?}");
            continue;
        };
        let got = got.unwrap_or_else(|| panic!("{name}: no result"));
        close(got.u_first, expected_u, &format!("{name} U1"));
        close_opt(Some(got.p_value), case.p, &format!("{name} p"));
        let expected_method = match case.method.as_deref() {
            Some("exact") => MannWhitneyMethod::Exact,
            Some("normal_approximation") => MannWhitneyMethod::NormalApproximation,
            other => panic!("{name}: unknown method {other:?}"),
        };
        assert_eq!(got.method, expected_method, "{name} method");
        match got.method {
            MannWhitneyMethod::Exact => methods_seen.0 += 1,
            MannWhitneyMethod::NormalApproximation => methods_seen.1 += 1,
        }
        close_opt(
            Some(got.rank_biserial),
            case.rank_biserial,
            &format!("{name} r_rb"),
        );
        close_opt(
            rank_biserial_from_u(got.u_first, case.a.len(), case.b.len()),
            case.rank_biserial,
            &format!("{name} effect::rank_biserial_from_u"),
        );
    }
    assert!(
        methods_seen.0 >= 4 && methods_seen.1 >= 4,
        "{methods_seen:?}"
    );
}

#[test]
fn cohens_d_and_hedges_g_match_reference() {
    for case in &reference().effect_two_groups {
        let name = &case.name;
        close_opt(
            cohens_d(&case.a, &case.b),
            case.cohens_d,
            &format!("{name} d"),
        );
        close_opt(
            hedges_g(&case.a, &case.b),
            case.hedges_g,
            &format!("{name} g"),
        );
    }
}

#[test]
fn hedges_correction_matches_40_digit_gamma_ratio() {
    for case in &reference().hedges_correction {
        close_opt(
            hedges_correction(case.df),
            Some(case.j),
            &format!("J({})", case.df),
        );
    }
}

#[test]
fn one_way_anova_matches_scipy() {
    for case in &reference().anova {
        let name = &case.name;
        let got = one_way_anova(&case.groups);
        let Some(expected_f) = case.f else {
            assert!(got.is_none(), "{name}: SciPy has no finite F, got {got:?}");
            continue;
        };
        let got = got.unwrap_or_else(|| panic!("{name}: no result"));
        close(got.f, expected_f, &format!("{name} F"));
        close_opt(
            Some(got.df_between),
            case.df_between,
            &format!("{name} df1"),
        );
        close_opt(Some(got.df_within), case.df_within, &format!("{name} df2"));
        close_opt(Some(got.p_value), case.p, &format!("{name} p"));
        close_opt(
            Some(got.eta_squared),
            case.eta_squared,
            &format!("{name} eta²"),
        );
    }
}

#[test]
fn kruskal_wallis_matches_scipy() {
    for case in &reference().kruskal {
        let name = &case.name;
        let got = kruskal_wallis(&case.groups);
        let Some(expected_h) = case.h else {
            assert!(got.is_none(), "{name}: SciPy has no H, got {got:?}");
            continue;
        };
        let got = got.unwrap_or_else(|| panic!("{name}: no result"));
        close(got.h, expected_h, &format!("{name} H"));
        close_opt(Some(got.df), case.df, &format!("{name} df"));
        close_opt(Some(got.p_value), case.p, &format!("{name} p"));
    }
}

#[test]
fn pre_post_comparison_matches_scipy() {
    let mut methods_seen = [0; 3];
    for case in &reference().paired {
        let name = &case.name;
        let report = compare_pre_post(&case.before, &case.after);
        assert_eq!(report.n_pairs, case.n_pairs, "{name} n");
        assert_eq!(
            report.dropped_missing, case.dropped_missing,
            "{name} dropped"
        );

        let summary = report
            .summary
            .unwrap_or_else(|| panic!("{name}: no summary"));
        close(
            summary.mean_before,
            case.mean_before,
            &format!("{name} mean before"),
        );
        close(
            summary.mean_after,
            case.mean_after,
            &format!("{name} mean after"),
        );
        close(
            summary.mean_change,
            case.mean_change,
            &format!("{name} mean change"),
        );
        let counts = (summary.n_improved, summary.n_unchanged, summary.n_worsened);
        assert_eq!(
            counts,
            (case.n_improved, case.n_unchanged, case.n_worsened),
            "{name}"
        );
        let n = case.n_pairs as f64;
        close(
            summary.share_improved,
            case.n_improved as f64 / n,
            &format!("{name} share"),
        );

        match (&report.t_test, &case.ttest) {
            (Some(got), Some(want)) => {
                close(got.t, want.t, &format!("{name} t"));
                close(got.df, want.df, &format!("{name} df"));
                close(got.p_value, want.p, &format!("{name} p(t)"));
                close(got.mean_change, case.mean_change, &format!("{name} t mean"));
                close(got.ci95_low, want.ci_low, &format!("{name} ci low"));
                close(got.ci95_high, want.ci_high, &format!("{name} ci high"));
            }
            (None, None) => {}
            (got, _) => panic!("{name}: t-test mismatch, got {got:?}"),
        }
        close_opt(report.cohens_dz, case.cohens_dz, &format!("{name} d_z"));

        match (&report.wilcoxon, &case.wilcoxon) {
            (Some(got), Some(want)) => {
                close(got.statistic, want.statistic, &format!("{name} W"));
                close(got.w_plus, want.w_plus, &format!("{name} W+"));
                close(got.w_minus, want.w_minus, &format!("{name} W-"));
                close(got.p_value, want.p, &format!("{name} p(W)"));
                let (expected, slot) = match want.method.as_str() {
                    "exact" => (WilcoxonMethod::Exact, 0),
                    "exact_sign_flips" => (WilcoxonMethod::ExactSignFlips, 1),
                    "normal_approximation" => (WilcoxonMethod::NormalApproximation, 2),
                    other => panic!("{name}: unknown method {other}"),
                };
                assert_eq!(got.method, expected, "{name} Wilcoxon method");
                methods_seen[slot] += 1;
            }
            (None, None) => {}
            (got, _) => panic!("{name}: Wilcoxon mismatch, got {got:?}"),
        }
        let r = report.wilcoxon.as_ref().map(|w| w.rank_biserial);
        close_opt(r, case.rank_biserial, &format!("{name} r_rb"));
    }
    assert!(methods_seen.iter().all(|&m| m >= 3), "{methods_seen:?}");
}

#[test]
fn pair_slice_functions_agree_with_the_option_entry_point() {
    // The training data set has missing ratings; the &[(f64, f64)] functions get the
    // complete pairs and must give what compare_pre_post reported against SciPy.
    let case = reference()
        .paired
        .iter()
        .find(|c| c.name == "training_15_likert")
        .expect("training data set");
    assert_eq!((case.n_pairs, case.dropped_missing), (15, 3));
    let pairs: Vec<(f64, f64)> = case
        .before
        .iter()
        .zip(&case.after)
        .filter_map(|(b, a)| Some(((*b)?, (*a)?)))
        .collect();
    let t = paired_t_test(&pairs).expect("t-test");
    close(t.t, case.ttest.as_ref().unwrap().t, "training t");
    let w = wilcoxon_signed_rank(&pairs).expect("wilcoxon");
    close(
        w.p_value,
        case.wilcoxon.as_ref().unwrap().p,
        "training p(W)",
    );
    close_opt(
        matched_pairs_rank_biserial(&pairs),
        case.rank_biserial,
        "training r_rb",
    );
    close_opt(cohens_dz(&pairs), case.cohens_dz, "training d_z");
    let summary = change_summary(&pairs).unwrap();
    assert_eq!(
        summary.n_improved + summary.n_unchanged + summary.n_worsened,
        15
    );
}

#[test]
fn cronbach_alpha_matches_numpy_and_pearsonr() {
    for case in &reference().reliability {
        let name = &case.name;
        let got = cronbach_alpha(&case.rows);
        assert_eq!(
            (got.items, got.n_used, got.n_dropped),
            (case.items, case.n_used, case.n_dropped),
            "{name} counts"
        );
        close_opt(got.alpha, case.alpha, &format!("{name} alpha"));
        assert_eq!(got.item_statistics.len(), case.items, "{name} items");
        for (j, item) in got.item_statistics.iter().enumerate() {
            assert_eq!(item.item, j);
            let what = format!("{name} item {j}");
            close_opt(
                item.alpha_if_deleted,
                case.alpha_if_deleted[j],
                &format!("{what} alpha-if-deleted"),
            );
            close_opt(
                item.corrected_item_total_correlation,
                case.item_total_correlation[j],
                &format!("{what} item-rest r"),
            );
        }
    }
}

#[test]
fn results_serialize_to_json_without_nan() {
    let case = &reference().paired[0];
    let report = compare_pre_post(&case.before, &case.after);
    let json = serde_json::to_string(&report).expect("serializes");
    assert!(
        json.contains("\"method\":\"normal_approximation\""),
        "{json}"
    );
    let groups = &reference().anova[0].groups;
    let anova = serde_json::to_value(one_way_anova(groups)).unwrap();
    assert!(
        anova["eta_squared"]
            .as_f64()
            .is_some_and(|e| (0.0..=1.0).contains(&e))
    );
}
