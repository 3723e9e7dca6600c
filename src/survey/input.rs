//! What a submitted page holds and how one answer is read from it: the raw fields
//! ([`FormInput`]), what can be wrong with an answer ([`Problem`]), and the readers the
//! question types share (numbers, dates, e-mail addresses, options, "other" texts).

use super::answer::Answer;
use super::choice::ChoiceList;
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
    pub fn value(&self, name: &str) -> Option<&str> {
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

/// A question's answer from a submitted page: `Ok(None)` when left blank, or the part
/// at fault (a matrix row, `other_text`) and what is wrong.
pub type Decoded = Result<Option<Answer>, (Option<String>, Problem)>;

pub(crate) fn fail(problem: Problem) -> Decoded {
    Err((None, problem))
}

/// The option `v` of `options`.
pub(crate) fn choice(options: &ChoiceList, v: &str) -> Decoded {
    match options.get(v) {
        Some(c) => Ok(Some(Answer::Choice {
            value: c.value.clone(),
            other: None,
        })),
        None => fail(Problem::InvalidChoice),
    }
}

/// A typed answer of at most `max_length` characters (line ends as `\n`).
pub(crate) fn text(input: &FormInput, id: &str, max_length: usize) -> Decoded {
    let Some(v) = input.value(id) else {
        return Ok(None);
    };
    let v = v.replace("\r\n", "\n");
    if v.chars().count() > max_length {
        return fail(Problem::TooLong { max: max_length });
    }
    Ok(Some(Answer::Text(v)))
}

/// One option of `options`, or nothing.
pub(crate) fn one_choice(input: &FormInput, id: &str, options: &ChoiceList) -> Decoded {
    match input.value(id) {
        Some(v) => choice(options, v),
        None => Ok(None),
    }
}

/// The text typed into the "other" box of question `id`.
pub(crate) fn other_text(input: &FormInput, id: &str) -> Result<String, (Option<String>, Problem)> {
    match input.value(&format!("{id}.other_text")) {
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

/// Accepts ISO `2024-01-16`, Czech `16. 1. 2024` and English `16 January 2024` (or
/// `16 Jan 2024`): each language's date field shows and asks for its own form, and
/// either language's answer is read.
pub fn parse_date(s: &str) -> Option<time::Date> {
    let s = s.trim();
    if let Some(d) = super::expr::parse_date_literal(s) {
        return Some(d);
    }
    let (day, month, year) = match s.split('.').map(str::trim).collect::<Vec<_>>()[..] {
        [day, month, year] => (
            day,
            time::Month::try_from(month.parse::<u8>().ok()?).ok()?,
            year,
        ),
        _ => match s.split_whitespace().collect::<Vec<_>>()[..] {
            [day, month, year] => (day, english_month(month)?, year),
            _ => return None,
        },
    };
    time::Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// An English month name, or its first three letters or more (`Jan`, `Sept`), any case.
fn english_month(name: &str) -> Option<time::Month> {
    let name = name.trim_end_matches(',').to_lowercase();
    let mut month = time::Month::January;
    for _ in 0..12 {
        let full = month.to_string().to_lowercase();
        if name.len() >= 3 && full.starts_with(&name) {
            return Some(month);
        }
        month = month.next();
    }
    None
}

/// The points of a constant sum added up (in `u64`, so no answer can overflow).
pub fn points_sum(points: &std::collections::BTreeMap<String, u32>) -> u64 {
    points.values().map(|&p| u64::from(p)).sum()
}
