//! Analysis plans: what a report computes for a survey (variables to describe,
//! crosstabs, group comparisons, scales, pre/post pairs). Read from TOML files in
//! `analysis/plans/` by [`super::plan_load`]; a survey without a plan gets
//! [`Plan::default_for`], which describes every variable.

use std::path::PathBuf;

use crate::survey::{Survey, Text};

/// Which multiple-testing correction a report applies to each family of tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    Holm,
    BenjaminiHochberg,
    None,
}

impl Correction {
    pub const NAMES: [&'static str; 3] = ["holm", "bh", "none"];

    pub fn from_name(name: &str) -> Option<Correction> {
        Some(match name {
            "holm" => Correction::Holm,
            "bh" => Correction::BenjaminiHochberg,
            "none" => Correction::None,
            _ => return None,
        })
    }

    /// Adjusted p-values (`None` where a test was not possible: a p that is not finite).
    pub fn adjust(self, p: &[f64]) -> Vec<Option<f64>> {
        match self {
            Correction::Holm => analysis::multiple::holm(p),
            Correction::BenjaminiHochberg => analysis::multiple::benjamini_hochberg(p),
            Correction::None => p.iter().map(|x| x.is_finite().then_some(*x)).collect(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Plan {
    /// The survey the plan analyses (for pre/post: the "after" survey).
    pub survey: String,
    /// Where the plan came from (`None`: the default plan).
    pub file: Option<PathBuf>,
    pub title: Option<Text>,
    /// Variable or question names to describe; `None`: every variable.
    pub describe: Option<Vec<String>>,
    pub crosstabs: Vec<CrosstabSpec>,
    pub comparisons: Vec<CompareSpec>,
    pub scales: Vec<ScaleSpec>,
    pub prepost: Vec<PrePostSpec>,
    /// Counts below this are shown as "<N" in published tables (0: no suppression).
    pub min_cell: u64,
    pub correction: Correction,
}

#[derive(Debug, Clone)]
pub struct CrosstabSpec {
    pub rows: String,
    pub columns: String,
}

#[derive(Debug, Clone)]
pub struct CompareSpec {
    pub variable: String,
    pub groups: String,
}

#[derive(Debug, Clone)]
pub struct ScaleSpec {
    pub id: String,
    pub title: Option<Text>,
    /// Scored variables (a matrix question's name stands for all its rows).
    pub items: Vec<String>,
}

/// A pre/post comparison of the same people across two surveys (or waves).
#[derive(Debug, Clone)]
pub struct PrePostSpec {
    pub title: Option<Text>,
    /// The survey answered before (this plan's survey is the one after).
    pub before: String,
    pub link: Link,
    /// Scored variables present in both surveys (a matrix stands for all its rows).
    pub items: Vec<String>,
}

/// What identifies the same person in both surveys. Its values are only used to pair
/// responses and never appear in a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// An invitation column (a participant code): token surveys.
    Invitation(String),
    /// A question both surveys ask (a self-generated code): anonymous surveys.
    Question(String),
}

pub const DEFAULT_MIN_CELL: u64 = 5;

impl Plan {
    /// Describe every variable, with the default suppression and correction.
    pub fn default_for(survey: &Survey) -> Plan {
        Plan {
            survey: survey.id.clone(),
            file: None,
            title: None,
            describe: None,
            crosstabs: Vec::new(),
            comparisons: Vec::new(),
            scales: Vec::new(),
            prepost: Vec::new(),
            min_cell: DEFAULT_MIN_CELL,
            correction: Correction::Holm,
        }
    }
}
