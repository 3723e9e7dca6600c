//! The `date` question type.

use rand::Rng;
use rand::rngs::StdRng;
use serde_json::{Value as Json, json};
use time::{Duration, Month};

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

/// A calendar date within optional bounds.
#[derive(Debug)]
pub struct Date {
    pub min: Option<time::Date>,
    pub max: Option<time::Date>,
}

impl Load for Date {
    const KEYS: &'static [&'static str] = &["min", "max"];
    const NATURE: Nature = Nature::ANSWERED;

    /// `date`: `min`, `max`.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let min = t.date(ctx, "min");
        let max = t.date(ctx, "max");
        if let (Some(lo), Some(hi)) = (&min, &max)
            && lo.value > hi.value
        {
            ctx.error(hi.span.clone(), "`max` is earlier than `min`", None);
        }
        Some(Date {
            min: min.map(|d| d.value),
            max: max.map(|d| d.value),
        })
    }
}

impl super::Rules for Date {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let Some(v) = input.value(id) else {
            return Ok(None);
        };
        let d = input::parse_date(v).ok_or((None, Problem::InvalidDate))?;
        if let Some(min) = self.min.filter(|m| d < *m) {
            return input::fail(Problem::DateBefore { min });
        }
        if let Some(max) = self.max.filter(|m| d > *m) {
            return input::fail(Problem::DateAfter { max });
        }
        Ok(Some(Answer::Date(d)))
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
        Some(json!({"f": question, "k": "date"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Date
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        // Dates have no value labels.
        Vec::new()
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        Some(ValueCoarsening::Dates)
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        Some(Likely::Date)
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let lo =
            (self.min).unwrap_or(time::Date::from_calendar_date(2020, Month::January, 1).ok()?);
        // Saturating: `min` may be near the last date `time` supports (found by cargo fuzz).
        let hi = self.max.unwrap_or(lo.saturating_add(Duration::days(1000)));
        let span = (hi - lo).whole_days().max(0);
        Some(Answer::Date(
            lo + Duration::days(rng.random_range(0..=span)),
        ))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        match input::parse_date(value) {
            Some(d) => Some(Answer::Date(d)),
            None => cells::fail(
                problems,
                id,
                format!("\"{value}\" is not a date"),
                Some("write YYYY-MM-DD, e.g. 2024-03-05".into()),
            ),
        }
    }
}
