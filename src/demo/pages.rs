//! Every form page of a questionnaire rendered with one set of demo answers, as a
//! respondent would see it: for the page-size check in the tests and the benchmark's
//! page sizes (`bench/loadgen pages`).

use maud::Markup;

use crate::survey::{Survey, flow, form};
use crate::views::form_page::{FormPage, render};

/// (page id, HTML) of every page of `survey` in its first language, filled in with the
/// demo answers of `seed`, whether or not those answers would reach the page.
pub fn rendered_pages(survey: &Survey, seed: u64) -> Result<Vec<(String, Markup)>, String> {
    let demo = super::responses::responses(survey, 1, None, &mut super::rng(seed))?;
    let answers = &demo[0].answers;
    Ok(survey
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let values = form::answers_to_input(page, answers);
            let html = render(&FormPage {
                survey,
                page_index: i,
                lang: survey.languages[0],
                csrf: "0123456789012345678901234567890123456789012",
                values: &values,
                errors: &[],
                notice: None,
                answers,
                progress: flow::progress(survey, i, answers),
                is_last: flow::next_page(survey, i, answers).is_none(),
                can_go_back: flow::previous_page(survey, i, answers).is_some(),
                from_review: false,
            });
            (page.id.clone(), html)
        })
        .collect())
}
