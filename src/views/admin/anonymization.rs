//! The page shown when an anonymized export cannot be made as it is: the anonymization
//! report (what reaching k would blank or leave out, per quasi-identifier, with the
//! groups it leaves) and an "accept the suppression and download" action in each format;
//! or, when no export is possible, why, in the words of the staff area (never a
//! command-line flag).

use maud::{Markup, html};

use super::layout;
use crate::anonymize::Report;
use crate::staff::StaffUser;
use crate::survey::Survey;

/// Why an anonymized export was not made.
pub enum Refusal<'a> {
    /// Reaching k needs suppression: accept it or not.
    Suppression(&'a Report),
    /// Fewer complete responses than k.
    TooFew { responses: u64, k: usize },
    /// The survey's pseudonyms link people, and the server has no key.
    NoKey,
    /// Anything else the anonymizer refused (its own message).
    Other(String),
}

pub fn refused(survey: &Survey, user: &StaffUser, refusal: &Refusal<'_>) -> Markup {
    let survey_id = &survey.id;
    let base = format!("/admin/surveys/{survey_id}");
    layout(
        "Anonymized export",
        None,
        html! {
            p.crumbs { a href="/admin" { "Surveys" } " › " a href=(base) { (survey_id) } " › anonymized export" }
            @match refusal {
                Refusal::Suppression(report) => (suppression(survey, user, report)),
                Refusal::TooFew { responses, k } => {
                    h1 { "No anonymized export yet" }
                    p.error role="alert" {
                        // A count below k is a small count: only who sees the data hears it.
                        @if user.can_export_identified() {
                            "The survey has " (responses) " complete response(s)."
                        } @else {
                            "The survey has fewer than " (k) " complete responses so far."
                        }
                        " An anonymized export needs at least "
                        (k) ", so that every published combination of answers that could identify someone is shared by "
                        (k) " or more people."
                    }
                },
                Refusal::NoKey => {
                    h1 { "No anonymized export on this server yet" }
                    p.error role="alert" {
                        "This survey links the same people across surveys by a keyed pseudonym, and this server has no pseudonym key. "
                        "An administrator sets one up (see “Pseudonyms” in docs/anonymization.md); then the download works."
                    }
                },
                Refusal::Other(why) => {
                    h1 { "The anonymized export was not made" }
                    p.error role="alert" { (why) }
                },
            }
            p { a href=(base) { "Back to the survey" } }
        },
    )
}

fn suppression(survey: &Survey, user: &StaffUser, r: &Report) -> Markup {
    let o = &r.outcome;
    html! {
        h1 { "Anonymized export: suppression needed" }
        p {
            "Every combination of " (r.quasi_identifiers.join(", "))
            " published must be shared by at least k = " (r.k) " responses. To reach that, "
            strong { (o.cells_blanked()) " cell(s)" } " would be left blank and "
            strong { (o.dropped) " response(s)" } " left out, of " (o.records) "."
        }
        p.actions {
            "Accept the suppression and download, in any of these formats:"
        }
        (super::downloads::list(survey, user, "?privacy=anonymized&accept_suppression=1", true))
        p { "Or ask a researcher to coarsen more in the survey's privacy rules, so that less is blanked." }
        h2 { "What would be published" }
        table {
            caption.vh { "Blank cells per quasi-identifier" }
            thead { tr { th scope="col" { "Quasi-identifier" } th.num scope="col" { "Cells left blank" } th scope="col" { "Published values (responses)" } } }
            tbody {
                @for (j, name) in r.quasi_identifiers.iter().enumerate() {
                    tr {
                        th scope="row" { (name) }
                        td.num { (o.blanked.get(j).copied().unwrap_or(0)) }
                        td {
                            @if let Some(values) = o.values.get(j) {
                                (values.iter().map(|(v, n)| format!("{} ({n})", if v.is_empty() { "blank" } else { v })).collect::<Vec<_>>().join(", "))
                            }
                        }
                    }
                }
            }
        }
        @if !r.coarsened.is_empty() {
            h2 { "Made less precise" }
            ul { @for (column, rule) in &r.coarsened { li { code { (column) } ": " (rule) } } }
        }
        @if !r.dropped.is_empty() {
            h2 { "Left out" }
            ul { @for (column, why) in &r.dropped { li { code { (column) } ": " (why) } } }
        }
        p { "Pseudonyms: " (r.pseudonyms) }
        p { a href={ "/admin/surveys/" (survey.id) "/anonymization-report.md" } download { "The full report (Markdown)" } }
    }
}
