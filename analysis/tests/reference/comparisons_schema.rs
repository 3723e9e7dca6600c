//! Shape of `comparisons.json` (written by `comparisons.py` beside this file) and its
//! loader, for `analysis/tests/reference_comparisons.rs`.

use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Deserialize)]
pub struct Reference {
    pub versions: serde_json::Value,
    pub welch: Vec<Welch>,
    pub mann_whitney: Vec<MannWhitney>,
    pub effect_two_groups: Vec<EffectTwoGroups>,
    pub hedges_correction: Vec<HedgesJ>,
    pub anova: Vec<Anova>,
    pub kruskal: Vec<Kruskal>,
    pub paired: Vec<Paired>,
    pub reliability: Vec<Reliability>,
}

#[derive(Deserialize)]
pub struct Welch {
    pub name: String,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub t: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
    pub mean_difference: f64,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

#[derive(Deserialize)]
pub struct MannWhitney {
    pub name: String,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub u1: Option<f64>,
    pub p: Option<f64>,
    pub method: Option<String>,
    pub rank_biserial: Option<f64>,
}

#[derive(Deserialize)]
pub struct EffectTwoGroups {
    pub name: String,
    pub a: Vec<f64>,
    pub b: Vec<f64>,
    pub cohens_d: Option<f64>,
    pub hedges_g: Option<f64>,
}

#[derive(Deserialize)]
pub struct HedgesJ {
    pub df: f64,
    pub j: f64,
}

#[derive(Deserialize)]
pub struct Anova {
    pub name: String,
    pub groups: Vec<Vec<f64>>,
    pub f: Option<f64>,
    pub df_between: Option<f64>,
    pub df_within: Option<f64>,
    pub p: Option<f64>,
    pub eta_squared: Option<f64>,
}

#[derive(Deserialize)]
pub struct Kruskal {
    pub name: String,
    pub groups: Vec<Vec<f64>>,
    pub h: Option<f64>,
    pub df: Option<f64>,
    pub p: Option<f64>,
}

#[derive(Deserialize)]
pub struct Paired {
    pub name: String,
    pub before: Vec<Option<f64>>,
    pub after: Vec<Option<f64>>,
    pub n_pairs: usize,
    pub dropped_missing: usize,
    pub mean_before: f64,
    pub mean_after: f64,
    pub mean_change: f64,
    pub n_improved: usize,
    pub n_unchanged: usize,
    pub n_worsened: usize,
    pub ttest: Option<PairedT>,
    pub cohens_dz: Option<f64>,
    pub wilcoxon: Option<Wilcoxon>,
    pub rank_biserial: Option<f64>,
}

#[derive(Deserialize)]
pub struct PairedT {
    pub t: f64,
    pub df: f64,
    pub p: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

#[derive(Deserialize)]
pub struct Wilcoxon {
    pub statistic: f64,
    pub p: f64,
    pub method: String,
    pub w_plus: f64,
    pub w_minus: f64,
}

#[derive(Deserialize)]
pub struct Reliability {
    pub name: String,
    pub rows: Vec<Vec<Option<f64>>>,
    pub items: usize,
    pub n_used: usize,
    pub n_dropped: usize,
    pub alpha: Option<f64>,
    pub alpha_if_deleted: Vec<Option<f64>>,
    pub item_total_correlation: Vec<Option<f64>>,
}

pub fn reference() -> &'static Reference {
    static DATA: OnceLock<Reference> = OnceLock::new();
    DATA.get_or_init(|| {
        let data: Reference = serde_json::from_str(include_str!("comparisons.json"))
            .expect("comparisons.json parses");
        // A loop over an empty section would pass without checking anything.
        let sizes = [
            ("welch", data.welch.len()),
            ("mann_whitney", data.mann_whitney.len()),
            ("effect_two_groups", data.effect_two_groups.len()),
            ("hedges_correction", data.hedges_correction.len()),
            ("anova", data.anova.len()),
            ("kruskal", data.kruskal.len()),
            ("paired", data.paired.len()),
            ("reliability", data.reliability.len()),
        ];
        for (section, n) in sizes {
            assert!(
                n >= 3,
                "comparisons.json: section {section} has only {n} cases"
            );
        }
        data
    })
}
