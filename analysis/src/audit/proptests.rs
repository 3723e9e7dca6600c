//! Property tests of the disclosure audit against independent brute force: every integer
//! table (or item distribution) consistent with what was published is enumerated, and
//! each withheld count must take enough different values across them.

use std::collections::BTreeSet;

use proptest::prelude::*;

use crate::suppress::SuppressedTable;

use super::tests::total_of;
use super::*;

/// Every integer table consistent with what was published for a table of `rows x cols`
/// counts: a shown count is itself, "<t" is 1..t-1, "x" is >= 0, and the totals of every
/// row and column of two or more counts are known. Returns, per cell, the values it
/// takes, and whether the true table is among them.
fn brute_force(counts: &[Vec<u64>], shown: &[Shown], t: u64) -> (Vec<BTreeSet<u64>>, bool) {
    let (rows, cols) = (counts.len(), counts[0].len());
    let row_total: Vec<u64> = counts.iter().map(|r| r.iter().sum()).collect();
    let col_total: Vec<u64> = (0..cols)
        .map(|c| counts.iter().map(|r| r[c]).sum())
        .collect();
    let truth: Vec<u64> = counts.iter().flatten().copied().collect();
    let mut seen = vec![BTreeSet::new(); rows * cols];
    let mut found_truth = false;
    let mut table = vec![0; rows * cols];
    #[allow(clippy::too_many_arguments)]
    fn walk(
        i: usize,
        dims: (usize, usize, u64),
        totals: (&[u64], &[u64]),
        shown: &[Shown],
        table: &mut Vec<u64>,
        sums: (&mut Vec<u64>, &mut Vec<u64>),
        out: &mut dyn FnMut(&[u64]),
    ) {
        let (rows, cols, t) = dims;
        if i == rows * cols {
            out(table);
            return;
        }
        let (r, c) = (i / cols, i % cols);
        let row_left = (cols >= 2).then(|| totals.0[r] - sums.0[r]);
        let col_left = (rows >= 2).then(|| totals.1[c] - sums.1[c]);
        let cap = row_left.into_iter().chain(col_left).min().expect("not 1x1");
        let (lo, hi) = match shown[i] {
            Shown::Exact => (table[i], table[i]),
            Shown::Small => (1, t - 1),
            Shown::Hidden => (0, cap),
        };
        for v in lo..=hi.min(cap) {
            let row_done = c + 1 < cols || row_left.is_none_or(|left| left == v);
            let col_done = r + 1 < rows || col_left.is_none_or(|left| left == v);
            if !(row_done && col_done) {
                continue;
            }
            let saved = table[i];
            table[i] = v;
            sums.0[r] += v;
            sums.1[c] += v;
            walk(i + 1, dims, totals, shown, table, (sums.0, sums.1), out);
            sums.0[r] -= v;
            sums.1[c] -= v;
            table[i] = saved;
        }
    }
    if rows * cols == 1 {
        let values = match shown[0] {
            Shown::Exact => truth[0]..=truth[0],
            Shown::Small => 1..=t - 1,
            Shown::Hidden => unreachable!("a lone count is never hidden"),
        };
        return (vec![values.collect()], true);
    }
    for (i, s) in shown.iter().enumerate() {
        if !s.is_withheld() {
            table[i] = truth[i];
        }
    }
    let (mut row_sum, mut col_sum) = (vec![0; rows], vec![0; cols]);
    walk(
        0,
        (rows, cols, t),
        (&row_total, &col_total),
        shown,
        &mut table,
        (&mut row_sum, &mut col_sum),
        &mut |found| {
            found_truth |= found == truth.as_slice();
            for (set, &v) in seen.iter_mut().zip(found) {
                set.insert(v);
            }
        },
    );
    (seen, found_truth)
}

fn needed(shown: Shown, t: u64) -> usize {
    match shown {
        Shown::Exact => 1,
        Shown::Small => protection_level(t) as usize + 1,
        Shown::Hidden => 2,
    }
}

fn shown_of(cell: &Cell) -> Shown {
    match cell {
        Cell::Count(_) => Shown::Exact,
        Cell::Small { .. } => Shown::Small,
        Cell::Hidden => Shown::Hidden,
    }
}

pub(super) fn assert_brute_force_protected<R: AsRef<[u64]>>(
    counts: &[R],
    t: u64,
    table: &SuppressedTable,
) {
    let counts: Vec<Vec<u64>> = counts.iter().map(|r| r.as_ref().to_vec()).collect();
    let shown: Vec<Shown> = table.cells.iter().flatten().map(shown_of).collect();
    for (cell, &count) in table.cells.iter().flatten().zip(counts.iter().flatten()) {
        match cell {
            Cell::Count(shown) => assert_eq!(*shown, count),
            Cell::Small { threshold } => assert!(count > 0 && count < *threshold),
            Cell::Hidden => {}
        }
    }
    let (seen, found_truth) = brute_force(&counts, &shown, t);
    assert!(
        found_truth,
        "the true table is consistent with what was published"
    );
    for (i, (values, s)) in seen.iter().zip(&shown).enumerate() {
        assert!(
            values.len() >= needed(*s, t),
            "cell {i} ({s:?}) takes only {values:?}"
        );
    }
}

/// `Release::from_table` protected with `pick`; with the default pick, also checks that
/// `protect_table` publishes the same.
fn protected<R: AsRef<[u64]>>(
    counts: &[R],
    t: u64,
    pick: Pick,
) -> (Release, Result<Protection, Unprotectable>) {
    let mut release = Release::from_table(counts, t);
    release.set_pick(pick);
    let result = release.protect();
    if pick == Pick::default() {
        let table = protect_table(counts, t);
        assert_eq!(table.is_ok(), result.is_ok());
        if let Ok(table) = table {
            assert_eq!(Some(table), release.suppressed_table());
        }
    }
    (release, result)
}

fn pick() -> impl Strategy<Value = Pick> {
    prop_oneof![Just(Pick::Nearest), Just(Pick::Closing)]
}

fn small_table() -> impl Strategy<Value = (Vec<Vec<u64>>, u64)> {
    (1usize..=3, 1usize..=3, 2u64..=6).prop_flat_map(|(rows, cols, t)| {
        let row = proptest::collection::vec(0u64..=6, cols);
        (proptest::collection::vec(row, rows), Just(t))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn brute_force_agrees_that_protected_tables_are_protected(
        (counts, t) in small_table(),
        pick in pick(),
    ) {
        match protected(&counts, t, pick) {
            (release, Ok(_)) => {
                let table = release.suppressed_table().unwrap();
                assert_brute_force_protected(&counts, t, &table);
            }
            (_, Err(Unprotectable { .. })) => {
                // Then even with every count withheld some count is not protected.
                let release = Release::from_table(&counts, t);
                let shown: Vec<Shown> = release
                    .shown()
                    .iter()
                    .map(|s| match s {
                        Shown::Exact => Shown::Hidden,
                        Shown::Small | Shown::Hidden => *s,
                    })
                    .collect();
                let (seen, _) = brute_force(&counts, &shown, t);
                let exposed = seen.iter().zip(&shown).any(|(v, s)| v.len() < needed(*s, t));
                prop_assert!(exposed, "{counts:?} t={t} refused but protectable");
            }
        }
    }
}

fn large_table() -> impl Strategy<Value = (Vec<Vec<u64>>, u64)> {
    let count = prop_oneof![3 => 0u64..=4, 1 => 0u64..=60];
    (
        2usize..=7,
        2usize..=7,
        prop_oneof![Just(3u64), Just(5), Just(10)],
    )
        .prop_flat_map(move |(rows, cols, t)| {
            let row = proptest::collection::vec(count.clone(), cols);
            (proptest::collection::vec(row, rows), Just(t))
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(60))]

    #[test]
    fn protected_tables_pass_the_rule_and_show_the_truth(
        (counts, t) in large_table(),
        pick in pick(),
    ) {
        let (release, result) = protected(&counts, t, pick);
        let truth: Vec<u64> = counts.iter().flatten().copied().collect();
        if result.is_err() {
            prop_assert!(release.shown().iter().all(|s| s.is_withheld()));
            return Ok(());
        }
        let level = protection_level(t);
        for (i, interval) in release.intervals().into_iter().enumerate() {
            let (lo, hi) = match (release.shown()[i], interval) {
                (Shown::Exact, None) => continue,
                (_, Some(bounds)) => bounds,
                (shown, None) => panic!("{shown:?} cell {i} without an interval"),
            };
            prop_assert!(lo <= truth[i] && truth[i] <= hi);
            let width = match release.shown()[i] {
                Shown::Small => level,
                Shown::Hidden | Shown::Exact => 1,
            };
            prop_assert!(hi - lo >= width, "cell {i} in {lo}..={hi}");
        }
        let table = release.suppressed_table().unwrap();
        for (cell, &count) in table.cells.iter().flatten().zip(&truth) {
            match cell {
                Cell::Count(shown) => prop_assert_eq!(*shown, count),
                Cell::Small { threshold } => prop_assert!(count > 0 && count < *threshold),
                Cell::Hidden => {}
            }
        }
    }
}

/// Every distribution of counts consistent with what `release` publishes (shown counts,
/// "<t", "x" up to `cap`, the required and kept facts); per count, the values it takes,
/// and whether the true counts are among them.
fn item_values(release: &Release, cap: u64) -> (Vec<BTreeSet<u64>>, bool) {
    let kept = release.optional.iter().zip(&release.kept);
    let facts: Vec<&Fact> = release
        .facts
        .iter()
        .chain(kept.filter(|(_, k)| **k).map(|(f, _)| f))
        .collect();
    let ranges: Vec<(u64, u64)> = (0..release.values.len())
        .map(|i| match release.shown[i] {
            Shown::Exact => (release.values[i], release.values[i]),
            Shown::Small => (1, release.threshold - 1),
            Shown::Hidden => (0, cap),
        })
        .collect();
    let mut seen = vec![BTreeSet::new(); ranges.len()];
    let mut found_truth = false;
    let mut counts = Vec::with_capacity(ranges.len());
    fn walk(ranges: &[(u64, u64)], cap: u64, counts: &mut Vec<u64>, out: &mut dyn FnMut(&[u64])) {
        let Some(&(lo, hi)) = ranges.get(counts.len()) else {
            return out(counts);
        };
        let used: u64 = counts.iter().sum();
        for v in lo..=hi.min(cap.saturating_sub(used)) {
            counts.push(v);
            walk(ranges, cap, counts, out);
            counts.pop();
        }
    }
    walk(&ranges, cap, &mut counts, &mut |found| {
        if facts.iter().all(|f| f.holds(found)) {
            found_truth |= found == release.values.as_slice();
            for (set, &v) in seen.iter_mut().zip(found) {
                set.insert(v);
            }
        }
    });
    (seen, found_truth)
}

/// Whether every withheld count of `release` takes enough values by brute force.
fn item_protected(release: &Release, cap: u64) -> bool {
    let (seen, found_truth) = item_values(release, cap);
    assert!(
        found_truth,
        "the true counts are consistent with what was published"
    );
    let t = release.threshold;
    seen.iter()
        .zip(&release.shown)
        .all(|(v, s)| v.len() >= needed(*s, t))
}

/// A 5-point item with its total and optional mean, SD (two decimals each), median and
/// top-2-box percentage (one decimal).
fn item_release(values: &[u64], t: u64, attacker: Attacker) -> Release {
    let (cells, scores) = ([0, 1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0, 5.0]);
    let n: u64 = values.iter().sum();
    let nf = n as f64;
    let sum: f64 = values.iter().zip(&scores).map(|(&c, x)| c as f64 * x).sum();
    let squares: f64 = values
        .iter()
        .zip(&scores)
        .map(|(&c, x)| c as f64 * x * x)
        .sum();
    let mean = sum / nf;
    let sd = ((squares - nf * mean * mean) / (nf - 1.0)).max(0.0).sqrt();
    let round = |x: f64, places: i32| (x * 10f64.powi(places)).round() / 10f64.powi(places);
    let sorted: Vec<f64> = (0..5)
        .flat_map(|i| std::iter::repeat_n(scores[i], values[i] as usize))
        .collect();
    let median = (sorted[(sorted.len() - 1) / 2] + sorted[sorted.len() / 2]) / 2.0;
    let top_two = 100.0 * (values[3] + values[4]) as f64 / nf;
    let mut release = Release::new(values.to_vec(), t);
    release.set_attacker(attacker);
    release.add_fact(total_of(values));
    let (m, s) = (round(mean, 2), round(sd, 2));
    release.add_optional_fact(Fact::mean(&cells, &scores, n, m, 0.005));
    let sd_fact = Fact::sum_of_squares(&cells, &scores, n, m, 0.005, s, 0.005);
    release.add_optional_fact(sd_fact);
    for fact in Fact::quantile(&cells, &scores, n, 0.5, median, 0.0) {
        release.add_optional_fact(fact);
    }
    release.add_optional_fact(Fact::share(&[3, 4], n, round(top_two, 1), 0.05));
    release
}

/// Counts [10, 2, 12, 5, 0] (n = 29, mean 2.41, SD 1.15): the audit hides the 0 and the 5
/// beside the "<5". The linear audit then keeps the SD, but only one integer distribution
/// fits it: an attacker who enumerates them (5^3 tries) reads off every count.
#[test]
fn an_integer_attacker_sees_what_the_linear_audit_misses() {
    let values = [10, 2, 12, 5, 0];
    let mut linear = item_release(&values, 5, Attacker::Linear);
    let mut integer = item_release(&values, 5, Attacker::Integer);

    let by_lp = linear.protect().unwrap();
    let by_ip = integer.protect().unwrap();

    assert_eq!(by_lp.hidden_cells, [4, 3]);
    assert!(linear.is_kept(1), "the linear audit keeps the SD");
    assert!(!item_protected(&linear, 29), "yet it pins the counts");
    assert_eq!(by_ip.hidden_cells, [4, 3]);
    assert!(!integer.is_kept(1));
    assert!(item_protected(&integer, 29));
}

fn item() -> impl Strategy<Value = (Vec<u64>, u64)> {
    let count = prop_oneof![2 => 0u64..=4, 1 => 0u64..=15];
    let t = prop_oneof![Just(3u64), Just(5), Just(10)];
    (proptest::collection::vec(count, 5), t)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn integer_audit_of_item_statistics_agrees_with_brute_force((values, t) in item()) {
        let n: u64 = values.iter().sum();
        prop_assume!(n >= 2);
        let mut release = item_release(&values, t, Attacker::Integer);
        match release.protect() {
            Ok(_) => prop_assert!(item_protected(&release, n), "{:?}", release.shown()),
            Err(_) => prop_assert!(release.shown().iter().all(|s| s.is_withheld())),
        }
    }
}
