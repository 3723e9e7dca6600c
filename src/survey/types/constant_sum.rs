//! The `constant_sum` question type.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{Cell, CellProblem};
use crate::survey::choice::MatrixRow;
use crate::survey::diagnostic::did_you_mean;
use crate::survey::expr::ExprError;
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::sample;
use crate::survey::text::Lang;
use crate::survey::text::Text;

/// The largest `total` of a constant sum: a million points is already more than anyone
/// distributes by hand.
const MAX_TOTAL: i64 = 1_000_000;

/// Distribute `total` points (whole numbers) over `items`: the answer gives each
/// item its points, and they must add up to `total` exactly.
#[derive(Debug)]
pub struct ConstantSum {
    pub items: Vec<MatrixRow>,
    pub total: u32,
    /// What is distributed (`%`, `hodin`); `None`: points.
    pub unit: Option<Text>,
}

impl Load for ConstantSum {
    const KEYS: &'static [&'static str] = &["unit", "items", "total"];

    const NATURE: Nature = Nature {
        single_value: false,
        ..Nature::ANSWERED
    };

    /// `constant_sum`: `items`, `total` (1 to `MAX_TOTAL`), `unit`.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        _lists: &mut [SharedList],
        _id: Option<&Sp<String>>,
    ) -> Option<Self> {
        let items = keys::parts(ctx, t, keys::Parts::ITEMS);
        let total = t.integer(ctx, "total", "100");
        if total.is_none() && !t.has("total") {
            t.missing(ctx, "total", "100");
        }
        let total = match total {
            Some(n) if !(1..=MAX_TOTAL).contains(&n.value) => {
                ctx.error(
                    n.span,
                    format!("a total of {} points is not possible", n.value),
                    Some(format!(
                        "`total` is a whole number from 1 to {MAX_TOTAL}, e.g. total = 100"
                    )),
                );
                None
            }
            Some(n) => u32::try_from(n.value).ok(),
            None => None,
        };
        Some(ConstantSum {
            items,
            total: total?,
            unit: t.text(ctx, "unit"),
        })
    }
}

impl super::Rules for ConstantSum {
    /// Each item a whole number from 0 to `total`; items left blank count 0 once any
    /// item has points, so the answer always names every item.
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let total = self.total;
        let mut given = BTreeMap::new();
        for item in &self.items {
            let Some(v) = input.value(&format!("{id}.{}", item.id)) else {
                continue;
            };
            let part = || Some(item.id.clone());
            let n = input::parse_number(v).ok_or((part(), Problem::NotANumber))?;
            if n.fract() != 0.0 {
                return Err((part(), Problem::NotWhole));
            }
            if n < 0.0 {
                return Err((part(), Problem::BelowMin { min: 0.0 }));
            }
            if n > f64::from(total) {
                return Err((
                    part(),
                    Problem::AboveMax {
                        max: f64::from(total),
                    },
                ));
            }
            given.insert(item.id.clone(), n as u32);
        }
        if given.is_empty() {
            return Ok(None);
        }
        for item in &self.items {
            given.entry(item.id.clone()).or_insert(0);
        }
        Ok(Some(Answer::Points(given)))
    }

    /// The points must add up to the total (checked here, not in [`super::Rules::decode`], so a
    /// wrong sum keeps what was typed).
    fn completeness(&self, _required: bool, answer: &Answer) -> Option<Problem> {
        match answer {
            Answer::Points(points) => {
                let sum = input::points_sum(points);
                (sum != u64::from(self.total)).then_some(Problem::SumMismatch {
                    total: self.total,
                    sum,
                })
            }
            _ => None,
        }
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        (self.items.iter())
            .map(|i| Part::Points(i.id.clone()))
            .collect()
    }

    fn client_field(&self, question: &str, part: Option<&str>) -> Option<Json> {
        let fields = || {
            (self.items.iter())
                .map(|i| format!("{question}.{}", i.id))
                .collect::<Vec<_>>()
        };
        Some(match part {
            Some(item) => json!({"f": format!("{question}.{item}"), "k": "point", "all": fields()}),
            None => json!({"f": fields(), "k": "points"}),
        })
    }

    fn value_type(&self) -> ValueType {
        ValueType::Points
    }

    fn value_labels(&self, _lang: Lang) -> Vec<String> {
        vec![format!(
            "0 to {0}; the items add up to {0} in complete responses",
            self.total
        )]
    }

    fn value_coarsening(&self) -> Option<ValueCoarsening> {
        None
    }

    fn likely_quasi_identifier(&self) -> Option<Likely> {
        None
    }

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        Some(Answer::Points(
            (self.items.iter())
                .map(|i| i.id.clone())
                .zip(sample::allocation(self.items.len(), self.total, rng))
                .collect(),
        ))
    }

    /// One column per item with its points, a whole number of 0 or more; empty cells
    /// count 0 once any item has points. Whether they add up is a form rule.
    fn read_cells(
        &self,
        _id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let mut points = BTreeMap::new();
        let mut any = false;
        for cell in cells {
            let Part::Points(item) = cell.part else {
                continue;
            };
            let n = match cell.value {
                "" => 0,
                text => match input::parse_number(text) {
                    Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
                        any = true;
                        n as u32
                    }
                    _ => {
                        problems.push(
                            CellProblem::new(
                                cell.column,
                                format!("\"{text}\" is not a number of points"),
                            )
                            .hint("write a whole number of 0 or more, or leave the cell empty"),
                        );
                        continue;
                    }
                },
            };
            points.insert(item.clone(), n);
        }
        any.then_some(Answer::Points(points))
    }

    fn part_value_type(&self, question: &str, item: &str) -> Result<ValueType, ExprError> {
        if self.items.iter().any(|i| i.id == item) {
            return Ok(ValueType::Number);
        }
        let mut e = ExprError::new(
            0..0,
            format!("constant sum `{question}` has no item `{item}`"),
        );
        if let Some(s) = did_you_mean(item, self.items.iter().map(|i| i.id.as_str())) {
            e = e.with_help(format!("did you mean `{question}.{s}`?"));
        }
        Err(e)
    }

    fn parts(&self) -> Option<&[MatrixRow]> {
        Some(&self.items)
    }
}
