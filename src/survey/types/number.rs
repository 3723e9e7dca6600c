//! The `number` question type.

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
use crate::survey::text::Text;

/// A number, whole or not, within optional bounds.
#[derive(Debug)]
pub struct Number {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Whole numbers only.
    pub integer: bool,
    /// What is counted (`osob`, `hours`), shown after the field.
    pub unit: Option<Text>,
}

impl Load for Number {
    const KEYS: &'static [&'static str] = &["min", "max", "integer", "unit"];
    const NATURE: Nature = Nature::ANSWERED;

    /// `number`: `min`, `max` (`max` not below `min`), `integer` (whole-number bounds), `unit`.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let min = t.number(ctx, "min", "0");
        let max = t.number(ctx, "max", "120");
        if let (Some(lo), Some(hi)) = (&min, &max)
            && lo.value > hi.value
        {
            ctx.error(
                hi.span.clone(),
                format!("`max` ({}) is smaller than `min` ({})", hi.value, lo.value),
                None,
            );
        }
        let integer = t.boolean(ctx, "integer").is_some_and(|b| b.value);
        if integer {
            for b in [&min, &max].into_iter().flatten() {
                if b.value.fract() != 0.0 {
                    ctx.error(
                        b.span.clone(),
                        "an integer question needs whole-number bounds",
                        None,
                    );
                }
            }
        }
        Some(Number {
            min: min.map(|m| m.value),
            max: max.map(|m| m.value),
            integer,
            unit: t.text(ctx, "unit"),
        })
    }
}

impl super::Rules for Number {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let Some(v) = input.value(id) else {
            return Ok(None);
        };
        let n = input::parse_number(v).ok_or((None, Problem::NotANumber))?;
        if self.integer && n.fract() != 0.0 {
            return input::fail(Problem::NotWhole);
        }
        if let Some(min) = self.min.filter(|m| n < *m) {
            return input::fail(Problem::BelowMin { min });
        }
        if let Some(max) = self.max.filter(|m| n > *m) {
            return input::fail(Problem::AboveMax { max });
        }
        Ok(Some(Answer::Number(n)))
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
        Some(json!({"f": question, "k": "num"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Number
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        match (self.min, self.max) {
            (None, None) => Vec::new(),
            (min, max) => vec![format!(
                "{} to {}",
                min.map_or("…".into(), |m| m.to_string()),
                max.map_or("…".into(), |m| m.to_string())
            )],
        }
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        Some(ValueCoarsening::Bands)
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        Some(Likely::Number)
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let lo = self.min.unwrap_or(0.0);
        let hi = self.max.unwrap_or(lo + 20.0).min(lo + 20.0);
        let n = rng.random_range(lo..=hi);
        Some(Answer::Number(if self.integer {
            n.round().clamp(lo, hi)
        } else {
            (n * 10.0).round() / 10.0
        }))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        match input::parse_number(value) {
            Some(n) => Some(Answer::Number(n)),
            None => cells::fail(
                problems,
                id,
                format!("\"{value}\" is not a number"),
                Some("write digits with a decimal point or comma, e.g. 12 or 2.5".into()),
            ),
        }
    }
}
