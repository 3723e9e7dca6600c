//! The `hidden` question type.

use std::sync::Arc;

use rand::rngs::StdRng;
use serde_json::Value as Json;

use super::{Load, Nature, likely_from_attributes};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::choice::ChoiceList;
use crate::survey::expr::ValueType;
use crate::survey::input::{Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Lang;

/// A value carried in the survey link (`?param=...`), never shown.
#[derive(Debug)]
pub struct Hidden {
    /// The link parameter it is read from.
    pub param: String,
    /// The codes it may take, when it has a list.
    pub options: Option<Arc<ChoiceList>>,
}

impl Load for Hidden {
    const KEYS: &'static [&'static str] = &["options", "choices", "param"];

    const NATURE: Nature = Nature {
        answerable: false,
        shown: false,
        ..Nature::ANSWERED
    };

    /// `hidden`: the URL `param` (default the id), an optional choice list.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let param = t.string(ctx, "param", "\"municipality\"");
        if let Some(p) = &param
            && !crate::survey::reader::is_code(&p.value)
        {
            ctx.error(
                p.span.clone(),
                format!("\"{}\" is not a usable URL parameter name", p.value),
                Some("use letters, digits, - and _".into()),
            );
        }
        let options = keys::options(ctx, t, lists, true);
        Some(Hidden {
            param: param
                .map(|p| p.value)
                .or_else(|| id.map(|i| i.value.clone()))?,
            options,
        })
    }
}

impl super::Rules for Hidden {
    fn decode(&self, _id: &str, _input: &FormInput) -> Decoded {
        Ok(None)
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        self.options.is_none()
    }

    fn columns(&self) -> Vec<Part> {
        vec![Part::Value]
    }

    fn client_field(&self, _question: &str, _part: Option<&str>) -> Option<Json> {
        None
    }

    fn value_type(&self) -> ValueType {
        match &self.options {
            Some(options) => ValueType::Choice {
                codes: options.codes(),
            },
            None => ValueType::Text,
        }
    }

    fn value_labels(&self, lang: Lang) -> Vec<String> {
        self.options
            .as_ref()
            .map_or_else(Vec::new, |list| list.value_labels(lang))
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        self.options.as_deref().and_then(likely_from_attributes)
    }

    fn sample_answer(&self, _leaning: f64, _rng: &mut StdRng) -> Option<Answer> {
        None
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        match &self.options {
            None => Some(Answer::Text(value.to_string())),
            Some(list) => cells::one_code(problems, id, value, list),
        }
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        self.options.as_ref()
    }
}
