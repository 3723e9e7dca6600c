//! Recursive-descent parser for survey expressions.
//!
//! Precedence, loosest first: `or`, `and`, `not`, comparisons and `in` (not chained),
//! `+ -`, `* /`, unary `-`, then literals, references, calls and parentheses.

use super::ExprError;
use super::ast::{BinOp, Expr, ExprKind, Func, UnOp};
use super::lexer::{Tok, Token, tokenize};
use crate::survey::diagnostic::suggest;

/// Most tokens (words, numbers, texts, symbols) in one expression. With [`MAX_NESTING`] it
/// bounds the depth of the tree, so parsing, checking, evaluating and dropping it (all
/// recursive) stay well within a thread's stack; real conditions have a few dozen.
pub const MAX_TOKENS: usize = 1000;

/// Most brackets, calls, `not`s and unary `-`s open at once in one expression.
pub const MAX_NESTING: usize = 32;

pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let tokens = tokenize(src)?;
    if tokens.is_empty() {
        return Err(ExprError::new(0..src.len(), "the expression is empty")
            .with_help("write a condition such as role == 'other'"));
    }
    if let Some((_, span)) = tokens.get(MAX_TOKENS) {
        return Err(ExprError::new(
            span.start..src.len(),
            format!(
                "the expression is too long (more than {MAX_TOKENS} words, numbers and symbols)"
            ),
        )
        .with_help("split it into shorter conditions, e.g. on separate questions or pages"));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        len: src.len(),
        nesting: 0,
    };
    let expr = p.or()?;
    if let Some((tok, span)) = p.tokens.get(p.pos) {
        return Err(
            ExprError::new(span.clone(), format!("unexpected {} here", tok.describe()))
                .with_help("join conditions with `and` or `or`"),
        );
    }
    Ok(expr)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    len: usize,
    /// Brackets, calls, `not`s and unary `-`s open at the current position.
    nesting: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|(t, _)| t)
    }

    fn eat(&mut self, tok: &Tok) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Open one more level of nesting at `span`, refusing more than [`MAX_NESTING`]. The
    /// caller closes it (`self.nesting -= 1`) once the nested part has parsed; after an
    /// error parsing stops, so the count no longer matters.
    fn open(&mut self, span: &std::ops::Range<usize>) -> Result<(), ExprError> {
        if self.nesting == MAX_NESTING {
            return Err(ExprError::new(
                span.clone(),
                format!("the expression is nested too deeply (more than {MAX_NESTING} levels)"),
            )
            .with_help("remove brackets, `not`s or `-`s that are not needed"));
        }
        self.nesting += 1;
        Ok(())
    }

    fn end_span(&self) -> std::ops::Range<usize> {
        self.len..self.len
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<std::ops::Range<usize>, ExprError> {
        match self.tokens.get(self.pos) {
            Some((t, span)) if *t == tok => {
                let span = span.clone();
                self.pos += 1;
                Ok(span)
            }
            Some((t, span)) => Err(ExprError::new(
                span.clone(),
                format!("expected {what}, found {}", t.describe()),
            )),
            None => Err(ExprError::new(
                self.end_span(),
                format!("expected {what} at the end"),
            )),
        }
    }

    fn binary(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        let span = lhs.span.start..rhs.span.end;
        Expr {
            kind: ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            span,
        }
    }

    fn or(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.and()?;
        while self.eat(&Tok::Or) {
            let rhs = self.and()?;
            lhs = Self::binary(BinOp::Or, lhs, rhs);
        }
        Ok(lhs)
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.not()?;
        while self.eat(&Tok::And) {
            let rhs = self.not()?;
            lhs = Self::binary(BinOp::And, lhs, rhs);
        }
        Ok(lhs)
    }

    fn not(&mut self) -> Result<Expr, ExprError> {
        if let Some((Tok::Not, span)) = self.tokens.get(self.pos) {
            let span = span.clone();
            let start = span.start;
            self.open(&span)?;
            self.pos += 1;
            let inner = self.not()?;
            self.nesting -= 1;
            let span = start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Unary {
                    op: UnOp::Not,
                    expr: Box::new(inner),
                },
                span,
            });
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ExprError> {
        let lhs = self.sum()?;
        let op = match self.peek() {
            Some(Tok::EqEq) => BinOp::Eq,
            Some(Tok::NotEq) => BinOp::Ne,
            Some(Tok::Lt) => BinOp::Lt,
            Some(Tok::Le) => BinOp::Le,
            Some(Tok::Gt) => BinOp::Gt,
            Some(Tok::Ge) => BinOp::Ge,
            Some(Tok::In) => BinOp::In,
            _ => return Ok(lhs),
        };
        self.pos += 1;
        let rhs = self.sum()?;
        let expr = Self::binary(op, lhs, rhs);
        if let Some((
            Tok::EqEq | Tok::NotEq | Tok::Lt | Tok::Le | Tok::Gt | Tok::Ge | Tok::In,
            span,
        )) = self.tokens.get(self.pos)
        {
            return Err(
                ExprError::new(span.clone(), "comparisons cannot be chained")
                    .with_help("write `a < b and b < c` instead of `a < b < c`"),
            );
        }
        Ok(expr)
    }

    fn sum(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.product()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Plus) => BinOp::Add,
                Some(Tok::Minus) => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            let rhs = self.product()?;
            lhs = Self::binary(op, lhs, rhs);
        }
    }

    fn product(&mut self) -> Result<Expr, ExprError> {
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Star) => BinOp::Mul,
                Some(Tok::Slash) => BinOp::Div,
                _ => return Ok(lhs),
            };
            self.pos += 1;
            let rhs = self.unary()?;
            lhs = Self::binary(op, lhs, rhs);
        }
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if let Some((Tok::Minus, span)) = self.tokens.get(self.pos) {
            let span = span.clone();
            let start = span.start;
            self.open(&span)?;
            self.pos += 1;
            let inner = self.unary()?;
            self.nesting -= 1;
            let span = start..inner.span.end;
            return Ok(Expr {
                kind: ExprKind::Unary {
                    op: UnOp::Neg,
                    expr: Box::new(inner),
                },
                span,
            });
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Expr, ExprError> {
        let Some((tok, span)) = self.tokens.get(self.pos).cloned() else {
            return Err(
                ExprError::new(self.end_span(), "the expression ends too early")
                    .with_help("something is missing after the last operator"),
            );
        };
        self.pos += 1;
        let kind = match tok {
            Tok::Num(n) => ExprKind::Num(n),
            Tok::Str(s) => ExprKind::Str(s),
            Tok::True => ExprKind::Bool(true),
            Tok::False => ExprKind::Bool(false),
            Tok::LParen => {
                self.open(&span)?;
                let inner = self.or()?;
                let close = self.expect(Tok::RParen, "`)`")?;
                self.nesting -= 1;
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.start..close.end,
                });
            }
            Tok::LBracket => {
                let mut items = Vec::new();
                if !self.eat(&Tok::RBracket) {
                    self.open(&span)?;
                    loop {
                        items.push(self.sum()?);
                        if self.eat(&Tok::Comma) {
                            continue;
                        }
                        break;
                    }
                    let close = self.expect(Tok::RBracket, "`,` or `]`")?;
                    self.nesting -= 1;
                    return Ok(Expr {
                        kind: ExprKind::List(items),
                        span: span.start..close.end,
                    });
                }
                ExprKind::List(items)
            }
            Tok::Ident(name) => {
                if self.peek() == Some(&Tok::LParen) {
                    return self.call(name, span);
                }
                if self.eat(&Tok::Dot) {
                    let row_span = self.tokens.get(self.pos).map(|(_, s)| s.clone());
                    match (self.tokens.get(self.pos).map(|(t, _)| t.clone()), row_span) {
                        (Some(Tok::Ident(row)), Some(row_span)) => {
                            self.pos += 1;
                            return Ok(Expr {
                                kind: ExprKind::Ref {
                                    question: name,
                                    row: Some(row),
                                },
                                span: span.start..row_span.end,
                            });
                        }
                        _ => {
                            return Err(ExprError::new(
                                span.start..span.end + 1,
                                "expected a row id after `.`",
                            )
                            .with_help(format!("refer to a matrix row as {name}.row_id")));
                        }
                    }
                }
                ExprKind::Ref {
                    question: name,
                    row: None,
                }
            }
            other => {
                return Err(
                    ExprError::new(span, format!("unexpected {}", other.describe()))
                        .with_help("expected a question id, a number, 'text', true or false"),
                );
            }
        };
        Ok(Expr { kind, span })
    }

    fn call(&mut self, name: String, span: std::ops::Range<usize>) -> Result<Expr, ExprError> {
        let Some(func) = Func::ALL.iter().find(|(n, _)| *n == name).map(|(_, f)| *f) else {
            let names: Vec<_> = Func::ALL.iter().map(|(n, _)| *n).collect();
            let help = suggest(&name, names.iter().copied(), '`', || {
                format!("the functions are {}", names.join(", "))
            });
            return Err(ExprError::new(span, format!("unknown function `{name}`")).with_help(help));
        };
        self.open(&span)?;
        self.expect(Tok::LParen, "`(`")?;
        let arg = self.or()?;
        if self.peek() == Some(&Tok::Comma) {
            let (_, s) = &self.tokens[self.pos];
            return Err(ExprError::new(
                s.clone(),
                format!("{name}() takes one question"),
            ));
        }
        let close = self.expect(Tok::RParen, "`)`")?;
        self.nesting -= 1;
        Ok(Expr {
            kind: ExprKind::Call {
                func,
                arg: Box::new(arg),
            },
            span: span.start..close.end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders the tree in prefix form so the tests read as the grouping they assert.
    fn show(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Num(n) => n.to_string(),
            ExprKind::Str(s) => format!("'{s}'"),
            ExprKind::Bool(b) => b.to_string(),
            ExprKind::List(items) => {
                format!("[{}]", items.iter().map(show).collect::<Vec<_>>().join(" "))
            }
            ExprKind::Ref {
                question,
                row: None,
            } => question.clone(),
            ExprKind::Ref {
                question,
                row: Some(r),
            } => format!("{question}.{r}"),
            ExprKind::Call { func, arg } => format!("({} {})", func.name(), show(arg)),
            ExprKind::Unary {
                op: UnOp::Not,
                expr,
            } => format!("(not {})", show(expr)),
            ExprKind::Unary {
                op: UnOp::Neg,
                expr,
            } => format!("(- {})", show(expr)),
            ExprKind::Binary { op, lhs, rhs } => {
                format!("({} {} {})", op.symbol(), show(lhs), show(rhs))
            }
        }
    }

    fn p(s: &str) -> String {
        show(&parse(s).unwrap())
    }

    #[test]
    fn precedence_follows_the_documented_order() {
        assert_eq!(
            p("a == 1 or b == 2 and not c"),
            "(or (== a 1) (and (== b 2) (not c)))"
        );
        assert_eq!(p("years <= age - 15"), "(<= years (- age 15))");
        assert_eq!(p("1 + 2 * 3 - -x"), "(- (+ 1 (* 2 3)) (- x))");
        assert_eq!(p("(a or b) and c"), "(and (or a b) c)");
    }

    #[test]
    fn references_calls_lists_and_in() {
        assert_eq!(p("'mas' in topics"), "(in 'mas' topics)");
        assert_eq!(p("role in ['a', 'b']"), "(in role ['a' 'b'])");
        assert_eq!(p("often.a >= 3"), "(>= often.a 3)");
        assert_eq!(
            p("answered(x) and count(t) > 2"),
            "(and (answered x) (> (count t) 2))"
        );
    }

    #[test]
    fn spans_cover_the_whole_node() {
        let e = parse("not (a == 'x')").unwrap();
        assert_eq!(e.span, 0..14);
        let ExprKind::Unary { expr, .. } = e.kind else {
            panic!()
        };
        assert_eq!(expr.span, 4..14);
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = parse("a == 1 b").unwrap_err();
        assert_eq!(e.span, 7..8);
        let e = parse("a ==").unwrap_err();
        assert_eq!(e.span, 4..4);
        let e = parse("1 < a < 3").unwrap_err();
        assert_eq!(
            (e.span.clone(), e.message.as_str()),
            (6..7, "comparisons cannot be chained")
        );
        let e = parse("answerd(x)").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `answered`?"));
        let e = parse("(a == 1").unwrap_err();
        assert!(e.message.contains("expected `)`"), "{}", e.message);
        assert!(parse("   ").unwrap_err().message.contains("empty"));
        assert!(parse("m.").unwrap_err().message.contains("row id"));
        assert!(
            parse("count(a, b)")
                .unwrap_err()
                .message
                .contains("one question")
        );
    }

    /// Found with the `expression` fuzz target (reproducers in `fuzz/regressions/expression/`):
    /// every bracket, `not` and `-` was a level of recursion, and `a and b and ...` built a
    /// tree as deep as it was long, which checking, evaluating and dropping walk
    /// recursively: long inputs overflowed the stack.
    #[test]
    fn deep_nesting_and_long_chains_are_errors_not_stack_overflows() {
        for (unit, end) in [
            ("(", "x"),
            ("not ", "x"),
            ("-", "1"),
            ("[", ""),
            ("answered(", ""),
        ] {
            let e = parse(&(unit.repeat(300) + end)).unwrap_err();
            assert!(e.message.contains("nested too deeply"), "{}", e.message);
            assert_eq!(
                e.span.start,
                unit.len() * MAX_NESTING,
                "at the first level too many"
            );
        }
        let nested = |n: usize| format!("{}x{}", "(".repeat(n), ")".repeat(n));
        assert!(parse(&nested(MAX_NESTING)).is_ok());
        assert!(parse(&nested(MAX_NESTING + 1)).is_err());
        let e = parse(&("x".to_string() + &" and x".repeat(MAX_TOKENS))).unwrap_err();
        assert!(e.message.contains("too long"), "{}", e.message);
        assert_eq!(e.span.end, 1 + 6 * MAX_TOKENS);
    }

    /// The deepest trees the limits allow stay within a test thread's 2 MiB stack in a
    /// debug build, through every recursive pass over them.
    #[test]
    fn the_deepest_allowed_trees_are_checked_and_evaluated() {
        struct Numbers;
        impl super::super::Scope for Numbers {
            fn resolve(
                &self,
                _: &str,
                _: Option<&str>,
            ) -> Result<super::super::RefType, ExprError> {
                Ok(super::super::RefType {
                    ty: super::super::ValueType::Number,
                    name: "question `x`".into(),
                })
            }
        }
        let pairs = (MAX_TOKENS - 1) / 2;
        let mut answers = crate::survey::Answers::new();
        answers.insert("x".into(), crate::survey::Answer::Number(1.0));
        for src in [
            format!("x{}", " > 0 and x".repeat(pairs / 2)) + " > 0",
            format!("1{}", " - x".repeat(pairs)),
            format!(
                "{}x{} > 0",
                "(".repeat(MAX_NESTING - 1),
                " - x".repeat(pairs - MAX_NESTING) + &")".repeat(MAX_NESTING - 1)
            ),
        ] {
            let e = parse(&src).unwrap();
            assert_eq!(e.references().len(), src.matches('x').count());
            let _ = super::super::check_condition(&e, &Numbers);
            let _ = super::super::eval_condition(&e, &answers);
        }
    }
}
