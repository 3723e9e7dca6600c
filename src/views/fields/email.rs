//! How an `email` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Email {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(q, ctx, email(q, ctx, frame.d))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

fn email(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>) -> Markup {
    html! {
        input.text type="email" id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id)) autocomplete="email"
            spellcheck="false" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()];
    }
}
