//! The `matrix` question type.

use std::collections::BTreeMap;
use std::sync::Arc;

use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{self, Cell, CellProblem};
use crate::survey::choice::{ChoiceList, MatrixRow};
use crate::survey::diagnostic::did_you_mean;
use crate::survey::expr::ExprError;
use crate::survey::expr::ValueType;
use crate::survey::input::{Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::sample;
use crate::survey::text::Lang;

/// Several rows, each answered on the same scale of options.
#[derive(Debug)]
pub struct Matrix {
    pub rows: Vec<MatrixRow>,
    pub options: Arc<ChoiceList>,
}

impl Load for Matrix {
    const KEYS: &'static [&'static str] = &["options", "choices", "rows"];

    const NATURE: Nature = Nature {
        single_value: false,
        ..Nature::ANSWERED
    };

    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let rows = keys::parts(ctx, t, keys::Parts::ROWS);
        let options = keys::options(ctx, t, lists, false)?;
        Some(Matrix { rows, options })
    }
}

impl super::Rules for Matrix {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let mut given = BTreeMap::new();
        for row in &self.rows {
            if let Some(v) = input.value(&format!("{id}.{}", row.id)) {
                if self.options.get(v).is_none() {
                    return Err((Some(row.id.clone()), Problem::InvalidChoice));
                }
                given.insert(row.id.clone(), v.to_string());
            }
        }
        Ok((!given.is_empty()).then_some(Answer::Matrix(given)))
    }

    /// A required matrix must be answered in every row.
    fn completeness(&self, required: bool, answer: &Answer) -> Option<Problem> {
        match answer {
            Answer::Matrix(given) if required && given.len() < self.rows.len() => {
                Some(Problem::RowsMissing {
                    missing: self.rows.len() - given.len(),
                })
            }
            _ => None,
        }
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        (self.rows.iter())
            .map(|r| Part::Row(r.id.clone()))
            .collect()
    }

    fn client_field(&self, question: &str, part: Option<&str>) -> Option<Json> {
        Some(match part {
            Some(row) => json!({"f": format!("{question}.{row}"), "k": "choice"}),
            None => {
                json!({"f": self.rows.iter().map(|r| format!("{question}.{}", r.id)).collect::<Vec<_>>(), "k": "rows"})
            }
        })
    }

    fn value_type(&self) -> ValueType {
        ValueType::Matrix
    }

    fn value_labels(&self, lang: Lang) -> Vec<String> {
        self.options.value_labels(lang)
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        None
    }

    fn sample_answer(&self, leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        Some(Answer::Matrix(
            (self.rows.iter())
                .filter_map(|r| Some((r.id.clone(), sample::scale(&self.options, leaning, rng)?)))
                .collect(),
        ))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let mut rows = BTreeMap::new();
        for cell in cells {
            if let (Part::Row(row), false) = (cell.part, cell.value.is_empty()) {
                match self.options.get(cell.value) {
                    Some(c) => {
                        rows.insert(row.clone(), c.value.clone());
                    }
                    None => problems.push(
                        CellProblem::new(cell.column, cells::not_a_code(cell.value, id))
                            .hint(cells::codes_hint(cell.value, &self.options, false)),
                    ),
                }
            }
        }
        (!rows.is_empty()).then_some(Answer::Matrix(rows))
    }

    fn part_value_type(&self, question: &str, row: &str) -> Result<ValueType, ExprError> {
        if self.rows.iter().any(|r| r.id == row) {
            return Ok(ValueType::Choice {
                codes: self.options.codes(),
            });
        }
        let mut e = ExprError::new(0..0, format!("matrix `{question}` has no row `{row}`"));
        if let Some(s) = did_you_mean(row, self.rows.iter().map(|r| r.id.as_str())) {
            e = e.with_help(format!("did you mean `{question}.{s}`?"));
        }
        Err(e)
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        Some(&self.options)
    }

    fn parts(&self) -> Option<&[MatrixRow]> {
        Some(&self.rows)
    }
}
