//! The form where a respondent types a resume code.

use maud::{Markup, html};

use super::survey_page::frame;
use crate::i18n;
use crate::survey::{Lang, Survey};

/// `problem`: what is wrong with the code typed (unknown, or not of a code's form).
pub fn page(survey: &Survey, lang: Lang, csrf: &str, typed: &str, problem: Option<&str>) -> Markup {
    let not_found = problem.is_some();
    let ui = i18n::ui(lang);
    let path = format!("/s/{}/resume", survey.id);
    frame(
        survey,
        lang,
        ui.resume_title,
        &path,
        html! {
            @if not_found {
                div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                    h2 #error-summary-title { (ui.error_summary_title) }
                    ul { li { a href="#code" { (problem.unwrap_or_default()) } } }
                }
            }
            h1 { (ui.resume_title) }
            p { (ui.resume_intro) }
            form method="post" action=(path) novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                div.q.q-error[not_found] {
                    label.q-text for="code" { (ui.resume_label) }
                    div.hint id="code-hint" { p { (ui.resume_hint) } }
                    @if let Some(problem) = problem { p.error-message id="code-error" { (problem) } }
                    input.text.code type="text" id="code" name="code" value=(typed) autocomplete="off" autocapitalize="characters" spellcheck="false"
                        aria-describedby=(if not_found { "code-hint code-error" } else { "code-hint" }) aria-invalid=[not_found.then_some("true")];
                }
                div.actions { button.primary type="submit" { (ui.next) } }
            }
        },
    )
}
