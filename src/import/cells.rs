//! One question's cells -> its answer: [`crate::survey::variables::cell`] in reverse,
//! with a problem for every cell that cannot be read (a code that is not an option, a
//! number that is not one, a tick that is not 0 or 1, ...). Ranges, lengths and
//! `required` are left to the form rules (see `checks.rs`).

use crate::survey::types;

use std::collections::BTreeMap;

use crate::survey::answer::{Answer, OTHER};
use crate::survey::diagnostic::suggest;
use crate::survey::form::{parse_date, parse_number};
use crate::survey::model::{ChoiceList, Question, QuestionKind};
use crate::survey::variables::{Part, Variable};

/// A cell that cannot be read, or another problem found in a row.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CellProblem {
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

/// The column that stands for a question as a whole: its own column, or `QUESTION.*`
/// for questions spread over several columns (multi, matrix, ranking).
pub(super) fn question_column(q: &Question) -> String {
    match q.kind {
        QuestionKind::Multi(_)
        | QuestionKind::Matrix(_)
        | QuestionKind::Ranking(_)
        | QuestionKind::ConstantSum(_) => format!("{}.*", q.id),
        QuestionKind::Text(_)
        | QuestionKind::Textarea(_)
        | QuestionKind::Email(types::Email)
        | QuestionKind::Number(_)
        | QuestionKind::Single(_)
        | QuestionKind::Dropdown(_)
        | QuestionKind::Likert(_)
        | QuestionKind::Rating(_)
        | QuestionKind::Date(_)
        | QuestionKind::YesNo(types::YesNo)
        | QuestionKind::Consent(_)
        | QuestionKind::Note(types::Note)
        | QuestionKind::Hidden(_) => q.id.clone(),
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
    let value = cells
        .iter()
        .find(|(v, _)| v.part == Part::Value)
        .map_or("", |(_, c)| *c);
    let other_text = cells.iter().find(|(v, _)| v.part == Part::OtherText);
    let id = q.id.as_str();
    let mut fail = |message: String, hint: Option<String>| {
        problems.push(CellProblem {
            column: id.to_string(),
            message,
            hint,
        });
        None
    };
    match &q.kind {
        QuestionKind::Note(types::Note) => None,
        _ if value.is_empty() && cells.iter().any(|(v, _)| v.part == Part::Value) => {
            // An unanswered single choice must not come with an "other" text either.
            if let Some((v, _)) = other_text.filter(|(_, t)| !t.is_empty()) {
                problems.push(other_text_without_other(id, &v.name));
            }
            None
        }
        QuestionKind::Text(_) | QuestionKind::Textarea(_) => {
            Some(Answer::Text(value.replace("\r\n", "\n")))
        }
        QuestionKind::Email(types::Email) => match crate::survey::form::parse_email(value) {
            Some(address) => Some(Answer::Text(address)),
            None => fail(
                format!("\"{value}\" is not an e-mail address"),
                Some("write it like jana.novakova@obec.cz, or leave the cell empty".into()),
            ),
        },
        QuestionKind::Hidden(types::Hidden { options: None, .. }) => {
            Some(Answer::Text(value.to_string()))
        }
        QuestionKind::Hidden(types::Hidden {
            options: Some(list),
            ..
        })
        | QuestionKind::Dropdown(types::Dropdown { options: list })
        | QuestionKind::Likert(types::Likert { options: list }) => match list.get(value) {
            Some(c) => Some(choice(&c.value, None)),
            None => fail(not_a_code(value, id), Some(codes_hint(value, list, false))),
        },
        QuestionKind::Single(types::Single { options, other }) => {
            let text = other_text.map_or("", |(_, t)| *t);
            if value == OTHER && other.is_some() {
                // An empty text is the form's "other text missing" (checks.rs).
                return Some(choice(OTHER, (!text.is_empty()).then(|| text.to_string())));
            }
            let Some(c) = options.get(value) else {
                return fail(
                    not_a_code(value, id),
                    Some(codes_hint(value, options, other.is_some())),
                );
            };
            if let Some((v, _)) = other_text.filter(|(_, t)| !t.is_empty()) {
                problems.push(other_text_without_other(id, &v.name));
                return None;
            }
            Some(choice(&c.value, None))
        }
        QuestionKind::Number(_) => match parse_number(value) {
            Some(n) => Some(Answer::Number(n)),
            None => fail(
                format!("\"{value}\" is not a number"),
                Some("write digits with a decimal point or comma, e.g. 12 or 2.5".into()),
            ),
        },
        QuestionKind::Rating(types::Rating { min, max, .. }) => match value.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Some(Answer::Number(n as f64)),
            _ => fail(
                format!("\"{value}\" is not a rating: write a whole number from {min} to {max}"),
                None,
            ),
        },
        QuestionKind::Date(_) => match parse_date(value) {
            Some(d) => Some(Answer::Date(d)),
            None => fail(
                format!("\"{value}\" is not a date"),
                Some("write YYYY-MM-DD, e.g. 2024-03-05".into()),
            ),
        },
        QuestionKind::YesNo(types::YesNo) => match value {
            "1" => Some(Answer::Bool(true)),
            "0" => Some(Answer::Bool(false)),
            _ => fail(
                format!("\"{value}\" is not a yes/no answer"),
                Some("write 1 for yes, 0 for no, or leave it empty".into()),
            ),
        },
        QuestionKind::Consent(types::Consent { version, .. }) => {
            if value == version {
                Some(Answer::Consent {
                    version: version.clone(),
                })
            } else {
                fail(
                    format!("\"{value}\" is not the consent version of this survey"),
                    Some(format!(
                        "write \"{version}\" when the respondent agreed, or leave it empty"
                    )),
                )
            }
        }
        QuestionKind::Multi(_) => multi(id, cells, other_text, problems),
        QuestionKind::Matrix(types::Matrix { options, .. }) => {
            let mut rows = BTreeMap::new();
            for (var, cell) in cells {
                if let (Part::Row(row), false) = (&var.part, cell.is_empty()) {
                    match options.get(cell) {
                        Some(c) => {
                            rows.insert(row.clone(), c.value.clone());
                        }
                        None => problems.push(
                            CellProblem::new(&var.name, not_a_code(cell, id))
                                .hint(codes_hint(cell, options, false)),
                        ),
                    }
                }
            }
            (!rows.is_empty()).then_some(Answer::Matrix(rows))
        }
        QuestionKind::Ranking(types::Ranking { options }) => {
            ranking(q, cells, options.options.len(), problems)
        }
        QuestionKind::ConstantSum(_) => points(cells, problems),
    }
}

/// Constant sum: one column per item with its points, a whole number of 0 or more;
/// empty cells count 0 once any item has points. Whether they add up to the total is a
/// form rule (`checks.rs`).
fn points(cells: &[(&Variable, &str)], problems: &mut Vec<CellProblem>) -> Option<Answer> {
    let mut points = BTreeMap::new();
    let mut any = false;
    for (var, cell) in cells {
        let Part::Points(item) = &var.part else {
            continue;
        };
        let n = match *cell {
            "" => 0,
            cell => match parse_number(cell) {
                Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                    any = true;
                    n as u32
                }
                _ => {
                    problems.push(
                        CellProblem::new(
                            &var.name,
                            format!("\"{cell}\" is not a number of points"),
                        )
                        .hint("write a whole number of 0 or more, or leave the cell empty"),
                    );
                    continue;
                }
            },
        };
        points.insert(item.clone(), n);
    }
    any.then_some(Answer::Points(points))
}

fn choice(value: &str, other: Option<String>) -> Answer {
    Answer::Choice {
        value: value.to_string(),
        other,
    }
}

fn not_a_code(value: &str, question: &str) -> String {
    format!("\"{value}\" is not a code of question \"{question}\"")
}

/// "did you mean ...?", or the codes to choose from (the first few of a long list).
fn codes_hint(value: &str, list: &ChoiceList, other: bool) -> String {
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

fn other_text_without_other(question: &str, column: &str) -> CellProblem {
    CellProblem::new(
        column,
        format!("an \"other\" text is given but \"other\" is not chosen in \"{question}\""),
    )
    .hint(format!(
        "choose \"other\" in \"{question}\", or clear this cell"
    ))
}

/// Multiple choice: one 1/0 column per option (and "other"), plus the "other" text.
fn multi(
    id: &str,
    cells: &[(&Variable, &str)],
    other_text: Option<&(&Variable, &str)>,
    problems: &mut Vec<CellProblem>,
) -> Option<Answer> {
    let mut values = Vec::new();
    for (var, cell) in cells {
        let Part::Option(code) = &var.part else {
            continue;
        };
        match *cell {
            "1" => values.push(code.clone()),
            "0" | "" => {}
            _ => problems.push(
                CellProblem::new(&var.name, format!("\"{cell}\" is not a tick"))
                    .hint("write 1 when the option is ticked, 0 or nothing when not"),
            ),
        }
    }
    let text = other_text.filter(|(_, t)| !t.is_empty());
    let ticked_other = values.iter().any(|v| v == OTHER);
    if let (Some((var, _)), false) = (text, ticked_other) {
        problems.push(
            CellProblem::new(
                &var.name,
                format!("an \"other\" text is given but \"{id}.{OTHER}\" is not 1"),
            )
            .hint(format!("write 1 in \"{id}.{OTHER}\", or clear this cell")),
        );
    }
    (!values.is_empty()).then(|| Answer::Choices {
        values,
        other: text.filter(|_| ticked_other).map(|(_, t)| t.to_string()),
    })
}

/// Ranking: one column per option with its rank; ranks run 1, 2, 3 ... without a gap
/// or a repeat (the top three may be ranked and the rest left empty).
fn ranking(
    q: &Question,
    cells: &[(&Variable, &str)],
    n: usize,
    problems: &mut Vec<CellProblem>,
) -> Option<Answer> {
    let before = problems.len();
    let mut ranked: Vec<(usize, String, &str)> = Vec::new();
    for (var, cell) in cells {
        let (Part::Rank(code), false) = (&var.part, cell.is_empty()) else {
            continue;
        };
        let rank = match cell.parse::<usize>() {
            Ok(r) if (1..=n).contains(&r) => r,
            _ => {
                problems.push(CellProblem::new(
                    &var.name,
                    format!("\"{cell}\" is not a rank: write a whole number from 1 to {n}"),
                ));
                continue;
            }
        };
        if let Some((_, _, first)) = ranked.iter().find(|(r, _, _)| *r == rank) {
            problems.push(
                CellProblem::new(&var.name, format!("rank {rank} is given twice")).hint(format!(
                    "\"{first}\" has rank {rank} too: each rank goes to one option"
                )),
            );
            continue;
        }
        ranked.push((rank, code.clone(), var.name.as_str()));
    }
    if problems.len() > before {
        return None;
    }
    ranked.sort();
    if let Some(missing) = (1..=ranked.len()).find(|r| ranked[r - 1].0 != *r) {
        problems.push(
            CellProblem::new(question_column(q), format!("rank {missing} is missing"))
                .hint("ranks run 1, 2, 3 ... without a gap"),
        );
        return None;
    }
    (!ranked.is_empty()).then(|| Answer::Ranking(ranked.into_iter().map(|(_, c, _)| c).collect()))
}
