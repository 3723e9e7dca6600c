//! How a `consent` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::Text;
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Consent {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        consent(q, ctx, frame.class, frame.d, self.label.as_ref())
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

/// The whole consent: its text, then the tick box (the text is not the box's label).
fn consent(
    q: &Question,
    ctx: &FieldCtx<'_>,
    class: &str,
    d: &Described<'_>,
    label: Option<&Text>,
) -> Markup {
    html! {
        div class=(class) {
            div.consent-text id=(input_id(q, Some("text"))) { (super::paragraphs(ctx.text(&q.text))) }
            (d.hint_and_error())
            div.opt.check {
                input type="checkbox" id=(input_id(q, None)) name=(q.id) value="yes" checked[ctx.value(&q.id) == "yes"] required
                    aria-describedby=(format!("{} {}", input_id(q, Some("text")), d.aria.unwrap_or(""))) aria-invalid=[d.invalid()];
                label for=(input_id(q, None)) { (label.map_or(ctx.ui.consent_default_label, |l| ctx.text(l))) }
            }
        }
    }
}
