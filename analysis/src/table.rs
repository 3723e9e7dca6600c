//! The in-memory table the statistics run on: one row per response, one typed column
//! per variable (numeric, categorical with value labels, multi-choice set, text). The
//! app builds it from stored responses; a missing answer is `None` in every column type.

use serde::Serialize;

/// A value label: the code exports use and the label reports show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub code: String,
    pub label: String,
}

impl Category {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Category {
        Category {
            code: code.into(),
            label: label.into(),
        }
    }
}

/// A column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// Numbers and ratings.
    Numeric(Vec<Option<f64>>),
    /// One category per row, as an index into `categories`. `ordered` scales (Likert,
    /// matrix rows) also have the scores 1..=k in category order.
    Categorical {
        categories: Vec<Category>,
        ordered: bool,
        codes: Vec<Option<usize>>,
    },
    /// Several categories per row: `Some(ticked)` for a respondent who answered (the
    /// indices of the ticked options, possibly none), `None` for one who did not.
    MultiChoice {
        options: Vec<Category>,
        selected: Vec<Option<Vec<usize>>>,
    },
    /// Typed text: counted, never analysed.
    Text(Vec<Option<String>>),
}

impl Values {
    /// How many rows the column has.
    pub fn len(&self) -> usize {
        match self {
            Values::Numeric(v) => v.len(),
            Values::Categorical { codes, .. } => codes.len(),
            Values::MultiChoice { selected, .. } => selected.len(),
            Values::Text(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether row `i` has no answer.
    pub fn is_missing(&self, i: usize) -> bool {
        match self {
            Values::Numeric(v) => v[i].is_none_or(f64::is_nan),
            Values::Categorical { codes, .. } => codes[i].is_none(),
            Values::MultiChoice { selected, .. } => selected[i].is_none(),
            Values::Text(v) => v[i].is_none(),
        }
    }

    /// The row's value as a number: numeric columns as they are, ordered categories as
    /// their score 1..=k; `None` for anything else or a missing value.
    pub fn score(&self, i: usize) -> Option<f64> {
        match self {
            Values::Numeric(v) => v[i].filter(|x| !x.is_nan()),
            Values::Categorical {
                ordered: true,
                codes,
                ..
            } => codes[i].map(|c| (c + 1) as f64),
            _ => None,
        }
    }

    /// Whether [`Values::score`] gives numbers for this column.
    pub fn is_scored(&self) -> bool {
        matches!(
            self,
            Values::Numeric(_) | Values::Categorical { ordered: true, .. }
        )
    }

    /// The column's values as numbers (see [`Values::score`]).
    pub fn scores(&self) -> Vec<Option<f64>> {
        (0..self.len()).map(|i| self.score(i)).collect()
    }

    /// The categories of a categorical column.
    pub fn categories(&self) -> Option<&[Category]> {
        match self {
            Values::Categorical { categories, .. } => Some(categories),
            Values::MultiChoice { options, .. } => Some(options),
            _ => None,
        }
    }
}

/// One column.
#[derive(Debug, Clone, PartialEq)]
pub struct Variable {
    /// The name plans refer to (`satisfaction`, `knowledge.dluhy`, `municipality.region`).
    pub name: String,
    /// What reports show (the question text, or question and row).
    pub label: String,
    pub values: Values,
}

/// Rows of responses, columns of variables; every column has `rows` values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Table {
    rows: usize,
    variables: Vec<Variable>,
}

/// A column whose length differs from the table's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LengthMismatch {
    pub variable: String,
    pub expected: usize,
    pub found: usize,
}

impl std::fmt::Display for LengthMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "variable {} has {} values, the table has {} rows",
            self.variable, self.found, self.expected
        )
    }
}

impl std::error::Error for LengthMismatch {}

impl Table {
    pub fn new(rows: usize) -> Table {
        Table {
            rows,
            variables: Vec::new(),
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn variables(&self) -> &[Variable] {
        &self.variables
    }

    /// Add a column; it must have one value per row. A name already used is replaced.
    pub fn push(&mut self, variable: Variable) -> Result<(), LengthMismatch> {
        if variable.values.len() != self.rows {
            return Err(LengthMismatch {
                variable: variable.name,
                expected: self.rows,
                found: variable.values.len(),
            });
        }
        match self.variables.iter_mut().find(|v| v.name == variable.name) {
            Some(old) => *old = variable,
            None => self.variables.push(variable),
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// The rows where `keep` holds, as a new table (filters in reports).
    pub fn filter(&self, keep: impl Fn(usize) -> bool) -> Table {
        let rows: Vec<usize> = (0..self.rows).filter(|&i| keep(i)).collect();
        let pick = |values: &Values| -> Values {
            match values {
                Values::Numeric(v) => Values::Numeric(rows.iter().map(|&i| v[i]).collect()),
                Values::Categorical {
                    categories,
                    ordered,
                    codes,
                } => Values::Categorical {
                    categories: categories.clone(),
                    ordered: *ordered,
                    codes: rows.iter().map(|&i| codes[i]).collect(),
                },
                Values::MultiChoice { options, selected } => Values::MultiChoice {
                    options: options.clone(),
                    selected: rows.iter().map(|&i| selected[i].clone()).collect(),
                },
                Values::Text(v) => Values::Text(rows.iter().map(|&i| v[i].clone()).collect()),
            }
        };
        Table {
            rows: rows.len(),
            variables: self
                .variables
                .iter()
                .map(|v| Variable {
                    name: v.name.clone(),
                    label: v.label.clone(),
                    values: pick(&v.values),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale() -> Values {
        Values::Categorical {
            categories: vec![
                Category::new("1", "low"),
                Category::new("2", "mid"),
                Category::new("3", "high"),
            ],
            ordered: true,
            codes: vec![Some(0), None, Some(2)],
        }
    }

    #[test]
    fn ordered_categories_score_one_to_k_and_missing_stays_missing() {
        assert_eq!(scale().scores(), vec![Some(1.0), None, Some(3.0)]);
        let nominal = Values::Categorical {
            categories: vec![Category::new("a", "A")],
            ordered: false,
            codes: vec![Some(0)],
        };
        assert_eq!(nominal.score(0), None);
        assert!(!nominal.is_scored());
        assert!(Values::Numeric(vec![Some(f64::NAN)]).is_missing(0));
    }

    #[test]
    fn push_checks_lengths_and_filter_keeps_chosen_rows() {
        let mut t = Table::new(3);
        t.push(Variable {
            name: "q".into(),
            label: "Q".into(),
            values: scale(),
        })
        .unwrap();
        let err = t
            .push(Variable {
                name: "n".into(),
                label: "N".into(),
                values: Values::Numeric(vec![Some(1.0)]),
            })
            .unwrap_err();
        assert_eq!((err.expected, err.found), (3, 1));
        let kept = t.filter(|i| i != 1);
        assert_eq!(kept.rows(), 2);
        assert_eq!(
            kept.get("q").unwrap().values.scores(),
            vec![Some(1.0), Some(3.0)]
        );
    }
}
