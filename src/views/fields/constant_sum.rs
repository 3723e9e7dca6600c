//! How a `constant_sum` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::Text;
use crate::survey::model::{MatrixRow, Question};
use crate::survey::types;

impl Widget for types::ConstantSum {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(
            q,
            ctx,
            constant_sum(q, ctx, frame.d, &self.items, self.total, self.unit.as_ref()),
        )
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        out.push(
            ctx.ui
                .points_hint(self.total, self.unit.as_ref().map(|u| ctx.text(u))),
        );
    }

    fn error_target(&self, q: &Question, part: Option<&str>) -> String {
        let first = self
            .items
            .first()
            .map(|i| i.id.as_str())
            .unwrap_or_default();
        input_id(q, Some(part.unwrap_or(first)))
    }
}

/// A constant sum: one whole-number box per item, and a running total that the script
/// shows and keeps up to date (without it, the hint says what to do and the server adds
/// up on submit).
fn constant_sum(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    items: &[MatrixRow],
    total: u32,
    unit: Option<&Text>,
) -> Markup {
    html! {
        div.points data-points-total=(total) data-points-template=(ctx.ui.points_total_template()) {
            @for item in items {
                @let name = format!("{}.{}", q.id, item.id);
                @let id = input_id(q, Some(&item.id));
                div.point-item {
                    label for=(id) { (ctx.text(&item.text)) }
                    span.with-unit {
                        input.num type="text" inputmode="numeric" id=(id) name=(name) value=(ctx.value(&name))
                            autocomplete="off" aria-describedby=[d.aria] aria-invalid=[d.invalid()];
                        @if let Some(unit) = unit { span.unit { (ctx.text(unit)) } }
                    }
                }
            }
            p.points-total aria-live="polite" hidden {}
        }
    }
}
