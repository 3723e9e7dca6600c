//! How a `matrix` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{Described, FieldCtx, Frame, Widget, first_code, input_id};
use crate::survey::model::{ChoiceList, MatrixRow, Question};
use crate::survey::types;

impl Widget for types::Matrix {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, matrix(q, ctx, frame.d, &self.rows, &self.options))
    }

    fn hints(&self, _ctx: &FieldCtx<'_>, _out: &mut Vec<String>) {}

    fn error_target(&self, q: &Question, part: Option<&str>) -> String {
        let row = part
            .map(str::to_string)
            .or_else(|| self.rows.first().map(|r| r.id.clone()))
            .unwrap_or_default();
        input_id(q, Some(&format!("{row}-{}", first_code(&self.options))))
    }
}

/// A matrix has rows x options cells: each is one label around its radio (no ids and
/// `for`s to pair), and only the row's first radio has an id, for the error summary's
/// link. Rows left unanswered are marked when the question has an error.
fn matrix(
    q: &Question,
    ctx: &FieldCtx<'_>,
    d: &Described<'_>,
    rows: &[MatrixRow],
    options: &ChoiceList,
) -> Markup {
    html! {
        @for row in rows {
            @let name = format!("{}.{}", q.id, row.id);
            @let missing = d.error.is_some() && ctx.value(&name).is_empty();
            fieldset.row.row-missing[missing] {
                legend { (ctx.text(&row.text)) }
                div.options.scale {
                    @for (i, c) in options.options.iter().enumerate() {
                        @let id = (i == 0).then(|| input_id(q, Some(&format!("{}-{}", row.id, c.value))));
                        label.opt {
                            input type="radio" id=[id] name=(name) value=(c.value) checked[ctx.value(&name) == c.value];
                            span { (ctx.text(&c.label)) }
                        }
                    }
                }
            }
        }
    }
}
