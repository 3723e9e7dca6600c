//! Evaluation of expressions against a response's answers, in three-valued logic:
//! anything that involves an unanswered question is *unknown* ([`Value::Missing`]).
//! `show_if` shows a question only when its condition is true; a `validate` rule
//! fails only when it is false.

use std::borrow::Cow;

use super::ast::{BinOp, Expr, ExprKind, Func, UnOp};
use super::check::parse_date;
use crate::survey::answer::{Answer, Answers};

/// Where evaluation reads answers from.
pub trait AnswerSource {
    fn answer(&self, question: &str) -> Option<&Answer>;

    /// Whether this source knows if `question` was answered. Static analysis uses
    /// sources that do not, so even `answered(q)` is unknown there.
    fn is_known(&self, _question: &str) -> bool {
        true
    }
}

impl AnswerSource for Answers {
    fn answer(&self, question: &str) -> Option<&Answer> {
        self.get(question)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Missing,
    Bool(bool),
    Num(f64),
    Str(Cow<'a, str>),
    Set(Vec<&'a str>),
    Date(time::Date),
    List(Vec<Value<'a>>),
}

impl Value<'_> {
    fn as_num(&self) -> Option<f64> {
        match self {
            Value::Num(n) => Some(*n),
            Value::Str(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    fn as_date(&self) -> Option<time::Date> {
        match self {
            Value::Date(d) => Some(*d),
            Value::Str(s) => parse_date(s),
            _ => None,
        }
    }
}

/// Evaluate a condition: `Some(true)`, `Some(false)`, or `None` when unknown.
pub fn eval_condition(expr: &Expr, answers: &dyn AnswerSource) -> Option<bool> {
    match eval(expr, answers) {
        Value::Bool(b) => Some(b),
        _ => None,
    }
}

pub fn eval<'a>(expr: &'a Expr, answers: &'a dyn AnswerSource) -> Value<'a> {
    match &expr.kind {
        ExprKind::Num(n) => Value::Num(*n),
        ExprKind::Str(s) => Value::Str(Cow::Borrowed(s)),
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::List(items) => Value::List(items.iter().map(|i| eval(i, answers)).collect()),
        ExprKind::Ref { question, row } => reference(answers.answer(question), row.as_deref()),
        ExprKind::Call { func, arg } => {
            let ExprKind::Ref { question, row } = &arg.kind else {
                return Value::Missing;
            };
            if !answers.is_known(question) {
                return Value::Missing;
            }
            let answer = answers.answer(question);
            match func {
                // A question made of parts is answered once any part is (its whole has
                // no single value to look at).
                Func::Answered => Value::Bool(match (answer, row) {
                    (Some(Answer::Matrix(rows)), None) => !rows.is_empty(),
                    (Some(Answer::Points(points)), None) => !points.is_empty(),
                    (answer, row) => !matches!(reference(answer, row.as_deref()), Value::Missing),
                }),
                Func::Count => Value::Num(match answer {
                    Some(Answer::Choices { values, .. }) => values.len(),
                    Some(Answer::Ranking(items)) => items.len(),
                    Some(Answer::Matrix(rows)) => rows.len(),
                    Some(Answer::Points(points)) => points.values().filter(|&&p| p > 0).count(),
                    Some(_) => 1,
                    None => 0,
                } as f64),
            }
        }
        ExprKind::Unary {
            op: UnOp::Not,
            expr,
        } => match eval(expr, answers) {
            Value::Bool(b) => Value::Bool(!b),
            _ => Value::Missing,
        },
        ExprKind::Unary {
            op: UnOp::Neg,
            expr,
        } => match eval(expr, answers).as_num() {
            Some(n) => Value::Num(-n),
            None => Value::Missing,
        },
        ExprKind::Binary {
            op: BinOp::And,
            lhs,
            rhs,
        } => match (eval(lhs, answers), eval(rhs, answers)) {
            (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
            (Value::Bool(true), Value::Bool(true)) => Value::Bool(true),
            _ => Value::Missing,
        },
        ExprKind::Binary {
            op: BinOp::Or,
            lhs,
            rhs,
        } => match (eval(lhs, answers), eval(rhs, answers)) {
            (Value::Bool(true), _) | (_, Value::Bool(true)) => Value::Bool(true),
            (Value::Bool(false), Value::Bool(false)) => Value::Bool(false),
            _ => Value::Missing,
        },
        ExprKind::Binary { op, lhs, rhs } => binary(*op, eval(lhs, answers), eval(rhs, answers)),
    }
}

fn reference<'a>(answer: Option<&'a Answer>, row: Option<&str>) -> Value<'a> {
    let Some(answer) = answer else {
        return Value::Missing;
    };
    match (answer, row) {
        (Answer::Matrix(rows), Some(row)) => match rows.get(row) {
            Some(code) => Value::Str(Cow::Borrowed(code)),
            None => Value::Missing,
        },
        (Answer::Points(points), Some(item)) => match points.get(item) {
            Some(&p) => Value::Num(f64::from(p)),
            None => Value::Missing,
        },
        (_, Some(_)) | (Answer::Matrix(_) | Answer::Points(_), None) => Value::Missing,
        (Answer::Text(s), None) => Value::Str(Cow::Borrowed(s)),
        (Answer::Number(n), None) => Value::Num(*n),
        (Answer::Choice { value, .. }, None) => Value::Str(Cow::Borrowed(value)),
        (Answer::Choices { values, .. }, None) => {
            Value::Set(values.iter().map(String::as_str).collect())
        }
        (Answer::Ranking(items), None) => Value::Set(items.iter().map(String::as_str).collect()),
        (Answer::Date(d), None) => Value::Date(*d),
        (Answer::Bool(b), None) => Value::Bool(*b),
        (Answer::Consent { .. }, None) => Value::Bool(true),
    }
}

fn binary(op: BinOp, l: Value<'_>, r: Value<'_>) -> Value<'static> {
    if l == Value::Missing || r == Value::Missing {
        return Value::Missing;
    }
    match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
            let (Some(a), Some(b)) = (l.as_num(), r.as_num()) else {
                return Value::Missing;
            };
            let v = match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                _ if b == 0.0 => return Value::Missing,
                _ => a / b,
            };
            Value::Num(v)
        }
        BinOp::Eq => equal(&l, &r).map_or(Value::Missing, Value::Bool),
        BinOp::Ne => equal(&l, &r).map_or(Value::Missing, |b| Value::Bool(!b)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = match (&l, &r) {
                (Value::Date(_), _) | (_, Value::Date(_)) => {
                    l.as_date().zip(r.as_date()).map(|(a, b)| a.cmp(&b))
                }
                _ => l
                    .as_num()
                    .zip(r.as_num())
                    .and_then(|(a, b)| a.partial_cmp(&b)),
            };
            let Some(ord) = ord else {
                return Value::Missing;
            };
            Value::Bool(match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::Le => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        BinOp::In => match &r {
            Value::Set(items) => match &l {
                Value::Str(s) => Value::Bool(items.contains(&s.as_ref())),
                _ => Value::Missing,
            },
            Value::List(items) => {
                let mut unknown = false;
                for item in items {
                    match equal(&l, item) {
                        Some(true) => return Value::Bool(true),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                if unknown {
                    Value::Missing
                } else {
                    Value::Bool(false)
                }
            }
            _ => Value::Missing,
        },
        BinOp::And | BinOp::Or => unreachable!("handled with short-circuit logic in eval"),
    }
}

fn equal(l: &Value<'_>, r: &Value<'_>) -> Option<bool> {
    match (l, r) {
        (Value::Str(a), Value::Str(b)) => Some(a == b),
        (Value::Bool(a), Value::Bool(b)) => Some(a == b),
        (Value::Date(_), _) | (_, Value::Date(_)) => {
            l.as_date().zip(r.as_date()).map(|(a, b)| a == b)
        }
        _ => l.as_num().zip(r.as_num()).map(|(a, b)| a == b),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    fn answers() -> Answers {
        let mut a = Answers::new();
        a.insert(
            "role".into(),
            Answer::Choice {
                value: "other".into(),
                other: None,
            },
        );
        a.insert(
            "agree".into(),
            Answer::Choice {
                value: "4".into(),
                other: None,
            },
        );
        a.insert("age".into(), Answer::Number(40.0));
        a.insert("years".into(), Answer::Number(30.0));
        a.insert(
            "topics".into(),
            Answer::Choices {
                values: vec!["law".into(), "debt".into()],
                other: None,
            },
        );
        a.insert(
            "m".into(),
            Answer::Matrix([("a".to_string(), "2".to_string())].into()),
        );
        a.insert(
            "born".into(),
            Answer::Date(time::macros::date!(1990 - 05 - 01)),
        );
        a.insert("project".into(), Answer::Bool(false));
        a
    }

    fn ev(src: &str) -> Option<bool> {
        eval_condition(&parse(src).unwrap(), &answers())
    }

    #[test]
    fn comparisons_on_answered_questions() {
        assert_eq!(ev("role == 'other'"), Some(true));
        assert_eq!(ev("role != 'other'"), Some(false));
        assert_eq!(ev("agree >= 4 and agree == 4"), Some(true));
        assert_eq!(ev("years <= age - 15"), Some(false));
        assert_eq!(ev("years <= age - 10"), Some(true));
        assert_eq!(ev("'law' in topics and not ('tax' in topics)"), Some(true));
        assert_eq!(ev("role in ['mas', 'other']"), Some(true));
        assert_eq!(
            ev("count(topics) == 2 and count(m) == 1 and count(nothing) == 0"),
            Some(true)
        );
        assert_eq!(ev("m.a == '2' and m.a > 1"), Some(true));
        assert_eq!(ev("born < '2000-01-01'"), Some(true));
        assert_eq!(ev("not project"), Some(true));
        assert_eq!(ev("age / 4 == 10 and age * 2 - 1 == 79"), Some(true));
    }

    #[test]
    fn unanswered_questions_make_comparisons_unknown() {
        assert_eq!(ev("nothing == 'x'"), None);
        assert_eq!(ev("nothing != 'x'"), None);
        assert_eq!(ev("not (nothing == 'x')"), None);
        assert_eq!(ev("m.b == '1'"), None);
        assert_eq!(ev("'x' in nothing"), None);
        assert_eq!(ev("age / 0 > 1"), None);
    }

    #[test]
    fn and_or_follow_kleene_logic() {
        assert_eq!(ev("nothing == 'x' and role == 'mas'"), Some(false));
        assert_eq!(ev("nothing == 'x' or role == 'other'"), Some(true));
        assert_eq!(ev("nothing == 'x' and role == 'other'"), None);
        assert_eq!(ev("nothing == 'x' or role == 'mas'"), None);
    }

    #[test]
    fn answered_is_never_unknown() {
        assert_eq!(ev("answered(role)"), Some(true));
        assert_eq!(ev("answered(nothing)"), Some(false));
        assert_eq!(ev("answered(m.a) and not answered(m.b)"), Some(true));
        // A whole matrix is answered once a row is (as the page script says too).
        assert_eq!(ev("answered(m)"), Some(true));
    }
}
