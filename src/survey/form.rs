//! Decoding a submitted page: raw form fields -> typed answers and field errors,
//! applying `required`, type rules (ranges, lengths, codes) and `validate` rules.
//! Also the reverse: answers -> form fields, to fill a page back in.

use super::answer::{Answer, Answers, format_number};
use super::expr::eval_condition;
pub use super::input::{
    Decoded, FormInput, Problem, parse_date, parse_email, parse_number, points_sum,
};
use super::model::{Page, Question};

#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub question: String,
    /// The part of the question at fault: a matrix row or `other_text`.
    pub part: Option<String>,
    pub problem: Problem,
}

/// The outcome of decoding one page.
#[derive(Debug, Default)]
pub struct PageAnswers {
    /// The page's accepted answers (questions not shown or left blank are absent).
    pub answers: Answers,
    pub errors: Vec<FieldError>,
}

impl PageAnswers {
    /// Store this page's answers into a response's answers: the page's questions get
    /// exactly the new answers (a cleared field is removed); other pages and hidden
    /// values are untouched.
    pub fn apply_to(self, page: &Page, stored: &mut Answers) {
        for q in &page.questions {
            if q.kind.is_answerable() {
                stored.remove(&q.id);
            }
        }
        stored.extend(self.answers);
    }
}

/// How strictly to decode: `Next`/`Submit` enforce every rule; `Back` keeps whatever
/// parses and reports nothing, so going back never loses or blocks input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    Enforce,
    Lenient,
}

/// Decode `page` from `input`. `prior` holds the response's answers so far (earlier
/// pages are used by conditions and rules; this page's old answers are replaced).
pub fn decode_page(
    page: &Page,
    input: &FormInput,
    prior: &Answers,
    strictness: Strictness,
) -> PageAnswers {
    let mut merged = prior.clone();
    for q in &page.questions {
        if q.kind.is_answerable() {
            merged.remove(&q.id);
        }
    }
    let enforce = strictness == Strictness::Enforce;
    let mut errors = Vec::new();
    let mut shown = Vec::new();
    for q in &page.questions {
        if !q.kind.is_answerable() || !is_shown(q, &merged) {
            continue;
        }
        shown.push(q);
        match q.kind.rules().decode(&q.id, input) {
            Ok(Some(answer)) => {
                if let Some(problem) = q.kind.rules().completeness(q.required, &answer) {
                    errors.push(FieldError {
                        question: q.id.clone(),
                        part: None,
                        problem,
                    });
                }
                merged.insert(q.id.clone(), answer);
            }
            Ok(None) if q.required => {
                let problem = match q.kind.consent() {
                    Some(_) => Problem::ConsentRequired,
                    None => Problem::Required,
                };
                errors.push(FieldError {
                    question: q.id.clone(),
                    part: None,
                    problem,
                });
            }
            Ok(None) => {}
            Err((part, problem)) => errors.push(FieldError {
                question: q.id.clone(),
                part,
                problem,
            }),
        }
    }
    if enforce {
        for q in shown {
            if errors.iter().any(|e| e.question == q.id) {
                continue;
            }
            if let Some(v) = q
                .validations
                .iter()
                .find(|v| eval_condition(&v.rule.expr, &merged) == Some(false))
            {
                errors.push(FieldError {
                    question: q.id.clone(),
                    part: None,
                    problem: Problem::Rule(v.message.clone()),
                });
            }
        }
    } else {
        errors.clear();
    }
    // In page order (a rule's error is found after every type error), so the error
    // summary reads top to bottom like the page.
    errors.sort_by_key(|e| page.questions.iter().position(|q| q.id == e.question));
    let answers = page
        .questions
        .iter()
        .filter(|q| q.kind.is_answerable())
        .filter_map(|q| merged.remove_entry(&q.id))
        .collect();
    PageAnswers { answers, errors }
}

/// Whether a question's `show_if` holds (questions without one are always shown).
pub fn is_shown(q: &Question, answers: &Answers) -> bool {
    q.show_if
        .as_ref()
        .is_none_or(|c| eval_condition(&c.expr, answers) == Some(true))
}

/// The form fields that show `answers` for the questions of `page`.
pub fn answers_to_input(page: &Page, answers: &Answers) -> FormInput {
    let mut input = FormInput::default();
    for q in &page.questions {
        let Some(answer) = answers.get(&q.id) else {
            continue;
        };
        let id = &q.id;
        match answer {
            Answer::Text(s) => input.push(id.clone(), s.clone()),
            Answer::Number(n) => input.push(id.clone(), format_number(*n)),
            Answer::Choice { value, other } => {
                input.push(id.clone(), value.clone());
                if let Some(t) = other {
                    input.push(format!("{id}.other_text"), t.clone());
                }
            }
            Answer::Choices { values, other } => {
                for v in values {
                    input.push(id.clone(), v.clone());
                }
                if let Some(t) = other {
                    input.push(format!("{id}.other_text"), t.clone());
                }
            }
            Answer::Matrix(rows) => {
                for (row, code) in rows {
                    input.push(format!("{id}.{row}"), code.clone());
                }
            }
            Answer::Points(points) => {
                for (item, n) in points {
                    input.push(format!("{id}.{item}"), n.to_string());
                }
            }
            Answer::Ranking(items) => {
                for (i, code) in items.iter().enumerate() {
                    input.push(format!("{id}.{code}"), (i + 1).to_string());
                }
            }
            Answer::Date(d) => input.push(id.clone(), d.to_string()),
            Answer::Bool(b) => input.push(id.clone(), if *b { "1" } else { "0" }.into()),
            Answer::Consent { .. } => input.push(id.clone(), "yes".into()),
        }
    }
    input
}

#[cfg(test)]
mod constant_sum_tests;
#[cfg(test)]
mod tests;
