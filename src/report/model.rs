//! The computed report: what every rendering (HTML, Markdown, JSON, the staff page)
//! shows. Counts and percentages went through small-cell suppression; groups, pre/post
//! blocks and scale items too small to describe safely have no statistics (the rules are
//! in docs/analysis.md, "What is published").

use analysis::crosstab::{ChiSquareTest, FisherTest};
use analysis::descriptives::Descriptives;
use analysis::groups::{KruskalWallis, MannWhitneyU, OneWayAnova, WelchTTest};
use analysis::paired::PrePostComparison;
use analysis::reliability::{ItemStatistics, ScaleReliability};
use analysis::suppress::{Cell, PercentCell};
use serde::Serialize;

use super::plan::Correction;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub survey: String,
    pub title: String,
    /// The questionnaire's own title (the report's may be the plan's).
    pub survey_title: String,
    /// Invitations sent, where the survey has any (set by the caller: storage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invited: Option<u64>,
    /// The day the report was made (ISO date; set by the caller: the clock).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub produced: Option<String>,
    pub language: String,
    /// The plan file, or none for the default plan.
    pub plan: Option<String>,
    /// Complete responses analysed (the group's size in a filtered view).
    pub responses: Cell,
    /// The filter applied (`variable = label`), if any.
    pub filter: Option<String>,
    pub min_cell: u64,
    pub correction: Correction,
    /// Complete responses per day, week or month (in the survey's time zone); not in
    /// filtered views.
    pub timeline: Option<Timeline>,
    pub sections: Vec<Section>,
}

/// Responses over time, in the finest periods whose counts are all at least the
/// threshold (days, else weeks, else months, merged where one is still below it).
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub period: Period,
    pub points: Vec<PeriodCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Day,
    Week,
    Month,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodCount {
    /// The first day of the period (ISO date).
    pub start: String,
    /// For months merged until they hold enough responses: the first day of the last
    /// month included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    pub count: Cell,
}

/// The published statistics of a number: an order statistic is absent where too few
/// values lie on either side of it, everything is absent for too small a group (the
/// counts are published beside it, audited).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub q1: Option<f64>,
    pub q3: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

impl From<Descriptives> for Summary {
    fn from(d: Descriptives) -> Summary {
        Summary {
            mean: d.mean,
            sd: d.sd,
            median: d.median,
            q1: d.q1,
            q3: d.q3,
            min: d.min,
            max: d.max,
        }
    }
}

/// Cronbach's alpha of a scale with its item statistics (the counts of respondents
/// used and dropped are published beside it, audited).
#[derive(Debug, Clone, Serialize)]
pub struct Alpha {
    pub items: usize,
    pub alpha: Option<f64>,
    pub item_statistics: Vec<ItemStatistics>,
}

impl From<ScaleReliability> for Alpha {
    fn from(r: ScaleReliability) -> Alpha {
        Alpha {
            items: r.items,
            alpha: r.alpha,
            item_statistics: r.item_statistics,
        }
    }
}

/// One row of a published frequency table.
#[derive(Debug, Clone, Serialize)]
pub struct FrequencyRow {
    pub code: String,
    pub label: String,
    pub count: Cell,
    /// Percent of those who answered; suppressed with the count.
    pub percent: Option<PercentCell>,
    /// Wilson 95 % interval in percent; absent for suppressed rows.
    pub ci95: Option<(f64, f64)>,
}

/// A scale item (Likert question or matrix row).
#[derive(Debug, Clone, Serialize)]
pub struct ScaleItem {
    pub name: String,
    pub label: String,
    pub n: Cell,
    pub missing: Cell,
    pub distribution: Vec<FrequencyRow>,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub median: Option<f64>,
    pub top2_percent: Option<f64>,
}

/// One group of a comparison.
#[derive(Debug, Clone, Serialize)]
pub struct GroupStats {
    pub label: String,
    pub n: Cell,
    /// Absent for groups below the threshold.
    pub stats: Option<Summary>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TwoGroupTests {
    pub welch: Option<WelchTTest>,
    pub mann_whitney: Option<MannWhitneyU>,
    pub cohens_d: Option<f64>,
    pub hedges_g: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ManyGroupTests {
    pub anova: Option<OneWayAnova>,
    pub kruskal_wallis: Option<KruskalWallis>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PrePostItem {
    pub name: String,
    pub label: String,
    pub comparison: PrePostComparison,
    /// The paired t-test's p adjusted over the block's items.
    pub p_adjusted: Option<f64>,
    pub wilcoxon_p_adjusted: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Section {
    Numeric {
        name: String,
        label: String,
        n: Cell,
        missing: Cell,
        stats: Summary,
    },
    Frequencies {
        name: String,
        label: String,
        n: Cell,
        missing: Cell,
        rows: Vec<FrequencyRow>,
    },
    /// Several respondents' ticks: percent of respondents (CI) and of all ticks.
    MultiChoice {
        name: String,
        label: String,
        respondents: Cell,
        missing: Cell,
        rows: Vec<FrequencyRow>,
        percent_of_responses: Vec<Option<PercentCell>>,
    },
    /// A Likert question or a matrix of scale items on one scale.
    Scale {
        name: String,
        label: String,
        scale: Vec<String>,
        items: Vec<ScaleItem>,
    },
    Text {
        name: String,
        label: String,
        answered: Cell,
    },
    Crosstab(CrosstabSection),
    Comparison(ComparisonSection),
    Reliability(ReliabilitySection),
    PrePost(PrePostSection),
}

/// Two categorical variables crossed, with their tests.
#[derive(Debug, Clone, Serialize)]
pub struct CrosstabSection {
    pub rows: String,
    pub columns: String,
    pub row_labels: Vec<String>,
    pub column_labels: Vec<String>,
    /// The grand total, unless a row total is suppressed (it would give that back).
    pub n: Option<u64>,
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    pub row_percents: Vec<Vec<Option<PercentCell>>>,
    pub chi_square: Option<ChiSquareTest>,
    pub fisher: Option<FisherTest>,
    pub p_adjusted: Option<f64>,
}

/// A numeric variable compared across groups.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonSection {
    pub variable: String,
    pub groups_by: String,
    pub groups: Vec<GroupStats>,
    pub two: Option<TwoGroupTests>,
    pub many: Option<ManyGroupTests>,
    pub p_adjusted: Option<f64>,
}

/// A scale's internal consistency and the score of its items.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilitySection {
    pub id: String,
    pub title: String,
    pub item_labels: Vec<String>,
    /// Respondents with every item answered, and the others (audited together).
    pub n: Cell,
    pub dropped: Cell,
    /// Absent when too few respondents answered every item.
    pub reliability: Option<Alpha>,
    pub score: Summary,
}

/// Linked respondents before and after, item by item.
#[derive(Debug, Clone, Serialize)]
pub struct PrePostSection {
    pub title: String,
    pub before: String,
    /// Respondents after whose link matched a respondent before.
    pub linked: Cell,
    /// Respondents after without a match (or with a link used twice).
    pub unlinked: Cell,
    pub scale: Vec<String>,
    pub items: Vec<PrePostItem>,
    /// Items not shown: too few people answered them on both sides.
    pub withheld: Vec<String>,
    /// The mean of all items per person, before and after (with two or more items).
    pub overall: Option<PrePostComparison>,
}
