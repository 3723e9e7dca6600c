//! How a `dropdown` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::model::{ChoiceList, Question};
use crate::survey::types;

impl Widget for types::Dropdown {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(q, ctx, dropdown(q, ctx, frame.d, &self.options))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

fn dropdown(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>, options: &ChoiceList) -> Markup {
    html! {
        select id=(input_id(q, None)) name=(q.id) required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()] {
            option value="" { (ctx.ui.choose) }
            @for c in &options.options {
                option value=(c.value) selected[ctx.value(&q.id) == c.value] { (ctx.text(&c.label)) }
            }
        }
    }
}
