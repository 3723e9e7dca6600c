//! How a `textarea` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Textarea {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(q, ctx, textarea(q, ctx, frame.d, self.max_length))
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        out.push(ctx.ui.max_chars(self.max_length));
    }

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

fn textarea(q: &Question, ctx: &FieldCtx<'_>, d: &Described<'_>, max_length: usize) -> Markup {
    let t = ctx.ui.counter_templates();
    html! {
        textarea id=(input_id(q, None)) name=(q.id) rows="5" spellcheck="true" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()]
            data-max-chars=(max_length) data-chars-left-one=(t[0].1) data-chars-left-few=(t[1].1) data-chars-left-many=(t[2].1) data-chars-over=(t[3].1) { (ctx.value(&q.id)) }
    }
}
