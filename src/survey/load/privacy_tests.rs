//! Tests of the privacy model's loading: a valid `[privacy]` table builds the rules, and
//! each kind of mistake is an error on its line with a way to fix it.

use std::path::Path;

use super::load_str;
use crate::survey::diagnostic::Severity;
use crate::survey::privacy::{Coarsening, PrivacyClass, PseudonymSource};

const VALID: &str = r#"
id = "p"
title = "P"
access = "token"

[privacy]
k = 3
pseudonym = "invitation.email"
keep = ["town"]
invitation = { email = "identifier", group = "quasi_identifier" }

[privacy.coarsen]
town = "region"
age = [18, 30, 45]
born = "month"
submitted_at = "year"

[choices.towns]
attributes = ["region"]
options = [{ value = "a", label = "A", region = "X" }]

[[page]]
id = "p1"
  [[page.question]]
  id = "town"
  type = "single"
  text = "Town"
  choices = "towns"
  privacy = "quasi_identifier"
  [[page.question]]
  id = "age"
  type = "number"
  text = "Age"
  privacy = "quasi_identifier"
  [[page.question]]
  id = "born"
  type = "date"
  text = "Born"
  [[page.question]]
  id = "email"
  type = "text"
  text = "E-mail"
  privacy = "identifier"
  [[page.question]]
  id = "tops"
  type = "multi"
  text = "Topics"
  options = [{ value = "a", label = "A" }]
  privacy = "sensitive"
"#;

/// The errors of `src` as (line, message, help).
fn errors(src: &str) -> Vec<(usize, String, String)> {
    let loaded = load_str(Path::new("p.toml"), src);
    loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| {
            (
                d.line().unwrap_or(0),
                d.message.clone(),
                d.help.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn line_of(src: &str, needle: &str) -> usize {
    src[..src.rfind(needle).unwrap()].matches('\n').count() + 1
}

#[test]
fn a_valid_privacy_model_builds_the_rules() {
    let loaded = load_str(Path::new("p.toml"), VALID);
    let survey = loaded
        .survey
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let rules = &survey.privacy;
    assert_eq!(rules.k, 3);
    assert_eq!(rules.pseudonym, PseudonymSource::Invitation("email".into()));
    assert_eq!(rules.keep, ["town"]);
    assert_eq!(
        rules.coarsening("town"),
        Some(&Coarsening::Attribute("region".into()))
    );
    assert_eq!(
        rules.coarsening("age"),
        Some(&Coarsening::Bands(vec![18.0, 30.0, 45.0]))
    );
    assert_eq!(rules.coarsening("submitted_at"), Some(&Coarsening::Year));
    assert_eq!(
        rules.invitation_class("group"),
        PrivacyClass::QuasiIdentifier
    );
    assert_eq!(
        rules.invitation_class("name"),
        PrivacyClass::Identifier,
        "undeclared"
    );
    assert_eq!(
        survey.question("email").unwrap().privacy,
        Some(PrivacyClass::Identifier)
    );
    assert_eq!(survey.question("born").unwrap().privacy, None);
}

#[test]
fn a_survey_without_privacy_gets_the_defaults() {
    let src = VALID.split("[privacy]").next().unwrap().to_string()
        + &VALID[VALID.find("[choices.towns]").unwrap()..];
    let loaded = load_str(Path::new("p.toml"), &src);
    let survey = loaded.survey.expect("valid");
    assert_eq!(survey.privacy.k, 5);
    assert_eq!(survey.privacy.pseudonym, PseudonymSource::Response);
    assert!(survey.privacy.coarsen.is_empty());
}

#[test]
fn each_mistake_is_an_error_on_its_line() {
    let cases: [(&str, &str, &str, &str); 10] = [
        ("k = 3", "k = 1", "`k` must be at least 2", "5 is usual"),
        (
            "pseudonym = \"invitation.email\"",
            "pseudonym = \"emial\"",
            "unknown pseudonym source \"emial\"",
            "did you mean \"email\"?",
        ),
        (
            "pseudonym = \"invitation.email\"",
            "pseudonym = \"born\"",
            "question \"born\" is not marked as an identifier",
            "privacy = \"identifier\"",
        ),
        (
            "town = \"region\"",
            "town = \"regoin\"",
            "the options of \"town\" have no attribute \"regoin\"",
            "did you mean \"region\"?",
        ),
        (
            "born = \"month\"",
            "born = [1, 2]",
            "bands apply to numbers, and \"born\" is not a number or rating question",
            "",
        ),
        (
            "age = [18, 30, 45]",
            "age = [30, 18]",
            "band starts must increase",
            "[18, 30, 45, 60]",
        ),
        (
            "age = [18, 30, 45]",
            "agee = \"month\"",
            "there is no question \"agee\" to coarsen",
            "did you mean `age`?",
        ),
        (
            "keep = [\"town\"]",
            "keep = [\"born\"]",
            "\"born\" is not a quasi-identifier",
            "blank last",
        ),
        (
            "privacy = \"sensitive\"",
            "privacy = \"quasi_identifier\"",
            "a multi question has several values and cannot be a quasi-identifier",
            "",
        ),
        (
            "privacy = \"identifier\"",
            "privacy = \"identifer\"",
            "unknown privacy class \"identifer\"",
            "did you mean \"identifier\"?",
        ),
    ];
    for (from, to, message, help) in cases {
        let src = VALID.replacen(from, to, 1);
        let errs = errors(&src);
        assert_eq!(errs.len(), 1, "{to}: {errs:?}");
        let (line, got, got_help) = &errs[0];
        assert_eq!(*line, line_of(&src, to), "{to}");
        assert_eq!(got, message);
        assert!(got_help.contains(help), "{to}: {got_help}");
    }
}

#[test]
fn invitation_rules_need_a_token_survey() {
    let src = VALID.replacen("access = \"token\"", "access = \"anonymous\"", 1);
    let errs = errors(&src);
    let messages: Vec<&str> = errs.iter().map(|e| e.1.as_str()).collect();
    assert_eq!(
        messages,
        [
            "only a survey with access = \"token\" has invitations to take a pseudonym from",
            "only a survey with access = \"token\" has invitation columns",
        ]
    );
}

/// The warnings of `src` as (line, message).
fn warnings(src: &str) -> Vec<(usize, String)> {
    load_str(Path::new("p.toml"), src)
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| (d.line().unwrap_or(0), d.message.clone()))
        .collect()
}

#[test]
fn invitation_columns_get_labels_and_a_published_column_without_one_is_a_warning() {
    // `group` is published (a quasi-identifier) but has no label: a warning.
    let w = warnings(VALID);
    assert!(
        w.iter().any(|(_, m)| m.contains("`group` has no label")),
        "{w:?}"
    );
    let labelled = VALID.replace(
        "[privacy]\n",
        "[invitation.columns]\ngroup = \"Skupina\"\nname = \"Jméno\"\n\n[privacy]\n",
    );
    let loaded = load_str(Path::new("p.toml"), &labelled);
    let survey = loaded
        .survey
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    assert_eq!(
        survey.invitation_label("group", crate::survey::Lang::Cs),
        "Skupina"
    );
    assert_eq!(
        survey.invitation_label("group", crate::survey::Lang::En),
        "Skupina",
        "one text for every language"
    );
    assert_eq!(
        survey.invitation_label("other", crate::survey::Lang::En),
        "other"
    );
    let w = warnings(&labelled);
    assert!(!w.iter().any(|(_, m)| m.contains("has no label")), "{w:?}");
    // `name` is undeclared, so an identifier that is never published: its label is unused.
    let line = line_of(&labelled, "name = \"Jméno\"");
    assert!(
        w.iter()
            .any(|(l, m)| *l == line && m.contains("`name` is not declared")),
        "{w:?}"
    );
    // A misspelt key and an anonymous survey are errors on their lines.
    let typo = labelled.replace("[invitation.columns]", "[invitation.colums]");
    let e = errors(&typo);
    assert!(
        e.iter()
            .any(|(l, m, h)| *l == line_of(&typo, "[invitation.colums]")
                && m.contains("colums")
                && h.contains("columns")),
        "{e:?}"
    );
    let anonymous = labelled.replace("access = \"token\"", "access = \"anonymous\"");
    let e = errors(&anonymous);
    assert!(
        e.iter()
            .any(|(_, m, _)| m.contains("only a survey with access = \"token\" has invitations")),
        "{e:?}"
    );
}
