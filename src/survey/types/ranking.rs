//! The `ranking` question type.

use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde_json::{Value as Json, json};

use super::{Load, Nature};
use crate::survey::answer::Answer;
use crate::survey::answer::Part;
use crate::survey::cells::{Cell, CellProblem};
use crate::survey::choice::ChoiceList;
use crate::survey::expr::ValueType;
use crate::survey::input::{self, Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::keys;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Lang;

/// Options put in order: ranks 1, 2, 3 ... without gaps or repeats.
#[derive(Debug)]
pub struct Ranking {
    pub options: Arc<ChoiceList>,
}

impl Load for Ranking {
    const KEYS: &'static [&'static str] = &["options", "choices"];

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
        Some(Ranking {
            options: keys::options(ctx, t, lists, false)?,
        })
    }
}

impl super::Rules for Ranking {
    /// A rank per option; ranks run 1, 2, 3 ... without a gap or a repeat.
    fn decode(&self, id: &str, input: &FormInput) -> Decoded {
        let n = self.options.options.len();
        let mut ranked: Vec<(usize, String)> = Vec::new();
        for c in &self.options.options {
            let Some(v) = input.value(&format!("{id}.{}", c.value)) else {
                continue;
            };
            let rank = match v.parse::<usize>() {
                Ok(r) if (1..=n).contains(&r) => r,
                _ => return Err((Some(c.value.clone()), Problem::InvalidChoice)),
            };
            if ranked.iter().any(|(r, _)| *r == rank) {
                return Err((Some(c.value.clone()), Problem::RankUsedTwice { rank }));
            }
            ranked.push((rank, c.value.clone()));
        }
        ranked.sort();
        // Ranks count from 1 without gaps, so "the top three" means ranks 1, 2 and 3.
        if let Some(missing) = (1..=ranked.len()).find(|r| ranked[r - 1].0 != *r) {
            return input::fail(Problem::RankSkipped { rank: missing });
        }
        Ok((!ranked.is_empty())
            .then(|| Answer::Ranking(ranked.into_iter().map(|(_, c)| c).collect())))
    }

    /// A required ranking must rank every option.
    fn completeness(&self, required: bool, answer: &Answer) -> Option<Problem> {
        match answer {
            Answer::Ranking(given) if required && given.len() < self.options.options.len() => {
                Some(Problem::RankingIncomplete)
            }
            _ => None,
        }
    }

    fn typed_text(&self) -> bool {
        false
    }

    fn columns(&self) -> Vec<Part> {
        (self.options.options.iter())
            .map(|c| Part::Rank(c.value.clone()))
            .collect()
    }

    fn client_field(&self, question: &str, _part: Option<&str>) -> Option<Json> {
        Some(
            json!({"f": self.options.options.iter().map(|c| format!("{question}.{}", c.value)).collect::<Vec<_>>(), "k": "rank", "codes": self.options.codes()}),
        )
    }

    fn value_type(&self) -> ValueType {
        ValueType::Set {
            codes: self.options.codes(),
        }
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

    fn sample_answer(&self, _leaning: f64, rng: &mut StdRng) -> Option<Answer> {
        let mut codes = self.options.codes();
        codes.shuffle(rng);
        Some(Answer::Ranking(codes))
    }

    /// One column per option with its rank; ranks run 1, 2, 3 ... without a gap or a
    /// repeat (the top three may be ranked and the rest left empty).
    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer> {
        let n = self.options.options.len();
        let before = problems.len();
        let mut ranked: Vec<(usize, String, &str)> = Vec::new();
        for cell in cells {
            let (Part::Rank(code), false) = (cell.part, cell.value.is_empty()) else {
                continue;
            };
            let rank = match cell.value.parse::<usize>() {
                Ok(r) if (1..=n).contains(&r) => r,
                _ => {
                    problems.push(CellProblem::new(
                        cell.column,
                        format!(
                            "\"{}\" is not a rank: write a whole number from 1 to {n}",
                            cell.value
                        ),
                    ));
                    continue;
                }
            };
            if let Some((_, _, first)) = ranked.iter().find(|(r, _, _)| *r == rank) {
                problems.push(
                    CellProblem::new(cell.column, format!("rank {rank} is given twice")).hint(
                        format!("\"{first}\" has rank {rank} too: each rank goes to one option"),
                    ),
                );
                continue;
            }
            ranked.push((rank, code.clone(), cell.column));
        }
        if problems.len() > before {
            return None;
        }
        ranked.sort();
        if let Some(missing) = (1..=ranked.len()).find(|r| ranked[r - 1].0 != *r) {
            problems.push(
                CellProblem::new(format!("{id}.*"), format!("rank {missing} is missing"))
                    .hint("ranks run 1, 2, 3 ... without a gap"),
            );
            return None;
        }
        (!ranked.is_empty())
            .then(|| Answer::Ranking(ranked.into_iter().map(|(_, c, _)| c).collect()))
    }

    fn options(&self) -> Option<&Arc<ChoiceList>> {
        Some(&self.options)
    }
}
