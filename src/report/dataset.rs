//! A survey with its responses as the analysis table ([`Dataset`]), built in one pass: each response's
//! answers (sorted by question id) are walked once and merged with the columns sorted by
//! question id, so no per-answer map lookup is needed; codes are found by a short scan
//! (or a hash map for long lists). Codes a response's survey version had but the current
//! survey lacks count as missing.

use std::collections::{BTreeSet, HashMap};

use analysis::table::{Category, Table, Values, Variable};

use super::variables::{Kind, Source, Spec, attribute_of, specs};
use crate::anonymize::coarsen::band;
use crate::survey::answer::Answer;
use crate::survey::response::Response;
use crate::survey::{Lang, Survey};

/// A survey with its complete responses, its variables and their table.
pub struct Dataset<'a> {
    pub survey: &'a Survey,
    pub responses: &'a [Response],
    pub specs: Vec<Spec>,
    pub table: Table,
    pub lang: Lang,
}

impl<'a> Dataset<'a> {
    pub fn new(survey: &'a Survey, responses: &'a [Response], lang: Lang) -> Dataset<'a> {
        Dataset::with(survey, responses, lang, |_| true)
    }

    /// Only the variables `keep` accepts (the "before" survey of a pre/post block needs
    /// only its items).
    pub fn with(
        survey: &'a Survey,
        responses: &'a [Response],
        lang: Lang,
        keep: impl Fn(&Spec) -> bool,
    ) -> Dataset<'a> {
        let mut columns = std::collections::BTreeSet::new();
        for r in responses {
            if let Some(inv) = &r.invitation {
                columns.extend(inv.keys().cloned());
            }
        }
        let columns: Vec<String> = columns.into_iter().collect();
        let mut specs = specs(survey, lang, &columns);
        specs.retain(keep);
        let table = table(survey, &specs, responses);
        Dataset {
            survey,
            responses,
            specs,
            table,
            lang,
        }
    }

    pub(super) fn values(&self, name: &str) -> Option<&Values> {
        self.table.get(name).map(|v| &v.values)
    }

    pub(super) fn label(&self, name: &str) -> String {
        self.table
            .get(name)
            .map_or_else(|| name.to_string(), |v| v.label.clone())
    }
}

/// A column being filled, one slot per response.
enum Column<'s> {
    Numeric(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Multi {
        selected: Vec<Option<Vec<usize>>>,
        index: CodeIndex<'s>,
    },
    /// Codes (choice, yes/no, matrix row, or an option attribute) -> category index.
    Coded {
        codes: Vec<Option<usize>>,
        index: CodeIndex<'s>,
    },
}

/// Code -> category index: a scan for the usual short lists (a few scale points or
/// options), a hash map for long ones (an attribute or list with hundreds of values).
enum CodeIndex<'s> {
    Short(Vec<(&'s str, usize)>),
    Long(HashMap<&'s str, usize>),
}

impl<'s> CodeIndex<'s> {
    fn new(pairs: impl Iterator<Item = (&'s str, usize)>) -> CodeIndex<'s> {
        let pairs: Vec<(&str, usize)> = pairs.collect();
        if pairs.len() <= 24 {
            CodeIndex::Short(pairs)
        } else {
            CodeIndex::Long(pairs.into_iter().collect())
        }
    }

    fn get(&self, code: &str) -> Option<usize> {
        match self {
            CodeIndex::Short(pairs) => pairs.iter().find(|(c, _)| *c == code).map(|(_, i)| *i),
            CodeIndex::Long(map) => map.get(code).copied(),
        }
    }
}

fn index_of(categories: &[Category]) -> CodeIndex<'_> {
    CodeIndex::new(
        categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i)),
    )
}

/// The table of `responses` with one column per spec, in spec order.
pub fn table(survey: &Survey, specs: &[Spec], responses: &[Response]) -> Table {
    let n = responses.len();
    let mut columns: Vec<Column<'_>> = specs
        .iter()
        .map(|spec| match spec.kind {
            Kind::Numeric => Column::Numeric(vec![None; n]),
            Kind::Text => Column::Text(vec![None; n]),
            Kind::Multi => Column::Multi {
                selected: vec![None; n],
                index: index_of(&spec.categories),
            },
            Kind::Nominal | Kind::Ordered => Column::Coded {
                codes: vec![None; n],
                index: match &spec.source {
                    // An attribute's categories are its values: map each option code to
                    // the index of its attribute value.
                    Source::Attribute(attribute) => {
                        let values = index_of(&spec.categories);
                        survey
                            .question(&spec.question)
                            .and_then(|q| q.kind.options())
                            .map(|list| {
                                CodeIndex::new(list.options.iter().filter_map(|c| {
                                    let v = attribute_of(c, attribute)?;
                                    Some((c.value.as_str(), values.get(v)?))
                                }))
                            })
                            .unwrap_or(CodeIndex::Short(Vec::new()))
                    }
                    _ => index_of(&spec.categories),
                },
            },
        })
        .collect();
    // Columns by question id, sorted like the answers (a BTreeMap by question id).
    let mut by_question: Vec<(&str, usize)> = specs
        .iter()
        .enumerate()
        .filter(|(_, spec)| !matches!(spec.source, Source::Invitation(_)))
        .map(|(k, spec)| (spec.question.as_str(), k))
        .collect();
    by_question.sort_unstable();
    for (i, r) in responses.iter().enumerate() {
        let mut next = 0;
        for (question, answer) in &r.answers {
            while next < by_question.len() && by_question[next].0 < question.as_str() {
                next += 1;
            }
            let mut k = next;
            while k < by_question.len() && by_question[k].0 == question.as_str() {
                let column = by_question[k].1;
                fill(&mut columns[column], &specs[column].source, i, answer);
                k += 1;
            }
        }
    }
    let mut table = Table::new(n);
    for (spec, column) in specs.iter().zip(columns) {
        let values = match (&spec.source, column) {
            (Source::Invitation(name), _) => invitation_column(responses, name),
            (_, Column::Numeric(v)) => Values::Numeric(v),
            (_, Column::Text(v)) => Values::Text(v),
            (_, Column::Multi { selected, .. }) => Values::MultiChoice {
                options: spec.categories.clone(),
                selected,
            },
            (_, Column::Coded { codes, .. }) => Values::Categorical {
                categories: spec.categories.clone(),
                ordered: spec.kind == Kind::Ordered,
                codes,
            },
        };
        table
            .push(Variable {
                name: spec.name.clone(),
                label: spec.label.clone(),
                values,
            })
            .expect("one value per response");
    }
    table
}

fn fill(column: &mut Column<'_>, source: &Source, i: usize, answer: &Answer) {
    match (column, answer) {
        (Column::Numeric(v), Answer::Number(x)) => v[i] = Some(*x),
        (Column::Numeric(v), Answer::Points(points)) => {
            if let Source::Item(item) = source {
                v[i] = points.get(item).map(|&p| f64::from(p));
            }
        }
        (Column::Coded { codes, index }, Answer::Number(x)) => {
            if let Source::Bands { bounds, whole } = source {
                codes[i] = index.get(&band(*x, bounds, *whole));
            }
        }
        (Column::Text(v), Answer::Text(t)) if !t.trim().is_empty() => v[i] = Some(t.clone()),
        (Column::Multi { selected, index }, Answer::Choices { values, .. }) => {
            selected[i] = Some(values.iter().filter_map(|v| index.get(v)).collect());
        }
        (Column::Coded { codes, index }, answer) => {
            let code: Option<&str> = match (answer, source) {
                (Answer::Choice { value, .. }, Source::Value | Source::Attribute(_)) => Some(value),
                (Answer::Bool(b), Source::Value) => Some(if *b { "1" } else { "0" }),
                (Answer::Matrix(rows), Source::Row(row)) => rows.get(row).map(String::as_str),
                _ => None,
            };
            codes[i] = code.and_then(|c| index.get(c));
        }
        _ => {}
    }
}

/// An invitation column: its categories are the values the invitations have, sorted.
fn invitation_column(responses: &[Response], column: &str) -> Values {
    let value = |r: &Response| -> Option<String> {
        r.invitation
            .as_ref()?
            .get(column)
            .filter(|v| !v.is_empty())
            .cloned()
    };
    let seen: BTreeSet<String> = responses.iter().filter_map(value).collect();
    let categories: Vec<Category> = seen.iter().map(|v| Category::new(v, v)).collect();
    let index = index_of(&categories);
    let codes = responses
        .iter()
        .map(|r| {
            let inv = r.invitation.as_ref()?;
            index.get(inv.get(column)?)
        })
        .collect();
    Values::Categorical {
        categories,
        ordered: false,
        codes,
    }
}
