//! One question's cells -> its answer: [`crate::survey::variables::cell`] in reverse,
//! with a problem for every cell that cannot be read (a code that is not an option, a
//! number that is not one, a tick that is not 0 or 1, ...). Ranges, lengths and
//! `required` are left to the form rules (see `checks.rs`).

use crate::survey::answer::Answer;
pub(super) use crate::survey::cells::CellProblem;
use crate::survey::cells::{self, Cell};
use crate::survey::model::Question;
use crate::survey::variables::{Part, Variable};

/// The column that stands for a question as a whole: its own column, or `QUESTION.*`
/// for questions spread over several columns (multi, matrix, ranking, constant sum).
pub(super) fn question_column(q: &Question) -> String {
    let columns = q.kind.rules().columns();
    match columns.is_empty() || columns.contains(&Part::Value) {
        true => q.id.clone(),
        false => format!("{}.*", q.id),
    }
}

/// The answer in a question's cells (`cells`: its variables with their trimmed cells,
/// empty for a column the file lacks); `None` when they are all empty or any is
/// unreadable (then `problems` says why).
pub(super) fn read_answer(
    q: &Question,
    cells: &[(&Variable, &str)],
    problems: &mut Vec<CellProblem>,
) -> Option<Answer> {
    let before = problems.len();
    let answer = decode(q, cells, problems);
    if problems.len() > before {
        None
    } else {
        answer
    }
}

fn decode(
    q: &Question,
    cells: &[(&Variable, &str)],
    problems: &mut Vec<CellProblem>,
) -> Option<Answer> {
    let cells: Vec<Cell<'_>> = cells
        .iter()
        .map(|(v, value)| Cell {
            part: &v.part,
            column: &v.name,
            value,
        })
        .collect();
    let id = q.id.as_str();
    let has_value_column = cells.iter().any(|c| *c.part == Part::Value);
    if has_value_column && cells::value(&cells).is_empty() {
        // An unanswered single choice must not come with an "other" text either.
        if let Some(text) = cells::other_text(&cells) {
            problems.push(cells::other_text_without_other(id, text.column));
        }
        return None;
    }
    q.kind.rules().read_cells(id, &cells, problems)
}
