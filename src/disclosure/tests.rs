//! Attacks on what the report's disclosure layer publishes: each test tries to recover a
//! withheld count (or a small one) from everything published beside it, by brute force
//! over every table consistent with the release, independently of the LP audit.

use analysis::likert::likert;
use analysis::suppress::Cell;

use super::*;

/// Every whole-number distribution (categories + no answer) consistent with what was
/// published: shown counts exact, "<t" in 1..t-1, "x" anything, the total known.
fn consistent(d: &Distribution, total: u64, t: u64) -> Vec<Vec<u64>> {
    let mut published = d.cells.clone();
    published.push(d.missing);
    let mut out = Vec::new();
    let mut current = Vec::new();
    fn walk(
        published: &[Cell],
        left: u64,
        t: u64,
        current: &mut Vec<u64>,
        out: &mut Vec<Vec<u64>>,
    ) {
        let Some((first, rest)) = published.split_first() else {
            if left == 0 {
                out.push(current.clone());
            }
            return;
        };
        let range = match first {
            Cell::Count(c) => *c..=*c,
            Cell::Small { .. } => 1..=t - 1,
            Cell::Hidden => 0..=left,
        };
        for v in range.filter(|v| *v <= left) {
            current.push(v);
            walk(rest, left - v, t, current, out);
            current.pop();
        }
    }
    walk(&published, total, t, &mut current, &mut out);
    out
}

fn codes(counts: &[u64], missing: u64) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    for (i, &c) in counts.iter().enumerate() {
        out.extend(std::iter::repeat_n(Some(i), c as usize));
    }
    out.extend(std::iter::repeat_n(None, missing as usize));
    out
}

#[test]
fn a_small_no_answer_count_withholds_n_and_the_percentages() {
    // 30 respondents, 2 without an answer: n = 28 would give the 2 back.
    let (d, _) = distribution(&[10, 8, 10], 2, 5, Vec::new());
    assert_eq!(d.missing, Cell::Small { threshold: 5 });
    assert_eq!(d.n, Cell::Hidden);
    assert!(
        d.percents
            .iter()
            .all(|p| *p == Some(PercentCell::Suppressed))
    );
    for table in consistent(&d, 30, 5) {
        assert!(table[3] >= 1 && table[3] <= 4);
    }
    let missing_values: std::collections::BTreeSet<u64> =
        consistent(&d, 30, 5).iter().map(|t| t[3]).collect();
    assert!(missing_values.len() >= 3, "{missing_values:?}");
}

#[test]
fn no_published_count_is_small_and_no_withheld_count_is_pinned() {
    // Every distribution of 3 categories + no answer with up to 12 respondents, t = 3
    // and 5: what is shown is never 1..t-1, and every withheld count can take several
    // values given everything published (the total included).
    for t in [3u64, 5] {
        for a in 0..=6u64 {
            for b in 0..=6u64 {
                for c in 0..=4u64 {
                    for m in 0..=3u64 {
                        let (d, _) = distribution(&[a, b, c], m, t, Vec::new());
                        let mut all = d.cells.clone();
                        all.extend([d.missing, d.n]);
                        for cell in &all {
                            if let Cell::Count(v) = cell {
                                assert!(*v == 0 || *v >= t, "{a} {b} {c} {m}: {all:?}");
                            }
                        }
                        let total = a + b + c + m;
                        let tables = consistent(&d, total, t);
                        assert!(tables.contains(&vec![a, b, c, m]));
                        let mut published = d.cells.clone();
                        published.push(d.missing);
                        for (i, cell) in published.iter().enumerate() {
                            if cell.is_suppressed() {
                                let values: std::collections::BTreeSet<u64> =
                                    tables.iter().map(|t| t[i]).collect();
                                assert!(values.len() >= 2, "{a} {b} {c} {m}: cell {i} pinned");
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn a_statistic_that_would_pin_a_withheld_count_is_withheld() {
    // A 5-point item: with the counts shown, the exact mean, SD, median and top-2 share
    // of all answers are published only where, together, they leave every withheld count
    // open. Brute force over every consistent table checks it.
    let t = 5;
    let scores = [1.0, 2.0, 3.0, 4.0, 5.0];
    let mut withheld_some = false;
    for counts in [
        [0u64, 3, 20, 0, 10],
        [10, 2, 12, 5, 0],
        [1, 7, 9, 6, 2],
        [0, 0, 14, 3, 9],
        [6, 6, 6, 6, 6],
    ] {
        let n: u64 = counts.iter().sum();
        let s = likert(&codes(&counts, 0), 5);
        let (m, sd, median, top2) = (
            s.mean.unwrap(),
            s.sd.unwrap(),
            s.median.unwrap(),
            s.top2_percent.unwrap(),
        );
        let stats = vec![
            facts::mean(&scores, n, m, 1e-9),
            facts::sd(&scores, n, m, sd, 1e-9),
            facts::median(&scores, n, median),
            facts::share(&[3, 4], n, top2, 1e-9),
        ];
        let (d, kept) = distribution(&counts, 0, t, stats);
        withheld_some |= kept.iter().any(|k| !k);
        let tables: Vec<Vec<u64>> = consistent(&d, n, t)
            .into_iter()
            .filter(|table| {
                let counts = &table[..5];
                let other = likert(&codes(counts, 0), 5);
                let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
                (!kept[0] || close(other.mean, m))
                    && (!kept[1] || close(other.sd, sd))
                    && (!kept[2] || close(other.median, median))
                    && (!kept[3] || close(other.top2_percent, top2))
            })
            .collect();
        assert!(tables.iter().any(|table| table[..5] == counts));
        for (i, cell) in d.cells.iter().enumerate() {
            if cell.is_suppressed() {
                let values: std::collections::BTreeSet<u64> = tables.iter().map(|t| t[i]).collect();
                assert!(
                    values.len() >= 2,
                    "{counts:?}: cell {i} pinned to {values:?} with kept {kept:?}"
                );
            }
        }
        if d.complete() {
            assert!(kept.iter().all(|k| *k), "{counts:?}: nothing to protect");
        }
    }
    assert!(withheld_some, "some of these items must lose a statistic");
}

#[test]
fn filtered_views_never_tell_a_small_groups_answer() {
    // 15 municipalities, one response each, a yes/no answer: the municipality's
    // distribution within "yes" and within "no" must not show which municipality said
    // what (the attack: "<3" where it said yes, 0 where it did not).
    let t = 3;
    let answers: Vec<usize> = (0..15).map(|m| usize::from(m % 3 == 0)).collect();
    // joint[answer group][municipality + no answer]
    let mut joint = vec![vec![0u64; 16]; 3];
    for (m, &a) in answers.iter().enumerate() {
        joint[a][m] += 1;
    }
    for group in 0..2 {
        let d = distribution_in_group(&joint, group, t);
        for (m, cell) in d.cells.iter().enumerate() {
            assert_eq!(*cell, Cell::Hidden, "group {group}, municipality {m}");
        }
    }
}

#[test]
fn filtered_views_show_large_groups_and_hide_what_differencing_would_give() {
    let t = 5;
    // Rows: filter groups A, B and no answer; columns: 3 categories and no answer.
    let joint = vec![vec![20, 12, 2, 0], vec![15, 30, 9, 1], vec![0, 0, 0, 0]];
    let views: Vec<Distribution> = (0..2)
        .map(|g| distribution_in_group(&joint, g, t))
        .collect();
    for (g, d) in views.iter().enumerate() {
        for cell in d.cells.iter().chain([&d.missing, &d.n]) {
            if let Cell::Count(v) = cell {
                assert!(*v == 0 || *v >= t, "group {g}: {cell:?}");
            }
        }
    }
    // The 2 in group A, column 2 (total 11) is withheld, and so must be a second cell
    // of that column: otherwise 11 minus the other group's count gives it.
    assert!(views[0].cells[2].is_suppressed());
    assert!(views[1].cells[2].is_suppressed());
    eprintln!("{views:?}");
    assert!(
        views
            .iter()
            .all(|d| d.cells.iter().any(|c| !c.is_suppressed()))
    );
}

#[test]
fn order_statistics_need_enough_values_on_both_sides() {
    let five = [Some(3.0), Some(7.0), Some(12.0), Some(20.0), Some(41.0)];
    let d = descriptives(&five, 5);
    assert_eq!(
        (d.min, d.q1, d.median, d.q3, d.max),
        (None, None, None, None, None),
        "the five numbers of a group of five are its five values"
    );
    assert!(d.mean.is_some());
    let ten: Vec<Option<f64>> = (1..=10).map(|x| Some(f64::from(x))).collect();
    let d = descriptives(&ten, 5);
    assert_eq!(d.median, Some(5.5));
    assert_eq!((d.min, d.max, d.q1, d.q3), (None, None, None, None));
    // Ties make a minimum everybody's value, not one respondent's.
    let tied: Vec<Option<f64>> = [1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0, 3.0, 3.0]
        .into_iter()
        .map(Some)
        .collect();
    let d = descriptives(&tied, 5);
    assert_eq!((d.min, d.max), (Some(1.0), Some(3.0)));
}

mod dashboard {
    use std::path::PathBuf;

    use analysis::suppress::Cell;

    use crate::dashboard::{BreakdownCounter, FunnelStep};
    use crate::disclosure::dashboard::publish;
    use crate::store::SurveyStats;
    use crate::survey::{Answer, Answers, Survey, load_paths};

    fn obce() -> Survey {
        let catalog = load_paths(&[PathBuf::from("surveys")]);
        catalog
            .surveys
            .into_iter()
            .find(|s| s.id == "obce-socialni-prace")
            .unwrap()
    }

    fn stats(in_progress: i64, complete: i64, set_aside: i64) -> SurveyStats {
        SurveyStats {
            in_progress,
            complete,
            set_aside,
            last_activity: None,
            median_completion: None,
        }
    }

    fn all_cells(p: &crate::disclosure::dashboard::Published) -> Vec<Cell> {
        let mut out = vec![p.figures.started, p.figures.complete, p.figures.set_aside];
        out.extend(p.funnel.iter().map(|s| s.here));
        out.extend(p.funnel.iter().filter_map(|s| s.reached));
        for b in &p.breakdowns {
            out.push(b.unanswered);
            for g in &b.groups {
                out.push(g.total);
                out.extend(g.rows.iter().map(|(_, c)| *c));
            }
        }
        out
    }

    #[test]
    fn evaluators_see_no_small_count_and_no_municipality() {
        let survey = obce();
        let question = survey.question("municipality").unwrap();
        let mut counter = BreakdownCounter::new(question).unwrap();
        // Two municipalities answered twice, eleven once.
        let options = &question.kind.options().unwrap().options;
        for (i, option) in options.iter().enumerate().take(13) {
            let answers: Answers = [(
                "municipality".to_string(),
                Answer::Choice {
                    value: option.value.clone(),
                    other: None,
                },
            )]
            .into();
            for _ in 0..(1 + usize::from(i < 2)) {
                counter.add(&answers);
            }
        }
        let funnel: Vec<FunnelStep> = survey
            .pages
            .iter()
            .enumerate()
            .map(|(i, p)| FunnelStep {
                page_id: p.id.clone(),
                reached: 20 - i as i64,
                here: i64::from(i == 1) * 2,
            })
            .collect();
        let raw = stats(2, 15, 1);
        let t = 3;
        let p = publish(
            &survey,
            &raw,
            Some((15, 13, 11)),
            vec![(19_000, 15)],
            &funnel,
            vec![counter.finish()],
            Some(t),
        );
        for cell in all_cells(&p) {
            if let Cell::Count(v) = cell {
                assert!(v == 0 || v >= t, "{cell:?} in {p:?}");
            }
        }
        assert!(p.per_day.is_none());
        let b = &p.breakdowns[0];
        assert!(b.nobody.is_empty(), "who has not answered is not shown");
        assert!(b.groups.iter().all(|g| g.rows.is_empty()), "regions only");
        assert!(
            p.invitations.is_none() && !p.timing,
            "fieldwork monitoring only"
        );

        // Researchers see everything as counted.
        let counter = BreakdownCounter::new(question).unwrap();
        let p = publish(
            &survey,
            &raw,
            None,
            vec![],
            &funnel,
            vec![counter.finish()],
            None,
        );
        assert_eq!(p.figures.started, Cell::Count(17));
        assert_eq!(p.figures.set_aside, Cell::Count(1));
        assert_eq!(p.breakdowns[0].nobody.len(), options.len());
    }
}

/// The class test: every shipped questionnaire with demo answers, its report and every
/// filtered view the staff page offers, serialised as the JSON report is; no count of
/// any kind (cells, totals, n, missing, respondents, answered, linked, dropped) may be
/// published in 1..t-1.
mod reports {
    use std::path::{Path, PathBuf};

    use analysis::suppress::Cell;
    use serde_json::Value;

    use crate::report::plan_load::{load_dir, plan_for};
    use crate::store::{Response, Status};
    use crate::survey::{Lang, Survey, load_paths};

    const COUNTS: [&str; 18] = [
        "count",
        "cells",
        "row_totals",
        "n",
        "missing",
        "respondents",
        "answered",
        "linked",
        "unlinked",
        "dropped",
        "responses",
        "here",
        "n_pairs",
        "dropped_missing",
        "n_zero_differences",
        "n_improved",
        "n_unchanged",
        "n_worsened",
    ];

    fn no_small_counts(value: &Value, t: u64, path: &str) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let here = format!("{path}.{k}");
                    if COUNTS.contains(&k.as_str()) {
                        leaves(v, t, &here);
                    } else {
                        no_small_counts(v, t, &here);
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    no_small_counts(v, t, &format!("{path}[{i}]"));
                }
            }
            _ => {}
        }
    }

    fn leaves(value: &Value, t: u64, path: &str) {
        match value {
            Value::Array(items) => items.iter().for_each(|v| leaves(v, t, path)),
            Value::Number(n) => {
                let n = n.as_u64().unwrap_or(0);
                assert!(n == 0 || n >= t, "{path}: {n} is published (t = {t})");
            }
            Value::String(s) => assert!(s == "x" || *s == format!("<{t}"), "{path}: {s}"),
            Value::Null => {}
            other => panic!("{path}: {other}"),
        }
    }

    fn responses(survey: &Survey, count: usize, one_per: Option<&str>) -> Vec<Response> {
        let demo =
            crate::demo::responses::responses(survey, count, one_per, &mut crate::demo::rng(11))
                .unwrap();
        demo.into_iter()
            .enumerate()
            .map(|(i, r)| stored(survey, r, format!("{}-{i}", survey.id), None))
            .collect()
    }

    /// A stored response from a demo one, with its invitation's columns.
    fn stored(
        survey: &Survey,
        r: crate::demo::responses::DemoResponse,
        id: String,
        invitation: Option<std::collections::BTreeMap<String, String>>,
    ) -> Response {
        Response {
            id,
            survey_id: survey.id.clone(),
            survey_version: survey.version.clone(),
            status: Status::Complete,
            language: r.language,
            current_page: r.last_page,
            answers: r.answers,
            revision: 1,
            created_at: r.submitted_at,
            updated_at: r.submitted_at,
            submitted_at: Some(r.submitted_at),
            invitation: invitation.map(|i| i.into_iter().collect()),
            flag: None,
            flag_reason: None,
            deleted_at: None,
        }
    }

    #[test]
    fn pre_post_blocks_publish_no_small_count() {
        // The training demo at a small scale (3 runs of 6: small groups everywhere), and
        // at the shipped plan's threshold.
        let surveys: Vec<Survey> = load_paths(&[PathBuf::from("surveys")]).surveys;
        let plans = load_dir(Path::new("analysis/plans"), &surveys).plans;
        let find = |id: &str| surveys.iter().find(|s| s.id == id).unwrap();
        let (pred, po) = (find("skoleni-pred"), find("skoleni-po"));
        let plan = plan_for(&plans, po);
        assert!(!plan.prepost.is_empty());
        for (runs, per_run) in [(3, 6), (15, 15)] {
            let people = crate::demo::training::participants(
                pred,
                po,
                runs,
                per_run,
                &mut crate::demo::rng(5),
            )
            .unwrap();
            let mut before = Vec::new();
            let mut after = Vec::new();
            for (i, p) in people.into_iter().enumerate() {
                if let Some(r) = p.before {
                    before.push(stored(pred, r, format!("b{i}"), Some(p.attributes.clone())));
                }
                if let Some(r) = p.after {
                    after.push(stored(po, r, format!("a{i}"), Some(p.attributes)));
                }
            }
            let built = crate::report::build(
                &plan,
                po,
                &after,
                &[(pred, before.as_slice())],
                Lang::Cs,
                None,
            );
            let json = serde_json::to_value(&built.report).unwrap();
            let blocks: Vec<&Value> = json["sections"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|s| s["kind"] == "pre_post")
                .collect();
            assert_eq!(blocks.len(), plan.prepost.len(), "{runs}x{per_run}");
            no_small_counts(
                &json,
                plan.min_cell,
                &format!("skoleni-po {runs}x{per_run}"),
            );
        }
    }

    #[test]
    fn small_months_are_merged_not_hidden() {
        let surveys: Vec<Survey> = load_paths(&[PathBuf::from("surveys")]).surveys;
        let survey = surveys.iter().find(|s| s.id == "seminar-mas-2024").unwrap();
        let mut rows = responses(survey, 7, None);
        let months = [1u8, 1, 1, 2, 3, 4, 4];
        for (r, month) in rows.iter_mut().zip(months) {
            let at =
                time::Date::from_calendar_date(2024, time::Month::try_from(month).unwrap(), 10)
                    .unwrap()
                    .with_hms(12, 0, 0)
                    .unwrap()
                    .assume_utc();
            r.submitted_at = Some(at);
        }
        let mut plan = crate::report::plan::Plan::default_for(survey);
        plan.min_cell = 3;
        let built = crate::report::build(&plan, survey, &rows, &[], Lang::Cs, None);
        let points: Vec<(String, Option<String>, Cell)> = built
            .report
            .timeline
            .unwrap()
            .points
            .into_iter()
            .map(|p| (p.start, p.end, p.count))
            .collect();
        assert_eq!(
            points,
            [
                ("2024-01-01".to_string(), None, Cell::Count(3)),
                (
                    "2024-02-01".to_string(),
                    Some("2024-04-01".to_string()),
                    Cell::Count(4)
                ),
            ]
        );
    }

    #[test]
    fn no_report_or_filtered_view_publishes_a_small_count() {
        let surveys: Vec<Survey> = load_paths(&[PathBuf::from("surveys")]).surveys;
        let plans = load_dir(Path::new("analysis/plans"), &surveys).plans;
        let mut views = 0;
        for (id, count, one_per) in [
            ("obce-socialni-prace", 0, Some("municipality")),
            ("seminar-mas-2024", 60, None),
            ("cinnosti-socialni-prace", 80, None),
            ("skoleni-pred", 40, None),
        ] {
            let survey = surveys.iter().find(|s| s.id == id).unwrap();
            let plan = plan_for(&plans, survey);
            let t = plan.min_cell;
            let rows = responses(survey, count, one_per);
            let whole = crate::report::build(&plan, survey, &rows, &[], Lang::Cs, None);
            // Responses over time: no period hidden (small months are merged), and the
            // periods add up to the responses.
            let timeline = whole.report.timeline.as_ref().unwrap();
            let mut sum = 0;
            for p in &timeline.points {
                match p.count {
                    Cell::Count(n) => sum += n,
                    other => panic!("{id}: a period shown as {other}"),
                }
            }
            assert_eq!(sum, rows.len() as u64, "{id}");
            no_small_counts(&serde_json::to_value(&whole.report).unwrap(), t, id);
            for filter in &whole.filters {
                for category in &filter.categories {
                    let view = crate::report::build(
                        &plan,
                        survey,
                        &rows,
                        &[],
                        Lang::Cs,
                        Some((&filter.name, &category.code)),
                    );
                    // A group below the threshold is refused on the page.
                    let json = serde_json::to_value(&view.report).unwrap();
                    if json["responses"].is_string() {
                        continue;
                    }
                    views += 1;
                    no_small_counts(
                        &json,
                        t,
                        &format!("{id} | {}={}", filter.name, category.code),
                    );
                }
            }
        }
        assert!(views > 20, "only {views} filtered views were checked");
    }
}

#[test]
fn a_test_statistic_that_pins_a_withheld_count_is_withheld() {
    // 2x2 with its totals known and one small cell: all four cells are withheld, one
    // degree of freedom is left, and the chi-square (a quadratic in it) pins it.
    let counts = vec![vec![2u64, 30], vec![28, 40]];
    let table = protect_table(&counts, 5).unwrap();
    assert!(table.cells.iter().flatten().all(|c| c.is_suppressed()));
    assert!(!crosstab_tests_publishable(&counts, &table.cells, 5));
    // Brute force, independently: the tables with these totals and this chi-square.
    let (chi, _) = analysis::crosstab::tests_of(&counts);
    let chi = chi.unwrap().statistic;
    let matching: Vec<u64> = (0..=30u64)
        .filter(|&a| {
            let t = vec![vec![a, 32 - a], vec![30 - a, 38 + a]];
            analysis::crosstab::tests_of(&t)
                .0
                .is_some_and(|c| (c.statistic - chi).abs() < 1e-9)
        })
        .collect();
    assert!(matching.len() <= 2, "{matching:?}");
    // Nothing withheld: the tests stay.
    let full = vec![vec![12u64, 30], vec![28, 40]];
    let table = protect_table(&full, 5).unwrap();
    assert!(crosstab_tests_publishable(&full, &table.cells, 5));
}

#[test]
fn tests_stay_where_many_tables_give_the_same_statistic() {
    // Columns with equal totals: any permutation of the small rows' counts gives the same
    // chi-square, so each withheld count still takes every value 1..4.
    let counts = vec![vec![1u64, 2, 3, 4], vec![4, 3, 2, 1], vec![10, 10, 10, 10]];
    let table = protect_table(&counts, 5).unwrap();
    assert!(table.cells[0].iter().all(|c| c.is_suppressed()));
    assert!(crosstab_tests_publishable(&counts, &table.cells, 5));
}

#[test]
fn tests_are_withheld_when_the_check_cannot_finish() {
    // A 4x4 block of large withheld counts: with nine free counts of up to ~60 the
    // enumeration passes its limit long before each withheld count has shown enough
    // values (few tables share the exact chi-square), so nothing proves the tests safe.
    let mut counts = vec![vec![0u64; 5]; 5];
    for (r, row) in counts.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            *cell = 20 + ((r * 7 + c * 13) % 40) as u64;
        }
    }
    let mut cells: Vec<Vec<Cell>> = counts
        .iter()
        .map(|row| row.iter().map(|&n| Cell::Count(n)).collect())
        .collect();
    for row in cells.iter_mut().take(4) {
        for cell in row.iter_mut().take(4) {
            *cell = Cell::Hidden;
        }
    }
    assert!(!crosstab_tests_publishable(&counts, &cells, 5));
}
