//! The checks a whole response needs, made the way the web form makes them: answers to
//! questions that skip logic hides ([`flow::effective_answers`]), then every page that
//! applies through the form's own rules ([`decode_page`], as
//! [`flow::first_invalid_page`] does before a submit): required questions, ranges,
//! lengths, "other" texts and the survey's `validate` rules. Messages are in English,
//! for the person fixing the file.

use std::collections::BTreeSet;

use super::cells::{CellProblem, question_column};
use crate::survey::answer::{Answer, format_number};
use crate::survey::flow;
use crate::survey::form::{FieldError, Problem, Strictness, answers_to_input, decode_page};
use crate::survey::model::{Condition, Question, QuestionKind};
use crate::survey::types;
use crate::survey::variables::{Part, Variable};
use crate::survey::{Answers, Survey};

/// Check the answers read from one row (`broken`: questions whose cells could not be
/// read; problems that follow from those are left out). `filled(q)`: the row's
/// non-empty columns of question `q`. Returns the answers that count and the problems.
pub(super) fn check_response(
    survey: &Survey,
    raw: &Answers,
    broken: &BTreeSet<String>,
    filled: impl Fn(&str) -> Vec<String>,
    variables: &[Variable],
) -> (Answers, Vec<CellProblem>) {
    let effective = flow::effective_answers(survey, raw);
    let mut problems = Vec::new();
    for (p, page) in survey.pages.iter().enumerate() {
        for q in &page.questions {
            if !raw.contains_key(&q.id) || effective.contains_key(&q.id) {
                continue;
            }
            if refers_to(&[page.show_if.as_ref(), q.show_if.as_ref()], broken) {
                continue;
            }
            let reason = match (&page.show_if, &q.show_if) {
                (Some(c), _) if !flow::page_applies(survey, p, &effective) => {
                    format!("its page \"{}\" applies only if {}", page.id, c.source)
                }
                (_, Some(c)) => format!("it is asked only if {}", c.source),
                _ => "skip logic hides it".to_string(),
            };
            for column in filled(&q.id) {
                problems.push(
                    CellProblem::new(
                        column,
                        format!(
                            "answered, but question \"{}\" does not apply to this response: {reason}",
                            q.id
                        ),
                    )
                    .hint("leave it empty, or check the answers the condition depends on"),
                );
            }
        }
    }
    for (i, page) in survey.pages.iter().enumerate() {
        if !flow::page_applies(survey, i, &effective) {
            continue;
        }
        let input = answers_to_input(page, &effective);
        let checked = decode_page(page, &input, &effective, Strictness::Enforce);
        for error in checked.errors {
            let Some(q) = survey.question(&error.question) else {
                continue;
            };
            let conditions = [page.show_if.as_ref(), q.show_if.as_ref()]
                .into_iter()
                .chain(q.validations.iter().map(|v| Some(&v.rule)))
                .collect::<Vec<_>>();
            if broken.contains(&q.id) || refers_to(&conditions, broken) {
                continue;
            }
            problems.extend(describe(survey, q, &error, effective.get(&q.id), variables));
        }
    }
    (effective, problems)
}

/// Whether any of `conditions` reads a question in `broken`.
fn refers_to(conditions: &[Option<&Condition>], broken: &BTreeSet<String>) -> bool {
    conditions.iter().flatten().any(|c| {
        c.expr
            .references()
            .iter()
            .any(|(question, _, _)| broken.contains(*question))
    })
}

/// A form error in words, on the column(s) at fault.
fn describe(
    survey: &Survey,
    q: &Question,
    error: &FieldError,
    answer: Option<&Answer>,
    variables: &[Variable],
) -> Vec<CellProblem> {
    let id = q.id.as_str();
    let column = match &error.part {
        Some(part) => format!("{id}.{part}"),
        None => question_column(q),
    };
    let value = match (answer, &error.part) {
        (Some(Answer::Points(points)), Some(item)) => {
            points.get(item).map(u32::to_string).unwrap_or_default()
        }
        (Some(Answer::Number(n)), _) => format_number(*n),
        (Some(Answer::Date(d)), _) => d.to_string(),
        _ => String::new(),
    };
    let one = |message: String| vec![CellProblem::new(column.clone(), message)];
    // The columns of a matrix row or ranking option left empty.
    let empty_parts = |message: &str| -> Vec<CellProblem> {
        variables
            .iter()
            .filter(|v| v.question == id)
            .filter(|v| match (&v.part, answer) {
                (Part::Row(row), Some(Answer::Matrix(rows))) => !rows.contains_key(row),
                (Part::Rank(code), Some(Answer::Ranking(items))) => !items.contains(code),
                _ => false,
            })
            .map(|v| CellProblem::new(&v.name, message))
            .collect()
    };
    match &error.problem {
        Problem::Required => match q.kind {
            QuestionKind::Multi(_) => one(format!(
                "required question \"{id}\" has no answer: no option is ticked"
            )),
            QuestionKind::Text(_)
            | QuestionKind::Textarea(_)
            | QuestionKind::Email(types::Email)
            | QuestionKind::Number(_)
            | QuestionKind::Single(_)
            | QuestionKind::Dropdown(_)
            | QuestionKind::Likert(_)
            | QuestionKind::Matrix(_)
            | QuestionKind::Rating(_)
            | QuestionKind::Date(_)
            | QuestionKind::YesNo(types::YesNo)
            | QuestionKind::Consent(_)
            | QuestionKind::Ranking(_)
            | QuestionKind::ConstantSum(_)
            | QuestionKind::Note(types::Note)
            | QuestionKind::Hidden(_) => one(format!("required question \"{id}\" has no answer")),
        },
        Problem::ConsentRequired => {
            let version = q.kind.consent().map_or("", |(version, _)| version);
            vec![
                CellProblem::new(
                    column,
                    "consent is required: a response without it cannot be stored",
                )
                .hint(format!("write \"{version}\" if the respondent agreed")),
            ]
        }
        Problem::TooLong { max } => one(format!("longer than {max} characters")),
        Problem::NotANumber => one("not a number".into()),
        Problem::NotWhole => one(format!("{value} is not a whole number")),
        Problem::BelowMin { min } => one(format!(
            "{value} is less than the minimum, {}",
            format_number(*min)
        )),
        Problem::AboveMax { max } => one(format!(
            "{value} is more than the maximum, {}",
            format_number(*max)
        )),
        Problem::InvalidChoice => one(format!("not an option of question \"{id}\"")),
        Problem::OtherTextMissing => vec![
            CellProblem::new(
                column,
                format!("\"other\" is chosen in \"{id}\" but its text is empty"),
            )
            .hint("write what the respondent wrote for \"other\""),
        ],
        Problem::TooFew { min } => one(format!("tick at least {min} options")),
        Problem::TooMany { max } => one(format!("tick at most {max} options")),
        Problem::RowsMissing { .. } => empty_parts(&format!(
            "required matrix \"{id}\": every row needs an answer"
        )),
        Problem::InvalidDate => one("not a date".into()),
        Problem::NotAnEmail => one("not an e-mail address (like jana.novakova@obec.cz)".into()),
        Problem::DateBefore { min } => one(format!(
            "{value} is before {min}, the earliest date allowed"
        )),
        Problem::DateAfter { max } => {
            one(format!("{value} is after {max}, the latest date allowed"))
        }
        Problem::RankUsedTwice { rank } => one(format!("rank {rank} is given twice")),
        Problem::RankingIncomplete => empty_parts(&format!(
            "required ranking \"{id}\": every option needs a rank"
        )),
        Problem::RankSkipped { rank } => one(format!("rank {rank} is missing")),
        Problem::SumMismatch { total, sum } => vec![
            CellProblem::new(
                column,
                format!("the points of \"{id}\" add up to {sum}, not to {total}"),
            )
            .hint(format!(
                "the items of \"{id}\" must add up to exactly {total}"
            )),
        ],
        Problem::Rule(message) => one(format!(
            "breaks a rule of the survey: {}",
            message.get(survey.default_language())
        )),
    }
}
