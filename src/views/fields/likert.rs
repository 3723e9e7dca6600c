//! How a `likert` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, first_code, input_id, radio};
use crate::survey::model::{ChoiceList, Question};
use crate::survey::types;

impl Widget for types::Likert {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, likert(q, ctx, &self.options))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, Some(&first_code(&self.options)))
    }
}

fn likert(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList) -> Markup {
    html! {
        div.options.scale { @for c in &options.options { (radio(q, &q.id, &c.value, ctx.text(&c.label), ctx)) } }
    }
}
