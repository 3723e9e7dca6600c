//! Small-cell suppression for published tables, so that small groups of respondents
//! cannot be recognised.
//!
//! Rules (threshold `t`, default [`DEFAULT_THRESHOLD`] = 5):
//! - **Primary:** a count from 1 to `t - 1` is shown as `"<t"` ([`Cell::Small`]). Zero is
//!   shown as `0` (an empty cell reveals nobody), and so is every count `>= t`.
//!   A threshold of 0 or 1 suppresses nothing.
//! - **Secondary (complementary), per row:** when the row total is published, a row with
//!   exactly one suppressed cell gives that cell away (total minus the shown cells). So in
//!   such a row the smallest other cell (the first one on ties; zeros included, as they are
//!   the cheapest to hide) is also hidden, shown as `"x"` ([`Cell::Hidden`]). It is not
//!   shown as `"<t"` because it need not be small.
//! - **Row totals** follow the primary rule.
//! - **Percentages** (of the row total) of a suppressed or hidden cell are suppressed too
//!   (shown as `"x"`), since percent × total gives the count back.
//!
//! Not covered: columns. Publishing column totals or a grand total alongside can still
//! reveal a suppressed cell (e.g. a column with one suppressed cell); this module does no
//! column-wise secondary suppression, so do not publish column totals of suppressed tables
//! without checking them.
//!
//! Missing values: none here; the input is counts.

use std::fmt;

use serde::{Serialize, Serializer};

/// Counts below this (and above zero) are suppressed unless another threshold is given.
pub const DEFAULT_THRESHOLD: u64 = 5;

/// Text shown for hidden cells and suppressed percentages.
pub const HIDDEN_MARK: &str = "x";

/// A published count. Serialises as a JSON number when shown and as its display text
/// (`"<5"`, `"x"`) when suppressed; `Display` gives the text to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Shown as is.
    Count(u64),
    /// Primary suppression: a count from 1 to `threshold - 1`, shown as `"<threshold"`.
    Small { threshold: u64 },
    /// Secondary suppression: any count hidden to protect a small cell, shown as `"x"`.
    Hidden,
}

impl Cell {
    /// Whether the true count is withheld.
    pub fn is_suppressed(&self) -> bool {
        !matches!(self, Cell::Count(_))
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Cell::Count(count) => write!(f, "{count}"),
            Cell::Small { threshold } => write!(f, "<{threshold}"),
            Cell::Hidden => f.write_str(HIDDEN_MARK),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(count) => serializer.serialize_u64(*count),
            other => serializer.collect_str(other),
        }
    }
}

/// A published percentage. Serialises as a number when shown and as `"x"` when
/// suppressed; `Display` rounds to one decimal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PercentCell {
    Percent(f64),
    Suppressed,
}

impl fmt::Display for PercentCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PercentCell::Percent(percent) => write!(f, "{percent:.1}"),
            PercentCell::Suppressed => f.write_str(HIDDEN_MARK),
        }
    }
}

impl Serialize for PercentCell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            PercentCell::Percent(percent) => serializer.serialize_f64(*percent),
            PercentCell::Suppressed => serializer.serialize_str(HIDDEN_MARK),
        }
    }
}

/// Applies the primary rule to one count.
pub fn suppress_count(count: u64, threshold: u64) -> Cell {
    if count > 0 && count < threshold {
        Cell::Small { threshold }
    } else {
        Cell::Count(count)
    }
}

/// Percentages of `total` for a row of counts as published (`cells`): withheld with
/// their count (percent × total gives it back); `None` everywhere when `total` is 0.
pub fn percents_of(counts: &[u64], cells: &[Cell], total: u64) -> Vec<Option<PercentCell>> {
    counts
        .iter()
        .zip(cells)
        .map(|(&count, cell)| {
            (total > 0).then(|| {
                if cell.is_suppressed() {
                    PercentCell::Suppressed
                } else {
                    PercentCell::Percent(100.0 * count as f64 / total as f64)
                }
            })
        })
        .collect()
}

/// A table ready for publication; see the module docs for the rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuppressedTable {
    pub threshold: u64,
    /// `cells[row][col]`.
    pub cells: Vec<Vec<Cell>>,
    pub row_totals: Vec<Cell>,
    /// Percent of the row total; `None` for rows with a zero total.
    pub row_percents: Vec<Vec<Option<PercentCell>>>,
}

/// Suppresses a table of counts (`counts[row][col]`) with primary and row-wise secondary
/// suppression, and derives row percentages with the same cells withheld.
pub fn suppress_table<R: AsRef<[u64]>>(counts: &[R], threshold: u64) -> SuppressedTable {
    let mut cells = Vec::with_capacity(counts.len());
    let mut row_totals = Vec::with_capacity(counts.len());
    let mut row_percents = Vec::with_capacity(counts.len());
    for row in counts {
        let row = row.as_ref();
        let total: u64 = row.iter().sum();
        let mut shown: Vec<Cell> = row.iter().map(|&c| suppress_count(c, threshold)).collect();
        if shown.iter().filter(|c| c.is_suppressed()).count() == 1 {
            let smallest_other = (0..row.len())
                .filter(|&i| !shown[i].is_suppressed())
                .min_by_key(|&i| row[i]);
            if let Some(i) = smallest_other {
                shown[i] = Cell::Hidden;
            }
        }
        let percents = percents_of(row, &shown, total);
        cells.push(shown);
        row_totals.push(suppress_count(total, threshold));
        row_percents.push(percents);
    }
    SuppressedTable {
        threshold,
        cells,
        row_totals,
        row_percents,
    }
}

/// Also protect the columns of a suppressed table: column totals are often known from
/// elsewhere (a group's size in another table), so a column with exactly one withheld
/// cell gets its smallest other cell hidden too, and rows and columns are checked again
/// until every row and column has none or at least two withheld cells (where it has
/// other cells to hide). `counts` must be the table `table` was made from.
pub fn protect_columns<R: AsRef<[u64]>>(counts: &[R], table: &mut SuppressedTable) {
    let rows = table.cells.len();
    let cols = table.cells.first().map_or(0, Vec::len);
    let lone = |line: &[(usize, usize)], cells: &[Vec<Cell>]| -> Option<(usize, usize)> {
        let withheld = line
            .iter()
            .filter(|&&(r, c)| cells[r][c].is_suppressed())
            .count();
        if withheld != 1 {
            return None;
        }
        line.iter()
            .copied()
            .filter(|&(r, c)| !cells[r][c].is_suppressed())
            .min_by_key(|&(r, c)| counts[r].as_ref()[c])
    };
    loop {
        let mut changed = false;
        for c in 0..cols {
            let line: Vec<(usize, usize)> = (0..rows).map(|r| (r, c)).collect();
            if let Some((r, c)) = lone(&line, &table.cells) {
                table.cells[r][c] = Cell::Hidden;
                changed = true;
            }
        }
        for r in 0..rows {
            let line: Vec<(usize, usize)> = (0..cols).map(|c| (r, c)).collect();
            if let Some((r, c)) = lone(&line, &table.cells) {
                table.cells[r][c] = Cell::Hidden;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (cells, percents) in table.cells.iter().zip(table.row_percents.iter_mut()) {
        for (cell, percent) in cells.iter().zip(percents.iter_mut()) {
            if cell.is_suppressed() && percent.is_some() {
                *percent = Some(PercentCell::Suppressed);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_with_one_withheld_cell_get_a_second_one() {
        // Row rule: 2 and 3 are small. Column 0 then has one withheld cell (the 2), so the
        // smallest other cell of column 0 (the 20) is hidden; that row (20, 30, 40) now has
        // one withheld cell, so its smallest other cell (30) goes too.
        let counts = [vec![2, 3, 50], vec![20, 30, 40], vec![60, 70, 80]];
        let mut table = suppress_table(&counts, DEFAULT_THRESHOLD);
        protect_columns(&counts, &mut table);
        let withheld: Vec<Vec<bool>> = table
            .cells
            .iter()
            .map(|r| r.iter().map(Cell::is_suppressed).collect())
            .collect();
        for line in &withheld {
            assert_ne!(line.iter().filter(|&&w| w).count(), 1, "{withheld:?}");
        }
        for c in 0..3 {
            assert_ne!(withheld.iter().filter(|r| r[c]).count(), 1, "{withheld:?}");
        }
        assert_eq!(table.cells[1][0], Cell::Hidden);
        assert_eq!(table.row_percents[1][0], Some(PercentCell::Suppressed));
        assert_eq!(
            table.cells[2][2],
            Cell::Count(80),
            "untouched where not needed"
        );
    }

    #[test]
    fn primary_rule_keeps_zero_and_counts_at_threshold() {
        assert_eq!(suppress_count(0, 5), Cell::Count(0));
        assert_eq!(suppress_count(1, 5), Cell::Small { threshold: 5 });
        assert_eq!(suppress_count(4, 5), Cell::Small { threshold: 5 });
        assert_eq!(suppress_count(5, 5), Cell::Count(5));
        assert_eq!(suppress_count(1, 0), Cell::Count(1));
        assert_eq!(suppress_count(1, 1), Cell::Count(1));
    }

    #[test]
    fn display_and_json() {
        let cells = [Cell::Count(12), Cell::Small { threshold: 5 }, Cell::Hidden];
        let shown: Vec<String> = cells.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["12", "<5", "x"]);
        assert_eq!(serde_json::to_string(&cells).unwrap(), r#"[12,"<5","x"]"#);
        let percents = [PercentCell::Percent(12.345), PercentCell::Suppressed];
        assert_eq!(percents[0].to_string(), "12.3");
        assert_eq!(serde_json::to_string(&percents).unwrap(), r#"[12.345,"x"]"#);
    }

    #[test]
    fn single_small_cell_hides_the_next_smallest_in_its_row() {
        let table = suppress_table(&[vec![3, 50, 7, 20]], DEFAULT_THRESHOLD);
        let small = Cell::Small { threshold: 5 };
        assert_eq!(
            table.cells[0],
            [small, Cell::Count(50), Cell::Hidden, Cell::Count(20)]
        );
        assert_eq!(table.row_totals[0], Cell::Count(80));
        let p = &table.row_percents[0];
        assert_eq!(p[0], Some(PercentCell::Suppressed));
        assert_eq!(p[2], Some(PercentCell::Suppressed));
        assert_eq!(p[1], Some(PercentCell::Percent(62.5)));
    }

    #[test]
    fn secondary_rule_prefers_zero_and_first_on_ties() {
        let table = suppress_table(&[[9u64, 2, 0, 9], [2, 9, 9, 6]], 5);
        let small = Cell::Small { threshold: 5 };
        assert_eq!(
            table.cells[0],
            [Cell::Count(9), small, Cell::Hidden, Cell::Count(9)]
        );
        assert_eq!(
            table.cells[1],
            [small, Cell::Count(9), Cell::Count(9), Cell::Hidden]
        );
    }

    #[test]
    fn two_small_cells_need_no_secondary_suppression() {
        let table = suppress_table(&[[1u64, 2, 30]], 5);
        let small = Cell::Small { threshold: 5 };
        assert_eq!(table.cells[0], [small, small, Cell::Count(30)]);
    }

    #[test]
    fn small_totals_and_empty_rows() {
        let table = suppress_table(&[vec![3u64], vec![0, 0], vec![]], 5);
        assert_eq!(table.cells[0], [Cell::Small { threshold: 5 }]);
        assert_eq!(table.row_totals[0], Cell::Small { threshold: 5 });
        assert_eq!(table.cells[1], [Cell::Count(0), Cell::Count(0)]);
        assert_eq!(table.row_totals[1], Cell::Count(0));
        assert_eq!(table.row_percents[1], [None, None]);
        assert!(table.cells[2].is_empty());
    }
}
