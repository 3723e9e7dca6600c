//! Conditions for the browser: a `show_if` that depends on answers on the same page is
//! sent to the page's script as JSON, so the question can appear and disappear as the
//! respondent answers. References to earlier pages are replaced by their values
//! (partial evaluation); only fields on the page stay references. The script evaluates
//! the tree with the same three-valued logic as [`crate::survey::expr::eval`]. Without
//! JavaScript the server decides, as always.

use serde_json::{Value as Json, json};

use super::answer::Answers;
use super::expr::{self, Expr, ExprKind, Func, UnOp, Value};
use super::model::Page;

/// The JSON condition for a question on `page`, or `None` when its condition does not
/// depend on the page (the server then decides alone).
pub fn show_if_json(page: &Page, condition: &Expr, answers: &Answers) -> Option<String> {
    let on_page = |id: &str| page.questions.iter().find(|q| q.id == id);
    if !condition
        .references()
        .iter()
        .any(|(q, _, _)| on_page(q).is_some())
    {
        return None;
    }
    Some(node(condition, page, answers).to_string())
}

/// How the script reads a field of the page: its form name and kind.
fn field(page: &Page, question: &str, row: Option<&str>) -> Option<Json> {
    let q = page.questions.iter().find(|q| q.id == question)?;
    q.kind.rules().client_field(question, row)
}

fn constant(v: Value<'_>) -> Json {
    let j = match v {
        Value::Missing => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Num(n) => json!(n),
        Value::Str(s) => json!(s),
        Value::Set(items) => json!(items),
        Value::Date(d) => json!(d.to_string()),
        Value::List(items) => {
            return json!({"list": items.into_iter().map(constant).collect::<Vec<_>>()});
        }
    };
    json!({"v": j})
}

fn node(e: &Expr, page: &Page, answers: &Answers) -> Json {
    match &e.kind {
        ExprKind::Ref { question, row } => match field(page, question, row.as_deref()) {
            Some(f) => f,
            None => constant(expr::eval(e, answers)),
        },
        ExprKind::Call { func, arg } => {
            let ExprKind::Ref { question, row } = &arg.kind else {
                return constant(Value::Missing);
            };
            match field(page, question, row.as_deref()) {
                Some(f) => {
                    json!({"call": match func { Func::Answered => "answered", Func::Count => "count" }, "a": f})
                }
                None => constant(expr::eval(e, answers)),
            }
        }
        ExprKind::List(items) => {
            json!({"list": items.iter().map(|i| node(i, page, answers)).collect::<Vec<_>>()})
        }
        ExprKind::Unary { op, expr } => {
            let op = match op {
                UnOp::Not => "not",
                UnOp::Neg => "neg",
            };
            json!({"op": op, "a": [node(expr, page, answers)]})
        }
        ExprKind::Binary { op, lhs, rhs } => {
            json!({"op": op.symbol(), "a": [node(lhs, page, answers), node(rhs, page, answers)]})
        }
        ExprKind::Num(_) | ExprKind::Str(_) | ExprKind::Bool(_) => constant(expr::eval(e, answers)),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::answer::Answer;
    use crate::survey::load_str;

    const SRC: &str = r#"
id = "c"
title = "C"
[[page]]
id = "first"
  [[page.question]]
  id = "kind"
  type = "single"
  text = "Kind"
  options = [ { value = "town", label = "Town" }, { value = "region", label = "Region" } ]
[[page]]
id = "second"
  [[page.question]]
  id = "field_work"
  type = "yesno"
  text = "Field work?"
  [[page.question]]
  id = "reasons"
  type = "multi"
  text = "Why not?"
  options = [ { value = "capacity", label = "Capacity" } ]
  other = true
  show_if = "kind == 'town' and not field_work"
  [[page.question]]
  id = "more"
  type = "text"
  text = "More"
  show_if = "kind == 'region'"
"#;

    #[test]
    fn earlier_answers_become_constants_and_page_fields_stay_references() {
        let s = load_str(Path::new("c.toml"), SRC).survey.unwrap();
        let page = &s.pages[1];
        let mut answers = Answers::new();
        answers.insert(
            "kind".into(),
            Answer::Choice {
                value: "town".into(),
                other: None,
            },
        );
        let cond = &page.questions[1].show_if.as_ref().unwrap().expr;
        let json: Json =
            serde_json::from_str(&show_if_json(page, cond, &answers).unwrap()).unwrap();
        assert_eq!(
            json,
            json!({"op": "and", "a": [
                {"op": "==", "a": [{"v": "town"}, {"v": "town"}]},
                {"op": "not", "a": [{"f": "field_work", "k": "bool"}]},
            ]})
        );
        // A condition on earlier pages only is left to the server.
        let cond = &page.questions[2].show_if.as_ref().unwrap().expr;
        assert_eq!(show_if_json(page, cond, &answers), None);
    }
}
