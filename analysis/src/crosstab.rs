//! Cross-tabulation of two categorical variables with tests of independence: Pearson's
//! chi-square test (with Cramér's V) for any r × c table and Fisher's exact test for 2 × 2
//! tables (see [`fisher`]).
//!
//! Missing values: the two slices are paired by position. A pair with either value `None`
//! is dropped and counted in `dropped_missing` (if one slice is longer, its unpaired tail
//! is counted there too); a pair with a code outside `0..rows` / `0..cols` is dropped and
//! counted in `dropped_out_of_range`.
//!
//! Test conventions:
//! - The chi-square test has **no Yates continuity correction** (also for 2 × 2), i.e.
//!   `scipy.stats.chi2_contingency(table, correction=False)`.
//! - Rows and columns with a zero total are **dropped from the tests** (they carry no
//!   information and would make expected counts zero); the reported `counts`, totals and
//!   `expected` still cover the full table. `rows_used` / `cols_used` give the tested size.
//! - When fewer than two rows or two columns remain (including `n = 0`) there is no test:
//!   `chi_square` and `fisher` are `None`, never `NaN`.
//! - Fisher's exact test is reported when the tested table is 2 × 2.

pub mod fisher;

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};

pub use fisher::{FisherTest, fisher_exact_2x2};

/// Share of expected counts below 5 above which the chi-square approximation is doubtful
/// (Cochran's rule) and reports should prefer Fisher's exact test.
pub const LOW_EXPECTED_SHARE_LIMIT: f64 = 0.2;

/// A cross-tabulation; see the module docs for conventions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crosstab {
    /// Observed counts, `counts[row][col]`, full `rows × cols` table.
    pub counts: Vec<Vec<u64>>,
    pub row_totals: Vec<u64>,
    pub col_totals: Vec<u64>,
    /// Pairs counted in the table.
    pub n: u64,
    /// Pairs dropped because either value was missing (or unpaired).
    pub dropped_missing: u64,
    /// Pairs dropped because a code was outside the table.
    pub dropped_out_of_range: u64,
    /// Expected counts under independence, `row_total * col_total / n` (zero in empty rows
    /// and columns); `None` when `n = 0`.
    pub expected: Option<Vec<Vec<f64>>>,
    /// Pearson chi-square test of independence (no Yates correction).
    pub chi_square: Option<ChiSquareTest>,
    /// Fisher's exact test, when the tested table is 2 × 2.
    pub fisher: Option<FisherTest>,
}

/// Result of Pearson's chi-square test of independence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquareTest {
    pub statistic: f64,
    /// Degrees of freedom `(rows_used - 1) (cols_used - 1)`.
    pub df: u64,
    pub p_value: f64,
    /// Cramér's V, `sqrt(statistic / (n (min(rows_used, cols_used) - 1)))`.
    pub cramers_v: f64,
    /// Rows and columns with a non-zero total, i.e. the size of the tested table.
    pub rows_used: usize,
    pub cols_used: usize,
    /// Cells of the tested table whose expected count is below 5.
    pub low_expected_cells: u64,
    /// `low_expected_cells` as a share (0..=1) of the tested cells.
    pub low_expected_share: f64,
    /// `true` when more than 20 % of expected counts are below 5: the chi-square p-value is
    /// unreliable and an exact test should be preferred.
    pub low_expected_warning: bool,
}

/// Cross-tabulates `row_codes` (`0..rows`) against `col_codes` (`0..cols`) and tests
/// independence. O(n + rows · cols).
pub fn crosstab(
    row_codes: &[Option<usize>],
    col_codes: &[Option<usize>],
    rows: usize,
    cols: usize,
) -> Crosstab {
    let mut counts = vec![vec![0u64; cols]; rows];
    let mut dropped_missing = row_codes.len().abs_diff(col_codes.len()) as u64;
    let mut dropped_out_of_range = 0;
    for pair in row_codes.iter().zip(col_codes) {
        match pair {
            (Some(r), Some(c)) => match counts.get_mut(*r).and_then(|row| row.get_mut(*c)) {
                Some(count) => *count += 1,
                None => dropped_out_of_range += 1,
            },
            _ => dropped_missing += 1,
        }
    }
    let row_totals: Vec<u64> = counts.iter().map(|row| row.iter().sum()).collect();
    let col_totals: Vec<u64> = (0..cols)
        .map(|c| counts.iter().map(|row| row[c]).sum())
        .collect();
    let n = row_totals.iter().sum();
    let expected = (n > 0).then(|| {
        row_totals
            .iter()
            .map(|&r| {
                col_totals
                    .iter()
                    .map(|&c| r as f64 * c as f64 / n as f64)
                    .collect()
            })
            .collect()
    });
    let tested = TestedTable::new(&counts, &row_totals, &col_totals);
    Crosstab {
        chi_square: tested.as_ref().and_then(|t| t.chi_square(&counts)),
        fisher: tested.as_ref().and_then(|t| t.fisher(&counts)),
        counts,
        row_totals,
        col_totals,
        n,
        dropped_missing,
        dropped_out_of_range,
        expected,
    }
}

/// The chi-square and Fisher tests of a table of counts (`counts[row][col]`), exactly as
/// [`crosstab`] computes them: used to check which other tables give the same tests.
pub fn tests_of(counts: &[Vec<u64>]) -> (Option<ChiSquareTest>, Option<FisherTest>) {
    let cols = counts.first().map_or(0, Vec::len);
    let row_totals: Vec<u64> = counts.iter().map(|row| row.iter().sum()).collect();
    let col_totals: Vec<u64> = (0..cols)
        .map(|c| counts.iter().map(|row| row[c]).sum())
        .collect();
    let tested = TestedTable::new(counts, &row_totals, &col_totals);
    (
        tested.as_ref().and_then(|t| t.chi_square(counts)),
        tested.as_ref().and_then(|t| t.fisher(counts)),
    )
}

/// The table without empty rows and columns, as the tests see it.
struct TestedTable<'a> {
    rows: Vec<usize>,
    cols: Vec<usize>,
    row_totals: &'a [u64],
    col_totals: &'a [u64],
    n: f64,
}

impl<'a> TestedTable<'a> {
    /// `None` when fewer than two non-empty rows or columns remain.
    fn new(counts: &[Vec<u64>], row_totals: &'a [u64], col_totals: &'a [u64]) -> Option<Self> {
        let non_empty = |totals: &[u64]| -> Vec<usize> {
            (0..totals.len()).filter(|&i| totals[i] > 0).collect()
        };
        let rows = non_empty(row_totals);
        let cols = non_empty(col_totals);
        if rows.len() < 2 || cols.len() < 2 || counts.is_empty() {
            return None;
        }
        let n = row_totals.iter().sum::<u64>() as f64;
        Some(Self {
            rows,
            cols,
            row_totals,
            col_totals,
            n,
        })
    }

    fn chi_square(&self, counts: &[Vec<u64>]) -> Option<ChiSquareTest> {
        let mut statistic = 0.0;
        let mut low_expected_cells = 0;
        for &r in &self.rows {
            for &c in &self.cols {
                let expected = self.row_totals[r] as f64 * self.col_totals[c] as f64 / self.n;
                let diff = counts[r][c] as f64 - expected;
                statistic += diff * diff / expected;
                low_expected_cells += u64::from(expected < 5.0);
            }
        }
        let df = (self.rows.len() - 1) * (self.cols.len() - 1);
        let p_value = ChiSquared::new(df as f64).ok()?.sf(statistic);
        let min_dim = self.rows.len().min(self.cols.len());
        let cramers_v = (statistic / (self.n * (min_dim - 1) as f64)).sqrt();
        let low_expected_share =
            low_expected_cells as f64 / (self.rows.len() * self.cols.len()) as f64;
        Some(ChiSquareTest {
            statistic,
            df: df as u64,
            p_value,
            cramers_v,
            rows_used: self.rows.len(),
            cols_used: self.cols.len(),
            low_expected_cells,
            low_expected_share,
            low_expected_warning: low_expected_share > LOW_EXPECTED_SHARE_LIMIT,
        })
    }

    fn fisher(&self, counts: &[Vec<u64>]) -> Option<FisherTest> {
        let (&[r0, r1], &[c0, c1]) = (self.rows.as_slice(), self.cols.as_slice()) else {
            return None;
        };
        fisher_exact_2x2([
            [counts[r0][c0], counts[r0][c1]],
            [counts[r1][c0], counts[r1][c1]],
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(values: &[usize]) -> Vec<Option<usize>> {
        values.iter().map(|&v| Some(v)).collect()
    }

    #[test]
    fn missing_out_of_range_and_unpaired_are_counted() {
        let rows = [Some(0), None, Some(1), Some(5), Some(1), Some(0)];
        let cols = [Some(0), Some(1), None, Some(0), Some(1)];
        let t = crosstab(&rows, &cols, 2, 2);
        assert_eq!(t.n, 2);
        assert_eq!(t.dropped_missing, 3); // two `None` pairs + one unpaired value
        assert_eq!(t.dropped_out_of_range, 1);
        assert_eq!(t.counts, vec![vec![1, 0], vec![0, 1]]);
    }

    #[test]
    fn degenerate_tables_have_no_test() {
        let empty = crosstab(&[], &[], 2, 2);
        assert!(empty.expected.is_none() && empty.chi_square.is_none() && empty.fisher.is_none());
        let one_column = crosstab(&codes(&[0, 1, 1]), &codes(&[2, 2, 2]), 2, 3);
        assert!(one_column.chi_square.is_none() && one_column.fisher.is_none());
        assert!(one_column.expected.is_some());
        let zero_size = crosstab(&codes(&[0]), &codes(&[0]), 0, 0);
        assert_eq!((zero_size.n, zero_size.dropped_out_of_range), (0, 1));
        assert!(zero_size.chi_square.is_none());
    }

    #[test]
    fn empty_rows_are_dropped_from_the_test() {
        // 3 x 2 with an empty middle row: tested as 2 x 2, so Fisher is available.
        let t = crosstab(&codes(&[0, 0, 2, 2, 2]), &codes(&[0, 1, 0, 1, 1]), 3, 2);
        let chi = t.chi_square.unwrap();
        assert_eq!((chi.rows_used, chi.cols_used, chi.df), (2, 2, 1));
        assert!(t.fisher.is_some());
        assert_eq!(t.expected.unwrap()[1], vec![0.0, 0.0]);
    }

    #[test]
    fn perfect_association_has_cramers_v_one() {
        let t = crosstab(
            &codes(&[0, 1, 2, 0, 1, 2]),
            &codes(&[0, 1, 2, 0, 1, 2]),
            3,
            3,
        );
        let chi = t.chi_square.unwrap();
        assert!((chi.cramers_v - 1.0).abs() < 1e-12);
        assert!(chi.low_expected_warning);
        assert!(t.fisher.is_none());
    }
}
