//! A page of questions: progress, notices, the GOV.UK-style error summary, the
//! questions, and the buttons (Continue, Back, Save and finish later).

use maud::{Markup, html};

use super::fields::{self, FieldCtx};
use super::layout::{self, LanguageSwitch, PAGE_FORM, Shell};
use super::paragraphs;
use crate::i18n;
use crate::survey::applies_when::applies_when;
use crate::survey::client::show_if_json;
use crate::survey::flow::Progress;
use crate::survey::form::{FieldError, FormInput, is_shown};
use crate::survey::model::{Access, Page, Question};
use crate::survey::{Answers, Lang, Survey};

pub struct FormPage<'a> {
    pub survey: &'a Survey,
    pub page_index: usize,
    pub lang: Lang,
    pub csrf: &'a str,
    /// What the inputs show: saved answers, or what was just submitted.
    pub values: &'a FormInput,
    pub errors: &'a [FieldError],
    /// A message above the form (session expired, storage unavailable).
    pub notice: Option<&'a str>,
    /// The response's saved answers, which decide conditions on earlier answers.
    pub answers: &'a Answers,
    pub progress: Progress,
    pub is_last: bool,
    pub can_go_back: bool,
    /// Opened from the review page: Continue returns there.
    pub from_review: bool,
}

enum Visibility {
    Shown,
    /// Depends on an answer on this same page: the server decides on submit; the script
    /// shows and hides it live from the JSON condition.
    /// With the condition in words, for pages seen without the script.
    Conditional(String, String),
    Hidden,
}

fn visibility(page: &Page, q: &Question, answers: &Answers, lang: Lang) -> Visibility {
    let Some(cond) = &q.show_if else {
        return Visibility::Shown;
    };
    match show_if_json(page, &cond.expr, answers) {
        Some(json) => Visibility::Conditional(json, applies_when(page, &cond.expr, lang)),
        None if is_shown(q, answers) => Visibility::Shown,
        None => Visibility::Hidden,
    }
}

pub fn url(survey: &Survey, page: &Page, from_review: bool) -> String {
    let base = format!("/s/{}/p/{}", survey.id, page.id);
    if from_review {
        format!("{base}?review=1")
    } else {
        base
    }
}

pub fn render(p: &FormPage<'_>) -> Markup {
    let survey = p.survey;
    let page = &survey.pages[p.page_index];
    let ui = i18n::ui(p.lang);
    let survey_title = survey.title.get(p.lang);
    let heading = page.title.as_ref().map_or(survey_title, |t| t.get(p.lang));
    let mut title = if heading == survey_title {
        survey_title.to_string()
    } else {
        format!("{heading} – {survey_title}")
    };
    if !p.errors.is_empty() {
        title = format!("{}: {title}", ui.error_prefix);
    }
    let others = survey
        .languages
        .iter()
        .copied()
        .filter(|l| *l != p.lang)
        .collect();
    let shell = Shell {
        lang: p.lang,
        title: &title,
        heading: survey_title,
        languages: LanguageSwitch::Buttons(others),
        script: true,
    };
    let ctx = FieldCtx {
        lang: p.lang,
        ui,
        values: p.values,
        errors: p.errors,
    };
    let anonymous = survey.access == Access::Anonymous;
    layout::page(
        &shell,
        html! {
            @if p.progress.at_most > 1 {
                div.progress {
                    p #progress-text { (ui.step(p.progress)) }
                    progress max=(p.progress.at_most) value=(p.progress.current) aria-labelledby="progress-text" {}
                }
            }
            @if let Some(notice) = p.notice {
                div.notice role="alert" { p { (notice) } }
            }
            @if !p.errors.is_empty() {
                (error_summary(p, ui))
            }
            h1 { (heading) }
            @if p.page_index == 0 {
                @if let Some(intro) = &survey.intro { div.intro { (paragraphs(intro.get(p.lang))) } }
            }
            @if let Some(intro) = &page.intro { div.intro { (paragraphs(intro.get(p.lang))) } }
            form #(PAGE_FORM) method="post" action=(url(survey, page, p.from_review)) novalidate {
                input type="hidden" name="_csrf" value=(p.csrf);
                @for q in &page.questions {
                    @match visibility(page, q, p.answers, p.lang) {
                        Visibility::Shown => (fields::question(q, &ctx, None)),
                        Visibility::Conditional(json, when) => (fields::question(q, &ctx, Some((&json, &when)))),
                        Visibility::Hidden => {},
                    }
                }
                div.actions {
                    button.primary type="submit" name="_action" value="next" { (if p.is_last && !survey.review { ui.submit } else { ui.next }) }
                    @if p.can_go_back {
                        button.secondary type="submit" name="_action" value="back" { (ui.back) }
                    }
                }
                @if anonymous {
                    div.later {
                        button.link type="submit" name="_action" value="save" { (ui.save_later) }
                    }
                } @else {
                    p.later.hint { (ui.token_resume_hint) }
                }
            }
            @if anonymous && p.page_index == 0 && p.progress.current == 1 {
                p.resume-link { a href={ "/s/" (survey.id) "/resume" } { (ui.have_code) } }
            }
        },
    )
}

fn error_summary(p: &FormPage<'_>, ui: &i18n::Ui) -> Markup {
    let page = &p.survey.pages[p.page_index];
    html! {
        div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
            h2 #error-summary-title { (ui.error_summary_title) }
            ul {
                @for e in p.errors {
                    @if let Some(q) = page.questions.iter().find(|q| q.id == e.question) {
                        li { a href={ "#" (fields::error_target(q, e.part.as_deref())) } { (ui.problem_for(q, &e.problem, true)) } }
                    }
                }
            }
        }
    }
}
