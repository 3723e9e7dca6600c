//! The `yesno` question type.

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Lang;

/// Yes or no.
#[derive(Debug)]
pub struct YesNo;

impl Load for YesNo {
    const KEYS: &'static [&'static str] = &[];
    const NATURE: Nature = Nature::ANSWERED;

    fn load(
        _ctx: &mut Ctx<'_>,
        _t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        Some(YesNo)
    }
}

impl super::Rules for YesNo {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        match input.value(id) {
            None => Ok(None),
            Some("1") => Ok(Some(Answer::Bool(true))),
            Some("0") => Ok(Some(Answer::Bool(false))),
            Some(_) => input::fail(Problem::InvalidChoice),
        }
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
        Some(json!({"f": question, "k": "bool"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Bool
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        vec!["1 = yes".into(), "0 = no".into()]
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        None
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        Some(Answer::Bool(rng.random_bool(0.6)))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        match value {
            "1" => Some(Answer::Bool(true)),
            "0" => Some(Answer::Bool(false)),
            _ => cells::fail(
                problems,
                id,
                format!("\"{value}\" is not a yes/no answer"),
                Some("write 1 for yes, 0 for no, or leave it empty".into()),
            ),
        }
    }
}
