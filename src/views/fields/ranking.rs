//! How a `ranking` question is drawn: its inputs, its hints and the input an error links to.

use maud::{Markup, html};

use super::{FieldCtx, Frame, Widget, first_code, input_id};
use crate::survey::model::{ChoiceList, Question};
use crate::survey::types;

impl Widget for types::Ranking {
    fn render(&self, q: &Question, ctx: &FieldCtx<'_>, frame: &Frame<'_>) -> Markup {
        frame.grouped(q, ctx, ranking(q, ctx, &self.options))
    }

    fn hints(&self, ctx: &FieldCtx<'_>, out: &mut Vec<String>) {
        out.push(ctx.ui.rank_hint.to_string());
    }

    fn error_target(&self, q: &Question, part: Option<&str>) -> String {
        input_id(q, Some(part.unwrap_or(&first_code(&self.options))))
    }
}

fn ranking(q: &Question, ctx: &FieldCtx<'_>, options: &ChoiceList) -> Markup {
    html! {
        div.ranking {
            @for c in &options.options {
                @let name = format!("{}.{}", q.id, c.value);
                @let id = input_id(q, Some(&c.value));
                div.rank-item {
                    select id=(id) name=(name) {
                        option value="" { "–" }
                        @for n in 1..=options.options.len() {
                            option value=(n) selected[ctx.value(&name) == n.to_string()] { (n) }
                        }
                    }
                    label for=(id) { (ctx.text(&c.label)) }
                }
            }
        }
    }
}
