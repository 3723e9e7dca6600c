//! Anonymized exports on both databases, attacked the way someone who knows the
//! respondents would: the MPSV municipality survey's demo data (15 municipalities, one
//! answer each) is exported with `--anonymize`, and the test tries to single out each
//! municipality from what it publicly knows about it (regional office, respondent's role,
//! staffing numbers). Also: refusals (suppression not accepted, too few responses, no
//! key for linking pseudonyms), linkage of pre/post surveys by keyed pseudonyms, and
//! redaction of typed text.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use common::app::{TestApp, csv_records, repo_surveys, survey_dir};
use common::db::TestDb;

const MPSV: &str = "obce-socialni-prace";

struct Run {
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn anketa(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(args)
        .output()
        .unwrap();
    Run {
        ok: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).to_string(),
        stderr: String::from_utf8_lossy(&out.stderr).to_string(),
    }
}

fn key_file(dir: &Path, name: &str, byte: u8) -> String {
    let path = dir.join(name);
    std::fs::write(&path, [byte; 40]).unwrap();
    path.display().to_string()
}

/// What an attacker knows about a municipality, coarsened the way the survey's rules
/// publish it (regional office, role, staffing bands).
fn known_facts(
    identified: &HashMap<String, String>,
    regions: &HashMap<String, String>,
) -> [String; 5] {
    let band = |v: &str, bounds: &[(f64, &str)], top: &str| -> String {
        let n: f64 = v.parse().unwrap();
        bounds
            .iter()
            .find(|(upper, _)| n < *upper)
            .map_or(top.to_string(), |(_, label)| label.to_string())
    };
    [
        regions[&identified["municipality"]].clone(),
        identified["respondent_role"].clone(),
        // The year a municipality joined the project is public.
        identified["project_start"].chars().take(4).collect(),
        band(
            &identified["sw_project"],
            &[(2.0, "<2"), (4.0, "2-3")],
            "4+",
        ),
        band(
            &identified["sw_total"],
            &[(5.0, "<5"), (10.0, "5-9")],
            "10+",
        ),
    ]
}

async fn the_mpsv_demo_export_is_k_anonymous_and_resists_re_identification(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let surveys = repo_surveys().display().to_string();
    let url = app.db.url.clone();
    let made = anketa(&[
        "demo",
        "responses",
        MPSV,
        "--one-per",
        "municipality",
        "--database",
        &url,
        "--surveys",
        &surveys,
    ]);
    assert!(made.ok, "{}", made.stderr);
    let work = tempfile::tempdir().unwrap();
    let key = key_file(work.path(), "key", b'k');
    let out = work.path().join("mpsv.csv").display().to_string();
    let base = [
        "export",
        MPSV,
        "--database",
        &url,
        "--surveys",
        &surveys,
        "--anonymize",
    ];

    // Fifteen municipalities cannot be k = 5 anonymous without blanking: refused first.
    let refused = anketa(&[&base[..], &["--pseudonym-key-file", &key, "-o", &out]].concat());
    assert_eq!(refused.code, Some(1), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("k = 5 is not reached"),
        "{}",
        refused.stderr
    );
    assert!(
        refused
            .stderr
            .contains("  = help: add --accept-suppression to export with it"),
        "{}",
        refused.stderr
    );
    assert!(!Path::new(&out).exists(), "nothing written");

    let done = anketa(
        &[
            &base[..],
            &[
                "--accept-suppression",
                "--pseudonym-key-file",
                &key,
                "-o",
                &out,
            ],
        ]
        .concat(),
    );
    assert!(done.ok, "{}", done.stderr);
    assert!(
        done.stderr.contains("exported 15 complete response(s)"),
        "{}",
        done.stderr
    );
    let published = csv_records(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(published.len(), 15);
    let report = std::fs::read_to_string(work.path().join("mpsv.anonymization.md")).unwrap();
    assert!(report.contains("- Required k: 5"), "{report}");

    // The attacker's background knowledge: the identified data.
    let identified = anketa(&["export", MPSV, "--database", &url]);
    assert!(identified.ok);
    let identified = csv_records(&identified.stdout);
    let catalog = anketa::survey::load_paths(&[repo_surveys()]);
    let survey = catalog.surveys.iter().find(|s| s.id == MPSV).unwrap();
    let municipalities = survey
        .question("municipality")
        .unwrap()
        .kind
        .options()
        .unwrap();
    let regions: HashMap<String, String> = municipalities
        .options
        .iter()
        .map(|o| (o.value.clone(), o.attributes[0].1.clone()))
        .collect();

    // 1. No identifier leaves: no response id, no language, no typed text, no
    //    municipality code or name anywhere in the file.
    let header: Vec<&String> = published[0].keys().collect();
    for gone in [
        "response_id",
        "language",
        "limits",
        "training_gaps",
        "not_used_reason",
    ] {
        assert!(
            !published[0].contains_key(gone),
            "{gone} published: {header:?}"
        );
    }
    let text = std::fs::read_to_string(&out).unwrap();
    for row in &identified {
        assert!(!text.contains(&row["response_id"]), "a response id leaked");
    }
    for o in &municipalities.options {
        let label = o.label.get(anketa::survey::Lang::Cs);
        // Hradec Králové names a town and the regional office seated there: as the
        // office, the name is published by design.
        let also_office = regions.values().any(|r| r == label);
        assert!(
            !published.iter().any(|r| r
                .values()
                .any(|v| v == &o.value || (v == label && !also_office))),
            "municipality {} is published",
            o.value
        );
    }
    // The submission time is left out (the survey does not ask to publish it).
    assert!(!published[0].contains_key("submitted_at"));

    // 2. k-anonymity over the quasi-identifiers, as published.
    let quasi = [
        "municipality",
        "respondent_role",
        "project_start",
        "sw_project",
        "sw_total",
    ];
    let mut classes: HashMap<Vec<&str>, usize> = HashMap::new();
    for r in &published {
        *classes
            .entry(quasi.iter().map(|q| r[*q].as_str()).collect())
            .or_default() += 1;
    }
    assert!(classes.values().all(|&n| n >= 5), "{classes:?}");
    // The regional office is kept (the survey's `keep`), as the evaluation needs it.
    let mut by_region: HashMap<&str, usize> = HashMap::new();
    for r in &published {
        *by_region.entry(r["municipality"].as_str()).or_default() += 1;
    }
    assert_eq!(by_region.len(), 3, "{by_region:?}");
    assert!(by_region.values().all(|&n| n == 5));

    // 3. The linkage attack: for every municipality, the published rows consistent with
    //    what is known about it (a blank cell could be anything) number at least k.
    for person in &identified {
        let facts = known_facts(person, &regions);
        let candidates = published
            .iter()
            .filter(|r| {
                quasi
                    .iter()
                    .zip(&facts)
                    .all(|(q, fact)| r[*q].is_empty() || &r[*q] == fact)
            })
            .count();
        assert!(
            candidates >= 5,
            "{} narrowed down to {candidates} row(s)",
            person["municipality"]
        );
    }

    // 4. Pseudonyms: keyed hashes of the response ids, different in every export, so two
    //    exports cannot be joined by them.
    let again = work.path().join("again.csv").display().to_string();
    let other_key = key_file(work.path(), "other", b'o');
    let other = work.path().join("other.csv").display().to_string();
    for (k, path) in [(&key, &again), (&other_key, &other)] {
        let run = anketa(
            &[
                &base[..],
                &[
                    "--accept-suppression",
                    "--pseudonym-key-file",
                    k,
                    "-o",
                    path,
                ],
            ]
            .concat(),
        );
        assert!(run.ok, "{}", run.stderr);
    }
    let pseudonyms = |path: &str| -> Vec<String> {
        let mut p: Vec<String> = csv_records(&std::fs::read_to_string(path).unwrap())
            .into_iter()
            .map(|r| r["pseudonym"].clone())
            .collect();
        p.sort();
        p
    };
    let (first, second, under_other) = (pseudonyms(&out), pseudonyms(&again), pseudonyms(&other));
    assert!(first.iter().all(|p| p.len() == 20
        && p.chars().all(|c| c.is_ascii_hexdigit())
        && !second.contains(p)
        && !under_other.contains(p)));

    // 5. Narrowed selections could be joined into small groups: refused.
    // The error says what is wrong; the command line adds which flag to leave out.
    for (filter, help) in [
        (
            &["--where", "respondent_role=head"][..],
            "leave out --where",
        ),
        (&["--from", "2020-01-01"], "leave out --from and --to"),
        (&["--status", "all"], "leave out --status"),
    ] {
        let run = anketa(&[&base[..], &["--accept-suppression"], filter].concat());
        assert_eq!(run.code, Some(1), "{filter:?}");
        assert!(
            run.stderr
                .contains("an anonymized export cannot be limited to")
                && run
                    .stderr
                    .contains(&format!("  = help: {help} with --anonymize")),
            "{}",
            run.stderr
        );
    }

    // 6. Every export is in the audit log with its options.
    let entries: Vec<anketa::store::AuditEntry> = app.store.audit_page(100, 0).await.unwrap();
    let exports: Vec<_> = entries
        .iter()
        .filter(|e| e.action == "export" && e.survey_id.as_deref() == Some(MPSV))
        .collect();
    assert_eq!(exports.len(), 4, "the refusal exported nothing");
    assert!(
        exports
            .iter()
            .filter(|e| e.details["privacy"] == "anonymized")
            .all(|e| e.details["accept_suppression"] == true
                && e.details["pseudonym_key"] == true
                && e.details["k"] == 5
                && e.details["cells_blanked"].as_u64().is_some_and(|n| n > 0)),
        "{exports:?}"
    );
    app.stop().await;
}

async fn typed_text_is_dropped_or_redacted(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let surveys = repo_surveys().display().to_string();
    let url = app.db.url.clone();
    let made = anketa(&[
        "demo",
        "responses",
        MPSV,
        "--count",
        "40",
        "--seed",
        "3",
        "--database",
        &url,
        "--surveys",
        &surveys,
    ]);
    assert!(made.ok, "{}", made.stderr);
    let identified = anketa(&["export", MPSV, "--database", &url]).stdout;
    assert!(
        identified.contains("603 123 456") && identified.contains("jana.novakova@example.cz"),
        "the demo comments carry contact details"
    );
    let base = [
        "export",
        MPSV,
        "--database",
        &url,
        "--surveys",
        &surveys,
        "--anonymize",
        "--accept-suppression",
    ];
    let dropped = anketa(&base);
    assert!(dropped.ok, "{}", dropped.stderr);
    assert!(!dropped.stdout.contains("603") && !dropped.stdout.contains('@'));
    assert!(!csv_records(&dropped.stdout)[0].contains_key("limits"));
    // Without a key the pseudonyms are row numbers, and the report says so.
    assert!(
        dropped
            .stderr
            .contains("row numbers (no pseudonym key was given"),
        "{}",
        dropped.stderr
    );

    let scrubbed = anketa(&[&base[..], &["--scrub-text"]].concat());
    assert!(scrubbed.ok, "{}", scrubbed.stderr);
    let rows = csv_records(&scrubbed.stdout);
    assert!(
        rows[0].contains_key("limits"),
        "text kept with --scrub-text"
    );
    assert!(scrubbed.stdout.contains("[phone]") && scrubbed.stdout.contains("[e-mail]"));
    for secret in ["603 123 456", "777 888 999", "jana.novakova@example.cz"] {
        assert!(!scrubbed.stdout.contains(secret), "{secret} published");
    }
    assert!(
        scrubbed.stderr.contains("Redacted: "),
        "{}",
        scrubbed.stderr
    );
    app.stop().await;
}

const PRE: &str = r#"
id = "pre"
title = "Před kurzem"
[privacy]
k = 2
pseudonym = "code"
[[page]]
id = "p"
  [[page.question]]
  id = "code"
  type = "text"
  text = "Váš kód účastníka"
  privacy = "identifier"
  required = true
  [[page.question]]
  id = "confidence"
  type = "rating"
  max = 5
  text = "Jak si věříte?"
"#;

async fn pre_and_post_link_by_keyed_pseudonyms_and_refusals_are_clear(db: TestDb) {
    let post = PRE
        .replace("id = \"pre\"", "id = \"post\"")
        .replace("Před kurzem", "Po kurzu");
    let dir = survey_dir(&[("pre", PRE), ("post", &post)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    for survey in ["pre", "post"] {
        for (code, confidence) in [("AB12", "2"), ("cd34", "3"), ("EF56", "4")] {
            let mut b = app.browser();
            b.open(&format!("/s/{survey}")).await;
            // The same person types the code differently after the course.
            let code = if survey == "post" {
                code.to_lowercase()
            } else {
                code.to_string()
            };
            let page = b.next(&[("code", &code), ("confidence", confidence)]).await;
            assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
        }
    }
    let url = app.db.url.clone();
    let surveys = dir.path().display().to_string();
    let work = tempfile::tempdir().unwrap();
    let key = key_file(work.path(), "key", b'p');
    let export = |survey: &str, extra: &[&str]| {
        anketa(
            &[
                &[
                    "export",
                    survey,
                    "--database",
                    &url,
                    "--surveys",
                    &surveys,
                    "--anonymize",
                ][..],
                extra,
            ]
            .concat(),
        )
    };

    // Linking pseudonyms need the key.
    let no_key = export("pre", &[]);
    assert_eq!(no_key.code, Some(1));
    assert!(
        no_key
            .stderr
            .contains("needs the secret pseudonym key, and none was given")
            && no_key
                .stderr
                .contains("  = help: pass --pseudonym-key-file FILE"),
        "{}",
        no_key.stderr
    );
    // k larger than the data: a clear refusal.
    let too_few = export("pre", &["--pseudonym-key-file", &key, "--k", "4"]);
    assert_eq!(too_few.code, Some(1));
    assert!(
        too_few.stderr.contains("fewer than k = 4"),
        "{}",
        too_few.stderr
    );

    let pre = export("pre", &["--pseudonym-key-file", &key]);
    let post = export("post", &["--pseudonym-key-file", &key]);
    assert!(pre.ok && post.ok, "{}{}", pre.stderr, post.stderr);
    let linked = |text: &str| -> HashMap<String, String> {
        csv_records(text)
            .into_iter()
            .map(|r| {
                assert!(!r.contains_key("code"), "the identifier is dropped");
                (r["pseudonym"].clone(), r["confidence"].clone())
            })
            .collect()
    };
    let (before, after) = (linked(&pre.stdout), linked(&post.stdout));
    assert_eq!(before.len(), 3);
    for (pseudonym, confidence) in &before {
        assert_eq!(
            after.get(pseudonym),
            Some(confidence),
            "the same person links"
        );
    }
    for code in ["AB12", "ab12", "cd34", "EF56"] {
        assert!(!pre.stdout.contains(code) && !post.stdout.contains(code));
    }
    app.stop().await;
}

const SKIPS: &str = r#"
id = "skip"
title = "Přeskakování"
[privacy]
k = 2
[[page]]
id = "p"
  [[page.question]]
  id = "region"
  type = "single"
  text = "Kraj"
  privacy = "quasi_identifier"
  options = [ { value = "a", label = "Kraj A" }, { value = "b", label = "Kraj B" } ]
  [[page.question]]
  id = "field"
  type = "yesno"
  text = "Terén?"
  [[page.question]]
  id = "in_a"
  type = "rating"
  max = 5
  text = "Jen v kraji A"
  show_if = "region == 'a'"
  [[page.question]]
  id = "in_field"
  type = "rating"
  max = 5
  text = "Jen v terénu"
  show_if = "field"
"#;

/// A native file tells "not asked" from "no answer"; anonymized, only where that reveals
/// nothing the export hides: a question asked only in one region would otherwise tell
/// the region of a respondent whose region cell is blanked.
async fn not_asked_is_told_apart_only_where_it_reveals_nothing(db: TestDb) {
    let dir = survey_dir(&[("skip", SKIPS)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    for fields in [
        [
            ("region", "a"),
            ("field", "1"),
            ("in_a", "4"),
            ("in_field", "5"),
        ],
        [
            ("region", "a"),
            ("field", "0"),
            ("in_a", "2"),
            ("in_field", ""),
        ],
        [
            ("region", "b"),
            ("field", "1"),
            ("in_a", ""),
            ("in_field", "3"),
        ],
        [
            ("region", "b"),
            ("field", "0"),
            ("in_a", ""),
            ("in_field", ""),
        ],
    ] {
        let mut b = app.browser();
        b.open("/s/skip").await;
        assert!(b.next(&fields).await.url.ends_with("/done"));
    }
    let out = tempfile::tempdir().unwrap();
    let surveys = dir.path().display().to_string();
    for (file, anonymize) in [("identified.dta", false), ("anonymized.dta", true)] {
        let path = out.path().join(file).display().to_string();
        let mut args = vec![
            "export",
            "skip",
            "--database",
            &app.db.url,
            "--format",
            "dta",
            "-o",
            &path,
        ];
        if anonymize {
            args.extend(["--anonymize", "--surveys", &surveys]);
        }
        let run = anketa(&args);
        assert!(run.ok, "{}", run.stderr);
    }
    let Some(python) = common::tools::program("ANKETA_TEST_PYTHON") else {
        return;
    };
    // Identified: both conditions' "not asked" are .a. Anonymized: the condition on the
    // plain yes/no answer keeps .a; the one on the region (a quasi-identifier) does not.
    let check = r#"
import sys, pyreadstat
def missing(path, column):
    df, _ = pyreadstat.read_dta(path, user_missing=True)
    return ["a" if v == "a" else ("." if v != v else int(v)) for v in df[column]]
folder = sys.argv[1]
got = (missing(f"{folder}/identified.dta", "in_a"), missing(f"{folder}/identified.dta", "in_field"),
       missing(f"{folder}/anonymized.dta", "in_a"), missing(f"{folder}/anonymized.dta", "in_field"))
want = ([4, 2, "a", "a"], [5, "a", 3, "a"], [4, 2, ".", "."], [5, "a", 3, "a"])
assert got == want, got
print("ok")
"#;
    let run = Command::new(python)
        .args(["-c", check])
        .arg(out.path())
        .output()
        .unwrap();
    common::tools::assert_says_ok(&run);
    app.stop().await;
}

on_both_databases!(
    not_asked_is_told_apart_only_where_it_reveals_nothing,
    the_mpsv_demo_export_is_k_anonymous_and_resists_re_identification,
    typed_text_is_dropped_or_redacted,
    pre_and_post_link_by_keyed_pseudonyms_and_refusals_are_clear,
);
