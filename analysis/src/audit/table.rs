//! Crosstabs and frequency tables as releases: the small-group rule, the row and column
//! totals assumed known, and the protected table in the shape `suppress` publishes.

use crate::suppress::{Cell, SuppressedTable, percents_of, suppress_count};

use super::{Fact, Release, Shown, Unprotectable};

impl Release {
    /// A crosstab or frequency table, `counts[row][col]` (count `(r, c)` is number
    /// `r * cols + c`), before the audit: the primary rule, then the small-group rule
    /// (every count of a row or column whose total is `1..t-1` is `Hidden`, zeros and
    /// `Small` ones included), and a required total for every row and every column.
    /// The grand total is implied by them. A row or column of a single count is left
    /// out of both rules: its total is that count, so knowing it would defeat any
    /// suppression (a one-row frequency table has only its row total).
    ///
    /// # Panics
    /// If the rows differ in length.
    pub fn from_table<R: AsRef<[u64]>>(counts: &[R], threshold: u64) -> Release {
        let cols = counts.first().map_or(0, |r| r.as_ref().len());
        assert!(
            counts.iter().all(|r| r.as_ref().len() == cols),
            "protect_table needs a rectangular table"
        );
        let values = counts.iter().flat_map(|r| r.as_ref().to_vec()).collect();
        let mut release = Release::new(values, threshold);
        let rows = counts.len();
        release.shape = Some((rows, cols));
        let mut lines: Vec<Vec<usize>> = Vec::new();
        if cols >= 2 {
            lines.extend((0..rows).map(|r| (0..cols).map(|c| r * cols + c).collect()));
        }
        if rows >= 2 {
            lines.extend((0..cols).map(|c| (0..rows).map(|r| r * cols + c).collect()));
        }
        for line in &lines {
            let total: u64 = line.iter().map(|&i| release.values[i]).sum();
            if total > 0 && total < threshold {
                line.iter().for_each(|&i| release.shown[i] = Shown::Hidden);
            }
        }
        for line in &lines {
            let total = line.iter().map(|&i| release.values[i]).sum();
            release.add_fact(Fact::total(line, total));
        }
        release
    }

    /// The release as a published table (the counts in their table shape, row totals
    /// and row percentages as [`protect_table`] describes); `None` unless made by
    /// [`Release::from_table`].
    pub fn suppressed_table(&self) -> Option<SuppressedTable> {
        let (rows, cols) = self.shape?;
        let threshold = self.threshold;
        let mut table = SuppressedTable {
            threshold,
            cells: Vec::with_capacity(rows),
            row_totals: Vec::with_capacity(rows),
            row_percents: Vec::with_capacity(rows),
        };
        for r in 0..rows {
            let row = &self.values[r * cols..(r + 1) * cols];
            let total: u64 = row.iter().sum();
            let shown = &self.shown[r * cols..(r + 1) * cols];
            let cells: Vec<Cell> = row
                .iter()
                .zip(shown)
                .map(|(&count, shown)| shown.cell(count, threshold))
                .collect();
            let percents = percents_of(row, &cells, total);
            table.row_totals.push(match cols {
                1 => cells[0],
                _ => suppress_count(total, threshold),
            });
            table.cells.push(cells);
            table.row_percents.push(percents);
        }
        Some(table)
    }
}

/// Protects a crosstab or frequency table (`counts[row][col]`): [`Release::from_table`]
/// says what is assumed known, [`Release::protect`] does the rest (with the default
/// [`Attacker`](super::Attacker) and [`Pick`](super::Pick)). Row totals follow the primary
/// rule (a table of one column shows each row total as its count, withheld or not), row
/// percentages are withheld for withheld counts. `Err`: withhold the whole table.
///
/// # Panics
/// If the rows differ in length.
pub fn protect_table<R: AsRef<[u64]>>(
    counts: &[R],
    threshold: u64,
) -> Result<SuppressedTable, Unprotectable> {
    let mut release = Release::from_table(counts, threshold);
    release.protect()?;
    Ok(release.suppressed_table().expect("made by from_table"))
}
