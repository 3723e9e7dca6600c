//! How a `yesno` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, input_id, radio};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::YesNo {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, yes_no(q, ctx))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, Some("1"))
    }
}

fn yes_no(q: &Question, ctx: &FieldCtx<'_>) -> Markup {
    html! {
        div.options.inline {
            (radio(q, &q.id, "1", ctx.ui.yes, ctx))
            (radio(q, &q.id, "0", ctx.ui.no, ctx))
        }
    }
}
