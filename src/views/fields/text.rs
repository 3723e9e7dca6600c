//! How a `text` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, input_id};
use crate::survey::model::Question;
use crate::survey::types;

impl Widget for types::Text {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.labelled(
            q,
            ctx,
            text(
                q,
                ctx,
                frame.d,
                self.autocomplete.as_deref(),
                self.max_length,
            ),
        )
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        // Long limits are not worth a hint.
        if self.max_length < 500 {
            out.push(ctx.ui.max_chars(self.max_length));
        }
    }

    fn error_target(&self, q: &Question, _part: Option<&str>) -> String {
        input_id(q, None)
    }
}

/// A one-line text box; a live counter (script) only for limits worth watching (the hint
/// states them).
fn text(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    autocomplete: Option<&str>,
    max_length: usize,
) -> Markup {
    let t = ctx.ui.counter_templates();
    let counted = (max_length < 500).then_some(max_length);
    html! {
        input.text type="text" id=(input_id(q, None)) name=(q.id) value=(ctx.value(&q.id)) autocomplete=[autocomplete]
            spellcheck="true" required[q.required] aria-describedby=[d.aria] aria-invalid=[d.invalid()]
            data-max-chars=[counted] data-chars-left-one=[counted.map(|_| t[0].1)] data-chars-left-few=[counted.map(|_| t[1].1)]
            data-chars-left-many=[counted.map(|_| t[2].1)] data-chars-over=[counted.map(|_| t[3].1)];
    }
}
