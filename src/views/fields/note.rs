//! How a `note` is drawn: its text only, with no inputs or hints.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, input_id, paragraphs};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Note {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        html! { div class=(frame.class) id=(input_id(q, None)) { (paragraphs(ctx.text(&q.text))) } }
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}
