//! How a `date` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Date {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(q, ctx, date(q, ctx, frame.d))
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        out.push(ctx.ui.date_hint.to_string());
    }

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

/// A text box for a date, in the page's language (`16. 1. 2024`, `16 January 2024`) as
/// its hint asks: a browser's date picker shows the format of the browser's own locale,
/// which need not be the page's. A stored date (ISO) is shown in the language's form;
/// what the respondent typed is shown as typed.
fn date(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>) -> Markup {
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
