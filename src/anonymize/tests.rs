//! The anonymizer on a small survey: which columns go, what the rest become.

use std::path::Path;

use super::*;
use crate::survey::load_str;
use crate::survey::variables::merged_variables;

const SRC: &str = r#"
id = "anon"
title = "A"
access = "token"

[privacy]
k = 3
pseudonym = "invitation.email"
invitation = { email = "identifier", group = "quasi_identifier" }

[privacy.coarsen]
town = "region"
age = [18, 30, 45]
started = "year"

[choices.towns]
attributes = ["region"]
options = [
  { value = "kolin", label = "Kolín", region = "Hradec" },
  { value = "most", label = "Most", region = "Praha" },
]

[[page]]
id = "p"
  [[page.question]]
  id = "town"
  type = "single"
  text = "Town"
  choices = "towns"
  privacy = "quasi_identifier"
  other = "Jinde"
  [[page.question]]
  id = "age"
  type = "number"
  integer = true
  text = "Age"
  privacy = "quasi_identifier"
  [[page.question]]
  id = "started"
  type = "date"
  text = "Started"
  [[page.question]]
  id = "name"
  type = "text"
  text = "Name"
  privacy = "identifier"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Comment"
  [[page.question]]
  id = "lang_other"
  type = "text"
  text = "Other language"
  privacy = "none"
"#;

fn fixture() -> (Survey, Vec<Variable>) {
    let loaded = load_str(Path::new("anon.toml"), SRC);
    let survey = loaded
        .survey
        .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics));
    let vars = merged_variables([&survey]);
    (survey, vars)
}

fn key() -> PseudonymKey {
    PseudonymKey::from_file_contents(&[42u8; 32]).unwrap()
}

fn anonymizer(options: &Options) -> Result<(Anonymizer, Vec<String>), AnonymizeError> {
    let (survey, vars) = fixture();
    let mut sources = vec![
        Source::Fixed("response_id"),
        Source::Fixed("survey_version"),
        Source::Fixed("submitted_at"),
        Source::Fixed("language"),
        Source::Invitation("email"),
        Source::Invitation("group"),
        Source::Invitation("name"),
    ];
    sources.extend(vars.iter().map(Source::Variable));
    let a = Anonymizer::new(
        std::slice::from_ref(&survey),
        &sources,
        options,
        &["Jan Novák".to_string()],
    )?;
    let header = a.header();
    Ok((a, header))
}

fn record() -> Vec<String> {
    [
        "r-1",
        "v1",
        "2024-03-17T08:15:00Z",
        "en",
        "jan@obec.cz",
        "pilot",
        "Jan Novák",
        "kolin",
        "",
        "37",
        "2019-05-01",
        "Jan Novák",
        "Volejte 603 123 456, ptejte se na Nováka.",
        "Ukrainian",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn identifiers_language_and_sensitive_text_are_dropped_and_the_rest_coarsened() {
    let options = Options {
        key: Some(key()),
        ..Options::default()
    };
    let (a, header) = anonymizer(&options).unwrap();
    assert_eq!(
        header,
        [
            "pseudonym",
            "survey_version",
            "invitation.group",
            "town",
            "age",
            "started",
            "lang_other"
        ]
    );
    assert_eq!(
        a.quasi_identifiers(),
        ["survey_version", "invitation.group", "town", "age"]
    );
    let mut r = record();
    assert_eq!(
        a.quasi_tuple(&r)[0],
        "",
        "an unknown version is never published"
    );
    r[1] = fixture().0.version;
    let tuple = a.quasi_tuple(&r);
    assert_eq!(tuple, ["1", "pilot", "Hradec", "30-44"]);
    let (out, redactions) = a.transform(&r, &tuple, 1);
    assert_eq!(
        out,
        [
            key().pseudonym("jan@obec.cz").as_str(),
            "1",
            "pilot",
            "Hradec",
            "30-44",
            "2019",
            "Ukrainian"
        ]
    );
    assert_eq!(redactions, Redactions::default());
    // Nothing identifying survives, whole or in part.
    for secret in [
        "r-1",
        "jan@obec.cz",
        "Novák",
        "603",
        "kolin",
        "37",
        "en",
        "2024-03",
    ] {
        assert!(
            !out[1..].iter().any(|c| c.contains(secret)),
            "{secret} in {out:?}"
        );
    }
}

#[test]
fn scrub_text_keeps_sensitive_text_redacted() {
    let options = Options {
        key: Some(key()),
        scrub_text: true,
        ..Options::default()
    };
    let (a, header) = anonymizer(&options).unwrap();
    assert!(header.contains(&"comment".to_string()));
    // The "other" text of a quasi-identifier would undo its suppression: never kept.
    assert!(!header.contains(&"town.other_text".to_string()));
    assert!(!header.contains(&"name".to_string()));
    let r = record();
    let (out, redactions) = a.transform(&r, &a.quasi_tuple(&r), 1);
    let comment = &out[header.iter().position(|h| h == "comment").unwrap()];
    assert_eq!(comment, "Volejte [phone], ptejte se na [name].");
    assert_eq!(redactions.phones, 1);
    assert_eq!(redactions.names, 1);
}

#[test]
fn linking_pseudonyms_need_the_key() {
    let err = anonymizer(&Options::default()).unwrap_err();
    assert!(matches!(err, AnonymizeError::NeedsKey(_)), "{err}");
    // The problem, not a flag: the command line and the staff area each say what to do.
    assert!(
        err.to_string().contains("needs the secret pseudonym key"),
        "{err}"
    );
    assert!(!err.to_string().contains("--"), "{err}");
}

#[test]
fn blanked_quasi_identifiers_come_from_the_plan() {
    let options = Options {
        key: Some(key()),
        ..Options::default()
    };
    let (a, header) = anonymizer(&options).unwrap();
    let r = record();
    let (out, _) = a.transform(
        &r,
        &["1".into(), "pilot".into(), String::new(), "30-44".into()],
        7,
    );
    assert_eq!(out[header.iter().position(|h| h == "town").unwrap()], "");
    let report = a.report(
        "anon",
        Outcome {
            records: 1,
            dropped: 0,
            blanked: vec![0, 0, 1, 0],
            smallest_class: Some(1),
            class_sizes: [(1, 1)].into(),
            values: vec![Default::default(); 4],
        },
        Redactions::default(),
    );
    let md = report.markdown();
    assert!(md.contains("| name | identifier |"), "{md}");
    assert!(
        md.contains("| age | numbers grouped in bands starting at 18, 30, 45 |"),
        "{md}"
    );
    assert!(md.contains("Cells blanked: 1"), "{md}");
}

#[test]
fn survey_versions_are_published_as_question_sets_and_checked_for_k() {
    let load = |src: &str| {
        let loaded = load_str(Path::new("anon.toml"), src);
        loaded
            .survey
            .unwrap_or_else(|| panic!("{:?}", loaded.diagnostics))
    };
    let first = load(SRC);
    let reworded = load(&SRC.replace("text = \"Town\"", "text = \"Your town\""));
    let extended = load(&SRC.replace(
        "  [[page.question]]\n  id = \"lang_other\"",
        "  [[page.question]]\n  id = \"extra\"\n  type = \"yesno\"\n  text = \"Extra\"\n  [[page.question]]\n  id = \"lang_other\"",
    ));
    assert_ne!(first.version, reworded.version, "the file changed");
    // Newest first, as stored.
    let versions = [extended, reworded, first];
    let sets = question_sets(&versions);
    assert_eq!(sets[&versions[2].version], "1");
    assert_eq!(
        sets[&versions[1].version], "1",
        "wording only: the same set"
    );
    assert_eq!(sets[&versions[0].version], "2", "a new question: a new set");

    let sources = [
        Source::Fixed("response_id"),
        Source::Fixed("survey_version"),
        Source::Invitation("email"),
    ];
    let options = Options {
        key: Some(key()),
        ..Options::default()
    };
    let a = Anonymizer::new(&versions, &sources, &options, &[]).unwrap();
    assert_eq!(a.quasi_identifiers(), ["survey_version"]);
    let record = |version: &str| vec!["r".into(), version.to_string(), "a@b.cz".into()];
    assert_eq!(a.quasi_tuple(&record(&versions[1].version)), ["1"]);
    assert_eq!(a.quasi_tuple(&record(&versions[0].version)), ["2"]);
    assert_eq!(
        a.quasi_tuple(&record("unknown")),
        [""],
        "never published as stored"
    );
}
