//! The survey expression language used by `show_if` and `validate` rules: parsing,
//! static checking against the questions in scope, and three-valued evaluation.
//!
//! See `docs/survey-format.md#expressions` for the researcher-facing reference.

mod ast;
mod check;
mod eval;
mod lexer;
mod parser;

use std::ops::Range;

pub use ast::{BinOp, Expr, ExprKind, Func, UnOp};
pub use check::{RefType, Scope, ValueType, check_condition, parse_date as parse_date_literal};
pub use eval::{AnswerSource, Value, eval, eval_condition};
pub use parser::parse;

/// A problem in an expression, with a byte span inside the expression text.
#[derive(Debug, Clone, PartialEq)]
pub struct ExprError {
    pub span: Range<usize>,
    pub message: String,
    pub help: Option<String>,
}

impl ExprError {
    pub(crate) fn new(span: Range<usize>, message: impl Into<String>) -> ExprError {
        ExprError {
            span,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> ExprError {
        self.help = Some(help.into());
        self
    }
}
