//! The page shown when an anonymized export is refused: why (k not reached without
//! suppression, too few responses, no pseudonym key) and what can be done.

use maud::{Markup, html};

use super::layout;

pub fn refused(survey_id: &str, reason: &str) -> Markup {
    layout(
        "Anonymized export refused",
        None,
        html! {
            h1 { "The anonymized export was not made" }
            p.error { (reason) }
            p {
                a href={ "/admin/surveys/" (survey_id) "/anonymization-report.md" } {
                    "See what suppression would do (anonymization report)"
                }
            }
            p {
                "If the report is acceptable, download with suppression: "
                a href={ "/admin/surveys/" (survey_id) "/export.csv?privacy=anonymized&accept_suppression=1" } download { "CSV" } " · "
                a href={ "/admin/surveys/" (survey_id) "/export/xlsx?privacy=anonymized&accept_suppression=1" } download { "Excel" }
                ". Or ask a researcher to coarsen more in the survey's [privacy.coarsen] rules."
            }
            p { a href={ "/admin/surveys/" (survey_id) } { "Back to the survey" } }
        },
    )
}
