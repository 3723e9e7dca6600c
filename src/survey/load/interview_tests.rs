//! Tests of interview guides in the loader: a valid guide builds the model, and each
//! mistake particular to guides gets its diagnostic at the right line.

use std::path::Path;

use super::load_str;
use crate::survey::diagnostic::Severity;
use crate::survey::model::{InterviewMode, QuestionKind, SkipReason};
use crate::survey::text::Lang;

const GUIDE: &str = r#"
id = "rozhovor"
kind = "interview"
title = { cs = "Rozhovor", en = "Interview" }
languages = ["cs", "en"]

[interview]
categories = [
  { value = "mayor", label = { cs = "Starosta", en = "Mayor" } },
  { value = "other", label = { cs = "Jiný", en = "Other" } },
]
organisation = "municipality"
recording = true
consent = { cs = "Souhlasíte?", en = "Do you agree?" }

[choices.municipality]
attributes = ["orp"]
options = [
  { value = "dobris", label = "Dobříš", orp = "Dobříš" },
  { value = "novy-knin", label = "Nový Knín", orp = "Dobříš" },
]

[[topic]]
id = "situation"
title = { cs = "Situace", en = "Situation" }
opening = { cs = "Jak to vypadá?", en = "How is it?" }
probes = [
  { id = "staffing", text = { cs = "Kdo?", en = "Who?" } },
  { id = "clients", text = { cs = "Klienti?", en = "Clients?" } },
]
  [[topic.question]]
  id = "situation_rating"
  type = "rating"
  min = 1
  max = 5
  text = { cs = "Hodnocení", en = "Rating" }

[[topic]]
id = "closing"
opening = { cs = "Něco dalšího?", en = "Anything else?" }
"#;

fn errors(src: &str) -> Vec<(usize, String, Option<String>)> {
    let loaded = load_str(Path::new("surveys/g.toml"), src);
    let errs: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.line().unwrap_or(0), d.message.clone(), d.help.clone()))
        .collect();
    assert_eq!(loaded.survey.is_none(), !errs.is_empty());
    errs
}

fn line_of(src: &str, needle: &str) -> usize {
    src[..src.find(needle).unwrap()].matches('\n').count() + 1
}

fn broken(from: &str, to: &str) -> String {
    assert!(GUIDE.contains(from), "fixture lacks {from:?}");
    GUIDE.replacen(from, to, 1)
}

#[test]
fn a_guide_loads_with_topics_probes_and_structured_items() {
    let loaded = load_str(Path::new("surveys/g.toml"), GUIDE);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let survey = loaded.survey.unwrap();
    assert!(survey.is_interview());
    let guide = survey.guide().unwrap();
    assert_eq!(guide.categories.options.len(), 2);
    assert_eq!(guide.organisation.name.as_deref(), Some("municipality"));
    assert_eq!(guide.organisation.attributes, ["orp"]);
    assert!(guide.recording);
    assert_eq!(guide.consent.get(Lang::En), "Do you agree?");
    assert_eq!(guide.consent_version.len(), 16);
    let topics: Vec<(&str, usize)> = guide
        .topics
        .iter()
        .map(|t| (t.id.as_str(), t.probes.len()))
        .collect();
    assert_eq!(topics, [("situation", 2), ("closing", 0)]);
    assert_eq!(guide.topics[0].opening.get(Lang::Cs), "Jak to vypadá?");
    // Topics are pages too, holding the structured items.
    assert_eq!(survey.pages.len(), 2);
    assert!(survey.pages[1].questions.is_empty());
    assert!(matches!(
        survey.question("situation_rating").unwrap().kind,
        QuestionKind::Rating(_)
    ));
}

#[test]
fn the_consent_version_follows_the_script_only() {
    let version = |src: &str| {
        load_str(Path::new("g.toml"), src)
            .survey
            .unwrap()
            .guide()
            .unwrap()
            .consent_version
            .clone()
    };
    let base = version(GUIDE);
    assert_eq!(
        version(&broken(
            "title = { cs = \"Rozhovor\"",
            "title = { cs = \"Rozhovor 2\""
        )),
        base
    );
    assert_ne!(
        version(&broken("Do you agree?", "Do you agree to it?")),
        base
    );
}

#[test]
fn guide_mistakes_are_located_and_explained() {
    let cases: Vec<(String, &str, &str, &str)> = vec![
        (
            broken("kind = \"interview\"", "kind = \"interveiw\""),
            "kind = ",
            "unknown survey kind \"interveiw\"",
            "did you mean \"interview\"?",
        ),
        (
            broken(
                "organisation = \"municipality\"",
                "organisation = \"municipalities\"",
            ),
            "organisation = ",
            "there is no choice list \"municipalities\"",
            "did you mean \"municipality\"?",
        ),
        (
            broken(
                "opening = { cs = \"Něco dalšího?\", en = \"Anything else?\" }\n",
                "",
            ),
            "id = \"closing\"",
            "this topic has no `opening`",
            "",
        ),
        (
            broken("{ id = \"clients\"", "{ id = \"staffing\""),
            "text = { cs = \"Klienti?\"",
            "duplicate probe id \"staffing\"",
            "it is already used on line",
        ),
        (
            broken(
                "[[topic]]\nid = \"situation\"",
                "[[page]]\nid = \"situation\"",
            ),
            "[[page]]",
            "`page` does not apply to this survey file",
            "write [[topic]] instead of [[page]]",
        ),
        (
            broken(
                "languages = [\"cs\", \"en\"]",
                "languages = [\"cs\", \"en\"]\naccess = \"token\"",
            ),
            "access = ",
            "`access` does not apply to an interview guide",
            "interviewers in the staff area",
        ),
        (
            broken(
                "id = \"closing\"",
                "id = \"closing\"\nshow_if = \"answered(x)\"",
            ),
            "show_if = ",
            "`show_if` does not apply to this topic",
            "any order",
        ),
    ];
    for (src, at, message, help) in cases {
        let errs = errors(&src);
        let expected_line = if message == "this topic has no `opening`" {
            line_of(&src, "[[topic]]\nid = \"closing\"")
        } else {
            line_of(&src, at)
        };
        assert!(
            errs.iter().any(|(line, m, h)| m.starts_with(message)
                && *line == expected_line
                && h.as_deref().unwrap_or("").contains(help)),
            "expected {message:?} at line {expected_line}, got {errs:?}"
        );
    }
    // An empty list of topics is no guide.
    let start = GUIDE.find("[[topic]]").unwrap();
    let empty = GUIDE[..start].replacen(
        "languages = [\"cs\", \"en\"]\n",
        "languages = [\"cs\", \"en\"]\ntopic = []\n",
        1,
    );
    let errs = errors(&empty);
    assert!(
        errs.iter()
            .any(|(line, m, _)| m == "`topic` lists no topic"
                && *line == line_of(&empty, "topic = []")),
        "{errs:?}"
    );
    // A questionnaire may not have topics.
    let questionnaire = GUIDE.replace("kind = \"interview\"\n", "");
    let errs = errors(&questionnaire);
    assert!(
        errs.iter().any(
            |(_, m, h)| m == "`interview` does not apply to this survey file"
                && h.as_deref().unwrap_or("").contains("kind = \"interview\"")
        ),
        "{errs:?}"
    );
}

#[test]
fn modes_and_skip_reasons_round_trip_their_codes() {
    for m in InterviewMode::ALL {
        assert_eq!(InterviewMode::from_code(m.code()), Some(m));
    }
    for r in SkipReason::ALL {
        assert_eq!(SkipReason::from_code(r.code()), Some(r));
    }
    assert_eq!(InterviewMode::from_code("telepathy"), None);
}
