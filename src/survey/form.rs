//! Decoding a submitted page: raw form fields -> typed answers and field errors,
//! applying `required`, type rules (ranges, lengths, codes) and `validate` rules.
//! Also the reverse: answers -> form fields, to fill a page back in.

use super::answer::{Answer, Answers, OTHER, format_number};
use super::expr::eval_condition;
use super::model::{ChoiceList, MatrixRow, Page, Question, QuestionKind};
use super::text::Text;

/// Raw form fields of one page, in the order the browser sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormInput {
    fields: Vec<(String, String)>,
}

impl FormInput {
    pub fn new(fields: Vec<(String, String)>) -> FormInput {
        FormInput { fields }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Trimmed value, `None` when absent or blank.
    fn value(&self, name: &str) -> Option<&str> {
        self.get(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, name: &str, value: &str) -> bool {
        self.all(name).any(|v| v == value)
    }

    pub fn push(&mut self, name: String, value: String) {
        self.fields.push((name, value));
    }

    /// Replace the value(s) of `name` with one value.
    pub fn set(&mut self, name: &str, value: String) {
        self.fields.retain(|(k, _)| k != name);
        self.fields.push((name.to_string(), value));
    }
}

/// Why an answer was not accepted. The web layer words it in the respondent's language.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    NotANumber,
    NotWhole,
    BelowMin {
        min: f64,
    },
    AboveMax {
        max: f64,
    },
    /// A code that is not one of the options (only a tampered form sends this).
    InvalidChoice,
    OtherTextMissing,
    TooFew {
        min: usize,
    },
    TooMany {
        max: usize,
    },
    RowsMissing {
        missing: usize,
    },
    InvalidDate,
    /// Not the form of an e-mail address.
    NotAnEmail,
    DateBefore {
        min: time::Date,
    },
    DateAfter {
        max: time::Date,
    },
    ConsentRequired,
    RankUsedTwice {
        rank: usize,
    },
    RankingIncomplete,
    /// The points of a constant sum add up to `sum`, not to `total`.
    SumMismatch {
        total: u32,
        sum: u64,
    },
    /// Ranks must run 1, 2, 3 ... without a gap; this one is missing.
    RankSkipped {
        rank: usize,
    },
    /// A `validate` rule failed: its message from the survey file.
    Rule(Text),
}

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
        match decode_question(q, input) {
            Ok(Some(answer)) => {
                if let Some(problem) = completeness(q, &answer) {
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

/// What is wrong with an answer as a whole, though each of its parts parsed: a required
/// matrix or ranking must be answered in full, a constant sum must add up. The answer is
/// kept (going back keeps it); moving on is refused.
fn completeness(q: &Question, answer: &Answer) -> Option<Problem> {
    match &q.kind {
        QuestionKind::Matrix { rows, .. } => match answer {
            Answer::Matrix(given) if q.required && given.len() < rows.len() => {
                Some(Problem::RowsMissing {
                    missing: rows.len() - given.len(),
                })
            }
            _ => None,
        },
        QuestionKind::Ranking { options } => match answer {
            Answer::Ranking(given) if q.required && given.len() < options.options.len() => {
                Some(Problem::RankingIncomplete)
            }
            _ => None,
        },
        QuestionKind::ConstantSum { total, .. } => match answer {
            Answer::Points(points) => {
                let sum = points_sum(points);
                (sum != u64::from(*total)).then_some(Problem::SumMismatch { total: *total, sum })
            }
            _ => None,
        },
        // One answer is a whole answer.
        QuestionKind::Text { .. }
        | QuestionKind::Textarea { .. }
        | QuestionKind::Email
        | QuestionKind::Number { .. }
        | QuestionKind::Single { .. }
        | QuestionKind::Dropdown { .. }
        | QuestionKind::Multi { .. }
        | QuestionKind::Likert { .. }
        | QuestionKind::Rating { .. }
        | QuestionKind::Date { .. }
        | QuestionKind::YesNo
        | QuestionKind::Consent { .. }
        | QuestionKind::Note
        | QuestionKind::Hidden { .. } => None,
    }
}

type Decoded = Result<Option<Answer>, (Option<String>, Problem)>;

fn fail(problem: Problem) -> Decoded {
    Err((None, problem))
}

fn decode_question(q: &Question, input: &FormInput) -> Decoded {
    let id = q.id.as_str();
    match &q.kind {
        QuestionKind::Text { max_length, .. } | QuestionKind::Textarea { max_length } => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            let v = v.replace("\r\n", "\n");
            if v.chars().count() > *max_length {
                return fail(Problem::TooLong { max: *max_length });
            }
            Ok(Some(Answer::Text(v)))
        }
        QuestionKind::Email => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            match parse_email(v) {
                Some(address) => Ok(Some(Answer::Text(address))),
                None => fail(Problem::NotAnEmail),
            }
        }
        QuestionKind::Number {
            min, max, integer, ..
        } => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            let n = parse_number(v).ok_or((None, Problem::NotANumber))?;
            if *integer && n.fract() != 0.0 {
                return fail(Problem::NotWhole);
            }
            if let Some(min) = min.filter(|m| n < *m) {
                return fail(Problem::BelowMin { min });
            }
            if let Some(max) = max.filter(|m| n > *m) {
                return fail(Problem::AboveMax { max });
            }
            Ok(Some(Answer::Number(n)))
        }
        QuestionKind::Single { options, other } => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            if v == OTHER && other.is_some() {
                let text = other_text(q, input)?;
                return Ok(Some(Answer::Choice {
                    value: OTHER.into(),
                    other: Some(text),
                }));
            }
            choice(options, v)
        }
        QuestionKind::Dropdown { options } | QuestionKind::Likert { options } => {
            match input.value(id) {
                Some(v) => choice(options, v),
                None => Ok(None),
            }
        }
        QuestionKind::Multi {
            options,
            min,
            max,
            other,
        } => multi(q, input, options, (*min, *max), other.is_some()),
        QuestionKind::Matrix { rows, options } => {
            let mut given = std::collections::BTreeMap::new();
            for row in rows {
                if let Some(v) = input.value(&format!("{id}.{}", row.id)) {
                    if options.get(v).is_none() {
                        return Err((Some(row.id.clone()), Problem::InvalidChoice));
                    }
                    given.insert(row.id.clone(), v.to_string());
                }
            }
            Ok((!given.is_empty()).then_some(Answer::Matrix(given)))
        }
        QuestionKind::Rating { min, max, .. } => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            match v.parse::<i64>() {
                Ok(n) if (*min..=*max).contains(&n) => Ok(Some(Answer::Number(n as f64))),
                _ => fail(Problem::InvalidChoice),
            }
        }
        QuestionKind::Date { min, max } => {
            let Some(v) = input.value(id) else {
                return Ok(None);
            };
            let d = parse_date(v).ok_or((None, Problem::InvalidDate))?;
            if let Some(min) = min.filter(|m| d < *m) {
                return fail(Problem::DateBefore { min });
            }
            if let Some(max) = max.filter(|m| d > *m) {
                return fail(Problem::DateAfter { max });
            }
            Ok(Some(Answer::Date(d)))
        }
        QuestionKind::YesNo => match input.value(id) {
            None => Ok(None),
            Some("1") => Ok(Some(Answer::Bool(true))),
            Some("0") => Ok(Some(Answer::Bool(false))),
            Some(_) => fail(Problem::InvalidChoice),
        },
        QuestionKind::Consent { version, .. } => match input.value(id) {
            None => Ok(None),
            Some("yes") => Ok(Some(Answer::Consent {
                version: version.clone(),
            })),
            Some(_) => fail(Problem::InvalidChoice),
        },
        QuestionKind::Ranking { options } => ranking(id, input, options),
        QuestionKind::ConstantSum { items, total, .. } => points(id, input, items, *total),
        QuestionKind::Note | QuestionKind::Hidden { .. } => Ok(None),
    }
}

/// Multiple choice: the ticked codes in option order; text typed into "other" ticks it.
fn multi(
    q: &Question,
    input: &FormInput,
    options: &ChoiceList,
    (min, max): (Option<usize>, Option<usize>),
    has_other: bool,
) -> Decoded {
    let id = q.id.as_str();
    let typed_other = has_other && input.value(&format!("{id}.other_text")).is_some();
    let mut values = Vec::new();
    for c in &options.options {
        if input.contains(id, &c.value) {
            values.push(c.value.clone());
        }
    }
    let ticked_other = has_other && (input.contains(id, OTHER) || typed_other);
    if input
        .all(id)
        .any(|v| !v.is_empty() && v != OTHER && options.get(v).is_none())
    {
        return fail(Problem::InvalidChoice);
    }
    let other_value = if ticked_other {
        values.push(OTHER.into());
        Some(other_text(q, input)?)
    } else {
        None
    };
    if values.is_empty() {
        return Ok(None);
    }
    if let Some(min) = min.filter(|m| values.len() < *m) {
        return fail(Problem::TooFew { min });
    }
    if let Some(max) = max.filter(|m| values.len() > *m) {
        return fail(Problem::TooMany { max });
    }
    Ok(Some(Answer::Choices {
        values,
        other: other_value,
    }))
}

/// Ranking: a rank per option; ranks run 1, 2, 3 ... without a gap or a repeat.
fn ranking(id: &str, input: &FormInput, options: &ChoiceList) -> Decoded {
    let n = options.options.len();
    let mut ranked: Vec<(usize, String)> = Vec::new();
    for c in &options.options {
        let Some(v) = input.value(&format!("{id}.{}", c.value)) else {
            continue;
        };
        let rank = match v.parse::<usize>() {
            Ok(r) if (1..=n).contains(&r) => r,
            _ => return Err((Some(c.value.clone()), Problem::InvalidChoice)),
        };
        if ranked.iter().any(|(r, _)| *r == rank) {
            return Err((Some(c.value.clone()), Problem::RankUsedTwice { rank }));
        }
        ranked.push((rank, c.value.clone()));
    }
    ranked.sort();
    // Ranks count from 1 without gaps, so "the top three" means ranks 1, 2 and 3.
    if let Some(missing) = (1..=ranked.len()).find(|r| ranked[r - 1].0 != *r) {
        return fail(Problem::RankSkipped { rank: missing });
    }
    Ok((!ranked.is_empty()).then(|| Answer::Ranking(ranked.into_iter().map(|(_, c)| c).collect())))
}

/// A constant sum's points: each item a whole number from 0 to `total`; items left blank
/// count 0 once any item has points, so the answer always names every item. Whether the
/// points add up is checked by [`completeness`], so a wrong sum keeps what was typed.
fn points(id: &str, input: &FormInput, items: &[MatrixRow], total: u32) -> Decoded {
    let mut given = std::collections::BTreeMap::new();
    for item in items {
        let Some(v) = input.value(&format!("{id}.{}", item.id)) else {
            continue;
        };
        let part = || Some(item.id.clone());
        let n = parse_number(v).ok_or((part(), Problem::NotANumber))?;
        if n.fract() != 0.0 {
            return Err((part(), Problem::NotWhole));
        }
        if n < 0.0 {
            return Err((part(), Problem::BelowMin { min: 0.0 }));
        }
        if n > f64::from(total) {
            return Err((
                part(),
                Problem::AboveMax {
                    max: f64::from(total),
                },
            ));
        }
        given.insert(item.id.clone(), n as u32);
    }
    if given.is_empty() {
        return Ok(None);
    }
    for item in items {
        given.entry(item.id.clone()).or_insert(0);
    }
    Ok(Some(Answer::Points(given)))
}

/// The points of a constant sum added up (in `u64`, so no answer can overflow).
pub fn points_sum(points: &std::collections::BTreeMap<String, u32>) -> u64 {
    points.values().map(|&p| u64::from(p)).sum()
}

fn choice(options: &ChoiceList, v: &str) -> Decoded {
    match options.get(v) {
        Some(c) => Ok(Some(Answer::Choice {
            value: c.value.clone(),
            other: None,
        })),
        None => fail(Problem::InvalidChoice),
    }
}

fn other_text(q: &Question, input: &FormInput) -> Result<String, (Option<String>, Problem)> {
    match input.value(&format!("{}.other_text", q.id)) {
        Some(t) if t.chars().count() > 500 => {
            Err((Some("other_text".into()), Problem::TooLong { max: 500 }))
        }
        Some(t) => Ok(t.to_string()),
        None => Err((Some("other_text".into()), Problem::OtherTextMissing)),
    }
}

/// Accepts `3`, `3.5`, `3,5`, `-2`, `1 250` (spaces as thousands separators).
pub fn parse_number(s: &str) -> Option<f64> {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    let valid = !cleaned.is_empty()
        && cleaned
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'));
    valid
        .then(|| cleaned.parse::<f64>().ok())
        .flatten()
        .filter(|n| n.is_finite())
}

/// An e-mail address as typed (spaces around it removed), if it has the form browsers
/// accept in an `<input type="email">` (the WHATWG "valid e-mail address") and a dot in
/// its domain (an address on the internet has one: `jana@obec` is a slip), at most 254
/// characters. Whether mail reaches it is not checked.
pub fn parse_email(s: &str) -> Option<String> {
    static FORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$",
        )
        .expect("a valid pattern")
    });
    let s = s.trim();
    (s.len() <= 254 && FORM.is_match(s)).then(|| s.to_string())
}

/// Accepts ISO `2024-01-16` (what date pickers send) and Czech `16. 1. 2024`.
pub fn parse_date(s: &str) -> Option<time::Date> {
    if let Some(d) = super::expr::parse_date_literal(s) {
        return Some(d);
    }
    let parts: Vec<&str> = s.split('.').map(str::trim).collect();
    let [day, month, year] = parts.as_slice() else {
        return None;
    };
    let month = time::Month::try_from(month.parse::<u8>().ok()?).ok()?;
    time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
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
