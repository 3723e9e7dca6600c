//! Checks descriptives, frequency, multiple-choice and Likert tables, crosstabs with
//! chi-square and Fisher tests, multiple-testing corrections and small-cell suppression
//! against reference values from NumPy / SciPy / statsmodels, written by
//! `python3 analysis/tests/reference/tables.py` into `reference/tables.json`.
//!
//! Tolerance: 1e-9 relative, plus 1e-14 absolute for values near zero (all algorithms here
//! are exact up to rounding). p-values are compared relative-only (1e-9), so very small
//! p-values (down to 1e-46 here) are checked to nine digits too.

use analysis::crosstab::crosstab;
use analysis::descriptives::describe;
use analysis::frequencies::{CategoryFrequency, frequencies, multi_choice, wilson};
use analysis::likert::{likert, likert_matrix};
use analysis::multiple::{benjamini_hochberg, holm};
use analysis::suppress::{Cell, PercentCell, suppress_table};
use serde_json::Value;

const RELATIVE: f64 = 1e-9;
const ABSOLUTE: f64 = 1e-14;

fn reference() -> Value {
    serde_json::from_str(include_str!("reference/tables.json")).expect("valid reference JSON")
}

/// The data sets of one section; fails if the section is missing or too small to matter.
fn cases(section: &str) -> Vec<Value> {
    let cases = reference()[section]
        .as_array()
        .unwrap_or_else(|| panic!("section {section} missing"))
        .clone();
    assert!(
        cases.len() >= 4,
        "section {section} has only {} data sets",
        cases.len()
    );
    cases
}

fn name(case: &Value) -> &str {
    case["name"].as_str().unwrap_or("?")
}

fn num(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("expected a number, got {v}"))
}

fn uint(v: &Value) -> u64 {
    v.as_u64()
        .unwrap_or_else(|| panic!("expected an integer, got {v}"))
}

fn close(actual: f64, expected: f64, what: &str) {
    let diff = (actual - expected).abs();
    let limit = RELATIVE * actual.abs().max(expected.abs()) + ABSOLUTE;
    assert!(
        diff <= limit,
        "{what}: got {actual:e}, expected {expected:e}"
    );
}

fn close_p(actual: f64, expected: f64, what: &str) {
    let diff = (actual - expected).abs();
    let limit = RELATIVE * actual.abs().max(expected.abs());
    assert!(
        diff <= limit,
        "{what}: got p = {actual:e}, expected {expected:e}"
    );
}

fn close_opt(actual: Option<f64>, expected: &Value, what: &str) {
    match (actual, expected.is_null()) {
        (None, true) => {}
        (Some(a), false) => close(a, num(expected), what),
        _ => panic!("{what}: got {actual:?}, expected {expected}"),
    }
}

fn close_interval(actual: Option<(f64, f64)>, expected: &Value, what: &str) {
    match (actual, expected.is_null()) {
        (None, true) => {}
        (Some((low, high)), false) => {
            close(low, num(&expected[0]), &format!("{what} low"));
            close(high, num(&expected[1]), &format!("{what} high"));
        }
        _ => panic!("{what}: got {actual:?}, expected {expected}"),
    }
}

fn optional_codes(v: &Value) -> Vec<Option<usize>> {
    let codes = v.as_array().expect("code array");
    codes
        .iter()
        .map(|c| c.as_u64().map(|c| c as usize))
        .collect()
}

/// Checks counts, percents and intervals of a category table against `expected`.
fn check_categories(rows: &[CategoryFrequency], expected: &Value, what: &str) {
    let counts = expected["counts"].as_array().unwrap();
    assert_eq!(rows.len(), counts.len(), "{what}: number of categories");
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.code, i);
        assert_eq!(row.count, uint(&counts[i]), "{what}: count {i}");
        close_opt(
            row.percent,
            &expected["percents"][i],
            &format!("{what}: % {i}"),
        );
        let ci = &expected["ci95_percent"][i];
        close_interval(row.ci95_percent, ci, &format!("{what}: CI {i}"));
    }
}

#[test]
fn reference_records_library_versions() {
    let versions = &reference()["versions"];
    for library in ["numpy", "scipy", "statsmodels"] {
        assert!(versions[library].is_string(), "{library} version missing");
    }
}

#[test]
fn descriptives_match_numpy() {
    for case in cases("descriptives") {
        let name = name(&case);
        let values: Vec<Option<f64>> = case["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(Value::as_f64)
            .collect();
        let d = describe(&values);
        let e = &case["expected"];
        assert_eq!(d.n, uint(&e["n"]), "{name}: n");
        assert_eq!(d.missing, uint(&e["missing"]), "{name}: missing");
        let stats = [
            ("mean", d.mean),
            ("sd", d.sd),
            ("median", d.median),
            ("q1", d.q1),
            ("q3", d.q3),
            ("min", d.min),
            ("max", d.max),
        ];
        for (field, actual) in stats {
            close_opt(actual, &e[field], &format!("{name}: {field}"));
        }
    }
}

#[test]
fn wilson_matches_scipy_and_statsmodels() {
    for case in cases("wilson") {
        let (k, n, confidence) = (
            uint(&case["successes"]),
            uint(&case["n"]),
            num(&case["confidence"]),
        );
        let what = format!("wilson({k}, {n}, {confidence})");
        close_interval(wilson(k, n, confidence), &case["expected"], &what);
    }
}

#[test]
fn frequency_tables_match_reference() {
    for case in cases("frequencies") {
        let name = name(&case);
        let codes = optional_codes(&case["codes"]);
        let table = frequencies(&codes, uint(&case["categories"]) as usize);
        let e = &case["expected"];
        assert_eq!(table.n_valid, uint(&e["n_valid"]), "{name}: n_valid");
        assert_eq!(table.missing, uint(&e["missing"]), "{name}: missing");
        assert_eq!(
            table.out_of_range,
            uint(&e["out_of_range"]),
            "{name}: out of range"
        );
        check_categories(&table.categories, e, name);
    }
}

#[test]
fn multi_choice_tables_match_reference() {
    for case in cases("multi_choice") {
        let name = name(&case);
        let selections: Vec<Option<Vec<bool>>> = case["selections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                s.as_array()
                    .map(|ticks| ticks.iter().map(|t| t.as_bool().unwrap()).collect())
            })
            .collect();
        let table = multi_choice(&selections, uint(&case["options"]) as usize);
        let e = &case["expected"];
        assert_eq!(
            table.respondents,
            uint(&e["respondents"]),
            "{name}: respondents"
        );
        assert_eq!(table.missing, uint(&e["missing"]), "{name}: missing");
        assert_eq!(
            table.total_responses,
            uint(&e["total_responses"]),
            "{name}: ticks"
        );
        assert_eq!(table.options.len(), e["counts"].as_array().unwrap().len());
        for (i, option) in table.options.iter().enumerate() {
            let what = format!("{name}: option {i}");
            assert_eq!(option.option, i);
            assert_eq!(option.count, uint(&e["counts"][i]), "{what} count");
            let resp = &e["percent_of_respondents"][i];
            close_opt(
                option.percent_of_respondents,
                resp,
                &format!("{what} % respondents"),
            );
            let ticks = &e["percent_of_responses"][i];
            close_opt(
                option.percent_of_responses,
                ticks,
                &format!("{what} % responses"),
            );
            close_interval(
                option.ci95_percent,
                &e["ci95_percent"][i],
                &format!("{what} CI"),
            );
        }
    }
}

#[test]
fn likert_summaries_and_matrix_match_reference() {
    let cases = cases("likert");
    for case in &cases {
        let name = name(case);
        let points = uint(&case["points"]) as usize;
        let s = likert(&optional_codes(&case["codes"]), points);
        let e = &case["expected"];
        assert_eq!(s.points, points);
        assert_eq!(s.n, uint(&e["n"]), "{name}: n");
        assert_eq!(s.missing, uint(&e["missing"]), "{name}: missing");
        assert_eq!(
            s.out_of_range,
            uint(&e["out_of_range"]),
            "{name}: out of range"
        );
        check_categories(&s.distribution, e, name);
        let stats = [
            ("mean", s.mean),
            ("sd", s.sd),
            ("median", s.median),
            ("top2_percent", s.top2_percent),
            ("bottom2_percent", s.bottom2_percent),
        ];
        for (field, actual) in stats {
            close_opt(actual, &e[field], &format!("{name}: {field}"));
        }
    }
    // The matrix helper gives the same per-item summaries for items on one scale.
    let five_point: Vec<&Value> = cases.iter().filter(|c| c["points"] == 5).collect();
    assert!(five_point.len() >= 3);
    let items: Vec<Vec<Option<usize>>> = five_point
        .iter()
        .map(|c| optional_codes(&c["codes"]))
        .collect();
    let matrix = likert_matrix(&items, 5);
    assert_eq!(matrix.items.len(), items.len());
    for (summary, case) in matrix.items.iter().zip(&five_point) {
        close_opt(
            summary.mean,
            &case["expected"]["mean"],
            &format!("matrix {}", name(case)),
        );
        assert_eq!(summary.n, uint(&case["expected"]["n"]));
    }
}

#[test]
fn crosstabs_match_scipy() {
    for case in cases("crosstab") {
        let name = name(&case);
        let (r, c) = (uint(&case["r"]) as usize, uint(&case["c"]) as usize);
        let (rows, cols) = (optional_codes(&case["rows"]), optional_codes(&case["cols"]));
        let table = crosstab(&rows, &cols, r, c);
        // Compares the serialised result (what reports get) with every reference field:
        // counts, totals, dropped pairs, expected counts, chi-square and Fisher results.
        let actual = serde_json::to_value(&table).unwrap();
        check_json(&actual, &case["expected"], name);
    }
}

/// Recursively checks every field of `expected` in `actual`: floats with [`close`]
/// (p-values with [`close_p`]), everything else (integers, booleans, nulls) exactly.
fn check_json(actual: &Value, expected: &Value, path: &str) {
    match expected {
        Value::Number(e) if e.is_f64() => {
            let a = actual
                .as_f64()
                .unwrap_or_else(|| panic!("{path}: got {actual}"));
            let e = num(expected);
            if path.ends_with("p_value") {
                close_p(a, e, path)
            } else {
                close(a, e, path)
            }
        }
        Value::Array(items) => {
            let got = actual
                .as_array()
                .unwrap_or_else(|| panic!("{path}: got {actual}"));
            assert_eq!(got.len(), items.len(), "{path}: length");
            for (i, (a, e)) in got.iter().zip(items).enumerate() {
                check_json(a, e, &format!("{path}[{i}]"));
            }
        }
        Value::Object(fields) => {
            assert!(
                actual.is_object(),
                "{path}: got {actual}, expected {expected}"
            );
            for (key, e) in fields {
                let a = actual
                    .get(key)
                    .unwrap_or_else(|| panic!("{path}.{key} missing"));
                check_json(a, e, &format!("{path}.{key}"));
            }
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

#[test]
fn holm_and_benjamini_hochberg_match_statsmodels() {
    for case in cases("multiple") {
        let name = name(&case);
        let p: Vec<f64> = case["p_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        for (method, adjusted) in [("holm", holm(&p)), ("bh", benjamini_hochberg(&p))] {
            let expected = case[method].as_array().unwrap();
            assert_eq!(adjusted.len(), expected.len(), "{name} {method}: length");
            for (i, (a, e)) in adjusted.iter().zip(expected).enumerate() {
                let a = a.unwrap_or_else(|| panic!("{name} {method}[{i}] is None"));
                close(a, num(e), &format!("{name} {method}[{i}]"));
            }
        }
    }
}

#[test]
fn suppression_matches_independent_implementation() {
    for case in cases("suppress") {
        let name = name(&case);
        let counts: Vec<Vec<u64>> = case["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row.as_array().unwrap().iter().map(uint).collect())
            .collect();
        let table = suppress_table(&counts, uint(&case["threshold"]));
        let e = &case["expected"];
        // Shown counts serialise as numbers and suppressed ones as their text, like the JSON.
        let cells = serde_json::to_value(&table.cells).unwrap();
        assert_eq!(cells, e["cells"], "{name}: cells");
        let totals = serde_json::to_value(&table.row_totals).unwrap();
        assert_eq!(totals, e["row_totals"], "{name}: row totals");
        for (i, row) in table.row_percents.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                let expected = &e["row_percents"][i][j];
                let what = format!("{name}: percent [{i}][{j}]");
                match cell {
                    None => assert!(expected.is_null(), "{what}"),
                    Some(PercentCell::Suppressed) => assert_eq!(expected, "x", "{what}"),
                    Some(PercentCell::Percent(p)) => close(*p, num(expected), &what),
                }
                if cell.is_some() {
                    let hidden = matches!(cell, Some(PercentCell::Suppressed));
                    assert_eq!(
                        table.cells[i][j].is_suppressed(),
                        hidden,
                        "{what}: count vs %"
                    );
                }
            }
        }
        // The display text of a primary-suppressed cell names the threshold.
        if let Some(small) = table
            .cells
            .iter()
            .flatten()
            .find(|c| matches!(c, Cell::Small { .. }))
        {
            assert_eq!(small.to_string(), format!("<{}", table.threshold));
        }
    }
}
