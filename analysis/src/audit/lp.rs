//! The audit's linear programs: one variable per withheld count, shown counts folded in as
//! constants, split into independent components; bounds, integer intervals and (for
//! [`Attacker::Integer`]) which values a count can take.

use std::collections::BTreeMap;

use microlp::{ComparisonOp, OptimizationDirection, Problem};

use super::{Attacker, Release, Shown};

/// Numerical slack when rounding LP bounds to integers.
const EPS: f64 = 1e-6;

/// One linear constraint over the variables.
struct Row {
    terms: Vec<(usize, f64)>,
    low: f64,
    high: f64,
}

/// The audit's program for one state of a release.
pub(super) struct Lp {
    /// The variable of each count; `None` for shown counts.
    pub(super) var_of: Vec<Option<usize>>,
    bounds: Vec<(f64, f64)>,
    rows: Vec<Row>,
    /// Component of each variable, and of each row (that of its variables).
    var_comp: Vec<usize>,
    row_comp: Vec<usize>,
    integer: bool,
}

impl Lp {
    pub(super) fn new(release: &Release) -> Lp {
        let mut var_of = vec![None; release.values.len()];
        let mut bounds = Vec::new();
        for (cell, shown) in release.shown.iter().enumerate() {
            let range = match shown {
                Shown::Exact => continue,
                Shown::Small => (1.0, release.threshold.saturating_sub(1) as f64),
                Shown::Hidden => (0.0, f64::INFINITY),
            };
            var_of[cell] = Some(bounds.len());
            bounds.push(range);
        }
        let kept = release.optional.iter().zip(&release.kept);
        let active = release
            .facts
            .iter()
            .chain(kept.filter(|(_, k)| **k).map(|(f, _)| f));
        let mut parent: Vec<usize> = (0..bounds.len()).collect();
        let mut rows = Vec::new();
        for fact in active {
            let mut terms = BTreeMap::new();
            let mut constant = 0.0;
            for &(cell, coef) in &fact.terms {
                match var_of[cell] {
                    Some(var) => *terms.entry(var).or_insert(0.0) += coef,
                    None => constant += coef * release.values[cell] as f64,
                }
            }
            let terms: Vec<(usize, f64)> = terms.into_iter().filter(|t| t.1 != 0.0).collect();
            if terms.is_empty() || (fact.low.is_infinite() && fact.high.is_infinite()) {
                continue;
            }
            for pair in terms.windows(2) {
                let (a, b) = (find(&mut parent, pair[0].0), find(&mut parent, pair[1].0));
                parent[a] = b;
            }
            rows.push(Row {
                terms,
                low: fact.low - constant,
                high: fact.high - constant,
            });
        }
        let var_comp: Vec<usize> = (0..bounds.len()).map(|v| find(&mut parent, v)).collect();
        let row_comp = rows.iter().map(|r| var_comp[r.terms[0].0]).collect();
        let integer = match release.attacker {
            Attacker::Linear => false,
            Attacker::Integer => true,
        };
        Lp {
            var_of,
            bounds,
            rows,
            var_comp,
            row_comp,
            integer,
        }
    }

    /// The program over `target`'s component, minimising or maximising it, with `fix`
    /// (a value of `target`) as its bounds if given.
    fn problem(
        &self,
        target: usize,
        direction: OptimizationDirection,
        fix: Option<f64>,
    ) -> Problem {
        let comp = self.var_comp[target];
        let mut problem = Problem::new(direction);
        let mut local = vec![None; self.bounds.len()];
        for (var, &range) in self.bounds.iter().enumerate() {
            if self.var_comp[var] != comp {
                continue;
            }
            let objective = if var == target { 1.0 } else { 0.0 };
            let range = match fix {
                Some(value) if var == target => (value, value),
                _ => range,
            };
            local[var] = Some(if self.integer {
                let high = range.1.min(i32::MAX as f64) as i32;
                problem.add_integer_var(objective, (range.0 as i32, high))
            } else {
                problem.add_var(objective, range)
            });
        }
        for (row, _) in self
            .rows
            .iter()
            .zip(&self.row_comp)
            .filter(|r| *r.1 == comp)
        {
            let expr: Vec<_> = row
                .terms
                .iter()
                .map(|&(v, k)| (local[v].expect("same component"), k))
                .collect();
            if row.low == row.high {
                problem.add_constraint(&expr, ComparisonOp::Eq, row.low);
                continue;
            }
            if row.low.is_finite() {
                problem.add_constraint(&expr, ComparisonOp::Ge, row.low);
            }
            if row.high.is_finite() {
                problem.add_constraint(&expr, ComparisonOp::Le, row.high);
            }
        }
        problem
    }

    /// Optimum of variable `target` (infinite when unbounded), or `fallback` (the true
    /// value) when the solver fails.
    fn optimum(&self, target: usize, direction: OptimizationDirection, fallback: f64) -> f64 {
        let unbounded = match direction {
            OptimizationDirection::Maximize => f64::INFINITY,
            OptimizationDirection::Minimize => f64::NEG_INFINITY,
        };
        match self.problem(target, direction, None).solve() {
            Ok(outcome) => match outcome.into_solution() {
                // An integer variable stands for an unbounded one at i32::MAX.
                Ok(solution) if solution.objective() >= i32::MAX as f64 - 0.5 => unbounded,
                Ok(solution) => solution.objective(),
                Err(_) => fallback,
            },
            Err(microlp::Error::Unbounded) => unbounded,
            Err(_) => fallback,
        }
    }

    pub(super) fn bounds(&self, var: usize, truth: u64) -> (f64, f64) {
        let truth = truth as f64;
        (
            self.optimum(var, OptimizationDirection::Minimize, truth),
            self.optimum(var, OptimizationDirection::Maximize, truth),
        )
    }

    /// Integer interval, widened to include the true value (which is always feasible; an
    /// LP answer that excludes it is round-off).
    pub(super) fn interval(&self, var: usize, truth: u64) -> (u64, u64) {
        let (min, max) = self.bounds(var, truth);
        let lo = if min.is_finite() {
            (min - EPS).ceil().max(0.0) as u64
        } else {
            0
        };
        let hi = if max.is_finite() {
            (max + EPS).floor().max(0.0) as u64
        } else {
            u64::MAX
        };
        (lo.min(truth), hi.max(truth))
    }

    /// Whether the count can take at least `needed` different values: with a linear
    /// attacker, whether its interval holds that many integers; with an integer one,
    /// values inside the interval are tried one by one (a solver failure counts as "no").
    pub(super) fn takes(&self, var: usize, truth: u64, needed: u64) -> bool {
        let (lo, hi) = self.interval(var, truth);
        if hi - lo < needed.saturating_sub(1) {
            return false;
        }
        if !self.integer || needed <= 2 {
            return true;
        }
        let mut found = 2;
        for value in lo + 1..hi {
            let feasible = value == truth
                || self
                    .problem(var, OptimizationDirection::Minimize, Some(value as f64))
                    .solve()
                    .is_ok_and(|outcome| outcome.into_solution().is_ok());
            found += u64::from(feasible);
            if found >= needed {
                return true;
            }
        }
        false
    }
}

/// Union-find root, with path halving.
fn find(parent: &mut [usize], mut v: usize) -> usize {
    while parent[v] != v {
        parent[v] = parent[parent[v]];
        v = parent[v];
    }
    v
}
