//! Tests of the "likely a quasi-identifier" warning: exact numbers, dates and choices whose
//! options carry attributes warn on their question's line unless `privacy` is written, and
//! no shipped survey has one.

use std::path::Path;

use super::load_str;
use crate::survey::diagnostic::{Diagnostic, Severity};

const SURVEY: &str = r#"
id = "q"
title = "Q"

[choices.towns]
attributes = ["region", "size"]
options = [
  { value = "a", label = "A", region = "X", size = "small" },
  { value = "b", label = "B", region = "Y", size = "large" },
]

[choices.scale]
attributes = ["weight"]
options = [{ value = "1", label = "1", weight = "1" }, { value = "2", label = "2", weight = "2" }]

[[page]]
id = "p1"
  [[page.question]]
  id = "experience"
  type = "number"
  text = "Years in social work"
  integer = true
  [[page.question]]
  id = "started"
  type = "date"
  text = "Started"
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = "Town"
  choices = "towns"
  [[page.question]]
  id = "source"
  type = "hidden"
  choices = "towns"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [{ value = "head", label = "Head" }, { value = "worker", label = "Worker" }]
  [[page.question]]
  id = "score"
  type = "rating"
  text = "Score"
  max = 10
  [[page.question]]
  id = "agree"
  type = "likert"
  text = "Agree"
  choices = "scale"
  [[page.question]]
  id = "towns_visited"
  type = "multi"
  text = "Towns visited"
  choices = "towns"
"#;

fn warnings(src: &str) -> Vec<Diagnostic> {
    let loaded = load_str(Path::new("q.toml"), src);
    assert!(
        loaded.survey.is_some(),
        "warnings never make a survey invalid: {:?}",
        loaded.diagnostics
    );
    loaded
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect()
}

/// The "likely a quasi-identifier" warnings as (line, message, help).
fn likely(src: &str) -> Vec<(usize, String, String)> {
    warnings(src)
        .into_iter()
        .filter(|d| d.message.contains("likely a quasi-identifier"))
        .map(|d| (d.line().unwrap_or(0), d.message, d.help.unwrap_or_default()))
        .collect()
}

fn line_of(src: &str, needle: &str) -> usize {
    src[..src.find(needle).unwrap()].matches('\n').count() + 1
}

/// The fixture with `privacy = ...` added after the line `after`.
fn with_privacy(after: &str, class: &str) -> String {
    assert!(SURVEY.contains(after), "fixture lacks {after:?}");
    SURVEY.replacen(after, &format!("{after}\n  privacy = \"{class}\""), 1)
}

#[test]
fn numbers_dates_and_choices_with_attributes_warn_on_their_line() {
    let found = likely(SURVEY);
    let tail = ": anonymized exports publish it unchanged and do not check it for k-anonymity";
    assert_eq!(
        found
            .iter()
            .map(|(line, message, _)| (*line, message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                line_of(SURVEY, "id = \"experience\""),
                format!("\"experience\" has no privacy class, but an exact number (a year, an age, a count) is likely a quasi-identifier{tail}").as_str(),
            ),
            (
                line_of(SURVEY, "id = \"started\""),
                format!("\"started\" has no privacy class, but a date is likely a quasi-identifier{tail}").as_str(),
            ),
            (
                line_of(SURVEY, "id = \"town\""),
                format!("\"town\" has no privacy class, but a choice whose options carry attributes (region, size) is likely a quasi-identifier{tail}").as_str(),
            ),
            (
                line_of(SURVEY, "id = \"source\""),
                format!("\"source\" has no privacy class, but a choice whose options carry attributes (region, size) is likely a quasi-identifier{tail}").as_str(),
            ),
        ],
        "not for a choice without attributes, a rating, a scale or several values"
    );
}

#[test]
fn the_help_says_how_to_declare_or_acknowledge() {
    let found = likely(SURVEY);
    let help = |id: &str| {
        found
            .iter()
            .find(|(_, m, _)| m.starts_with(&format!("\"{id}\"")))
            .map(|(_, _, h)| h.clone())
            .unwrap()
    };
    for (id, rule) in [
        (
            "experience",
            "experience = [5, 10, 20] publishes the bands <5, 5-9, 10-19, 20+",
        ),
        ("started", "started = \"year\" publishes the year"),
        ("town", "town = \"region\" publishes the option's region"),
    ] {
        assert_eq!(
            help(id),
            format!(
                "if someone could know it about a respondent, add privacy = \"quasi_identifier\", usually with a [privacy.coarsen] rule ({rule}); if it cannot single anyone out, write privacy = \"none\" to say so"
            )
        );
    }
}

#[test]
fn an_explicit_privacy_class_acknowledges_the_choice() {
    for class in ["none", "quasi_identifier", "sensitive", "identifier"] {
        let src = with_privacy("text = \"Years in social work\"", class);
        let found = likely(&src);
        assert!(
            found.iter().all(|(_, m, _)| !m.contains("\"experience\"")),
            "privacy = \"{class}\": {found:?}"
        );
        assert_eq!(found.len(), 3, "the others still warn");
    }
    let mut src = SURVEY.to_string();
    for after in [
        "text = \"Years in social work\"",
        "text = \"Started\"",
        "text = \"Town\"",
        "  type = \"hidden\"",
    ] {
        src = src.replacen(
            after,
            &format!("{after}\n  privacy = \"quasi_identifier\""),
            1,
        );
    }
    assert_eq!(warnings(&src), [], "declared quasi-identifiers do not warn");
}

#[test]
fn a_mistaken_privacy_class_is_an_error_without_the_warning() {
    let src = with_privacy("text = \"Started\"", "quasi_identifer");
    let loaded = load_str(Path::new("q.toml"), &src);
    let started: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("quasi_identifer") || d.message.contains("\"started\""))
        .collect();
    assert_eq!(started.len(), 1, "{started:?}");
    assert!(started[0].is_error());
}

#[test]
fn a_coarsened_question_warns_once_at_its_rule() {
    let src = format!("{SURVEY}\n[privacy.coarsen]\nexperience = [5, 10]\n");
    let about: Vec<_> = warnings(&src)
        .into_iter()
        .filter(|d| d.message.contains("\"experience\""))
        .collect();
    assert_eq!(about.len(), 1, "{about:?}");
    assert_eq!(about[0].line(), Some(line_of(&src, "experience = [5, 10]")));
    assert!(
        about[0]
            .message
            .contains("is coarsened but is not a quasi-identifier")
    );
}

#[test]
fn interview_guides_are_not_warned_about() {
    // Interview records are not checked for k-anonymity: their items' classes do nothing.
    let guide = r#"
id = "g"
kind = "interview"
title = "G"

[interview]
categories = [{ value = "mayor", label = "Mayor" }]
organisation = "municipality"
consent = "Souhlasíte?"

[choices.municipality]
attributes = ["orp"]
options = [{ value = "a", label = "A", orp = "X" }]

[[topic]]
id = "t"
opening = "Jak to vypadá?"
  [[topic.question]]
  id = "staff"
  type = "number"
  text = "Kolik pracovníků?"
"#;
    assert_eq!(warnings(guide), []);
}

#[test]
fn no_shipped_survey_has_an_undeclared_likely_quasi_identifier() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("surveys");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        files += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        let found = likely(&text);
        assert!(
            found.is_empty(),
            "{}: {}",
            path.display(),
            found
                .iter()
                .map(|(line, m, _)| format!("line {line}: {m}\n"))
                .collect::<String>()
        );
    }
    assert!(files >= 8, "the shipped surveys are in {}", dir.display());
}
