//! The `rating` question type.

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
use crate::survey::sample;
use crate::survey::text::Lang;
use crate::survey::text::Text;

/// A whole number from `min` to `max` (0-10, 1-5), labelled at its ends.
#[derive(Debug)]
pub struct Rating {
    pub min: i64,
    pub max: i64,
    pub min_label: Option<Text>,
    pub max_label: Option<Text>,
}

impl Load for Rating {
    const KEYS: &'static [&'static str] = &["min", "max", "min_label", "max_label"];
    const NATURE: Nature = Nature::ANSWERED;

    /// `rating`: `min` (default 1) and `max`, at most 20 points apart; the end labels.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let min = t.integer(ctx, "min", "1");
        let max = t.integer(ctx, "max", "5");
        if max.is_none() && !t.has("max") {
            t.missing(ctx, "max", "5");
        }
        let lo = min.as_ref().map_or(1, |m| m.value);
        let hi = max.as_ref().map_or(lo + 1, |m| m.value);
        if hi <= lo || hi - lo > 20 {
            let span = max
                .as_ref()
                .or(min.as_ref())
                .map_or(t.span.clone(), |s| s.span.clone());
            ctx.error(
                span,
                format!("a rating scale from {lo} to {hi} is not possible"),
                Some(
                    "`max` must be above `min` and at most 20 points apart (e.g. min = 0, max = 10)"
                        .into(),
                ),
            );
        }
        Some(Rating {
            min: lo,
            max: hi,
            min_label: t.text(ctx, "min_label"),
            max_label: t.text(ctx, "max_label"),
        })
    }
}

impl super::Rules for Rating {
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let Some(v) = input.value(id) else {
            return Ok(None);
        };
        match v.parse::<i64>() {
            Ok(n) if (self.min..=self.max).contains(&n) => Ok(Some(Answer::Number(n as f64))),
            _ => input::fail(Problem::InvalidChoice),
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
        Some(json!({"f": question, "k": "num"}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Number
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        vec![format!("{} to {}", self.min, self.max)]
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        Some(ValueCoarsening::Bands)
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        // Ratings are opinions, not facts about the respondent.
        None
    }

    fn sample_answer(&self, leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let points = usize::try_from(self.max - self.min + 1).ok()?;
        let centre = 0.68 * (points - 1) as f64;
        let point = sample::scale_point(points, centre, leaning, rng) as i64;
        Some(Answer::Number((self.min + point) as f64))
    }

    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let value = cells::value(cells);
        let (min, max) = (self.min, self.max);
        match value.parse::<i64>() {
            Ok(n) if (min..=max).contains(&n) => Some(Answer::Number(n as f64)),
            _ => cells::fail(
                problems,
                id,
                format!("\"{value}\" is not a rating: write a whole number from {min} to {max}"),
                None,
            ),
        }
    }
}
