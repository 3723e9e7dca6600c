//! How a `hidden` question is drawn: not at all (its value comes from the link).

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, input_id};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Hidden {
    fn render(&self, _q: &Question, _ctx: &FieldCtx<'_>, _frame: &Frame<'_>) -> Markup {
        html! {}
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}
