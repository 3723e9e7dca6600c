//! Disclosure audit for published counts (in the manner of tau-Argus): for every withheld
//! count, the interval of values consistent with everything published, one linear program
//! per bound, and more suppression until every withheld count is protected.
//!
//! A [`Release`] holds the true counts, how each is shown ([`Shown`]) and the linear facts
//! published about them ([`Fact`]): totals (required) and statistics that may be withheld
//! (optional: means, SDs, quantiles, shares). The attacker is assumed to know every
//! required fact and every kept optional fact, that an `Exact` count is its shown value, a
//! `Small` one (`"<t"`) is in `1..=t-1` and a `Hidden` one (`"x"`) is `>= 0`.
//!
//! **Audit.** [`Release::intervals`] minimises and maximises each withheld count over that
//! polytope and rounds inwards: `[ceil(lp_min), floor(lp_max)]`. Protection rule
//! ([`protection_level`]): a `Small` count's interval must be at least `max(1, (t-1)/2)`
//! wide, a `Hidden` one must not be pinned (width >= 1).
//!
//! **Suppress more** ([`Release::protect`]), deterministic. With every optional fact set
//! aside: audit; take the first (lowest index) unprotected withheld count; among the
//! `Exact` counts that appear in some required fact together with it, hide the one with
//! the smallest true value (ties: lowest index); if there is none, hide the smallest
//! `Exact` count anywhere; if none is left, the release is [`Unprotectable`]. Repeat until
//! the audit passes. Then each optional fact, in the order added, is kept only if the
//! audit still passes with it (and the facts kept before it). That is [`Pick::Nearest`];
//! in large sparse crosstabs it hides far more than needed (one "<5" in a 20x20 table:
//! 41 counts withheld), so the default is [`Pick::Closing`], which aims at the fact that
//! gives a count away and closes rectangles (4 there); see [`Pick`].
//!
//! **Limits (it is a relaxation).** By default ([`Attacker::Linear`]) the audit solves
//! linear programs over real numbers, so an attacker who also uses integrality can know
//! more: integers inside the interval need not all be feasible, and with a mean or SD kept
//! a count the LP leaves free can even be the only integer solution. For tables with only
//! row and column totals the constraint matrix is totally unimodular: there the intervals
//! are exact and every integer in them is feasible. [`Attacker::Integer`] closes the gap
//! for other facts: integer programs for the bounds, and a `Small` count must take at
//! least `protection_level + 1` different values (each value inside its interval is
//! tried). [`Fact::quantile`] and [`Fact::sum_of_squares`] are themselves relaxations of
//! what a published quantile or SD tells (see each). A solver failure (never seen in
//! tests) counts as the bound being the true value: pessimistic, so it can only cause
//! more suppression.

mod choose;
mod fact;
mod lp;
mod table;

use std::fmt;

use crate::suppress::{Cell, suppress_count};

pub use choose::Pick;
pub use fact::Fact;
use lp::Lp;
pub use table::protect_table;

/// How one count is shown in a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Shown as is (zero and counts `>= t`).
    Exact,
    /// Shown as `"<t"`: the attacker knows it is in `1..=t-1`.
    Small,
    /// Shown as `"x"`: the attacker knows only that it is `>= 0`.
    Hidden,
}

impl Shown {
    /// Whether the true count is withheld.
    pub fn is_withheld(self) -> bool {
        match self {
            Shown::Exact => false,
            Shown::Small | Shown::Hidden => true,
        }
    }

    /// How a count `value` shown this way is published.
    pub fn cell(self, value: u64, threshold: u64) -> crate::suppress::Cell {
        use crate::suppress::Cell;
        match self {
            Shown::Exact => Cell::Count(value),
            Shown::Small => Cell::Small { threshold },
            Shown::Hidden => Cell::Hidden,
        }
    }
}

/// What the audit assumes the attacker can solve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Attacker {
    /// Linear programs over real numbers (the default): exact for tables of totals.
    #[default]
    Linear,
    /// Integer programs, and counting the values a count can take: needed once a mean,
    /// SD or other weighted fact is kept (see the module docs); slower.
    Integer,
}

/// Minimum width of a `Small` count's interval: `max(1, (t - 1) / 2)`, so t=3 -> 1,
/// t=5 -> 2, t=10 -> 4. A `Hidden` count needs width 1 (not pinned).
pub fn protection_level(threshold: u64) -> u64 {
    (threshold.saturating_sub(1) / 2).max(1)
}

/// What [`Release::protect`] did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Protection {
    /// Ids of the optional facts withheld, ascending.
    pub withheld_facts: Vec<usize>,
    /// Counts hidden by the audit, in the order they were hidden.
    pub hidden_cells: Vec<usize>,
}

/// Even with every count withheld, this one is not protected: withhold the whole table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unprotectable {
    pub cell: usize,
}

impl fmt::Display for Unprotectable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "count {} cannot be protected even with every count withheld",
            self.cell
        )
    }
}

impl std::error::Error for Unprotectable {}

/// Everything published about a set of counts: the counts, how each is shown, and the
/// linear facts (required ones, and optional ones with whether each is kept).
#[derive(Debug, Clone)]
pub struct Release {
    threshold: u64,
    values: Vec<u64>,
    shown: Vec<Shown>,
    facts: Vec<Fact>,
    optional: Vec<Fact>,
    kept: Vec<bool>,
    /// `(rows, cols)` of a release made by [`Release::from_table`].
    shape: Option<(usize, usize)>,
    attacker: Attacker,
    pick: Pick,
}

impl Release {
    /// Primary rule applied: `1..t-1` -> `Small`, else `Exact` (0 and `>= t` shown).
    pub fn new(values: Vec<u64>, threshold: u64) -> Release {
        let shown = values
            .iter()
            .map(|&v| match suppress_count(v, threshold) {
                Cell::Count(_) => Shown::Exact,
                Cell::Small { .. } => Shown::Small,
                Cell::Hidden => Shown::Hidden,
            })
            .collect();
        Release {
            threshold,
            values,
            shown,
            facts: Vec::new(),
            optional: Vec::new(),
            kept: Vec::new(),
            shape: None,
            attacker: Attacker::default(),
            pick: Pick::default(),
        }
    }

    pub fn threshold(&self) -> u64 {
        self.threshold
    }

    /// The true counts.
    pub fn values(&self) -> &[u64] {
        &self.values
    }

    pub fn shown(&self) -> &[Shown] {
        &self.shown
    }

    /// What the audit assumes the attacker can solve (default [`Attacker::Linear`]).
    pub fn set_attacker(&mut self, attacker: Attacker) {
        self.attacker = attacker;
    }

    /// How [`Release::protect`] chooses the next count to hide (default
    /// [`Pick::Nearest`]).
    pub fn set_pick(&mut self, pick: Pick) {
        self.pick = pick;
    }

    /// Secondary suppression by hand (a `Small` count becomes `"x"` too).
    pub fn hide(&mut self, cell: usize) {
        self.shown[cell] = Shown::Hidden;
    }

    /// A required fact (a published total).
    ///
    /// # Panics
    /// If a term names no count, or a number is NaN; in debug builds also if the true
    /// counts do not satisfy the fact (a caller's bug).
    pub fn add_fact(&mut self, fact: Fact) {
        self.check(&fact);
        self.facts.push(fact);
    }

    /// A statistic that may be withheld; kept until [`Release::protect`] decides.
    /// Returns its id (0, 1, ... in the order added). Panics as [`Release::add_fact`].
    pub fn add_optional_fact(&mut self, fact: Fact) -> usize {
        self.check(&fact);
        self.optional.push(fact);
        self.kept.push(true);
        self.optional.len() - 1
    }

    /// Whether optional fact `id` is currently kept (published).
    pub fn is_kept(&self, id: usize) -> bool {
        self.kept[id]
    }

    fn check(&self, fact: &Fact) {
        for &(cell, coef) in &fact.terms {
            assert!(cell < self.values.len(), "fact names count {cell}");
            assert!(coef.is_finite(), "fact coefficient {coef}");
        }
        assert!(
            !fact.low.is_nan() && !fact.high.is_nan(),
            "fact bound is NaN"
        );
        debug_assert!(fact.holds(&self.values), "the true counts break {fact:?}");
    }

    /// The real (LP) minimum and maximum of every withheld count under what is published
    /// (`f64::INFINITY` when unbounded above; integer programs with
    /// [`Attacker::Integer`]); `None` for shown counts.
    pub fn lp_bounds(&self) -> Vec<Option<(f64, f64)>> {
        let lp = Lp::new(self);
        (0..self.values.len())
            .map(|cell| lp.var_of[cell].map(|var| lp.bounds(var, self.values[cell])))
            .collect()
    }

    /// Integer interval `[ceil(lp_min), floor(lp_max)]` (with a small epsilon) of every
    /// withheld count, `u64::MAX` standing for unbounded; `None` for shown counts. With
    /// [`Attacker::Integer`], the integer programs' minimum and maximum.
    pub fn intervals(&self) -> Vec<Option<(u64, u64)>> {
        let lp = Lp::new(self);
        (0..self.values.len())
            .map(|cell| lp.var_of[cell].map(|var| lp.interval(var, self.values[cell])))
            .collect()
    }

    /// The first withheld count the audit finds unprotected, if any (with
    /// [`Attacker::Integer`], a `Small` count must also take `protection_level + 1`
    /// different values, not just span them).
    pub fn unprotected(&self) -> Option<usize> {
        self.unprotected_cells(false, &mut vec![false; self.values.len()])
            .first()
            .copied()
    }

    /// The withheld counts the audit finds unprotected, ascending; only the first unless
    /// `all`. Cells marked in `protected` are not checked, and every cell found protected
    /// is marked: withholding more only widens the intervals (a fixed count becomes a
    /// range, the facts stay), so a protected count stays protected while
    /// [`Release::protect`] hides more.
    fn unprotected_cells(&self, all: bool, protected: &mut [bool]) -> Vec<usize> {
        let lp = Lp::new(self);
        let level = protection_level(self.threshold);
        let mut found = Vec::new();
        for (cell, &var) in lp.var_of.iter().enumerate() {
            let Some(var) = var else { continue };
            if protected[cell] {
                continue;
            }
            let values_needed = match self.shown[cell] {
                Shown::Exact => 1,
                Shown::Small => level + 1,
                Shown::Hidden => 2,
            };
            if lp.takes(var, self.values[cell], values_needed) {
                protected[cell] = true;
            } else {
                found.push(cell);
                if !all {
                    break;
                }
            }
        }
        found
    }

    /// Suppresses more until protected, then keeps each optional fact (in order of
    /// adding) only if the audit still passes with it; see the module docs. On `Err` the
    /// release is left with every count withheld and every optional fact set aside.
    pub fn protect(&mut self) -> Result<Protection, Unprotectable> {
        self.kept.iter_mut().for_each(|k| *k = false);
        let mut protection = Protection::default();
        let mut protected = vec![false; self.values.len()];
        loop {
            let unprotected = self.unprotected_cells(self.pick == Pick::Closing, &mut protected);
            let Some(&first) = unprotected.first() else {
                break;
            };
            let pick = match self.pick {
                Pick::Nearest => self.nearest_smallest(first),
                Pick::Closing => self.closing(&unprotected),
            }?;
            self.shown[pick] = Shown::Hidden;
            protection.hidden_cells.push(pick);
        }
        for id in 0..self.optional.len() {
            self.kept[id] = true;
            if self.unprotected().is_some() {
                self.kept[id] = false;
                protection.withheld_facts.push(id);
            }
        }
        Ok(protection)
    }
}

#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
