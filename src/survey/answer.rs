//! Typed answers to questions, as stored (JSON, one object per response) and as
//! seen by expressions, validation and exports.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The code stored for the "other" option of single and multiple choice questions.
pub const OTHER: &str = "other";

/// One question's answer. Serialized with an explicit tag (`{"choice": {...}}`) so stored
/// responses can be read without the survey definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// text, textarea, and hidden questions without a choice list.
    Text(String),
    /// number and rating.
    Number(f64),
    /// single, dropdown, likert, hidden with a choice list. `other` holds the text typed
    /// for the "other" option.
    Choice {
        value: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    },
    /// multi: the ticked codes in option order.
    Choices {
        values: Vec<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other: Option<String>,
    },
    /// matrix: row id -> code; rows left blank are absent.
    Matrix(BTreeMap<String, String>),
    /// constant_sum: item id -> points, every item present (items left blank count 0).
    Points(BTreeMap<String, u32>),
    /// ranking: codes from first to last place.
    Ranking(Vec<String>),
    #[serde(with = "iso_date")]
    Date(time::Date),
    /// yesno.
    Bool(bool),
    /// consent: the version of the consent text that was agreed to.
    Consent { version: String },
}

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

/// All answers of one response, keyed by question id.
pub type Answers = BTreeMap<String, Answer>;

/// Format a number the way exports and form fields show it: integers without a
/// decimal point, other values in their shortest exact form.
pub fn format_number(n: f64) -> String {
    let mut out = String::new();
    write_number(n, &mut out);
    out
}

/// [`format_number`], appended to `out`.
pub fn write_number(n: f64, out: &mut String) {
    use std::fmt::Write;
    let _ = if n.fract() == 0.0 && n.abs() < 1e15 {
        write!(out, "{}", n as i64)
    } else {
        write!(out, "{n}")
    };
}

/// One piece of an answer, one export column each (see [`crate::survey::variables`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    /// The question's single value.
    Value,
    /// One option of a multiple-choice question: 1 ticked, 0 not.
    Option(String),
    /// One row of a matrix: the code chosen.
    Row(String),
    /// One option of a ranking: its rank.
    Rank(String),
    /// One item of a constant sum: its points.
    Points(String),
    /// The text typed for "other".
    OtherText,
}

impl Part {
    /// What the part adds to the question id in its column's name (`q.suffix`):
    /// nothing for the value, the option, row or item id, or `other_text`.
    pub fn suffix(&self) -> Option<&str> {
        match self {
            Part::Value => None,
            Part::Option(id) | Part::Row(id) | Part::Rank(id) | Part::Points(id) => Some(id),
            Part::OtherText => Some("other_text"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_round_trip_through_json() {
        let mut a = Answers::new();
        a.insert(
            "role".into(),
            Answer::Choice {
                value: "other".into(),
                other: Some("starosta".into()),
            },
        );
        a.insert(
            "topics".into(),
            Answer::Choices {
                values: vec!["a".into()],
                other: None,
            },
        );
        a.insert(
            "when".into(),
            Answer::Date(time::macros::date!(2024 - 01 - 16)),
        );
        a.insert(
            "m".into(),
            Answer::Matrix([("r1".to_string(), "3".to_string())].into()),
        );
        a.insert(
            "ok".into(),
            Answer::Consent {
                version: "2024-01".into(),
            },
        );
        let json = serde_json::to_string(&a).unwrap();
        assert!(json.contains(r#""when":{"date":"2024-01-16"}"#), "{json}");
        assert!(
            json.contains(r#""topics":{"choices":{"values":["a"]}}"#),
            "{json}"
        );
        let back: Answers = serde_json::from_str(&json).unwrap();
        assert_eq!(back, a);
    }

    #[test]
    fn numbers_format_without_needless_decimals() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(0.1 + 0.2), "0.30000000000000004");
    }
}
