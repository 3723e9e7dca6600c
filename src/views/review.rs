//! The review page: every answer of the pages that apply, with a link to change each
//! page, and the final Submit.

use maud::{Markup, html};

use super::survey_page::frame;
use crate::i18n::{self, Ui};
use crate::survey::answer::{Answer, OTHER};
use crate::survey::form::is_shown;
use crate::survey::model::{ChoiceList, Question, QuestionKind};
use crate::survey::types;
use crate::survey::{Answers, Lang, Survey, Text};

pub struct Review<'a> {
    pub survey: &'a Survey,
    pub lang: Lang,
    pub csrf: &'a str,
    /// Effective answers (skip logic applied).
    pub answers: &'a Answers,
    /// Indexes of the pages that apply.
    pub pages: &'a [usize],
    /// A message above the answers (e.g. the form expired).
    pub notice: Option<&'a str>,
}

pub fn page(r: &Review<'_>) -> Markup {
    let ui = i18n::ui(r.lang);
    let survey = r.survey;
    frame(
        survey,
        r.lang,
        ui.review_title,
        &format!("/s/{}/review", survey.id),
        html! {
            @if let Some(notice) = r.notice {
                div.notice role="alert" { p { (notice) } }
            }
            h1 { (ui.review_title) }
            p { (ui.review_intro) }
            @for (n, &i) in r.pages.iter().enumerate() {
                @let page = &survey.pages[i];
                @let name = page.title.as_ref().map_or_else(|| ui.page_number(n + 1), |t| t.get(r.lang).to_string());
                section.review-page aria-labelledby={ "review-" (page.id) } {
                    div.review-head {
                        h2 id={ "review-" (page.id) } { (name) }
                        a href={ "/s/" (survey.id) "/p/" (page.id) "?review=1" } { (ui.change) span.vh { " – " (name) } }
                    }
                    dl.answers {
                        @for q in page.questions.iter().filter(|q| q.kind.is_answerable() && is_shown(q, r.answers)) {
                            dt { (question_label(q, r.lang, ui)) }
                            dd { (answer(q, r.answers.get(&q.id), r.lang, ui)) }
                        }
                    }
                }
            }
            form method="post" action={ "/s/" (survey.id) "/review" } novalidate {
                input type="hidden" name="_csrf" value=(r.csrf);
                div.actions {
                    button.primary type="submit" name="_action" value="submit" { (ui.submit) }
                    button.secondary type="submit" name="_action" value="back" { (ui.back) }
                }
            }
        },
    )
}

/// How a question is named in the list: its text, or for a consent (whose text is the
/// whole consent statement) the tick box's label.
pub fn question_label<'a>(q: &'a Question, lang: Lang, ui: &'a Ui) -> &'a str {
    match q.kind.consent() {
        Some((_, label)) => label.map_or(ui.consent_default_label, |l| l.get(lang)),
        None => q.text.get(lang),
    }
}

fn label<'a>(list: &'a ChoiceList, code: &str, other: Option<&'a Text>, lang: Lang) -> String {
    match (list.get(code), other) {
        (Some(c), _) => c.label.get(lang).to_string(),
        (None, Some(o)) if code == OTHER => o.get(lang).to_string(),
        _ => code.to_string(),
    }
}

/// An answer as words in the respondent's language.
pub fn answer(q: &Question, a: Option<&Answer>, lang: Lang, ui: &Ui) -> Markup {
    let Some(a) = a else {
        return html! { span.muted { (ui.not_answered) } };
    };
    match (&q.kind, a) {
        (
            QuestionKind::Single(types::Single { options, other }),
            Answer::Choice {
                value,
                other: typed,
            },
        ) => html! {
            (label(options, value, other.as_ref(), lang))
            @if let Some(t) = typed { ": " (t) }
        },
        (
            QuestionKind::Dropdown(types::Dropdown { options })
            | QuestionKind::Likert(types::Likert { options }),
            Answer::Choice { value, .. },
        ) => html! { (label(options, value, None, lang)) },
        (
            QuestionKind::Multi(types::Multi { options, other, .. }),
            Answer::Choices {
                values,
                other: typed,
            },
        ) => html! {
            ul { @for v in values {
                li { (label(options, v, other.as_ref(), lang)) @if v == OTHER { @if let Some(t) = typed { ": " (t) } } }
            } }
        },
        (QuestionKind::Matrix(types::Matrix { rows, options }), Answer::Matrix(given)) => html! {
            ul { @for row in rows {
                li { (row.text.get(lang)) ": " @match given.get(&row.id) {
                    Some(code) => (label(options, code, None, lang)),
                    None => span.muted { (ui.not_answered) },
                } }
            } }
        },
        (
            QuestionKind::ConstantSum(types::ConstantSum { items, unit, .. }),
            Answer::Points(points),
        ) => html! {
            ul { @for item in items {
                li { (item.text.get(lang)) ": " (points.get(&item.id).copied().unwrap_or(0))
                    @if let Some(u) = unit { " " (u.get(lang)) } }
            } }
        },
        (QuestionKind::Ranking(types::Ranking { options }), Answer::Ranking(items)) => html! {
            ol { @for code in items { li { (label(options, code, None, lang)) } } }
        },
        (QuestionKind::Number(types::Number { unit, .. }), Answer::Number(n)) => {
            html! { (i18n::number(lang, *n)) @if let Some(u) = unit { " " (u.get(lang)) } }
        }
        (_, Answer::Number(n)) => html! { (i18n::number(lang, *n)) },
        (_, Answer::Date(d)) => html! { (i18n::date(lang, *d)) },
        (_, Answer::Bool(b)) => html! { (if *b { ui.yes } else { ui.no }) },
        (QuestionKind::Consent(_), Answer::Consent { .. }) => html! { (ui.yes) },
        (_, Answer::Text(t)) => html! { span.multiline { (t) } },
        // An answer of another shape than its question's (stored under an older version
        // of the survey): shown as stored.
        (
            _,
            other @ (Answer::Choice { .. }
            | Answer::Choices { .. }
            | Answer::Matrix(_)
            | Answer::Points(_)
            | Answer::Ranking(_)
            | Answer::Consent { .. }),
        ) => html! { (format!("{other:?}")) },
    }
}
