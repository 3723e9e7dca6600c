//! The `note` question type.

use rand::rngs::StdRng;
use serde_json::Value as Json;

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{Cell, CellProblem};
use crate::survey::expr::ValueType;
use crate::survey::input::{Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Lang;

/// Text shown between questions; nothing to answer.
#[derive(Debug)]
pub struct Note;

impl Load for Note {
    const KEYS: &'static [&'static str] = &[];

    const NATURE: Nature = Nature {
        answerable: false,
        classified: false,
        ..Nature::ANSWERED
    };

    fn load(
        _ctx: &mut Ctx<'_>,
        _t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        Some(Note)
    }
}

impl super::Rules for Note {
    fn decode(&self, _id: &str, _input: &FormInput) -> Decoded {
        Ok(None)
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        Vec::new()
    }

    fn client_field(&self, _question: &str, _part: Option<&str>) -> Option<Json> {
        None
    }

    fn value_type(&self) -> ValueType {
        ValueType::NoValue
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        // A note has no value.
        Vec::new()
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        None
    }

    fn sample_answer(&self, _leaning: f64, _rng: &mut StdRng) -> Option<Answer> {
        None
    }

    fn read_cells(
        &self,
        _id: &str,
        _cells: &[Cell<'_>],
        _problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        None
    }
}
