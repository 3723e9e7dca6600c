//! Recording an interview: consent, topic screens, time, and the documents made from it.

use std::path::Path;

use time::macros::{date, datetime};

use super::documents::{self, Meta};
use super::{Interview, MAX_STRETCH_SECONDS, TopicState};
use crate::survey::form::FormInput;
use crate::survey::model::SkipReason;
use crate::survey::{Answer, Lang, Survey, load_str};

const GUIDE: &str = r#"
id = "rozhovor"
kind = "interview"
title = { cs = "Rozhovor", en = "Interview" }
languages = ["cs", "en"]
[interview]
categories = [ { value = "mayor", label = { cs = "Starosta", en = "Mayor" } } ]
organisation = "municipality"
recording = true
consent = { cs = "Souhlasíte?", en = "Do you agree?" }
[choices.municipality]
attributes = ["orp"]
options = [ { value = "dobris", label = "Dobříš", orp = "Dobříš" } ]
[[topic]]
id = "situation"
title = { cs = "Situace", en = "Situation" }
opening = { cs = "Jak to vypadá?", en = "How is it?" }
probes = [
  { id = "staffing", text = { cs = "Kdo?", en = "Who?" } },
  { id = "clients", text = { cs = "Klienti?", en = "Clients?" } },
]
  [[topic.question]]
  id = "rating"
  type = "rating"
  min = 1
  max = 5
  required = true
  text = { cs = "Hodnocení", en = "Rating" }
[[topic]]
id = "closing"
opening = { cs = "Něco dalšího?", en = "Anything else?" }
"#;

fn guide() -> Survey {
    load_str(Path::new("g.toml"), GUIDE)
        .survey
        .expect("valid guide")
}

fn input(fields: &[(&str, &str)]) -> FormInput {
    FormInput::new(
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    )
}

const NOW: time::OffsetDateTime = datetime!(2024-03-05 10:00 UTC);

fn consented() -> Interview {
    let s = guide();
    let mut i = Interview::default();
    i.record_consent(
        s.guide().unwrap(),
        &input(&[
            ("category", "mayor"),
            ("organisation", "dobris"),
            ("date", "2024-03-05"),
            ("mode", "phone"),
            ("consent", "yes"),
            ("recording", "yes"),
        ]),
        "user-1",
        NOW,
    )
    .unwrap();
    i
}

#[test]
fn consent_needs_every_header_field_and_the_tick() {
    let s = guide();
    let mut i = Interview::default();
    let problems = i
        .record_consent(
            s.guide().unwrap(),
            &input(&[
                ("category", "king"),
                ("date", "5. 3. 2024"),
                ("mode", "phone"),
            ]),
            "user-1",
            NOW,
        )
        .unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["category", "organisation", "date", "consent"]);
    assert_eq!(i, Interview::default(), "nothing recorded");
    assert!(!i.has_consent());

    let i = consented();
    let c = i.consent.as_ref().unwrap();
    assert_eq!(c.version, s.guide().unwrap().consent_version);
    assert_eq!(
        (c.recorded_by.as_str(), c.given_at, c.recording),
        ("user-1", NOW, true)
    );
    assert_eq!(i.header.date, Some(date!(2024 - 03 - 05)));
    assert_eq!(i.header.mode.as_deref(), Some("phone"));
}

/// Unix seconds in the test's interview.
const T: i64 = 1_709_632_800;

#[test]
fn a_topic_screen_saves_notes_probes_items_and_capped_time() {
    let s = guide();
    let mut i = consented();
    assert_eq!(i.topic_state("situation"), TopicState::NotStarted);
    let problems = i
        .save_topic(
            &s,
            "situation",
            &input(&[
                ("probe", "clients"),
                ("notes", "Dva pracovníci.\r\nDruhý řádek."),
                ("rating", "4"),
            ]),
            Some(T),
            T + 95,
        )
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    // The same stretch saved again (a button after an autosave) is not counted twice.
    i.save_topic(
        &s,
        "situation",
        &input(&[("probe", "clients")]),
        Some(T),
        T + 100,
    )
    .unwrap();
    assert_eq!(i.topics["situation"].seconds, 100);
    // A screen left open over lunch counts at most the cap; unticking a probe sticks.
    i.save_topic(
        &s,
        "situation",
        &input(&[
            ("probe", "staffing"),
            ("notes", "Dva pracovníci.\nDruhý řádek."),
            ("rating", "4"),
        ]),
        Some(T + 200),
        T + 200 + 4 * 3600,
    )
    .unwrap();
    let t = &i.topics["situation"];
    assert_eq!(t.probes, ["staffing"]);
    assert_eq!(t.notes, "Dva pracovníci.\nDruhý řádek.");
    assert_eq!(t.seconds, 100 + MAX_STRETCH_SECONDS);
    assert_eq!(i.answers["rating"], Answer::Number(4.0));
    assert_eq!(i.topic_state("situation"), TopicState::InProgress);
    // "Required" does not apply in an interview: the other topic saves without it.
    let problems = i
        .save_topic(
            &s,
            "closing",
            &input(&[("skipped", "declined")]),
            Some(T),
            T + 10,
        )
        .unwrap();
    assert!(problems.is_empty());
    assert_eq!(
        i.topic_state("closing"),
        TopicState::Skipped(SkipReason::Declined)
    );
    assert_eq!(i.seconds(), 100 + MAX_STRETCH_SECONDS + 10);
}

#[test]
fn a_bad_item_costs_nothing_else_and_is_reported() {
    let s = guide();
    let mut i = consented();
    i.save_topic(
        &s,
        "situation",
        &input(&[("rating", "3"), ("skipped", "declined")]),
        Some(T),
        T + 5,
    )
    .unwrap();
    let problems = i
        .save_topic(
            &s,
            "situation",
            &input(&[
                ("probe", "budget"),
                ("probe", "clients"),
                ("skipped", "bored"),
                ("rating", "9"),
                ("notes", "To důležité, co se nesmí ztratit."),
            ]),
            Some(T + 5),
            T + 30,
        )
        .unwrap();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["probe", "skipped", "rating"]);
    assert_eq!(problems[2].message, "Select one of the options shown.");
    let t = &i.topics["situation"];
    assert_eq!(
        t.notes, "To důležité, co se nesmí ztratit.",
        "the notes are kept"
    );
    assert_eq!(t.probes, ["clients"], "the known probe is kept");
    assert_eq!(
        t.skipped.as_deref(),
        Some("declined"),
        "the previous reason stays"
    );
    assert_eq!(
        i.answers["rating"],
        Answer::Number(3.0),
        "the previous answer stays"
    );
    assert_eq!(t.seconds, 30);
    // Over-long notes keep the first MAX_NOTES characters and say so.
    let long = "x".repeat(super::MAX_NOTES + 10);
    let problems = i
        .save_topic(&s, "closing", &input(&[("notes", &long)]), None, T + 40)
        .unwrap();
    assert_eq!(problems[0].field, "notes");
    assert_eq!(i.topics["closing"].notes.chars().count(), super::MAX_NOTES);
    assert_eq!(
        i.topics["closing"].seconds, 0,
        "no start time, no time counted"
    );
    assert!(i.save_topic(&s, "nope", &input(&[]), None, T).is_err());
    assert!(!i.topics.contains_key("nope"));
}

#[test]
fn documents_and_long_rows_carry_header_topics_probes_and_notes() {
    let s = guide();
    let mut i = consented();
    i.save_topic(
        &s,
        "situation",
        &input(&[
            ("probe", "clients"),
            ("notes", "Dva pracovníci.\nDruhý řádek."),
            ("rating", "4"),
        ]),
        Some(T),
        T + 125,
    )
    .unwrap();
    let meta = Meta {
        label: "R-001",
        interviewer: "tazatel@example.cz",
        lang: Lang::Cs,
    };
    let md = documents::markdown(&s, &i, &meta);
    assert!(md.starts_with("# Rozhovor: R-001\n"), "{md}");
    for expected in [
        "- **category**: Starosta\n",
        "- **organisation**: Dobříš\n",
        "- **mode**: phone\n",
        "- **recording**: yes\n",
        "## 1. Situace\n\n_Jak to vypadá?_\n",
        "Probes covered: 1 of 2\n- [ ] Kdo?\n- [x] Klienti?\n",
        "Hodnocení: 4\n",
        "Time: 2 min\n",
        "> Dva pracovníci.\n> Druhý řádek.\n",
        "## 2. closing\n\n_Něco dalšího?_\n\n(not reached)\n",
    ] {
        assert!(md.contains(expected), "missing {expected:?} in:\n{md}");
    }
    let text = documents::plain_text(&s, &i, &meta);
    assert!(
        text.starts_with("Rozhovor: R-001\n===============\n"),
        "{text}"
    );
    assert!(text.contains("  [covered] Klienti?\n") && text.contains("    Druhý řádek.\n"));
    assert!(!text.contains("**") && !text.contains("> "));

    let rows = documents::long_rows(&s, &i, &meta);
    let find = |topic: &str, field: &str| {
        rows.iter()
            .find(|r| r[1] == topic && r[2] == field)
            .map(|r| r[3].as_str())
    };
    assert!(rows.iter().all(|r| r[0] == "R-001"));
    assert_eq!(find("", "organisation"), Some("Dobříš"));
    assert_eq!(find("", "interviewer"), Some("tazatel@example.cz"));
    assert_eq!(find("situation", "probes_covered"), Some("Klienti?"));
    assert_eq!(find("situation", "rating"), Some("4"));
    assert_eq!(find("situation", "seconds"), Some("125"));
    assert_eq!(
        find("situation", "notes"),
        Some("Dva pracovníci.\nDruhý řádek.")
    );
    assert_eq!(find("closing", "notes"), None, "not reached");
}

#[test]
fn the_stored_document_reads_back_and_tolerates_missing_parts() {
    let i = consented();
    let json = serde_json::to_string(&i).unwrap();
    assert_eq!(serde_json::from_str::<Interview>(&json).unwrap(), i);
    assert_eq!(
        serde_json::from_str::<Interview>("{}").unwrap(),
        Interview::default()
    );
}
