//! The inputs of each question type, inside the label or fieldset that
//! [`super::question`] puts around them: one function per type, so that the markup of a
//! type is found in one place.

use maud::{Markup, html};

use super::{Described, FieldCtx, checkbox, input_id, other_box, radio};
use crate::survey::Text;
use crate::survey::answer::{OTHER, format_number};
use crate::survey::model::{ChoiceList, MatrixRow, Question};

/// A one-line text box; a live counter (script) only for limits worth watching (the hint
/// states them).
pub(super) fn text(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    autocomplete: Option<&str>,
    max_length: usize,
) -> Markup {
    let t = ctx.ui.counter_templates();
    let counted = (max_length < 500).then_some(max_length);
    html! {
        input.text type="text" id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id)) autocomplete=[autocomplete]
            spellcheck="true" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()]
            data-max-chars=[counted] data-chars-left-one=[counted.map(|_| t[0].1)] data-chars-left-few=[counted.map(|_| t[1].1)]
            data-chars-left-many=[counted.map(|_| t[2].1)] data-chars-over=[counted.map(|_| t[3].1)];
    }
}

pub(super) fn email(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>) -> Markup {
    html! {
        input.text type="email" id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id)) autocomplete="email"
            spellcheck="false" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()];
    }
}

pub(super) fn textarea(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    max_length: usize,
) -> Markup {
    let t = ctx.ui.counter_templates();
    html! {
        textarea id=(input_id(q, None)) name=(q.id) rows="5" spellcheck="true" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()]
            data-max-chars=(max_length) data-chars-left-one=(t[0].1) data-chars-left-few=(t[1].1) data-chars-left-many=(t[2].1) data-chars-over=(t[3].1) { (ctx.value(&q.id)) }
    }
}

pub(super) fn number(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    integer: bool,
    unit: Option<&Text>,
) -> Markup {
    html! {
        span.with-unit {
            input.num type="text" inputmode=(if integer { "numeric" } else { "decimal" }) id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id))
                autocomplete="off" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()];
            @if let Some(unit) = unit { span.unit { (ctx.text(unit)) } }
        }
    }
}

/// A text box for a date, in the page's language (`16. 1. 2024`, `16 January 2024`) as
/// its hint asks: a browser's date picker shows the format of the browser's own locale,
/// which need not be the page's. A stored date (ISO) is shown in the language's form;
/// what the respondent typed is shown as typed.
pub(super) fn date(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>) -> Markup {
    let typed = ctx.value(&q.id);
    let shown = match crate::survey::expr::parse_date_literal(typed) {
        Some(day) => crate::i18n::date(ctx.lang, day),
        None => typed.to_string(),
    };
    html! {
        input.date type="text" id=(input_id(q, None)) name=(q.id) value=(shown) autocomplete="off"
            spellcheck="false" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()];
    }
}

pub(super) fn dropdown(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    options: &ChoiceList,
) -> Markup {
    html! {
        select id=(input_id(q, None)) name=(q.id) required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()] {
            option value="" { (ctx.ui.choose) }
            @for c in &options.options {
                option value=(c.value) selected[ctx.value(&q.id) == c.value] { (ctx.text(&c.label)) }
            }
        }
    }
}

/// The whole consent: its text, then the tick box (the text is not the box's label).
pub(super) fn consent(
    q: &Question,
    ctx: &FieldCtx<'_>,
    class: &str,
    d: &Described<'_>,
    label: Option<&Text>,
) -> Markup {
    html! {
        div class=(class) {
            div.consent-text id=(input_id(q, Some("text"))) { (super::paragraphs(ctx.text(&q.text))) }
            (d.hint_and_error())
            div.opt.check {
                input type="checkbox" id=(input_id(q, None)) name=(q.id) value="yes" checked[ctx.value(&q.id) == "yes"] required
                    aria-describedby=(format!("{} {}", input_id(q, Some("text")), d.aria.unwrap_or(""))) aria-invalid=[d.invalid()];
                label for=(input_id(q, None)) { (label.map_or(ctx.ui.consent_default_label, |l| ctx.text(l))) }
            }
        }
    }
}

pub(super) fn single(
    q: &Question,
    ctx: &FieldCtx<'_>,
    options: &ChoiceList,
    other: Option<&Text>,
) -> Markup {
    html! {
        div.options {
            @for c in &options.options { (radio(q, &q.id, &c.value, ctx.text(&c.label), ctx)) }
            @if let Some(other) = other {
                (radio(q, &q.id, OTHER, ctx.text(other), ctx))
                (other_box(q, ctx))
            }
        }
    }
}

pub(super) fn likert(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList) -> Markup {
    html! {
        div.options.scale { @for c in &options.options { (radio(q, &q.id, &c.value, ctx.text(&c.label), ctx)) } }
    }
}

pub(super) fn yes_no(q: &Question, ctx: &FieldCtx<'_>) -> Markup {
    html! {
        div.options.inline {
            (radio(q, &q.id, "1", ctx.ui.yes, ctx))
            (radio(q, &q.id, "0", ctx.ui.no, ctx))
        }
    }
}

/// A rating scale: one row of numbers up to 0-10 (eleven points fit a 360 px phone),
/// wrapped beyond that.
pub(super) fn rating(q: &Question, ctx: &FieldCtx<'_>, min: i64, max: i64) -> Markup {
    html! {
        div.options.rating.one-row[max - min < 11] {
            @for n in min..=max { (radio(q, &q.id, &n.to_string(), &format_number(n as f64), ctx)) }
        }
    }
}

pub(super) fn multi(
    q: &Question,
    ctx: &FieldCtx<'_>,
    options: &ChoiceList,
    other: Option<&Text>,
) -> Markup {
    html! {
        div.options {
            @for c in &options.options { (checkbox(q, &c.value, ctx.text(&c.label), ctx)) }
            @if let Some(other) = other {
                (checkbox(q, OTHER, ctx.text(other), ctx))
                (other_box(q, ctx))
            }
        }
    }
}

/// A matrix has rows x options cells: each is one label around its radio (no ids and
/// `for`s to pair), and only the row's first radio has an id, for the error summary's
/// link. Rows left unanswered are marked when the question has an error.
pub(super) fn matrix(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    rows: &[MatrixRow],
    options: &ChoiceList,
) -> Markup {
    html! {
        @for row in rows {
            @let name = format!("{}.{}", q.id, row.id);
            @let missing = d.error.is_some() && ctx.value(&name).is_empty();
            fieldset.row.row-missing[missing] {
                legend { (ctx.text(&row.text)) }
                div.options.scale {
                    @for (i, c) in options.options.iter().enumerate() {
                        @let id = (i == 0).then(|| input_id(q, Some(&format!("{}-{}", row.id, c.value))));
                        label.opt {
                            input type="radio" id=[id] name=(name) value=(c.value) checked[ctx.value(&name) == c.value];
                            span { (ctx.text(&c.label)) }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn ranking(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList) -> Markup {
    html! {
        div.ranking {
            @for c in &options.options {
                @let name = format!("{}.{}", q.id, c.value);
                @let id = input_id(q, Some(&c.value));
                div.rank-item {
                    select id=(id) name=(name) {
                        option value="" { "–" }
                        @for n in 1..=options.options.len() {
                            option value=(n) selected[ctx.value(&name) == n.to_string()] { (n) }
                        }
                    }
                    label for=(id) { (ctx.text(&c.label)) }
                }
            }
        }
    }
}

/// A constant sum: one whole-number box per item, and a running total that the script
/// shows and keeps up to date (without it, the hint says what to do and the server adds
/// up on submit).
pub(super) fn constant_sum(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    items: &[MatrixRow],
    total: u32,
    unit: Option<&Text>,
) -> Markup {
    html! {
        div.points data-points-total=(total) data-points-template=(ctx.ui.points_total_template()) {
            @for item in items {
                @let name = format!("{}.{}", q.id, item.id);
                @let id = input_id(q, Some(&item.id));
                div.point-item {
                    label for=(id) { (ctx.text(&item.text)) }
                    span.with-unit {
                        input.num type="text" inputmode="numeric" id=(id) name=(name) value=(ctx.value(&name))
                            autocomplete="off" aria-describedby=[d.aria] aria-invalid=[d.invalid()];
                        @if let Some(unit) = unit { span.unit { (ctx.text(unit)) } }
                    }
                }
            }
            p.points-total aria-live="polite" hidden {}
        }
    }
}
