//! Evaluation reports: analysis plans (what to compute per survey), the table of
//! analysis variables built from responses, the computed report (statistics from the
//! `analysis` crate with small-cell suppression) and its renderings (HTML, Markdown,
//! JSON) with charts. Pure: callers load the responses.

pub mod charts;
pub mod compute;
pub mod dataset;
pub mod describe;
pub mod document;
pub mod docx;
pub mod labels;
pub mod model;
pub mod plan;
pub mod plan_load;
pub mod prepost;
pub mod prose;
pub mod render;
pub mod variables;

use self::charts::Charts;
use self::dataset::Dataset;
use self::document::Block;
use self::model::Report;
use self::plan::Plan;
use crate::survey::response::Response;
use crate::survey::{Lang, Survey};

/// A computed report with its charts and layout, ready to render.
pub struct Built {
    pub report: Report,
    pub charts: Charts,
    pub blocks: Vec<Block>,
    /// The variables a report can be filtered by (choices, option attributes, invitation
    /// columns), with their categories.
    pub filters: Vec<Filter>,
}

impl Built {
    /// The front matter's facts that come from outside the responses: the invitations
    /// sent (storage) and the day it was made (the clock); the document is laid out again.
    pub fn with_context(mut self, invited: Option<u64>, produced: time::Date, lang: Lang) -> Built {
        self.report.invited = invited.filter(|&n| n > 0);
        self.report.produced = Some(produced.to_string());
        self.blocks = document::layout(&self.report, lang, &self.charts);
        self
    }
}

pub struct Filter {
    pub name: String,
    pub label: String,
    pub categories: Vec<analysis::table::Category>,
}

/// The surveys a plan needs besides its own (the "before" of its pre/post blocks).
pub fn needed_surveys(plan: &Plan) -> Vec<String> {
    let mut ids: Vec<String> = plan.prepost.iter().map(|p| p.before.clone()).collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Which of `responses` are in the group a report filter (`variable`, `code`) shows,
/// decided on the same table the report filters (answers, option attributes, invitation
/// columns and the report's own derived variables alike); `None` for a filter the report
/// does not offer.
pub fn filter_members(
    survey: &Survey,
    responses: &[Response],
    lang: Lang,
    (variable, code): (&str, &str),
) -> Option<Vec<bool>> {
    let data = Dataset::new(survey, responses, lang);
    let analysis::table::Values::Categorical {
        categories,
        codes,
        ordered: false,
    } = &data.table.get(variable)?.values
    else {
        return None;
    };
    let wanted = categories.iter().position(|c| c.code == code)?;
    Some(codes.iter().map(|c| *c == Some(wanted)).collect())
}

/// Compute and lay out the report of `plan` on `responses` (complete responses of
/// `survey`), `before` giving each needed survey with its responses. `filter` keeps the
/// rows whose variable has the given code.
pub fn build(
    plan: &Plan,
    survey: &Survey,
    responses: &[Response],
    before: &[(&Survey, &[Response])],
    lang: Lang,
    filter: Option<(&str, &str)>,
) -> Built {
    let data = Dataset::new(survey, responses, lang);
    let before: Vec<Dataset<'_>> = before
        .iter()
        .map(|(s, r)| {
            // Only the items the plan's pre/post blocks compare.
            let items: Vec<&str> = plan
                .prepost
                .iter()
                .filter(|p| p.before == s.id)
                .flat_map(|p| p.items.iter().map(String::as_str))
                .collect();
            Dataset::with(s, r, lang, |spec| items.contains(&spec.name.as_str()))
        })
        .collect();
    let report = compute::compute(plan, &data, &before, lang, filter);
    let filters = data
        .table
        .variables()
        .iter()
        .filter_map(|v| match &v.values {
            analysis::table::Values::Categorical {
                categories,
                ordered: false,
                ..
            } => Some(Filter {
                name: v.name.clone(),
                label: v.label.clone(),
                categories: categories.clone(),
            }),
            _ => None,
        })
        .collect();
    let charts = Charts::of(&report, lang);
    let blocks = document::layout(&report, lang, &charts);
    Built {
        report,
        charts,
        blocks,
        filters,
    }
}

#[cfg(test)]
mod plan_tests;
