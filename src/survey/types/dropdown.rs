//! The `dropdown` question type.

use std::sync::Arc;

use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::{Load, Nature, likely_from_attributes};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::choice::ChoiceList;
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::sample;
use crate::survey::text::Lang;

/// One option of a long list, picked from a drop-down.
#[derive(Debug)]
pub struct Dropdown {
    pub options: Arc<ChoiceList>,
}

impl Load for Dropdown {
    const KEYS: &'static [&'static str] = &["options", "choices"];
    const NATURE: Nature = Nature::ANSWERED;

    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        Some(Dropdown {
            options: keys::options(ctx, t, lists, false)?,
        })
    }
}

impl super::Rules for Dropdown {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        input::one_choice(input, id, &self.options)
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        vec![Part::Value]
    }

    fn client_field(&self, question: &str, _part: Option<&str>) -> Option<Json> {
        Some(json!({"f": question, "k": "choice"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Choice {
            codes: self.options.codes(),
        }
    }

    fn value_labels(&self, lang: Lang) -> Vec<String> {
        self.options.value_labels(lang)
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        likely_from_attributes(&self.options)
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        Some(Answer::Choice {
            value: sample::code(&self.options, rng)?,
            other: None,
        })
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        cells::one_code(problems, id, cells::value(cells), &self.options)
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        Some(&self.options)
    }
}
