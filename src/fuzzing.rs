//! The bodies of the `cargo fuzz` targets in `fuzz/`, kept here so that
//! `tests/fuzz_corpus.rs` replays their corpora through the very same code on stable Rust.
//! Each function takes the fuzzer's raw bytes, runs one part of the survey core on them and
//! must return without panicking. Not part of anketa's API: see `fuzz/README.md`.

use std::path::Path;
use std::sync::LazyLock;

use time::macros::{date, datetime};

use crate::interview::Interview;
use crate::interview::documents::{self, Meta};
use crate::survey::answer::{Answer, Answers};
use crate::survey::expr::{self, Value};
use crate::survey::form::{self, FormInput, Strictness};
use crate::survey::model::Page;
use crate::survey::{Lang, Survey, client, flow, load_str, variables};

/// `survey_toml`: arbitrary text as a survey file. Every diagnostic is rendered; a survey
/// that loads goes through page flow, form decoding, export variables and demo answers.
pub fn survey_toml(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load_str(Path::new("surveys/fuzz.toml"), text);
    for d in &loaded.diagnostics {
        let _ = d.to_string();
    }
    if let Some(survey) = loaded.survey {
        exercise_survey(&survey);
    }
}

fn exercise_survey(survey: &Survey) {
    let mut sets = vec![Answers::new()];
    for seed in [1, 2] {
        sets.push(crate::demo::responses::answer_all(
            survey,
            None,
            &mut crate::demo::rng(seed),
        ));
    }
    let vars = variables::variables(survey);
    for answers in &sets {
        let n = survey.pages.len();
        let mut at = Some(flow::first_page(survey, answers));
        let mut steps = 0;
        while let Some(i) = at {
            let _ = flow::progress(survey, i, answers);
            let _ = flow::previous_page(survey, i, answers);
            at = flow::next_page(survey, i, answers);
            steps += 1;
            assert!(steps <= n, "page flow must move forward");
        }
        let effective = flow::effective_answers(survey, answers);
        let _ = flow::first_invalid_page(survey, answers);
        for page in &survey.pages {
            let input = form::answers_to_input(page, &effective);
            for strictness in [Strictness::Enforce, Strictness::Lenient] {
                let _ = form::decode_page(page, &input, &effective, strictness);
            }
            for q in &page.questions {
                if let Some(c) = &q.show_if {
                    let _ = client::show_if_json(page, &c.expr, &effective);
                }
            }
        }
        for var in &vars {
            let _ = variables::cell(var, &effective);
        }
        if let Some(guide) = survey.guide() {
            let header = FormInput::new(vec![
                ("category".into(), guide.categories.options[0].value.clone()),
                (
                    "organisation".into(),
                    guide.organisation.options[0].value.clone(),
                ),
                ("date".into(), "2024-01-16".into()),
                ("mode".into(), "phone".into()),
                ("consent".into(), "yes".into()),
            ]);
            interview(survey, &header, &Answers::new(), &|page| {
                form::answers_to_input(page, &effective)
            });
        }
    }
}

/// Record an interview from `header` onto `prior` answers and save every topic with the
/// form `topic_input` gives for its page, then write its documents.
fn interview(
    survey: &Survey,
    header: &FormInput,
    prior: &Answers,
    topic_input: &dyn Fn(&Page) -> FormInput,
) {
    let Some(guide) = survey.guide() else {
        return;
    };
    let mut data = Interview {
        answers: prior.clone(),
        ..Interview::default()
    };
    let _ = data.record_consent(guide, header, "fuzz", datetime!(2024-01-16 9:00 UTC));
    for (page, topic) in survey.pages.iter().zip(&guide.topics) {
        let input = topic_input(page);
        // As `web::admin::interviews::save_topic` reads it.
        let opened = input
            .get("opened")
            .and_then(|o| o.parse::<i64>().ok())
            .filter(|&o| o > 0);
        let _ = data.save_topic(survey, &topic.id, &input, opened, 1_705_395_600);
        let _ = data.topic_state(&topic.id);
    }
    let _ = data.seconds();
    let meta = Meta {
        label: "R-001",
        interviewer: "fuzz",
        lang: survey.default_language(),
    };
    let _ = documents::markdown(survey, &data, &meta);
    let _ = documents::plain_text(survey, &data, &meta);
    let _ = documents::long_rows(survey, &data, &meta);
}

/// The survey that `expression` puts each expression into: one question of every type on
/// the first page, then the expression as a question's `show_if` (with the questions above
/// it in scope), a page's `show_if` and a question's `show_if` and `validate` rule.
const EXPRESSION_SURVEY: &str = r#"
id = "fuzz-expr"
title = "Expressions"
[[page]]
id = "first"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" }, { value = "town", label = "Obec" } ]
  other = true
  [[page.question]]
  id = "agree"
  type = "likert"
  text = "Agree"
  options = [ { value = 1, label = "1" }, { value = 2, label = "2" }, { value = 3, label = "3" } ]
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Topics"
  options = [ { value = "law", label = "Law" }, { value = "debt", label = "Debt" } ]
  other = true
  [[page.question]]
  id = "m"
  type = "matrix"
  text = "Matrix"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  options = [ { value = 1, label = "1" }, { value = 2, label = "2" } ]
  [[page.question]]
  id = "rank"
  type = "ranking"
  text = "Rank"
  options = [ { value = "x", label = "X" }, { value = "y", label = "Y" } ]
  [[page.question]]
  id = "split"
  type = "constant_sum"
  text = "Split"
  total = 10
  items = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  [[page.question]]
  id = "age"
  type = "number"
  text = "Age"
  [[page.question]]
  id = "years"
  type = "number"
  text = "Years"
  integer = true
  [[page.question]]
  id = "born"
  type = "date"
  text = "Born"
  [[page.question]]
  id = "project"
  type = "yesno"
  text = "Project?"
  [[page.question]]
  id = "ok"
  type = "consent"
  text = "Consent"
  version = "v1"
  [[page.question]]
  id = "name"
  type = "text"
  text = "Name"
  [[page.question]]
  id = "info"
  type = "note"
  text = "Note"
  [[page.question]]
  id = "town"
  type = "hidden"
  options = [ { value = "kolin", label = "Kolín" }, { value = "most", label = "Most" } ]
  [[page.question]]
  id = "src"
  type = "hidden"
  [[page.question]]
  id = "score"
  type = "rating"
  text = "Score"
  max = 10
  [[page.question]]
  id = "dd"
  type = "dropdown"
  text = "Dropdown"
  options = [ { value = "a", label = "A" }, { value = "b", label = "B" } ]
  [[page.question]]
  id = "y"
  type = "text"
  text = "Y"
  show_if = @
[[page]]
id = "second"
show_if = @
  [[page.question]]
  id = "x"
  type = "text"
  text = "X"
  show_if = @
  validate = { rule = @, message = "M" }
"#;

/// Answer sets to evaluate expressions against: none, typical ones, and odd ones (values
/// of another type than the question's, extremes) as stored data from older survey
/// versions can hold.
static ANSWER_SETS: LazyLock<Vec<Answers>> = LazyLock::new(|| {
    let choice = |v: &str, other: Option<&str>| Answer::Choice {
        value: v.into(),
        other: other.map(Into::into),
    };
    let typical: Answers = [
        ("role", choice("other", Some("starosta"))),
        ("agree", choice("3", None)),
        (
            "topics",
            Answer::Choices {
                values: vec!["law".into(), "other".into()],
                other: Some("x".into()),
            },
        ),
        (
            "m",
            Answer::Matrix([("a".to_string(), "2".to_string())].into()),
        ),
        ("rank", Answer::Ranking(vec!["y".into(), "x".into()])),
        (
            "split",
            Answer::Points([("a".to_string(), 7), ("b".to_string(), 3)].into()),
        ),
        ("age", Answer::Number(40.0)),
        ("years", Answer::Number(12.0)),
        ("born", Answer::Date(date!(1990 - 05 - 01))),
        ("project", Answer::Bool(true)),
        (
            "ok",
            Answer::Consent {
                version: "v1".into(),
            },
        ),
        ("name", Answer::Text("Jana".into())),
        ("town", choice("kolin", None)),
        ("src", Answer::Text("leaflet".into())),
        ("score", Answer::Number(7.0)),
        ("dd", choice("b", None)),
        ("y", Answer::Text("y".into())),
        ("x", Answer::Text("x".into())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let odd: Answers = [
        ("role", Answer::Number(f64::MAX)),
        ("agree", choice(" 2 ", None)),
        (
            "topics",
            Answer::Choices {
                values: vec![],
                other: None,
            },
        ),
        ("m", Answer::Matrix(Default::default())),
        ("rank", Answer::Ranking(vec![])),
        (
            "split",
            Answer::Points([("a".to_string(), u32::MAX), ("zz".to_string(), u32::MAX)].into()),
        ),
        ("age", Answer::Number(-0.0)),
        ("years", Answer::Text("1e308".into())),
        ("born", Answer::Date(time::Date::MIN)),
        ("project", choice("1", None)),
        ("ok", Answer::Bool(false)),
        ("name", Answer::Date(time::Date::MAX)),
        ("town", Answer::Text("kolin".into())),
        ("score", Answer::Number(f64::MIN_POSITIVE)),
        ("dd", Answer::Ranking(vec!["a".into()])),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    vec![Answers::new(), typical, odd]
});

/// `expression`: arbitrary text as an expression. One that parses is evaluated against
/// `ANSWER_SETS` and, placed in `EXPRESSION_SURVEY`, checked by the loader against
/// questions of every type; if the survey then loads, its pages are decoded and shown.
pub fn expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(e) = expr::parse(text) else {
        return;
    };
    let _ = e.references();
    for answers in ANSWER_SETS.iter() {
        if let Value::List(items) = expr::eval(&e, answers) {
            let _ = items.len();
        }
        let _ = expr::eval_condition(&e, answers);
    }
    let source = EXPRESSION_SURVEY.replace('@', &toml_string(text));
    let loaded = load_str(Path::new("surveys/fuzz-expr.toml"), &source);
    for d in &loaded.diagnostics {
        let _ = d.to_string();
    }
    let Some(survey) = loaded.survey else {
        return;
    };
    for answers in ANSWER_SETS.iter() {
        let _ = flow::page_applies(&survey, 1, answers);
        let _ = flow::effective_answers(&survey, answers);
        for page in &survey.pages {
            let input = form::answers_to_input(page, answers);
            let _ = form::decode_page(page, &input, answers, Strictness::Enforce);
            for q in &page.questions {
                let _ = form::is_shown(q, answers);
                if let Some(c) = &q.show_if {
                    let _ = client::show_if_json(page, &c.expr, answers);
                }
            }
        }
    }
}

/// `text` as a TOML string: a plain basic string when it needs no escapes (so the loader
/// maps expression spans exactly), otherwise an escaped one.
fn toml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A real survey for `form_decoding`, with a complete valid response to decode pages into.
struct FormSurvey {
    survey: Survey,
    complete: Answers,
}

fn form_survey(path: &str, text: &str) -> FormSurvey {
    let loaded = load_str(Path::new(path), text);
    let survey = loaded.survey.expect("the example surveys are valid");
    let complete = if let Some(guide) = survey.as_interview() {
        crate::demo::interview(guide, 0, "fuzz", &mut crate::demo::rng(7)).answers
    } else {
        crate::demo::responses::responses(&survey, 1, None, &mut crate::demo::rng(7))
            .expect("a demo response")
            .remove(0)
            .answers
    };
    FormSurvey { survey, complete }
}

static FORM_SURVEYS: LazyLock<Vec<FormSurvey>> = LazyLock::new(|| {
    vec![
        form_survey(
            "surveys/obce-socialni-prace.toml",
            include_str!("../surveys/obce-socialni-prace.toml"),
        ),
        form_survey(
            "surveys/cinnosti-socialni-prace.toml",
            include_str!("../surveys/cinnosti-socialni-prace.toml"),
        ),
        form_survey(
            "surveys/seminar-mas-2024.toml",
            include_str!("../surveys/seminar-mas-2024.toml"),
        ),
        form_survey(
            "surveys/rozhovor-starosta.toml",
            include_str!("../surveys/rozhovor-starosta.toml"),
        ),
    ]
});

/// `form_decoding`: arbitrary bytes as an `application/x-www-form-urlencoded` page body,
/// read the way the app reads it, then decoded as every page of real example surveys (in
/// both strictness modes, onto no answers and onto a complete response), with the flow
/// that follows a save; for the interview guide, as its header and every topic's form.
pub fn form_decoding(data: &[u8]) {
    // What `web::extract::Form` does with a body.
    let Ok(fields) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(data) else {
        return;
    };
    let input = FormInput::new(fields);
    let empty = Answers::new();
    let ui = crate::i18n::ui(Lang::Cs);
    for fx in FORM_SURVEYS.iter() {
        let survey = &fx.survey;
        if survey.is_interview() {
            interview(survey, &input, &fx.complete, &|_| input.clone());
            continue;
        }
        let mut stored = fx.complete.clone();
        for (i, page) in survey.pages.iter().enumerate() {
            let lenient = form::decode_page(page, &input, &empty, Strictness::Lenient);
            assert!(lenient.errors.is_empty(), "Back never reports problems");
            let decoded = form::decode_page(page, &input, &stored, Strictness::Enforce);
            for e in &decoded.errors {
                let _ = ui.problem(&e.problem);
            }
            decoded.apply_to(page, &mut stored);
            let _ = flow::next_page(survey, i, &stored);
            let _ = flow::previous_page(survey, i, &stored);
            let _ = flow::progress(survey, i, &stored);
            let _ = form::answers_to_input(page, &stored);
        }
        let effective = flow::effective_answers(survey, &stored);
        let _ = flow::first_invalid_page(survey, &effective);
        for var in variables::variables(survey) {
            let _ = variables::cell(&var, &effective);
        }
    }
}
