//! How a `rating` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, input_id, radio};
use crate::survey::answer::format_number;
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Rating {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, rating(q, ctx, self.min, self.max))
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        if let Some(l) = &self.min_label {
            out.push(format!("{} = {}", self.min, ctx.text(l)));
        }
        if let Some(l) = &self.max_label {
            out.push(format!("{} = {}", self.max, ctx.text(l)));
        }
    }

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, Some(&self.min.to_string()))
    }
}

/// A rating scale: one row of numbers up to 0-10 (eleven points fit a 360 px phone),
/// wrapped beyond that.
fn rating(q: &Question, ctx: &FieldCtx<'_>, min: i64, max: i64) -> Markup {
    html! {
        div.options.rating.one-row[max - min < 11] {
            @for n in min..=max { (radio(q, &q.id, &n.to_string(), &format_number(n as f64), ctx)) }
        }
    }
}
