//! Reading an answer back from export cells ([`super::variables::cell`] in reverse): the
//! cells a question's columns hold, what can be wrong with one, and the helpers the
//! question types share ([`super::types::Rules::read_cells`]).

use super::answer::{Answer, OTHER, Part};
use super::choice::ChoiceList;
use super::diagnostic::suggest;

/// One cell of a question's columns: which part of the answer it holds, its column's
/// name, and its trimmed text (empty for a column the file lacks).
#[derive(Debug, Clone, Copy)]
pub struct Cell<'a> {
    pub part: &'a Part,
    pub column: &'a str,
    pub value: &'a str,
}

/// A cell that cannot be read, or another problem found in a row.
#[derive(Debug, Clone, PartialEq)]
pub struct CellProblem {
    pub column: String,
    pub message: String,
    pub hint: Option<String>,
}

impl CellProblem {
    pub fn new(column: impl Into<String>, message: impl Into<String>) -> CellProblem {
        CellProblem {
            column: column.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> CellProblem {
        self.hint = Some(hint.into());
        self
    }
}

/// The text of the value column (empty when the question has none or the file lacks it).
pub fn value<'a>(cells: &[Cell<'a>]) -> &'a str {
    cells
        .iter()
        .find(|c| *c.part == Part::Value)
        .map_or("", |c| c.value)
}

/// The "other" text's cell, when it holds something.
pub fn other_text<'a, 'c>(cells: &'c [Cell<'a>]) -> Option<&'c Cell<'a>> {
    cells
        .iter()
        .find(|c| *c.part == Part::OtherText && !c.value.is_empty())
}

/// A problem with question `id`'s value cell; no answer.
pub fn fail(
    problems: &mut Vec<CellProblem>,
    id: &str,
    message: String,
    hint: Option<String>,
) -> Option<Answer> {
    problems.push(CellProblem {
        column: id.to_string(),
        message,
        hint,
    });
    None
}

/// One option of `list`, or a problem naming the codes to choose from.
pub fn one_code(
    problems: &mut Vec<CellProblem>,
    id: &str,
    value: &str,
    list: &ChoiceList,
) -> Option<Answer> {
    match list.get(value) {
        Some(c) => Some(choice(&c.value, None)),
        None => fail(
            problems,
            id,
            not_a_code(value, id),
            Some(codes_hint(value, list, false)),
        ),
    }
}

/// A chosen option (with its "other" text).
pub fn choice(value: &str, other: Option<String>) -> Answer {
    Answer::Choice {
        value: value.to_string(),
        other,
    }
}

pub fn not_a_code(value: &str, question: &str) -> String {
    format!("\"{value}\" is not a code of question \"{question}\"")
}

/// "did you mean ...?", or the codes to choose from (the first few of a long list).
pub fn codes_hint(value: &str, list: &ChoiceList, other: bool) -> String {
    let mut codes: Vec<&str> = list.options.iter().map(|c| c.value.as_str()).collect();
    if other {
        codes.push(OTHER);
    }
    suggest(value, codes.iter().copied(), '"', || {
        const SHOWN: usize = 12;
        let more = codes.len().saturating_sub(SHOWN);
        let shown = codes[..codes.len().min(SHOWN)].join(", ");
        match more {
            0 => format!("use one of: {shown}"),
            _ => format!("use one of: {shown} (and {more} more: see the codebook)"),
        }
    })
}

pub fn other_text_without_other(question: &str, column: &str) -> CellProblem {
    CellProblem::new(
        column,
        format!("an \"other\" text is given but \"other\" is not chosen in \"{question}\""),
    )
    .hint(format!(
        "choose \"other\" in \"{question}\", or clear this cell"
    ))
}
