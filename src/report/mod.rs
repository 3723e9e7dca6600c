//! Evaluation reports: analysis plans (what to compute per survey), the table of
//! analysis variables built from responses, the computed report (statistics from the
//! `analysis` crate with small-cell suppression) and its renderings (HTML, Markdown,
//! JSON) with charts. Pure: callers load the responses.

pub mod compute;
pub mod model;
pub mod plan;
pub mod plan_load;
pub mod variables;
