//! Hand-worked tests of the disclosure audit: small releases worked out on paper, LP
//! bounds checked against scipy, and a 20x20 timing run (ignored; for measuring only).

use crate::suppress::PercentCell;

use super::proptests::assert_brute_force_protected;
use super::*;

pub(super) fn total_of(values: &[u64]) -> Fact {
    let cells: Vec<usize> = (0..values.len()).collect();
    Fact::total(&cells, values.iter().sum())
}

#[test]
fn protection_levels() {
    let levels: Vec<u64> = [0, 1, 2, 3, 4, 5, 6, 10].map(protection_level).to_vec();
    assert_eq!(levels, [1, 1, 1, 1, 1, 2, 2, 4]);
}

#[test]
fn a_row_with_its_total_hides_one_more() {
    let values = vec![3, 50, 7, 20];
    let mut release = Release::new(values.clone(), 5);
    release.add_fact(total_of(&values));
    assert_eq!(release.intervals()[0], Some((3, 3)), "80 - 50 - 7 - 20");

    let protection = release.protect().unwrap();

    assert_eq!(
        protection.hidden_cells,
        [2],
        "the 7: smallest other in the total"
    );
    use Shown::{Exact, Hidden, Small};
    assert_eq!(release.shown(), [Small, Exact, Hidden, Exact]);
    assert_eq!(
        release.intervals(),
        [Some((1, 4)), None, Some((6, 9)), None]
    );
}

#[test]
fn classic_two_by_two_with_margins_withholds_all_four() {
    let table = protect_table(&[[2u64, 10], [10, 10]], 5).unwrap();
    let small = Cell::Small { threshold: 5 };
    assert_eq!(table.cells[0], [small, Cell::Hidden]);
    assert_eq!(table.cells[1], [Cell::Hidden, Cell::Hidden]);
    assert_eq!(table.row_totals, [Cell::Count(12), Cell::Count(20)]);
    assert_eq!(table.row_percents[1], [Some(PercentCell::Suppressed); 2]);
}

/// A 5-point item, counts [0, 3, 20, 0, 10] (n = 33, mean 116/33 = 3.5152): the 3 is
/// "<5", the zeros beside it are hidden by hand. With the total only, c0 + c1 + c3 = 3.
/// The mean to two decimals gives c0 + 2 c1 + 4 c3 in 33 * [3.515, 3.525] - 110, so
/// c1 + 3 c3 <= 3.325 and c3 <= 0.775: pinned at 0. To one decimal (3.5) it is only
/// c3 <= 1.05, which leaves c3 in 0..=1, c1 in 1..=3 and c0 in 0..=2.
#[test]
fn a_mean_that_pins_a_hidden_count_is_withheld() {
    let values = vec![0, 3, 20, 0, 10];
    let cells = [0, 1, 2, 3, 4];
    let scores = [1.0, 2.0, 3.0, 4.0, 5.0];
    let mut release = Release::new(values.clone(), 5);
    release.hide(0);
    release.hide(3);
    release.add_fact(total_of(&values));
    let one_decimal = release.add_optional_fact(Fact::mean(&cells, &scores, 33, 3.5, 0.05));
    let two_decimals = release.add_optional_fact(Fact::mean(&cells, &scores, 33, 3.52, 0.005));
    assert_eq!(release.intervals()[3], Some((0, 0)), "both means kept");

    let protection = release.protect().unwrap();

    assert_eq!(protection.withheld_facts, [two_decimals]);
    assert!(protection.hidden_cells.is_empty());
    assert!(release.is_kept(one_decimal) && !release.is_kept(two_decimals));
    let intervals = release.intervals();
    assert_eq!(intervals[0], Some((0, 2)));
    assert_eq!(intervals[1], Some((1, 3)));
    assert_eq!(intervals[3], Some((0, 1)));
}

#[test]
fn small_group_rule_hides_zeros_beside_a_small_count() {
    // Column 0 has total 1: its 1 and both zeros are "x" (a "0" beside "<5" would say the
    // one person in that group is in row 0). Rows then pin those cells through their
    // totals, so the audit hides the other cell of each row.
    let counts = [[1u64, 9], [0, 8], [0, 7]];
    let release = Release::from_table(&counts, 5);
    use Shown::{Exact, Hidden};
    assert_eq!(
        release.shown(),
        [Hidden, Exact, Hidden, Exact, Hidden, Exact]
    );

    let table = protect_table(&counts, 5).unwrap();

    assert!(table.cells.iter().flatten().all(|c| *c == Cell::Hidden));
    assert_eq!(table.row_totals[1], Cell::Count(8));
    assert_brute_force_protected(&counts, 5, &table);
}

#[test]
fn single_cell_lines_are_not_totals() {
    // A one-row frequency table: only the row total is known, so "<5" beside three shown
    // counts needs one more hidden, as in a row with its total.
    let table = protect_table(&[[3u64, 50, 7, 20]], 5).unwrap();
    let small = Cell::Small { threshold: 5 };
    let expected = [small, Cell::Count(50), Cell::Hidden, Cell::Count(20)];
    assert_eq!(table.cells[0], expected);
    // One column: each row total is the count itself, shown as the count is.
    let table = protect_table(&[[3u64], [50], [7]], 5).unwrap();
    assert_eq!(table.row_totals, [small, Cell::Count(50), Cell::Hidden]);
}

/// One "<5" in a 4x4 table. The closing pick hides the 20 below it (smallest in its row
/// or column), then the 30 beside it (row 0 still pinned it), then the 9 that closes the
/// rectangle: column 1 had the 30 alone, and the 9 opens no new row or column. The
/// nearest pick keeps hiding the smallest count next to the "<5" (the column first), and
/// each hidden count exposed by its own row needs more.
#[test]
fn closing_pick_withholds_a_rectangle_for_one_small_count() {
    let counts = [
        [2u64, 30, 40, 50],
        [20, 9, 35, 45],
        [25, 33, 8, 41],
        [27, 36, 44, 7],
    ];
    let mut closing = Release::from_table(&counts, 5);
    closing.set_pick(Pick::Closing);
    let mut nearest = Release::from_table(&counts, 5);
    nearest.set_pick(Pick::Nearest);

    let by_closing = closing.protect().unwrap();
    let by_nearest = nearest.protect().unwrap();

    assert_eq!(by_closing.hidden_cells, [4, 1, 5]);
    assert_brute_force_protected(&counts, 5, &closing.suppressed_table().unwrap());
    assert_eq!(
        by_nearest.hidden_cells[..3],
        [4, 8, 12],
        "down column 0 first"
    );
    assert!(by_nearest.hidden_cells.len() > 3);
    assert_eq!(nearest.unprotected(), None);
}

#[test]
fn unprotectable_when_even_hiding_everything_pins_a_count() {
    let mut release = Release::new(vec![3], 5);
    release.add_fact(total_of(&[3]));
    assert_eq!(release.protect(), Err(Unprotectable { cell: 0 }));
    // With t = 2, "<2" is 1 exactly: never protected.
    let mut release = Release::new(vec![1, 7], 2);
    assert_eq!(release.protect(), Err(Unprotectable { cell: 0 }));
    assert_eq!(release.shown(), [Shown::Small, Shown::Hidden]);
}

#[test]
fn fact_builders() {
    let m = Fact::mean(&[0, 1], &[1.0, 2.0], 10, 1.5, 0.05);
    assert_eq!(m.terms, [(0, 1.0), (1, 2.0)]);
    assert!((m.low - 14.5).abs() < 1e-6 && (m.high - 15.5).abs() < 1e-6);
    assert!(m.low < 14.5 && m.high > 15.5, "widened for round-off");
    // n = 11, mean 2 +- 0.5, sd 1 +- 0.5: 10 * [0.25, 2.25] + 11 * [2.25, 6.25].
    let ss = Fact::sum_of_squares(&[0, 1], &[1.0, 3.0], 11, 2.0, 0.5, 1.0, 0.5);
    assert_eq!(ss.terms, [(0, 1.0), (1, 9.0)]);
    assert!((ss.low - 27.25).abs() < 1e-6 && (ss.high - 91.25).abs() < 1e-6);
    // A mean box across zero: the smallest mean^2 is 0; an SD box below zero stops at 0.
    let ss = Fact::sum_of_squares(&[0], &[-1.0], 5, 0.1, 0.2, 0.1, 0.2);
    assert!(ss.low.abs() < 1e-6 && (ss.high - (4.0 * 0.09 + 5.0 * 0.09)).abs() < 1e-6);
    // Median 3 of n = 33 (q n = 16.5): #(x < 3) <= 17, #(x <= 3) >= 16.
    let [below, up_to] = Fact::quantile(&[0, 1, 2, 3], &[1.0, 2.0, 3.0, 4.0], 33, 0.5, 3.0, 0.0);
    assert_eq!(below.terms, [(0, 1.0), (1, 1.0)]);
    assert_eq!((below.low, below.high), (f64::NEG_INFINITY, 17.0));
    assert_eq!(up_to.terms, [(0, 1.0), (1, 1.0), (2, 1.0)]);
    assert_eq!((up_to.low, up_to.high), (16.0, f64::INFINITY));
    // Median 2.5 (rounded to 0.5) of n = 34: both counts 17, scores within 0.25 excluded
    // from "below" and included in "up to".
    let [below, up_to] = Fact::quantile(&[0, 1, 2], &[2.0, 2.5, 3.0], 34, 0.5, 2.5, 0.25);
    assert_eq!(below.terms, [(0, 1.0)]);
    assert_eq!(up_to.terms, [(0, 1.0), (1, 1.0)], "3.0 > 2.5 + 0.25");
    assert_eq!((below.high, up_to.low), (17.0, 17.0));
    let share = Fact::share(&[3, 4], 42, 33.3, 0.05);
    assert!((share.low - 13.965).abs() < 1e-6 && (share.high - 14.007).abs() < 1e-6);
}

fn assert_bounds(release: &Release, expected: &[(usize, f64, f64)]) {
    let bounds = release.lp_bounds();
    for &(cell, lo, hi) in expected {
        let (got_lo, got_hi) = bounds[cell].unwrap();
        assert!(
            (got_lo - lo).abs() < 1e-6,
            "cell {cell}: min {got_lo} vs {lo}"
        );
        assert!(
            (got_hi - hi).abs() < 1e-6,
            "cell {cell}: max {got_hi} vs {hi}"
        );
    }
}

/// Counts [2, 7, 20, 3, 10] on scores 1..=5 (n = 42), "<5" for the 2 and the 3, the 7
/// hidden by hand; published: the total, mean 3.29 and SD 1.15 (two decimals each).
#[test]
fn mean_and_sd_bounds_match_scipy() {
    let values = vec![2, 7, 20, 3, 10];
    let (cells, scores) = ([0, 1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0, 5.0]);
    let mut release = Release::new(values.clone(), 5);
    release.hide(1);
    release.add_fact(total_of(&values));
    release.add_optional_fact(Fact::mean(&cells, &scores, 42, 3.29, 0.005));
    let sd = Fact::sum_of_squares(&cells, &scores, 42, 3.29, 0.005, 1.15, 0.005);
    release.add_optional_fact(sd);
    // Reference: scipy 1.17.1 linprog (HiGHS) on the same LP over (c0, c1, c3), the
    // exact counts c2 = 20 and c4 = 10 moved to the right-hand side:
    // python3 -c 'from scipy.optimize import linprog as lp
    // lo1, hi1 = 42*3.285-110, 42*3.295-110
    // lo2, hi2 = 41*1.145**2+42*3.285**2-430, 41*1.155**2+42*3.295**2-430
    // A = [[1,2,4],[-1,-2,-4],[1,4,16],[-1,-4,-16]]; b = [hi1,-lo1,hi2,-lo2]
    // for i in range(3):
    //   e = [float(j == i) for j in range(3)]; m = [-x for x in e]
    //   kw = dict(A_ub=A, b_ub=b, A_eq=[[1,1,1]], b_eq=[12], bounds=[(1,4),(0,None),(1,4)])
    //   print(lp(e, **kw).fun, -lp(m, **kw).fun)'
    assert_bounds(
        &release,
        &[
            (0, 1.0, 2.956691666666662),
            (1, 5.579962500000008, 8.334710416666661),
            (3, 2.665289583333338, 3.4633458333333307),
        ],
    );
    assert_eq!(
        release.intervals()[3],
        Some((3, 3)),
        "mean and SD pin the 3"
    );
    // Each alone still leaves the 3 too narrow an interval for "<5": the mean alone gives
    // 2 c3 - c0 in [3.97, 4.39], so c3 in [2.485, 4] -> 3..=4; the SD alone (same linprog
    // without the mean rows) gives c3 in [2.6653, 3.7242] -> 3..=3.
    let protection = release.protect().unwrap();
    assert_eq!(protection.withheld_facts, [0, 1]);
    assert!(protection.hidden_cells.is_empty());
    assert_eq!(release.intervals()[3], Some((1, 4)));
}

/// Counts [4, 9, 15, 8, 6] on scores 1..=5 (n = 42), "<5" for the 4, the 9 and the 6
/// hidden by hand; published: the total, median 3 (to 0.5) and top-2-box 33.3 %.
#[test]
fn median_and_share_bounds_match_scipy() {
    let values = vec![4, 9, 15, 8, 6];
    let (cells, scores) = ([0, 1, 2, 3, 4], [1.0, 2.0, 3.0, 4.0, 5.0]);
    let mut release = Release::new(values.clone(), 5);
    release.hide(1);
    release.hide(4);
    release.add_fact(total_of(&values));
    for fact in Fact::quantile(&cells, &scores, 42, 0.5, 3.0, 0.25) {
        release.add_optional_fact(fact);
    }
    let share = release.add_optional_fact(Fact::share(&[3, 4], 42, 33.3, 0.05));
    // Reference: scipy 1.17.1 linprog (HiGHS) over (c0, c1, c4), c2 = 15 and c3 = 8 moved
    // to the right-hand side (median: c0+c1 <= 21, c0+c1+15 >= 21):
    // python3 -c 'from scipy.optimize import linprog as lp
    // A = [[1,1,0],[-1,-1,0],[0,0,1],[0,0,-1]]; b = [21,-6,42*33.35/100-8,-(42*33.25/100-8)]
    // for i in range(3):
    //   e = [float(j == i) for j in range(3)]; m = [-x for x in e]
    //   kw = dict(A_ub=A, b_ub=b, A_eq=[[1,1,1]], b_eq=[19], bounds=[(1,4),(0,None),(0,None)])
    //   print(lp(e, **kw).fun, -lp(m, **kw).fun)'
    assert_bounds(
        &release,
        &[
            (0, 1.0, 4.0),
            (1, 8.993000000000002, 12.035),
            (4, 5.965, 6.006999999999998),
        ],
    );
    let protection = release.protect().unwrap();
    assert_eq!(protection.withheld_facts, [share]);
}

/// Timing for the report, not an assertion: `cargo test -p analysis
/// audit::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_twenty_by_twenty() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for (round, one_in) in [4, 4, 20, 20, 100].into_iter().enumerate() {
        let counts: Vec<Vec<u64>> = (0..20)
            .map(|_| {
                let count = |r: u64| {
                    if (r >> 32).is_multiple_of(one_in) {
                        r % 5
                    } else {
                        5 + r % 60
                    }
                };
                (0..20).map(|_| count(next())).collect()
            })
            .collect();
        let small = counts.iter().flatten().filter(|&&c| c > 0 && c < 5).count();
        let modes =
            [Attacker::Linear, Attacker::Integer].map(|a| [(a, Pick::Nearest), (a, Pick::Closing)]);
        for (attacker, pick) in modes.into_iter().flatten() {
            let mut release = Release::from_table(&counts, 5);
            release.set_attacker(attacker);
            release.set_pick(pick);
            let start = std::time::Instant::now();
            let result = release.protect();
            let elapsed = start.elapsed();
            let withheld = release.shown().iter().filter(|s| s.is_withheld()).count();
            println!(
                "20x20 #{round} {attacker:?} {pick:?}: {small} small, {withheld} withheld, ok={}, {elapsed:?}",
                result.is_ok(),
            );
        }
    }
}
