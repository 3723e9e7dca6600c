//! Tests of the constant sum: loading (`total`, `items`), decoding (whole points, blanks
//! as 0, the sum), expressions over its items, and the round trip through form fields.

use std::path::Path;

use super::*;
use crate::survey::expr::eval_condition;
use crate::survey::load_str;
use crate::survey::model::Survey;

const SRC: &str = include_str!("../../../tests/fixtures/constant_sum.toml");

fn survey(src: &str) -> Survey {
    let loaded = load_str(Path::new("split.toml"), src);
    loaded
        .survey
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
}

fn page(s: &Survey, fields: &[(&str, &str)], strictness: Strictness) -> PageAnswers {
    let input = FormInput::new(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    );
    decode_page(&s.pages[0], &input, &Answers::new(), strictness)
}

fn points(pairs: &[(&str, u32)]) -> Answer {
    Answer::Points(pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect())
}

#[test]
fn points_that_add_up_are_stored_with_blank_items_as_zero() {
    let s = survey(SRC);
    let out = page(
        &s,
        &[("time.cases", "60"), ("time.admin", " 40 ")],
        Strictness::Enforce,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(
        out.answers["time"],
        points(&[("admin", 40), ("cases", 60), ("network", 0)])
    );
    // Nothing typed: no answer (the question is optional).
    let out = page(&s, &[], Strictness::Enforce);
    assert!(out.errors.is_empty() && !out.answers.contains_key("time"));
    // Required and blank: the usual problem.
    let required = survey(&SRC.replace("unit = \"%\"", "unit = \"%\"\n  required = true"));
    let out = page(&required, &[], Strictness::Enforce);
    assert_eq!(out.errors[0].problem, Problem::Required);
}

#[test]
fn a_wrong_sum_is_refused_but_going_back_keeps_what_was_typed() {
    let s = survey(SRC);
    let fields = [("time.cases", "60"), ("time.admin", "30")];
    let out = page(&s, &fields, Strictness::Enforce);
    assert_eq!(
        out.errors,
        vec![FieldError {
            question: "time".into(),
            part: None,
            problem: Problem::SumMismatch {
                total: 100,
                sum: 90
            },
        }]
    );
    let out = page(&s, &fields, Strictness::Lenient);
    assert!(out.errors.is_empty());
    assert_eq!(
        out.answers["time"],
        points(&[("admin", 30), ("cases", 60), ("network", 0)]),
        "going back loses nothing"
    );
    // Too many is refused as well.
    let out = page(
        &s,
        &[("time.cases", "60"), ("time.admin", "60")],
        Strictness::Enforce,
    );
    assert_eq!(
        out.errors[0].problem,
        Problem::SumMismatch {
            total: 100,
            sum: 120
        }
    );
}

#[test]
fn each_item_must_be_a_whole_number_from_zero_to_the_total() {
    let s = survey(SRC);
    let cases = [
        ("abc", Problem::NotANumber),
        ("12,5", Problem::NotWhole),
        ("-5", Problem::BelowMin { min: 0.0 }),
        ("101", Problem::AboveMax { max: 100.0 }),
    ];
    assert!(!cases.is_empty());
    for (typed, problem) in cases {
        let out = page(
            &s,
            &[("time.cases", "50"), ("time.admin", typed)],
            Strictness::Enforce,
        );
        assert_eq!(
            out.errors,
            vec![FieldError {
                question: "time".into(),
                part: Some("admin".into()),
                problem,
            }],
            "{typed}"
        );
    }
    // Spaces as thousands separators, as with numbers.
    let big = survey(&SRC.replace("total = 100", "total = 10000"));
    let out = page(
        &big,
        &[("time.cases", "2 500"), ("time.admin", "7500")],
        Strictness::Enforce,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
}

#[test]
fn expressions_read_an_items_points_and_count_the_items_given_points() {
    let s = survey(SRC);
    let why = s.question("why").unwrap();
    let condition = &why.show_if.as_ref().unwrap().expr;
    let mut answers = Answers::new();
    answers.insert(
        "time".into(),
        points(&[("admin", 50), ("cases", 50), ("network", 0)]),
    );
    assert_eq!(eval_condition(condition, &answers), Some(true));
    answers.insert(
        "time".into(),
        points(&[("admin", 0), ("cases", 100), ("network", 0)]),
    );
    assert_eq!(eval_condition(condition, &answers), Some(false));
    let rule = &s.question("note").unwrap().validations[0].rule.expr;
    assert_eq!(
        eval_condition(rule, &answers),
        Some(false),
        "one item with points"
    );
    answers.insert("time".into(), points(&[("admin", 1), ("cases", 99)]));
    assert_eq!(eval_condition(rule, &answers), Some(true));
}

#[test]
fn answers_round_trip_through_form_fields() {
    let s = survey(SRC);
    let mut answers = Answers::new();
    answers.insert(
        "time".into(),
        points(&[("admin", 25), ("cases", 75), ("network", 0)]),
    );
    let input = answers_to_input(&s.pages[0], &answers);
    assert_eq!(input.get("time.network"), Some("0"));
    let back = decode_page(&s.pages[0], &input, &Answers::new(), Strictness::Enforce);
    assert!(back.errors.is_empty(), "{:?}", back.errors);
    assert_eq!(back.answers["time"], answers["time"]);
}

#[test]
fn mistakes_in_a_constant_sum_are_explained() {
    let cases = [
        ("total = 100", "", "has no `total`"),
        (
            "total = 100",
            "total = 0",
            "a total of 0 points is not possible",
        ),
        (
            "total = 100",
            "total = 2000000",
            "a total of 2000000 points",
        ),
        (
            "items = [ { id = \"cases\", text = \"Klienti\" }, { id = \"admin\", text = \"Administrativa\" }, { id = \"network\", text = \"Síť\" } ]",
            "items = []",
            "this constant sum has no items",
        ),
        (
            "{ id = \"network\", text = \"Síť\" }",
            "{ id = \"cases\", text = \"Síť\" }",
            "duplicate item id \"cases\"",
        ),
        (
            "show_if = \"time.admin >= 50\"",
            "show_if = \"time.admn >= 50\"",
            "did you mean `time.admin`?",
        ),
        (
            "show_if = \"time.admin >= 50\"",
            "show_if = \"time >= 50\"",
            "e.g. time.item_id",
        ),
        (
            "show_if = \"time.admin >= 50\"",
            "show_if = \"time == 50\"",
            "gives points to several items",
        ),
        ("unit = \"%\"", "unit = \"%\"\n  rows = []", "`rows`"),
        // Its items add up to the total: a blanked item could be worked out again.
        (
            "unit = \"%\"",
            "unit = \"%\"\n  privacy = \"quasi_identifier\"",
            "a constant_sum question has several values and cannot be a quasi-identifier",
        ),
    ];
    assert!(!cases.is_empty());
    for (from, to, expected) in cases {
        assert!(SRC.contains(from), "{from}");
        let src = SRC.replacen(from, to, 1);
        let loaded = load_str(Path::new("split.toml"), &src);
        let all: Vec<String> = loaded.diagnostics.iter().map(|d| d.to_string()).collect();
        assert!(
            all.iter().any(|d| d.contains(expected)),
            "{to}: want {expected:?} in {all:#?}"
        );
    }
}
