//! Tests of page decoding: every question type, required and validate rules, and the
//! round trip answers -> form fields -> answers.

use std::path::Path;

use super::*;
use crate::survey::load_str;
use crate::survey::model::Survey;
use crate::survey::text::Text;

const SRC: &str = r#"
id = "form"
title = "Form"
[[page]]
id = "p"
  [[page.question]]
  id = "name"
  type = "text"
  text = "Jméno"
  max_length = 5
  [[page.question]]
  id = "age"
  type = "number"
  text = "Věk"
  integer = true
  min = 18
  max = 99
  required = true
  [[page.question]]
  id = "years"
  type = "number"
  text = "Praxe"
  validate = { rule = "years <= age - 15", message = "Příliš mnoho let praxe" }
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" } ]
  other = true
  [[page.question]]
  id = "role_note"
  type = "text"
  text = "Pozn."
  show_if = "role == 'mas'"
  required = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Témata"
  options = [ { value = "law", label = "Právo" }, { value = "debt", label = "Dluhy" }, { value = "housing", label = "Bydlení" } ]
  max = 2
  other = true
  [[page.question]]
  id = "often"
  type = "matrix"
  text = "Jak často"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  options = [ { value = "1", label = "Zřídka" }, { value = "2", label = "Často" } ]
  required = true
  [[page.question]]
  id = "nps"
  type = "rating"
  text = "Doporučil byste?"
  min = 0
  max = 10
  [[page.question]]
  id = "when"
  type = "date"
  text = "Kdy"
  min = 2024-01-01
  [[page.question]]
  id = "project"
  type = "yesno"
  text = "Projekt?"
  [[page.question]]
  id = "agree"
  type = "consent"
  text = "Souhlas"
  version = "v1"
  [[page.question]]
  id = "rank"
  type = "ranking"
  text = "Pořadí"
  options = [ { value = "x", label = "X" }, { value = "y", label = "Y" } ]
  [[page.question]]
  id = "src"
  type = "hidden"
"#;

fn survey() -> Survey {
    load_str(Path::new("f.toml"), SRC).survey.expect("valid")
}

fn input(fields: &[(&str, &str)]) -> FormInput {
    FormInput::new(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

/// The minimum every submission needs (age, the matrix, the consent).
const BASE: [(&str, &str); 4] = [
    ("age", "40"),
    ("often.a", "1"),
    ("often.b", "2"),
    ("agree", "yes"),
];

fn decode(extra: &[(&str, &str)]) -> PageAnswers {
    let s = survey();
    let mut fields: Vec<(&str, &str)> = BASE.to_vec();
    fields.retain(|(k, _)| !extra.iter().any(|(e, _)| e == k));
    fields.extend_from_slice(extra);
    decode_page(
        &s.pages[0],
        &input(&fields),
        &Answers::new(),
        Strictness::Enforce,
    )
}

fn problems(extra: &[(&str, &str)]) -> Vec<(String, Problem)> {
    decode(extra)
        .errors
        .into_iter()
        .map(|e| (e.question, e.problem))
        .collect()
}

#[test]
fn a_complete_page_decodes_into_typed_answers() {
    let out = decode(&[
        ("name", " Eva "),
        ("years", "10,5"),
        ("role", "other"),
        ("role.other_text", "starosta"),
        ("topics", "debt"),
        ("topics", "law"),
        ("nps", "9"),
        ("when", "16. 1. 2024"),
        ("project", "1"),
        ("rank.y", "1"),
        ("rank.x", "2"),
        ("src", "forged"),
    ]);
    assert_eq!(out.errors, vec![]);
    let a = &out.answers;
    assert_eq!(a["name"], Answer::Text("Eva".into()));
    assert_eq!(a["age"], Answer::Number(40.0));
    assert_eq!(a["years"], Answer::Number(10.5));
    assert_eq!(
        a["role"],
        Answer::Choice {
            value: "other".into(),
            other: Some("starosta".into())
        }
    );
    assert_eq!(
        a["topics"],
        Answer::Choices {
            values: vec!["law".into(), "debt".into()],
            other: None
        },
        "option order, not click order"
    );
    assert_eq!(
        a["often"],
        Answer::Matrix(
            [
                ("a".to_string(), "1".to_string()),
                ("b".to_string(), "2".to_string())
            ]
            .into()
        )
    );
    assert_eq!(a["nps"], Answer::Number(9.0));
    assert_eq!(a["when"], Answer::Date(time::macros::date!(2024 - 01 - 16)));
    assert_eq!(a["project"], Answer::Bool(true));
    assert_eq!(
        a["agree"],
        Answer::Consent {
            version: "v1".into()
        }
    );
    assert_eq!(a["rank"], Answer::Ranking(vec!["y".into(), "x".into()]));
    assert!(
        !a.contains_key("src"),
        "hidden values never come from the form"
    );
    assert!(!a.contains_key("role_note"), "not shown: role is not 'mas'");
}

#[test]
fn required_questions_and_consent() {
    let s = survey();
    let out = decode_page(
        &s.pages[0],
        &input(&[]),
        &Answers::new(),
        Strictness::Enforce,
    );
    let probs: Vec<_> = out
        .errors
        .iter()
        .map(|e| (e.question.as_str(), &e.problem))
        .collect();
    assert_eq!(
        probs,
        vec![
            ("age", &Problem::Required),
            ("often", &Problem::Required),
            ("agree", &Problem::ConsentRequired)
        ]
    );
}

#[test]
fn conditional_required_questions_apply_only_when_shown() {
    assert_eq!(
        problems(&[("role", "mas")]),
        vec![("role_note".into(), Problem::Required)]
    );
    assert_eq!(
        decode(&[("role", "mas"), ("role_note", "x")]).answers["role_note"],
        Answer::Text("x".into())
    );
}

#[test]
fn type_rules_produce_precise_problems() {
    assert_eq!(
        problems(&[("name", "Příliš")]),
        vec![("name".into(), Problem::TooLong { max: 5 })]
    );
    assert_eq!(
        problems(&[("age", "čtyřicet")]),
        vec![("age".into(), Problem::NotANumber)]
    );
    assert_eq!(
        problems(&[("age", "40.5")]),
        vec![("age".into(), Problem::NotWhole)]
    );
    assert_eq!(
        problems(&[("age", "17")]),
        vec![("age".into(), Problem::BelowMin { min: 18.0 })]
    );
    assert_eq!(
        problems(&[("age", "1 000")]),
        vec![("age".into(), Problem::AboveMax { max: 99.0 })]
    );
    assert_eq!(
        problems(&[("role", "hacker")]),
        vec![("role".into(), Problem::InvalidChoice)]
    );
    assert_eq!(
        problems(&[("role", "other")]),
        vec![("role".into(), Problem::OtherTextMissing)]
    );
    assert_eq!(
        problems(&[("topics", "law"), ("topics", "debt"), ("topics", "housing")]),
        vec![("topics".into(), Problem::TooMany { max: 2 })]
    );
    assert_eq!(
        problems(&[("often.b", "")]),
        vec![("often".into(), Problem::RowsMissing { missing: 1 })]
    );
    assert_eq!(
        problems(&[("often.b", "9")]),
        vec![("often".into(), Problem::InvalidChoice)]
    );
    assert_eq!(
        problems(&[("nps", "11")]),
        vec![("nps".into(), Problem::InvalidChoice)]
    );
    assert_eq!(
        problems(&[("when", "2023-12-31")]),
        vec![(
            "when".into(),
            Problem::DateBefore {
                min: time::macros::date!(2024 - 01 - 01)
            }
        )]
    );
    assert_eq!(
        problems(&[("when", "31. 2. 2024")]),
        vec![("when".into(), Problem::InvalidDate)]
    );
    assert_eq!(
        problems(&[("project", "maybe")]),
        vec![("project".into(), Problem::InvalidChoice)]
    );
    assert_eq!(
        problems(&[("rank.x", "2")]),
        vec![("rank".into(), Problem::RankSkipped { rank: 1 })]
    );
    assert_eq!(
        problems(&[("rank.x", "1"), ("rank.y", "1")]),
        vec![("rank".into(), Problem::RankUsedTwice { rank: 1 })]
    );
}

#[test]
fn text_typed_into_other_ticks_other() {
    let out = decode(&[("topics", "law"), ("topics.other_text", "sociální bydlení")]);
    assert_eq!(out.errors, vec![]);
    assert_eq!(
        out.answers["topics"],
        Answer::Choices {
            values: vec!["law".into(), "other".into()],
            other: Some("sociální bydlení".into())
        }
    );
}

#[test]
fn validate_rules_reject_only_when_false() {
    let probs = problems(&[("years", "30")]);
    assert_eq!(
        probs,
        vec![(
            "years".into(),
            Problem::Rule(Text::plain("Příliš mnoho let praxe"))
        )]
    );
    assert_eq!(
        problems(&[("years", "25")]),
        vec![],
        "40 - 15 = 25 is allowed"
    );
    assert_eq!(
        problems(&[]),
        vec![],
        "years unanswered: the rule is unknown and passes"
    );
}

#[test]
fn problems_come_in_page_order() {
    // The rule on "years" is checked after the type rules of every question, yet its
    // problem comes before those of later questions, as on the page.
    let order: Vec<String> = problems(&[("years", "30"), ("nps", "11"), ("often.b", "")])
        .into_iter()
        .map(|(q, _)| q)
        .collect();
    assert_eq!(order, ["years", "often", "nps"]);
}

#[test]
fn lenient_decoding_keeps_what_parses_and_reports_nothing() {
    let s = survey();
    let out = decode_page(
        &s.pages[0],
        &input(&[("name", "Eva"), ("age", "abc"), ("often.a", "2")]),
        &Answers::new(),
        Strictness::Lenient,
    );
    assert_eq!(out.errors, vec![]);
    assert_eq!(
        out.answers.keys().collect::<Vec<_>>(),
        vec!["name", "often"]
    );
}

#[test]
fn applying_a_page_replaces_its_answers_and_keeps_hidden_ones() {
    let s = survey();
    let mut stored = Answers::new();
    stored.insert("name".into(), Answer::Text("old".into()));
    stored.insert("src".into(), Answer::Text("newsletter".into()));
    let out = decode_page(&s.pages[0], &input(&BASE), &stored, Strictness::Enforce);
    assert!(
        !out.answers.contains_key("src"),
        "hidden values are not form answers"
    );
    out.apply_to(&s.pages[0], &mut stored);
    assert!(
        !stored.contains_key("name"),
        "a cleared field removes the old answer"
    );
    assert_eq!(stored["src"], Answer::Text("newsletter".into()));
    assert_eq!(stored["age"], Answer::Number(40.0));
}

#[test]
fn answers_round_trip_through_form_fields() {
    let first = decode(&[
        ("name", "Eva"),
        ("role", "other"),
        ("role.other_text", "x"),
        ("topics", "law"),
        ("topics.other_text", "y"),
        ("nps", "0"),
        ("when", "2024-02-29"),
        ("project", "0"),
        ("rank.x", "1"),
    ]);
    assert_eq!(first.errors, vec![]);
    let s = survey();
    let fields = answers_to_input(&s.pages[0], &first.answers);
    let again = decode_page(&s.pages[0], &fields, &Answers::new(), Strictness::Enforce);
    assert_eq!(again.errors, vec![]);
    assert_eq!(again.answers, first.answers);
}

#[test]
fn numbers_and_dates_accept_local_forms() {
    assert_eq!(parse_number("1 250,5"), Some(1250.5));
    assert_eq!(parse_number("-3"), Some(-3.0));
    assert_eq!(parse_number("1e9"), None);
    assert_eq!(parse_number("NaN"), None);
    assert_eq!(
        parse_date("2024-01-16"),
        Some(time::macros::date!(2024 - 01 - 16))
    );
    assert_eq!(
        parse_date("16.1.2024"),
        Some(time::macros::date!(2024 - 01 - 16))
    );
    assert_eq!(parse_date("16/1/2024"), None);
    // English, as the English date field asks for it and shows it.
    for english in [
        "16 January 2024",
        "16 Jan 2024",
        " 16 JANUARY 2024 ",
        "16 Jan, 2024",
    ] {
        assert_eq!(
            parse_date(english),
            Some(time::macros::date!(2024 - 01 - 16)),
            "{english}"
        );
    }
    assert_eq!(
        parse_date("1 Sept 2023"),
        Some(time::macros::date!(2023 - 09 - 01))
    );
    assert_eq!(parse_date("16 Ja 2024"), None, "two letters name no month");
    assert_eq!(parse_date("31 February 2024"), None);
    assert_eq!(parse_date("16 Smarch 2024"), None);
}

#[test]
fn email_addresses_are_checked_for_their_form() {
    for ok in [
        "jana.novakova@obec.cz",
        " Jana.Novakova+dotaznik@mesto-kolin.cz ",
        "a@b.co",
        "o'brien@example.org",
    ] {
        assert_eq!(parse_email(ok).as_deref(), Some(ok.trim()), "{ok}");
    }
    for bad in [
        "",
        "jana",
        "jana@obec",
        "jana@@obec.cz",
        "jana novakova@obec.cz",
        "jana@obec..cz",
        "jana@-obec.cz",
        "@obec.cz",
        "jana@obec.cz.",
        "jána@obec.cz",
    ] {
        assert_eq!(parse_email(bad), None, "{bad}");
    }
    let long = format!("{}@obec.cz", "a".repeat(250));
    assert_eq!(parse_email(&long), None, "longer than 254 characters");
}

#[test]
fn an_email_question_stores_the_address_or_says_what_is_wrong() {
    let src = r#"
id = "mail"
title = "Mail"
[[page]]
id = "p"
  [[page.question]]
  id = "email"
  type = "email"
  text = "E-mail"
  required = true
"#;
    let s = load_str(Path::new("m.toml"), src).survey.expect("valid");
    let q = s.question("email").unwrap();
    assert_eq!(
        q.privacy,
        Some(crate::survey::privacy::PrivacyClass::Identifier),
        "an identifier unless declared otherwise"
    );
    let page = |value: &str| {
        decode_page(
            &s.pages[0],
            &input(&[("email", value)]),
            &Answers::new(),
            Strictness::Enforce,
        )
    };
    let out = page(" jana@obec.cz ");
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(
        out.answers.get("email"),
        Some(&Answer::Text("jana@obec.cz".into()))
    );
    let out = page("jana@obec");
    assert_eq!(out.errors[0].problem, Problem::NotAnEmail);
    assert!(!out.answers.contains_key("email"));
    let out = page("");
    assert_eq!(out.errors[0].problem, Problem::Required);
    // Declared otherwise, it stays as declared.
    let declared = src.replace("required = true", "privacy = \"none\"");
    let s = load_str(Path::new("m.toml"), &declared)
        .survey
        .expect("valid");
    assert_eq!(
        s.question("email").unwrap().privacy,
        Some(crate::survey::privacy::PrivacyClass::None)
    );
}
