//! The `textarea` question type.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::sample;
use crate::survey::text::Lang;

/// Several lines of text.
#[derive(Debug)]
pub struct Textarea {
    /// At most this many characters.
    pub max_length: usize,
}

impl Load for Textarea {
    const KEYS: &'static [&'static str] = &["max_length"];
    const NATURE: Nature = Nature::ANSWERED;

    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        Some(Textarea {
            max_length: keys::max_length(ctx, t, 5000),
        })
    }
}

impl super::Rules for Textarea {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        input::text(input, id, self.max_length)
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
        // Typed text is already left out of exports unless declared otherwise.
        None
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let text = sample::COMMENTS.choose(rng)?;
        Some(Answer::Text(text.chars().take(self.max_length).collect()))
    }

    fn read_cells(
        &self,
        _id: &str,
        cells: &[Cell<'_>],
        _problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        Some(Answer::Text(cells::value(cells).replace("\r\n", "\n")))
    }
}
