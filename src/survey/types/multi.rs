//! The `multi` question type.

use std::sync::Arc;

use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use serde_json::{Value as Json, json};

use super::with_other;
use super::{Load, Nature};
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
use crate::survey::text::Lang;
use crate::survey::text::Text;

/// Any number of options of a list (between `min` and `max`), with an optional
/// "other".
#[derive(Debug)]
pub struct Multi {
    pub options: Arc<ChoiceList>,
    pub min: Option<usize>,
    pub max: Option<usize>,
    /// The label of the "other" option (`other = ...`).
    pub other: Option<Text>,
}

impl Load for Multi {
    const KEYS: &'static [&'static str] = &["min", "max", "options", "choices", "other"];

    const NATURE: Nature = Nature {
        single_value: false,
        ..Nature::ANSWERED
    };

    /// `multi`: the options, `other`, and `min`/`max` ticks between 1 and the number of options.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let options = keys::options(ctx, t, lists, false)?;
        let other = keys::other(ctx, t, &options);
        let available = options.options.len() + usize::from(other.is_some());
        let min = t.count(ctx, "min", "1");
        let max = t.count(ctx, "max", "3");
        for b in [&min, &max].into_iter().flatten() {
            if b.value == 0 || b.value > available {
                ctx.error(
                    b.span.clone(),
                    format!("must be between 1 and the number of options ({available})"),
                    None,
                );
            }
        }
        if let (Some(lo), Some(hi)) = (&min, &max)
            && lo.value > hi.value
        {
            ctx.error(
                hi.span.clone(),
                format!("`max` ({}) is smaller than `min` ({})", hi.value, lo.value),
                None,
            );
        }
        Some(Multi {
            options,
            min: min.map(|m| m.value),
            max: max.map(|m| m.value),
            other,
        })
    }
}

impl super::Rules for Multi {
    /// The ticked codes in option order; text typed into "other" ticks it.
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let typed_other =
            self.other.is_some() && input.value(&format!("{id}.other_text")).is_some();
        let mut values = Vec::new();
        for c in &self.options.options {
            if input.contains(id, &c.value) {
                values.push(c.value.clone());
            }
        }
        let ticked_other = self.other.is_some() && (input.contains(id, OTHER) || typed_other);
        if input
            .all(id)
            .any(|v| !v.is_empty() && v != OTHER && self.options.get(v).is_none())
        {
            return input::fail(Problem::InvalidChoice);
        }
        let other_value = if ticked_other {
            values.push(OTHER.into());
            Some(input::other_text(input, id)?)
        } else {
            None
        };
        if values.is_empty() {
            return Ok(None);
        }
        if let Some(min) = self.min.filter(|m| values.len() < *m) {
            return input::fail(Problem::TooFew { min });
        }
        if let Some(max) = self.max.filter(|m| values.len() > *m) {
            return input::fail(Problem::TooMany { max });
        }
        Ok(Some(Answer::Choices {
            values,
            other: other_value,
        }))
    }

    fn completeness(&self, _required: bool, _answer: &Answer) -> Option<Problem> {
        None
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        let mut parts: Vec<Part> = (self.options.options.iter())
            .map(|c| Part::Option(c.value.clone()))
            .collect();
        if self.other.is_some() {
            parts.push(Part::Option(OTHER.into()));
            parts.push(Part::OtherText);
        }
        parts
    }

    fn client_field(&self, question: &str, _part: Option<&str>) -> Option<Json> {
        Some(json!({"f": question, "k": "set", "other": self.other.is_some().then_some(OTHER)}))
    }

    fn value_type(&self) -> ValueType {
        ValueType::Set {
            codes: with_other(self.options.codes(), self.other.is_some()),
        }
    }

    fn value_labels(&self, lang: Lang) -> Vec<String> {
        self.options.value_labels(lang)
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        // Several values cannot be a quasi-identifier.
        None
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let options = &self.options.options;
        let lo = self.min.unwrap_or(1).max(1).min(options.len());
        let hi = self.max.unwrap_or(options.len()).clamp(lo, options.len());
        let n = rng.random_range(lo..=hi);
        let mut picked: Vec<&str> = options
            .choose_multiple(rng, n)
            .map(|o| o.value.as_str())
            .collect();
        // In option order, as the form stores them.
        picked.sort_by_key(|v| options.iter().position(|o| o.value == *v));
        Some(Answer::Choices {
            values: picked.into_iter().map(String::from).collect(),
            other: None,
        })
    }

    /// One 1/0 column per option (and "other"), plus the "other" text.
    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let mut values = Vec::new();
        for cell in cells {
            let Part::Option(code) = cell.part else {
                continue;
            };
            match cell.value {
                "1" => values.push(code.clone()),
                "0" | "" => {}
                _ => problems.push(
                    CellProblem::new(cell.column, format!("\"{}\" is not a tick", cell.value))
                        .hint("write 1 when the option is ticked, 0 or nothing when not"),
                ),
            }
        }
        let text = cells::other_text(cells);
        let ticked_other = values.iter().any(|v| v == OTHER);
        if let (Some(other), false) = (text, ticked_other) {
            problems.push(
                CellProblem::new(
                    other.column,
                    format!("an \"other\" text is given but \"{id}.{OTHER}\" is not 1"),
                )
                .hint(format!("write 1 in \"{id}.{OTHER}\", or clear this cell")),
            );
        }
        (!values.is_empty()).then(|| Answer::Choices {
            values,
            other: text.filter(|_| ticked_other).map(|t| t.value.to_string()),
        })
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        Some(&self.options)
    }

    fn other_label(&self) -> Option<&Text> {
        self.other.as_ref()
    }
}
