//! Which count [`Release::protect`] hides next, by [`Pick`]: the nearest smallest
//! count (the default), or one chosen to close the pattern of withheld counts.

use super::{Fact, Release, Shown, Unprotectable};

/// How [`Release::protect`] chooses the next count to hide. Both are deterministic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pick {
    /// Take the first unprotected withheld count; among the `Exact` counts that appear
    /// in some required fact together with it, hide the smallest (ties: lowest index);
    /// else the smallest `Exact` count anywhere.
    Nearest,
    /// The default. Like `Nearest`, but aimed where the disclosure comes from: the target is the first
    /// unprotected count that is the only withheld count of some required fact (else the
    /// first unprotected), candidates come from those facts (else from every fact with
    /// it), and the candidate chosen is the one that leaves the fewest required facts
    /// with a single withheld count, then the smallest, then the lowest index. In a
    /// crosstab this closes rectangles instead of hiding more along one row.
    #[default]
    Closing,
}

impl Release {
    fn exact_cells(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.values.len()).filter(|&j| self.shown[j] == Shown::Exact)
    }

    /// [`Pick::Nearest`] for unprotected count `cell`.
    pub(super) fn nearest_smallest(&self, cell: usize) -> Result<usize, Unprotectable> {
        let cheapest = |j: &usize| (self.values[*j], *j);
        self.exact_cells()
            .filter(|&j| self.facts.iter().any(|f| f.has(cell) && f.has(j)))
            .min_by_key(cheapest)
            .or_else(|| self.exact_cells().min_by_key(cheapest))
            .ok_or(Unprotectable { cell })
    }

    /// [`Pick::Closing`] for the unprotected counts `unprotected` (ascending, not
    /// empty).
    pub(super) fn closing(&self, unprotected: &[usize]) -> Result<usize, Unprotectable> {
        let withheld = |f: &Fact| {
            let mut cells: Vec<usize> = f
                .terms
                .iter()
                .filter(|&&(c, k)| k != 0.0 && self.shown[c].is_withheld())
                .map(|&(c, _)| c)
                .collect();
            cells.dedup();
            cells.len()
        };
        let alone_in = |cell: usize| -> Vec<&Fact> {
            let facts = self.facts.iter();
            facts.filter(|f| f.has(cell) && withheld(f) == 1).collect()
        };
        let target = unprotected
            .iter()
            .copied()
            .find(|&c| !alone_in(c).is_empty())
            .unwrap_or(unprotected[0]);
        let mut sources = alone_in(target);
        if sources.is_empty() {
            sources = self.facts.iter().filter(|f| f.has(target)).collect();
        }
        let opens = |j: usize| {
            let facts = self.facts.iter();
            facts.filter(|f| f.has(j) && withheld(f) == 0).count()
        };
        let key = |j: &usize| (opens(*j), self.values[*j], *j);
        self.exact_cells()
            .filter(|&j| sources.iter().any(|f| f.has(j)))
            .min_by_key(key)
            .or_else(|| self.exact_cells().min_by_key(key))
            .ok_or(Unprotectable { cell: target })
    }
}
