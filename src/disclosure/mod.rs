//! What an evaluator may see. Every count and statistic a report publishes (in every
//! format and on the staff page, filtered or not) and every figure of a dashboard shown to
//! someone who may not see identified data ([`dashboard`]) is decided here, after the
//! survey's privacy model has been applied to the variables
//! ([`crate::report::variables`]); anonymized exports apply the same model in
//! [`crate::anonymize`]. Counts go through the
//! audit of [`analysis::audit`]: a withheld count must keep an interval of possible
//! values at least the protection level wide given everything published beside it
//! (totals, the "no answer" count, means, SDs, medians, shares); more cells are hidden,
//! or a statistic withheld, until it does. The rules and their reasons are in
//! docs/anonymization.md ("Reports").

use analysis::audit::{Attacker, Fact, Release, protect_table};
use analysis::suppress::{Cell, PercentCell};

/// A published distribution of one question's answers over its categories.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// One per category.
    pub cells: Vec<Cell>,
    /// Respondents without an answer.
    pub missing: Cell,
    /// Respondents with an answer: withheld whenever `missing` is (the number of
    /// respondents is published, so one gives the other back).
    pub n: Cell,
    /// Percent of `n` per category: withheld with its count or with `n`; `None` when
    /// nobody answered.
    pub percents: Vec<Option<PercentCell>>,
}

impl Distribution {
    /// Whether every count is shown as it is.
    pub fn complete(&self) -> bool {
        !self.missing.is_suppressed() && self.cells.iter().all(|c| !c.is_suppressed())
    }

    /// Assembles the published distribution from audited cells (categories, then "no
    /// answer"). A group of answers smaller than the threshold is not described at all.
    fn assemble(counts: &[u64], mut cells: Vec<Cell>, threshold: u64) -> Self {
        let answered: u64 = counts.iter().sum();
        let mut missing_cell = cells.pop().unwrap_or(Cell::Hidden);
        if answered > 0 && answered < threshold {
            cells.iter_mut().for_each(|c| *c = Cell::Hidden);
            missing_cell = match missing_cell {
                Cell::Count(m) if m > 0 => Cell::Hidden,
                other => other,
            };
        }
        let n = if answered > 0 && answered < threshold {
            Cell::Small { threshold }
        } else if missing_cell.is_suppressed() {
            Cell::Hidden
        } else {
            Cell::Count(answered)
        };
        // Percentages of n give n back with any shown count: withheld with it.
        let percents = if n.is_suppressed() {
            vec![(answered > 0).then_some(PercentCell::Suppressed); counts.len()]
        } else {
            analysis::suppress::percents_of(counts, &cells, answered)
        };
        Distribution {
            cells,
            missing: missing_cell,
            n,
            percents,
        }
    }
}

/// A statistic published beside a distribution, as facts on its counts (cell `i` is
/// category `i`): kept only where the audit still protects every withheld count.
pub struct Statistic(pub Vec<Fact>);

/// The distribution of a question over all respondents (`counts` per category,
/// `missing` without an answer; their sum, the number of respondents, is published).
/// Returns it with, for each of `statistics`, whether it may be published.
pub fn distribution(
    counts: &[u64],
    missing: u64,
    threshold: u64,
    statistics: Vec<Statistic>,
) -> (Distribution, Vec<bool>) {
    let mut values = counts.to_vec();
    values.push(missing);
    let total: u64 = values.iter().sum();
    let mut release = Release::new(values.clone(), threshold);
    // Means, SDs and medians are not linear in the counts' integer solutions: an attacker
    // who solves for whole numbers can pin a count the linear audit leaves open.
    if !statistics.is_empty() {
        release.set_attacker(Attacker::Integer);
    }
    let all: Vec<(usize, f64)> = (0..values.len()).map(|i| (i, 1.0)).collect();
    release.add_fact(Fact {
        terms: all,
        low: total as f64,
        high: total as f64,
    });
    let ids: Vec<Vec<usize>> = statistics
        .into_iter()
        .map(|s| {
            s.0.into_iter()
                .map(|f| release.add_optional_fact(f))
                .collect()
        })
        .collect();
    match release.protect() {
        Ok(protection) => {
            let cells = release
                .shown()
                .iter()
                .zip(&values)
                .map(|(s, &v)| s.cell(v, threshold))
                .collect();
            let kept = ids
                .iter()
                .map(|facts| {
                    facts
                        .iter()
                        .all(|id| !protection.withheld_facts.contains(id))
                })
                .collect();
            (Distribution::assemble(counts, cells, threshold), kept)
        }
        Err(_) => (
            Distribution::assemble(counts, vec![Cell::Hidden; values.len()], threshold),
            vec![false; ids.len()],
        ),
    }
}

/// The distribution of a question within one group of respondents, as a filtered view
/// shows it. `joint[g]` holds group `g`'s counts per category and, last, its count
/// without an answer; its groups are every group the filter can choose, plus those
/// without an answer to the filter, so that the views of all groups together are one
/// audited table. Row and column totals are treated as known: they are published in
/// the unfiltered report (the groups' sizes, the question's distribution).
pub fn distribution_in_group(joint: &[Vec<u64>], group: usize, threshold: u64) -> Distribution {
    let row = &joint[group];
    let counts = &row[..row.len().saturating_sub(1)];
    // Rows and columns without anyone are public zeros: left out of the audit (hiding
    // one of their cells could never protect anything), shown as 0.
    let rows: Vec<usize> = (0..joint.len())
        .filter(|&r| joint[r].iter().any(|&c| c > 0))
        .collect();
    let columns: Vec<usize> = (0..row.len())
        .filter(|&c| joint.iter().any(|r| r[c] > 0))
        .collect();
    let mut cells = vec![Cell::Count(0); row.len()];
    if let Some(at) = rows.iter().position(|&r| r == group) {
        let audited: Vec<Vec<u64>> = rows
            .iter()
            .map(|&r| columns.iter().map(|&c| joint[r][c]).collect())
            .collect();
        match protect_table(&audited, threshold) {
            Ok(table) => {
                for (k, &c) in columns.iter().enumerate() {
                    cells[c] = table.cells[at][k];
                }
            }
            Err(_) => cells = vec![Cell::Hidden; row.len()],
        }
    }
    Distribution::assemble(counts, cells, threshold)
}

/// Facts a published mean, SD and median of scores give about the counts of a
/// distribution over categories scored `scores` (the published values rounded as
/// printed: `half` is half the last printed digit).
pub mod facts {
    use super::{Fact, Statistic};

    pub fn mean(scores: &[f64], n: u64, mean: f64, half: f64) -> Statistic {
        let cells: Vec<usize> = (0..scores.len()).collect();
        Statistic(vec![Fact::mean(&cells, scores, n, mean, half)])
    }

    pub fn sd(scores: &[f64], n: u64, mean: f64, sd: f64, half: f64) -> Statistic {
        let cells: Vec<usize> = (0..scores.len()).collect();
        Statistic(vec![Fact::sum_of_squares(
            &cells, scores, n, mean, half, sd, half,
        )])
    }

    pub fn median(scores: &[f64], n: u64, median: f64) -> Statistic {
        let cells: Vec<usize> = (0..scores.len()).collect();
        Statistic(Fact::quantile(&cells, scores, n, 0.5, median, 0.0).to_vec())
    }

    pub fn share(cells: &[usize], n: u64, percent: f64, half: f64) -> Statistic {
        Statistic(vec![Fact::share(cells, n, percent, half)])
    }
}

/// Tables enumerated at most by [`crosstab_tests_publishable`].
const ENUMERATION_LIMIT: usize = 200_000;

/// Whether the chi-square and Fisher tests of a crosstab may be published beside its
/// audited cells (`cells`, made from `counts` by [`protect_table`]). A test statistic is
/// not linear in the counts (a 2x2 table with its totals and a chi-square has at most two
/// solutions), so every whole-number table consistent with what is published (shown
/// counts, `<t` as 1..t-1, `x` as anything, every row and column total) is enumerated,
/// and the tests are withheld if, among the tables that give the same statistic and p,
/// a withheld count takes fewer values than its protection needs (as in the audit).
/// The walk stops as soon as every withheld count has shown enough values; if
/// `ENUMERATION_LIMIT` tables go by before that, nothing proves the tests safe and they
/// are withheld.
pub fn crosstab_tests_publishable(
    counts: &[Vec<u64>],
    cells: &[Vec<Cell>],
    threshold: u64,
) -> bool {
    let withheld: Vec<(usize, usize)> = cells
        .iter()
        .enumerate()
        .flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .filter(|(_, c)| c.is_suppressed())
                .map(move |(c, _)| (r, c))
        })
        .collect();
    if withheld.is_empty() {
        return true;
    }
    let (chi, fisher) = analysis::crosstab::tests_of(counts);
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
        (None, None) => true,
        _ => false,
    };
    let mut table: Vec<Vec<u64>> = counts.to_vec();
    let rows = counts.len();
    let cols = counts.first().map_or(0, Vec::len);
    // What the withheld cells of each row and column must add up to.
    let mut row_left: Vec<u64> = (0..rows)
        .map(|r| {
            withheld
                .iter()
                .filter(|w| w.0 == r)
                .map(|&(r, c)| counts[r][c])
                .sum()
        })
        .collect();
    let mut col_left: Vec<u64> = (0..cols)
        .map(|c| {
            withheld
                .iter()
                .filter(|w| w.1 == c)
                .map(|&(r, c)| counts[r][c])
                .sum()
        })
        .collect();
    let mut seen: Vec<std::collections::BTreeSet<u64>> = vec![Default::default(); withheld.len()];
    let mut visited = 0usize;
    let w = Walk {
        withheld: &withheld,
        cells,
        threshold,
    };
    let level = analysis::audit::protection_level(threshold);
    let needed: Vec<u64> = withheld
        .iter()
        .map(|&(r, c)| match cells[r][c] {
            Cell::Small { .. } => level + 1,
            Cell::Count(_) | Cell::Hidden => 2,
        })
        .collect();
    let satisfied = |seen: &[std::collections::BTreeSet<u64>]| {
        seen.iter()
            .zip(&needed)
            .all(|(values, &n)| values.len() as u64 >= n)
    };
    let mut found = |t: &[Vec<u64>]| {
        let (c, f) = analysis::crosstab::tests_of(t);
        if same(
            chi.as_ref().map(|x| x.statistic),
            c.as_ref().map(|x| x.statistic),
        ) && same(
            fisher.as_ref().map(|x| x.p_value),
            f.as_ref().map(|x| x.p_value),
        ) {
            for (i, &(r, c)) in withheld.iter().enumerate() {
                seen[i].insert(t[r][c]);
            }
            return satisfied(&seen);
        }
        false
    };
    walk(
        &w,
        0,
        &mut table,
        &mut row_left,
        &mut col_left,
        &mut visited,
        &mut found,
    );
    // Enough seen (the walk stopped early or ran to its end), or not: withheld when the
    // limit came first.
    satisfied(&seen)
}

/// The tables a walk may visit: the withheld cells in order, what each may hold.
struct Walk<'a> {
    withheld: &'a [(usize, usize)],
    cells: &'a [Vec<Cell>],
    threshold: u64,
}
/// Fill withheld cell `k` onwards with every value it may hold, consistent with the
/// published margins; `found` is called with each complete table and ends the walk by
/// returning true. False when the walk was cut short (the limit, or `found`).
fn walk(
    w: &Walk<'_>,
    k: usize,
    table: &mut [Vec<u64>],
    row_left: &mut [u64],
    col_left: &mut [u64],
    visited: &mut usize,
    found: &mut dyn FnMut(&[Vec<u64>]) -> bool,
) -> bool {
    *visited += 1;
    if *visited > ENUMERATION_LIMIT {
        return false;
    }
    let Some(&(r, c)) = w.withheld.get(k) else {
        // `found` says whether enough is seen: then the walk ends.
        return !(row_left.iter().all(|&x| x == 0)
            && col_left.iter().all(|&x| x == 0)
            && found(table));
    };
    let last_in_row = !w.withheld[k + 1..].iter().any(|x| x.0 == r);
    let last_in_col = !w.withheld[k + 1..].iter().any(|x| x.1 == c);
    let high = row_left[r].min(col_left[c]);
    let low = match w.cells[r][c] {
        Cell::Small { .. } => 1,
        Cell::Count(_) | Cell::Hidden => 0,
    };
    let high = match w.cells[r][c] {
        Cell::Small { .. } => high.min(w.threshold - 1),
        Cell::Count(_) | Cell::Hidden => high,
    };
    let range = if last_in_row {
        row_left[r]..=row_left[r]
    } else if last_in_col {
        col_left[c]..=col_left[c]
    } else {
        low..=high
    };
    for v in range {
        if v < low || v > high {
            continue;
        }
        table[r][c] = v;
        row_left[r] -= v;
        col_left[c] -= v;
        let go_on = walk(w, k + 1, table, row_left, col_left, visited, found);
        row_left[r] += v;
        col_left[c] += v;
        if !go_on {
            return false;
        }
    }
    true
}

/// Whether an order statistic (minimum, quartile, median, maximum) of `values` may be
/// published: at least `threshold` values must lie at or below it and at or above it,
/// so that it is never one small group's (or one respondent's) own value. The five
/// numbers of a group of five are its five values; the maximum of staff numbers is one
/// municipality's.
pub fn order_statistic_publishable(values: &[f64], statistic: f64, threshold: u64) -> bool {
    let at_or_below = values.iter().filter(|&&x| x <= statistic).count() as u64;
    let at_or_above = values.iter().filter(|&&x| x >= statistic).count() as u64;
    at_or_below >= threshold && at_or_above >= threshold
}

/// Descriptive statistics with every order statistic that fails
/// [`order_statistic_publishable`] withheld.
pub fn descriptives(
    values: &[Option<f64>],
    threshold: u64,
) -> analysis::descriptives::Descriptives {
    let mut d = analysis::descriptives::describe(values);
    let finite: Vec<f64> = values
        .iter()
        .flatten()
        .copied()
        .filter(|x| x.is_finite())
        .collect();
    let keep = |s: Option<f64>| s.filter(|&s| order_statistic_publishable(&finite, s, threshold));
    d.min = keep(d.min);
    d.q1 = keep(d.q1);
    d.median = keep(d.median);
    d.q3 = keep(d.q3);
    d.max = keep(d.max);
    d
}

pub mod dashboard;
pub mod releases;

#[cfg(test)]
mod tests;
