//! The `single` question type.

use std::sync::Arc;

use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::with_other;
use super::{Load, Nature, likely_from_attributes};
use crate::survey::answer::Answer;
use crate::survey::answer::OTHER;
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
use crate::survey::text::Text;

/// One option of a list, with an optional "other" that asks for a text.
#[derive(Debug)]
pub struct Single {
    pub options: Arc<ChoiceList>,
    /// The label of the "other" option (`other = ...`).
    pub other: Option<Text>,
}

impl Load for Single {
    const KEYS: &'static [&'static str] = &["options", "choices", "other"];
    const NATURE: Nature = Nature::ANSWERED;

    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let options = keys::options(ctx, t, lists, false)?;
        let other = keys::other(ctx, t, &options);
        Some(Single { options, other })
    }
}

impl super::Rules for Single {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let Some(v) = input.value(id) else {
            return Ok(None);
        };
        if v == OTHER && self.other.is_some() {
            let text = input::other_text(input, id)?;
            return Ok(Some(Answer::Choice {
                value: OTHER.into(),
                other: Some(text),
            }));
        }
        input::choice(&self.options, v)
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        let mut parts = vec![Part::Value];
        if self.other.is_some() {
            parts.push(Part::OtherText);
        }
        parts
    }

    fn client_field(&self, question: &str, _part: Option<&str>) -> Option<Json> {
        Some(json!({"f": question, "k": "choice"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Choice {
            codes: with_other(self.options.codes(), self.other.is_some()),
        }
    }

    fn value_labels(&self, lang: Lang) -> Vec<String> {
        let mut values = self.options.value_labels(lang);
        if let Some(other) = &self.other {
            values.push(format!("{OTHER} = {}", other.get(lang)));
        }
        values
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
        let value = cells::value(cells);
        let other_text = cells::other_text(cells);
        if value == OTHER && self.other.is_some() {
            // An empty text is the form's "other text missing" (import checks).
            return Some(cells::choice(
                OTHER,
                other_text.map(|t| t.value.to_string()),
            ));
        }
        let Some(c) = self.options.get(value) else {
            return cells::fail(
                problems,
                id,
                cells::not_a_code(value, id),
                Some(cells::codes_hint(
                    value,
                    &self.options,
                    self.other.is_some(),
                )),
            );
        };
        if let Some(text) = other_text {
            problems.push(cells::other_text_without_other(id, text.column));
            return None;
        }
        Some(cells::choice(&c.value, None))
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        Some(&self.options)
    }

    fn other_label(&self) -> Option<&Text> {
        self.other.as_ref()
    }
}
