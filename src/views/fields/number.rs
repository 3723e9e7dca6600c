//! How a `number` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::Text;
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Number {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(
            q,
            ctx,
            number(q, ctx, frame.d, self.integer, self.unit.as_ref()),
        )
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

fn number(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    integer: bool,
    unit: Option<&Text>,
) -> Markup {
    html! {
        span.with-unit {
            input.num type="text" inputmode=(if integer { "numeric" } else { "decimal" }) id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id))
                autocomplete="off" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()];
            @if let Some(unit) = unit { span.unit { (ctx.text(unit)) } }
        }
    }
}
