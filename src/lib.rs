//! anketa: survey, interview and evaluation data collection.
//!
//! The crate is split into a pure core ([`survey`]) and the layers around it:
//! storage, the web app, exports and the command line.

pub mod accounts;
pub mod anonymize;
pub mod app;
pub mod cli;
pub mod dashboard;
pub mod demo;
pub mod disclosure;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod import;
pub mod interview;
pub mod invite;
pub mod passwords;
pub mod report;
pub mod response_filter;
pub mod staff;
pub mod store;
pub mod survey;
pub mod tokens;
pub mod two_factor;
pub mod views;
pub mod web;
