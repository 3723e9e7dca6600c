//! Syntax tree of survey expressions.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    /// Byte range inside the expression text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Num(f64),
    Str(String),
    Bool(bool),
    List(Vec<Expr>),
    /// A question (`role`) or one row of a matrix question (`often.a`).
    Ref {
        question: String,
        row: Option<String>,
    },
    Call {
        func: Func,
        arg: Box<Expr>,
    },
    Unary {
        op: UnOp,
        expr: Box<Expr>,
    },
    Binary {
        op: BinOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Func {
    /// `answered(q)`: true when q has an answer.
    Answered,
    /// `count(q)`: options ticked (multi), items ranked (ranking), rows answered (matrix).
    Count,
}

impl Func {
    pub const ALL: [(&'static str, Func); 2] =
        [("answered", Func::Answered), ("count", Func::Count)];

    pub fn name(self) -> &'static str {
        match self {
            Func::Answered => "answered",
            Func::Count => "count",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }

    pub fn is_ordering(self) -> bool {
        matches!(self, BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge)
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(self, BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div)
    }
}

impl Expr {
    /// Every question reference in the expression, with its span, in source order.
    pub fn references(&self) -> Vec<(&str, Option<&str>, Range<usize>)> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let ExprKind::Ref { question, row } = &e.kind {
                out.push((question.as_str(), row.as_deref(), e.span.clone()));
            }
        });
        out
    }

    fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Expr)) {
        f(self);
        match &self.kind {
            ExprKind::List(items) => items.iter().for_each(|i| i.walk(f)),
            ExprKind::Call { arg, .. } => arg.walk(f),
            ExprKind::Unary { expr, .. } => expr.walk(f),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.walk(f);
                rhs.walk(f);
            }
            ExprKind::Num(_) | ExprKind::Str(_) | ExprKind::Bool(_) | ExprKind::Ref { .. } => {}
        }
    }
}
