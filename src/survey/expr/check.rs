//! Static checking of expressions: every reference resolves to a question in scope,
//! operands have compatible types, and text literals are real option codes.

use super::ExprError;
use super::ast::{BinOp, Expr, ExprKind, Func, UnOp};
use crate::survey::diagnostic::suggest;

/// What a reference to a question (or matrix row) yields in an expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ValueType {
    Bool,
    Number,
    Text,
    Date,
    /// One code out of a list (single, dropdown, likert, a matrix row, hidden with choices).
    Choice {
        codes: Vec<String>,
    },
    /// Several codes (multi, ranking): use with `in` and `count`.
    Set {
        codes: Vec<String>,
    },
    /// A whole matrix: only `answered()` and `count()` apply; rows are `q.row`.
    Matrix,
    /// A whole constant sum: only `answered()` and `count()` (items given points) apply;
    /// an item's points are `q.item`.
    Points,
    /// A display-only note: has no answer.
    NoValue,
    /// A question whose own definition has errors: checked no further, so one mistake
    /// is reported once.
    Unknown,
}

/// A resolved reference: its type and how to name it in messages.
#[derive(Debug, Clone)]
pub struct RefType {
    pub ty: ValueType,
    pub name: String,
}

/// The questions an expression may refer to, as decided by the survey loader
/// (earlier pages, earlier questions on the same page, ...).
pub trait Scope {
    fn resolve(&self, question: &str, row: Option<&str>) -> Result<RefType, ExprError>;
}

/// Check a condition (`show_if` or a `validate` rule): it must be well-typed and
/// yield true/false. Returns every problem found.
pub fn check_condition(expr: &Expr, scope: &dyn Scope) -> Vec<ExprError> {
    let mut c = Checker {
        scope,
        errors: Vec::new(),
    };
    let ty = c.ty(expr);
    if c.errors.is_empty() && !matches!(ty, T::Bool | T::Unknown) {
        c.errors.push(
            ExprError::new(
                expr.span.clone(),
                format!(
                    "a condition must be true or false, but this is {}",
                    ty.describe()
                ),
            )
            .with_help("compare it with something, e.g. `q == 'code'`, `q > 3` or `answered(q)`"),
        );
    }
    c.errors
}

#[derive(Debug, Clone)]
enum T {
    Bool,
    Num,
    Text,
    Date,
    Choice(Vec<String>, String),
    Set(Vec<String>, String),
    Matrix(String),
    Points(String),
    NoValue(String),
    Lit(String),
    List(Vec<(T, std::ops::Range<usize>)>),
    /// An operand that already produced an error: checked no further.
    Unknown,
}

impl T {
    fn describe(&self) -> String {
        match self {
            T::Bool => "true/false".into(),
            T::Num => "a number".into(),
            T::Text => "text".into(),
            T::Date => "a date".into(),
            T::Choice(_, n) => format!("the choice {n}"),
            T::Set(_, n) => format!("{n}, which can hold several answers"),
            T::Matrix(n) => format!("the matrix {n}"),
            T::Points(n) => format!("the points of {n}"),
            T::NoValue(n) => format!("{n}, which has no answer"),
            T::Lit(s) => format!("the text '{s}'"),
            T::List(_) => "a list".into(),
            T::Unknown => "unknown".into(),
        }
    }

    fn is_numeric(&self) -> bool {
        match self {
            T::Num | T::Unknown => true,
            T::Choice(codes, _) => all_numeric(codes),
            _ => false,
        }
    }
}

fn all_numeric(codes: &[String]) -> bool {
    !codes.is_empty() && codes.iter().all(|c| c.parse::<f64>().is_ok())
}

pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

struct Checker<'s> {
    scope: &'s dyn Scope,
    errors: Vec<ExprError>,
}

impl Checker<'_> {
    fn err(&mut self, e: ExprError) -> T {
        self.errors.push(e);
        T::Unknown
    }

    fn ty(&mut self, e: &Expr) -> T {
        match &e.kind {
            ExprKind::Num(_) => T::Num,
            ExprKind::Str(s) => T::Lit(s.clone()),
            ExprKind::Bool(_) => T::Bool,
            ExprKind::List(items) => {
                let items: Vec<_> = items.iter().map(|i| (self.ty(i), i.span.clone())).collect();
                for (t, span) in &items {
                    if !matches!(t, T::Lit(_) | T::Num | T::Unknown) {
                        return self.err(ExprError::new(
                            span.clone(),
                            format!(
                                "a list may hold only 'texts' and numbers, not {}",
                                t.describe()
                            ),
                        ));
                    }
                }
                T::List(items)
            }
            ExprKind::Ref { question, row } => match self.scope.resolve(question, row.as_deref()) {
                Err(err) => self.err(err),
                Ok(r) => match r.ty {
                    ValueType::Bool => T::Bool,
                    ValueType::Number => T::Num,
                    ValueType::Text => T::Text,
                    ValueType::Date => T::Date,
                    ValueType::Choice { codes } => T::Choice(codes, r.name),
                    ValueType::Set { codes } => T::Set(codes, r.name),
                    ValueType::Matrix => T::Matrix(r.name),
                    ValueType::Points => T::Points(r.name),
                    ValueType::NoValue => T::NoValue(r.name),
                    ValueType::Unknown => T::Unknown,
                },
            },
            ExprKind::Call { func, arg } => self.call(*func, arg),
            ExprKind::Unary {
                op: UnOp::Not,
                expr,
            } => {
                let t = self.ty(expr);
                self.expect_bool(&t, expr, "`not`")
            }
            ExprKind::Unary {
                op: UnOp::Neg,
                expr,
            } => {
                let t = self.ty(expr);
                if t.is_numeric() {
                    T::Num
                } else {
                    self.err(ExprError::new(
                        expr.span.clone(),
                        format!("cannot negate {}", t.describe()),
                    ))
                }
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let l = self.ty(lhs);
                let r = self.ty(rhs);
                if matches!(l, T::Unknown) || matches!(r, T::Unknown) {
                    return if op.is_arithmetic() { T::Num } else { T::Bool };
                }
                self.binary(*op, (l, lhs), (r, rhs), e)
            }
        }
    }

    fn expect_bool(&mut self, t: &T, e: &Expr, what: &str) -> T {
        match t {
            T::Bool | T::Unknown => T::Bool,
            other => self.err(
                ExprError::new(
                    e.span.clone(),
                    format!("{what} needs true/false, but this is {}", other.describe()),
                )
                .with_help("compare it with something first, e.g. `q == 'code'`"),
            ),
        }
    }

    fn call(&mut self, func: Func, arg: &Expr) -> T {
        if !matches!(arg.kind, ExprKind::Ref { .. }) {
            return self.err(ExprError::new(
                arg.span.clone(),
                format!("{}() takes a question id", func.name()),
            ));
        }
        let t = self.ty(arg);
        match (func, &t) {
            (_, T::Unknown) => {
                if func == Func::Count {
                    T::Num
                } else {
                    T::Bool
                }
            }
            (Func::Answered, T::NoValue(_)) => self.err(ExprError::new(
                arg.span.clone(),
                format!("{} can never be answered", t.describe()),
            )),
            (Func::Answered, _) => T::Bool,
            (Func::Count, T::Set(..) | T::Matrix(_) | T::Points(_)) => T::Num,
            (Func::Count, other) => self.err(
                ExprError::new(
                    arg.span.clone(),
                    format!(
                        "count() needs a multiple-choice, ranking, matrix or constant sum question, not {}",
                        other.describe()
                    ),
                )
                .with_help("use answered(q) to test whether a single question was answered"),
            ),
        }
    }

    fn binary(&mut self, op: BinOp, (l, le): (T, &Expr), (r, re): (T, &Expr), whole: &Expr) -> T {
        match op {
            BinOp::And | BinOp::Or => {
                self.expect_bool(&l, le, &format!("`{}`", op.symbol()));
                self.expect_bool(&r, re, &format!("`{}`", op.symbol()))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                for (t, e) in [(&l, le), (&r, re)] {
                    if !t.is_numeric() {
                        self.err(ExprError::new(
                            e.span.clone(),
                            format!(
                                "`{}` needs numbers, but this is {}",
                                op.symbol(),
                                t.describe()
                            ),
                        ));
                    }
                }
                T::Num
            }
            BinOp::Eq | BinOp::Ne => {
                self.equality((&l, le), (&r, re), op, whole);
                T::Bool
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let dates = matches!(
                    (&l, &r),
                    (T::Date, T::Date | T::Lit(_) | T::Unknown) | (T::Lit(_) | T::Unknown, T::Date)
                );
                let ok = (l.is_numeric() && r.is_numeric()) || dates;
                if !ok {
                    // A question made of parts compares one part at a time.
                    let help = match (&l, &r) {
                        (T::Points(name) | T::Matrix(name), _)
                        | (_, T::Points(name) | T::Matrix(name)) => format!(
                            "compare one part at a time, e.g. {}.{}",
                            name_only(name),
                            if matches!((&l, &r), (T::Points(_), _) | (_, T::Points(_))) { "item_id" } else { "row_id" }
                        ),
                        _ => "`<`, `<=`, `>`, `>=` compare numbers, numeric codes and dates ('2024-01-16')".to_string(),
                    };
                    self.err(
                        ExprError::new(
                            whole.span.clone(),
                            format!("cannot order {} against {}", l.describe(), r.describe()),
                        )
                        .with_help(help),
                    );
                } else {
                    self.check_date_literals(&l, &r, re);
                    self.check_date_literals(&r, &l, le);
                }
                T::Bool
            }
            BinOp::In => {
                self.membership((&l, le), (&r, re));
                T::Bool
            }
        }
    }

    fn check_date_literals(&mut self, t: &T, other: &T, other_expr: &Expr) {
        if matches!(t, T::Date)
            && let T::Lit(s) = other
            && parse_date(s).is_none()
        {
            self.err(
                ExprError::new(other_expr.span.clone(), format!("'{s}' is not a date"))
                    .with_help("write dates as 'YYYY-MM-DD'"),
            );
        }
    }

    fn equality(&mut self, (l, le): (&T, &Expr), (r, re): (&T, &Expr), op: BinOp, whole: &Expr) {
        match (l, r) {
            (T::Choice(codes, name), T::Lit(lit)) => self.check_code(codes, name, lit, re),
            (T::Lit(lit), T::Choice(codes, name)) => self.check_code(codes, name, lit, le),
            (T::Choice(codes, name), T::Num) | (T::Num, T::Choice(codes, name)) => {
                if !all_numeric(codes) {
                    self.err(
                        ExprError::new(
                            whole.span.clone(),
                            format!("the codes of {name} are not numbers"),
                        )
                        .with_help(format!(
                            "compare with a code in quotes, e.g. {} {} '{}'",
                            name_only(name),
                            op.symbol(),
                            codes.first().map_or("", |s| s)
                        )),
                    );
                }
            }
            (T::Date, T::Lit(_)) | (T::Lit(_), T::Date) => {
                self.check_date_literals(l, r, re);
                self.check_date_literals(r, l, le);
            }
            (T::Choice(..) | T::Text | T::Lit(_), T::Choice(..) | T::Text | T::Lit(_))
            | (T::Num, T::Num)
            | (T::Bool, T::Bool)
            | (T::Date, T::Date) => {}
            (T::Set(_, name), _) | (_, T::Set(_, name)) => {
                self.err(
                    ExprError::new(
                        whole.span.clone(),
                        format!(
                            "{name} can hold several answers, so it cannot be compared with `{}`",
                            op.symbol()
                        ),
                    )
                    .with_help(format!(
                        "test one option with `'code' in {}`, or the number ticked with count({})",
                        name_only(name),
                        name_only(name)
                    )),
                );
            }
            (T::Points(name), _) | (_, T::Points(name)) => {
                self.err(
                    ExprError::new(
                        whole.span.clone(),
                        format!("{name} gives points to several items; compare one item's points"),
                    )
                    .with_help(format!("refer to an item as {}.item_id", name_only(name))),
                );
            }
            (T::Matrix(name), _) | (_, T::Matrix(name)) => {
                self.err(
                    ExprError::new(
                        whole.span.clone(),
                        format!("{name} is a matrix; compare one of its rows"),
                    )
                    .with_help(format!("refer to a row as {}.row_id", name_only(name))),
                );
            }
            _ => {
                self.err(ExprError::new(
                    whole.span.clone(),
                    format!("cannot compare {} with {}", l.describe(), r.describe()),
                ));
            }
        }
    }

    fn membership(&mut self, (l, le): (&T, &Expr), (r, re): (&T, &Expr)) {
        match (l, r) {
            (T::Lit(lit), T::Set(codes, name)) => self.check_code(codes, name, lit, le),
            (T::Choice(..) | T::Text, T::Set(..)) => {}
            (T::Choice(codes, name), T::List(items)) => {
                for (t, span) in items {
                    match t {
                        T::Lit(lit) => {
                            let e = Expr {
                                kind: ExprKind::Str(lit.clone()),
                                span: span.clone(),
                            };
                            self.check_code(codes, name, lit, &e);
                        }
                        T::Num if all_numeric(codes) => {}
                        _ => {
                            self.err(ExprError::new(
                                span.clone(),
                                format!("this is not a code of {name}"),
                            ));
                        }
                    }
                }
            }
            (T::Text | T::Lit(_), T::List(items)) => {
                if let Some((_, span)) = items.iter().find(|(t, _)| !matches!(t, T::Lit(_))) {
                    self.err(ExprError::new(
                        span.clone(),
                        "compare text with 'texts' in quotes",
                    ));
                }
            }
            (T::Num, T::List(items)) => {
                if let Some((_, span)) = items.iter().find(|(t, _)| !matches!(t, T::Num)) {
                    self.err(ExprError::new(
                        span.clone(),
                        "compare a number with numbers",
                    ));
                }
            }
            (_, T::Set(..) | T::List(_)) => {
                self.err(ExprError::new(
                    le.span.clone(),
                    format!("`in` cannot look for {}", l.describe()),
                ));
            }
            _ => {
                self.err(
                    ExprError::new(
                        re.span.clone(),
                        format!(
                            "`in` needs a multiple-choice question or a list on its right, not {}",
                            r.describe()
                        ),
                    )
                    .with_help("e.g. 'code' in topics, or role in ['a', 'b']"),
                );
            }
        }
    }

    fn check_code(&mut self, codes: &[String], name: &str, lit: &str, lit_expr: &Expr) {
        if codes.iter().any(|c| c == lit) {
            return;
        }
        let mut e = ExprError::new(
            lit_expr.span.clone(),
            format!("'{lit}' is not an option of {name}"),
        );
        e = e.with_help(suggest(lit, codes.iter().map(String::as_str), '\'', || {
            format!(
                "its codes are: {}",
                codes
                    .iter()
                    .map(|c| format!("'{c}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }));
        self.err(e);
    }
}

/// `question \`role\`` -> `role`, for examples in help texts.
fn name_only(name: &str) -> &str {
    name.split('`').nth(1).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::super::parse;
    use super::*;

    struct TestScope;

    impl Scope for TestScope {
        fn resolve(&self, q: &str, row: Option<&str>) -> Result<RefType, ExprError> {
            let codes = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let ty = match (q, row) {
                ("role", None) => ValueType::Choice {
                    codes: codes(&["mas", "other"]),
                },
                ("agree", None) => ValueType::Choice {
                    codes: codes(&["1", "2", "3", "4", "5"]),
                },
                ("topics", None) => ValueType::Set {
                    codes: codes(&["law", "debt"]),
                },
                ("age" | "years", None) => ValueType::Number,
                ("name", None) => ValueType::Text,
                ("born", None) => ValueType::Date,
                ("project", None) => ValueType::Bool,
                ("often", None) => ValueType::Matrix,
                ("often", Some("a")) => ValueType::Choice {
                    codes: codes(&["1", "2"]),
                },
                ("intro", None) => ValueType::NoValue,
                _ => return Err(ExprError::new(0..0, format!("unknown question `{q}`"))),
            };
            Ok(RefType {
                ty,
                name: format!("question `{q}`"),
            })
        }
    }

    fn errors(src: &str) -> Vec<String> {
        check_condition(&parse(src).unwrap(), &TestScope)
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    #[test]
    fn well_typed_conditions_pass() {
        for ok in [
            "role == 'other'",
            "role != 'mas' and not project",
            "agree >= 4",
            "agree == 5",
            "years <= age - 15",
            "'law' in topics",
            "role in ['mas', 'other']",
            "count(topics) >= 2 or answered(name)",
            "count(often) == 1 and often.a == '2'",
            "born >= '2000-01-01'",
            "project == true",
            "name == 'x'",
        ] {
            assert_eq!(errors(ok), Vec::<String>::new(), "{ok}");
        }
    }

    #[test]
    fn literal_codes_are_checked_against_the_options() {
        let e = check_condition(&parse("role == 'othr'").unwrap(), &TestScope);
        assert_eq!(e[0].message, "'othr' is not an option of question `role`");
        assert_eq!(e[0].span, 8..14);
        assert_eq!(e[0].help.as_deref(), Some("did you mean 'other'?"));
        assert_eq!(
            errors("'tax' in topics"),
            vec!["'tax' is not an option of question `topics`"]
        );
        assert_eq!(
            errors("role in ['mas', 'x']"),
            vec!["'x' is not an option of question `role`"]
        );
    }

    #[test]
    fn type_errors_are_reported() {
        assert_eq!(
            errors("role > 2"),
            vec!["cannot order the choice question `role` against a number"]
        );
        assert_eq!(
            errors("role == 2"),
            vec!["the codes of question `role` are not numbers"]
        );
        assert!(errors("topics == 'law'")[0].contains("can hold several answers"));
        assert!(errors("often == '1'")[0].contains("is a matrix"));
        assert!(errors("age")[0].contains("must be true or false"));
        assert!(errors("answered(intro)")[0].contains("can never be answered"));
        assert!(errors("count(age) > 1")[0].contains("count() needs"));
        assert!(errors("age + name > 1")[0].contains("needs numbers"));
        assert!(errors("born > '2000-13-01'")[0].contains("is not a date"));
        assert!(errors("project and age")[0].contains("needs true/false"));
        assert!(errors("1 in age")[0].contains("`in` needs"));
    }

    #[test]
    fn every_problem_is_reported_and_unknowns_do_not_cascade() {
        let e = errors("nope == 1 and role == 'zz' and age == 'x'");
        assert_eq!(e.len(), 3, "{e:?}");
        assert_eq!(e[0], "unknown question `nope`");
    }
}
