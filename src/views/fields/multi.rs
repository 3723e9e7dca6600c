//! How a `multi` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, checkbox, first_code, input_id, other_box};
use crate::survey::Text;
use crate::survey::answer::OTHER;
use crate::survey::model::{ChoiceList, Question};
use crate::survey::types;

impl Widget for types::Multi {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, multi(q, ctx, &self.options, self.other.as_ref()))
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        out.extend(ctx.ui.select_limits(self.min, self.max));
    }

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, Some(&first_code(&self.options)))
    }
}

fn multi(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList, other: Option<&Text>) -> Markup {
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
