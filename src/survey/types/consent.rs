//! The `consent` question type.

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
use crate::survey::text::Text;

/// Agreement to a consent text of a given version, by ticking a box.
#[derive(Debug)]
pub struct Consent {
    /// The version of the consent text agreed to (stored with the answer).
    pub version: String,
    /// The tick-box label; `None`: the standard one.
    pub label: Option<Text>,
}

impl Load for Consent {
    const KEYS: &'static [&'static str] = &["version", "label"];

    const NATURE: Nature = Nature {
        always_required: true,
        classified: false,
        ..Nature::ANSWERED
    };

    /// `consent`: the consent text's `version` (not empty), the tick box's `label`.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let version = t.required_string(ctx, "version", "\"2024-01\"");
        if let Some(v) = &version
            && v.value.trim().is_empty()
        {
            ctx.error(v.span.clone(), "the consent version is empty", Some("name the version of the consent text, e.g. \"2024-01\"; it is stored with every agreement".into()));
        }
        Some(Consent {
            version: version?.value,
            label: t.text(ctx, "label"),
        })
    }
}

impl super::Rules for Consent {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        match input.value(id) {
            None => Ok(None),
            Some("yes") => Ok(Some(Answer::Consent {
                version: self.version.clone(),
            })),
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
        Some(json!({"f": question, "k": "check"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Bool
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        vec![format!("consent text version {}", self.version)]
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        None
    }

    fn sample_answer(&self, _leaning: f64, _rng: &mut StdRng) -> Option<Answer> {
        Some(Answer::Consent {
            version: self.version.clone(),
        })
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        let version = &self.version;
        if value == version {
            return Some(Answer::Consent {
                version: version.clone(),
            });
        }
        cells::fail(
            problems,
            id,
            format!("\"{value}\" is not the consent version of this survey"),
            Some(format!(
                "write \"{version}\" when the respondent agreed, or leave it empty"
            )),
        )
    }

    fn consent(&self) -> Option<(&str, Option<&Text>)> {
        Some((self.version.as_str(), self.label.as_ref()))
    }
}
