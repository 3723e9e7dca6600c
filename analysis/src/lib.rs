//! Evaluation-study statistics for anketa: descriptives, frequency and Likert tables,
//! crosstabs, group and pre/post comparisons, reliability, effect sizes, multiple-testing
//! correction, small-cell suppression with a disclosure audit, and charts. Pure Rust on
//! in-memory data: no web or database code, so it can be used and tested alone.
//!
//! Missing values: every function states how it treats them. Functions that summarise one
//! variable take `Option`s and report how many were missing; tests take only the values
//! they use (callers drop missing values, pairwise or listwise as each function says).

#![forbid(unsafe_code)]

pub mod audit;
pub mod charts;
pub mod crosstab;
pub mod descriptives;
pub mod effect;
pub mod frequencies;
pub mod groups;
pub mod likert;
pub mod multiple;
pub mod paired;
pub mod reliability;
mod sample;
pub mod suppress;
pub mod table;
