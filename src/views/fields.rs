//! The input widgets of each question type, with labels, hints and errors wired for
//! assistive technology: every input has a label, groups are fieldsets with legends,
//! hints and errors are tied to inputs with `aria-describedby`.

mod consent;
mod constant_sum;
mod date;
mod dropdown;
mod email;
mod hidden;
mod likert;
mod matrix;
mod multi;
mod note;
mod number;
mod ranking;
mod rating;
mod single;
mod text;
mod textarea;
mod yes_no;

use maud::{Markup, html};

use super::paragraphs;
use crate::i18n::Ui;
use crate::survey::form::{FieldError, FormInput};
use crate::survey::model::{ChoiceList, Question, QuestionKind};
use crate::survey::{Lang, Text};

/// What every widget needs besides its question.
pub struct FieldCtx<'a> {
    pub lang: Lang,
    pub ui: &'static Ui,
    pub values: &'a FormInput,
    pub errors: &'a [FieldError],
}

impl FieldCtx<'_> {
    fn error(&self, q: &Question) -> Option<&FieldError> {
        self.errors.iter().find(|e| e.question == q.id)
    }

    fn value(&self, name: &str) -> &str {
        self.values.get(name).unwrap_or("")
    }

    fn text<'t>(&self, t: &'t Text) -> &'t str {
        t.get(self.lang)
    }
}

pub fn input_id(q: &Question, part: Option<&str>) -> String {
    match part {
        Some(p) => format!("q-{}-{p}", q.id),
        None => format!("q-{}", q.id),
    }
}

/// The element an error summary link should focus: the first input of the question,
/// or of the row or box at fault.
pub fn error_target(q: &Question, part: Option<&str>) -> String {
    match part {
        Some("other_text") => input_id(q, Some("other_text")),
        part => widget(&q.kind).error_target(q, part),
    }
}

/// The code of a list's first option (empty for an empty list).
fn first_code(list: &ChoiceList) -> String {
    list.options
        .first()
        .map(|c| c.value.clone())
        .unwrap_or_default()
}

/// How a question type is drawn on a respondent's page. Each type's impl is in its own
/// module beside this one (`fields/rating.rs`, ...).
trait Widget {
    /// The question in its frame: usually `frame.labelled` or `frame.grouped` around its
    /// inputs; a consent and a note draw their own block, a hidden question nothing.
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup;

    /// What the type adds to the question's hints (limits, formats, scale ends).
    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>);

    /// The input an error summary link focuses: the first input of the question, or of
    /// the row or box at fault (`part`). `part` is never `other_text`: [`error_target`]
    /// handles that box for every type.
    fn error_target(&self, q: &Question, part: Option<&str>) -> String;
}

/// The widget of a question's type.
fn widget(kind: &QuestionKind) -> &dyn Widget {
    match kind {
        QuestionKind::Text(t) => t,
        QuestionKind::Textarea(t) => t,
        QuestionKind::Email(t) => t,
        QuestionKind::Number(t) => t,
        QuestionKind::Single(t) => t,
        QuestionKind::Multi(t) => t,
        QuestionKind::Dropdown(t) => t,
        QuestionKind::Likert(t) => t,
        QuestionKind::Matrix(t) => t,
        QuestionKind::Rating(t) => t,
        QuestionKind::Date(t) => t,
        QuestionKind::YesNo(t) => t,
        QuestionKind::Consent(t) => t,
        QuestionKind::Ranking(t) => t,
        QuestionKind::ConstantSum(t) => t,
        QuestionKind::Note(t) => t,
        QuestionKind::Hidden(t) => t,
    }
}

/// Render one question. `show_if` is the JSON condition of a question that depends on an
/// answer on the same page, with the condition in words: it is shown indented under a
/// line saying when it applies (the script hides it while the condition does not hold)
/// and the server ignores it unless the condition holds on submit.
pub fn question(q: &Question, ctx: &FieldCtx<'_>, show_if: Option<(&str, &str)>) -> Markup {
    let inner = question_inner(q, ctx);
    match show_if {
        Some((json, when)) => html! {
            div.conditional data-show-if=(json) { p.applies-when { (when) } (inner) }
        },
        None => inner,
    }
}

fn question_inner(q: &Question, ctx: &FieldCtx<'_>) -> Markup {
    let error = ctx.error(q);
    let hints = hints(q, ctx);
    let hint_id = input_id(q, Some("hint"));
    let error_id = input_id(q, Some("error"));
    let described: Option<String> = {
        let ids: Vec<&str> = [
            (!hints.is_empty()).then_some(hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let d = Described {
        hints: &hints,
        hint_id: &hint_id,
        error: error.map(|e| ctx.ui.problem_for(q, &e.problem, false)),
        error_id: &error_id,
        aria: described.as_deref(),
    };
    let class = format!(
        "q qt-{}{}",
        q.kind.question_type().name(),
        if error.is_some() { " q-error" } else { "" }
    );
    widget(&q.kind).render(
        q,
        ctx,
        &Frame {
            class: &class,
            d: &d,
        },
    )
}

struct Described<'a> {
    hints: &'a [String],
    hint_id: &'a str,
    error: Option<String>,
    error_id: &'a str,
    aria: Option<&'a str>,
}

impl Described<'_> {
    /// `aria-invalid` of the inputs: set while the question has an error.
    fn invalid(&self) -> Option<&'static str> {
        self.error.as_ref().map(|_| "true")
    }

    fn hint_and_error(&self) -> Markup {
        html! {
            @if !self.hints.is_empty() {
                div.hint id=(self.hint_id) { @for h in self.hints { p { (h) } } }
            }
            @if let Some(e) = &self.error {
                p.error-message id=(self.error_id) { (e) }
            }
        }
    }
}

fn hints(q: &Question, ctx: &FieldCtx<'_>) -> Vec<String> {
    let mut out: Vec<String> = q.help.iter().map(|h| ctx.text(h).to_string()).collect();
    widget(&q.kind).hints(ctx, &mut out);
    out
}

fn question_text(q: &Question, ctx: &FieldCtx<'_>) -> Markup {
    html! {
        (ctx.text(&q.text))
        @if q.required { " " span.req { "(" (ctx.ui.required) ")" } }
    }
}

/// What frames a question's inputs: its CSS class and its hints and error.
struct Frame<'a> {
    class: &'a str,
    d: &'a Described<'a>,
}

impl Frame<'_> {
    /// A question with one input: a label, then hints and error, then the input.
    fn labelled(&self, q: &Question, ctx: &FieldCtx<'_>, input: Markup) -> Markup {
        html! {
            div class=(self.class) {
                label.q-text for=(input_id(q, None)) { (question_text(q, ctx)) }
                (self.d.hint_and_error())
                (input)
            }
        }
    }

    /// A question with several inputs: a fieldset whose legend is the question.
    fn grouped(&self, q: &Question, ctx: &FieldCtx<'_>, inputs: Markup) -> Markup {
        html! {
            fieldset class=(self.class) id=(input_id(q, Some("group"))) aria-describedby=[self.d.aria] {
                legend.q-text { (question_text(q, ctx)) }
                (self.d.hint_and_error())
                (inputs)
            }
        }
    }
}

fn radio(q: &Question, name: &str, value: &str, label: &str, ctx: &FieldCtx<'_>) -> Markup {
    let id = input_id(q, Some(value));
    html! {
        div.opt {
            input type="radio" id=(id) name=(name) value=(value) checked[ctx.value(name) == value] required[q.required];
            label for=(id) { (label) }
        }
    }
}

fn checkbox(q: &Question, value: &str, label: &str, ctx: &FieldCtx<'_>) -> Markup {
    let id = input_id(q, Some(value));
    html! {
        div.opt.check {
            input type="checkbox" id=(id) name=(q.id) value=(value) checked[ctx.values.contains(&q.id, value)];
            label for=(id) { (label) }
        }
    }
}

/// The text box that goes with an "other" option.
fn other_box(q: &Question, ctx: &FieldCtx<'_>) -> Markup {
    let name = format!("{}.other_text", q.id);
    let id = input_id(q, Some("other_text"));
    html! {
        div.other {
            label for=(id) { (ctx.ui.other_specify) }
            input.text type="text" id=(id) name=(name) value=(ctx.value(&name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_field_shows_and_asks_for_the_form_of_its_language() {
        let loaded = crate::survey::load_str(
            std::path::Path::new("date.toml"),
            r#"
id = "d"
title = { cs = "D", en = "D" }
languages = ["cs", "en"]
[[page]]
id = "p"
[[page.question]]
id = "start"
type = "date"
text = { cs = "Kdy", en = "When" }
"#,
        );
        let survey = loaded.survey.expect("a valid survey");
        let q = survey.question("start").expect("the question");
        let render = |lang: Lang, value: &str| {
            let values = FormInput::new(vec![("start".into(), value.into())]);
            let ctx = FieldCtx {
                lang,
                ui: crate::i18n::ui(lang),
                values: &values,
                errors: &[],
            };
            question(q, &ctx, None).into_string()
        };
        let cs = render(Lang::Cs, "2024-01-16");
        assert!(cs.contains(r#"type="text""#), "{cs}");
        assert!(cs.contains(r#"value="16. 1. 2024""#), "{cs}");
        assert!(cs.contains("Například 16. 1. 2024"), "{cs}");
        let en = render(Lang::En, "2024-01-16");
        assert!(en.contains(r#"value="16 January 2024""#), "{en}");
        assert!(en.contains("For example 16 January 2024"), "{en}");
        // What the respondent typed stays as typed, even when it is not a date.
        assert!(render(Lang::Cs, "16. 13. 2024").contains(r#"value="16. 13. 2024""#));
        // The shown forms read back as the same day.
        for shown in ["16. 1. 2024", "16 January 2024"] {
            assert_eq!(
                crate::survey::form::parse_date(shown),
                Some(time::macros::date!(2024 - 01 - 16))
            );
        }
    }
}
