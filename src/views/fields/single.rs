//! How a `single` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, first_code, input_id, other_box, radio};
use crate::survey::Text;
use crate::survey::answer::OTHER;
use crate::survey::model::{ChoiceList, Question};
use crate::survey::types;

impl Widget for types::Single {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, single(q, ctx, &self.options, self.other.as_ref()))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, Some(&first_code(&self.options)))
    }
}

fn single(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList, other: Option<&Text>) -> Markup {
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
