//! The `email` question type.

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, PrivacyClass, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Lang;

/// An e-mail address: checked for its form, an identifier unless the file says
/// otherwise.
#[derive(Debug)]
pub struct Email;

impl Load for Email {
    const KEYS: &'static [&'static str] = &[];

    // An e-mail address names its owner.
    const NATURE: Nature = Nature {
        default_privacy: Some(PrivacyClass::Identifier),
        ..Nature::ANSWERED
    };

    fn load(
        _ctx: &mut Ctx<'_>,
        _t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        Some(Email)
    }
}

impl super::Rules for Email {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let Some(v) = input.value(id) else {
            return Ok(None);
        };
        match input::parse_email(v) {
            Some(address) => Ok(Some(Answer::Text(address))),
            None => input::fail(Problem::NotAnEmail),
        }
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        true
    }

    fn columns(&self) -> Vec<Part> {
        vec![Part::Value]
    }

    fn client_field(&self, question: &str, _part: Option<&str>) -> Option<Json> {
        Some(json!({"f": question, "k": "text"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Text
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        // Typed answers have no value labels.
        Vec::new()
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        // An e-mail address is an identifier by default, not a quasi-identifier.
        None
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        // Addresses at example.org, reserved for examples (RFC 2606: no mail reaches it).
        Some(Answer::Text(format!(
            "respondent{}@example.org",
            rng.random_range(1000..100_000)
        )))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        match input::parse_email(value) {
            Some(address) => Some(Answer::Text(address)),
            None => cells::fail(
                problems,
                id,
                format!("\"{value}\" is not an e-mail address"),
                Some("write it like jana.novakova@obec.cz, or leave the cell empty".into()),
            ),
        }
    }
}
