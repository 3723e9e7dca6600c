//! The response export in its other layouts, on both databases: long CSV and JSON lines
//! carry exactly the wide CSV's values (checked by pivoting them back), and the codebook
//! (CSV, Markdown, JSON) describes exactly the wide CSV's variables.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use common::app::{TestApp, csv_records, survey_dir};
use common::db::TestDb;
use common::tools::{assert_says_ok, program};

const SURVEY: &str = r#"
id = "kurz"
title = { cs = "Zpětná vazba ke kurzu", en = "Course feedback" }
languages = ["cs", "en"]
[[page]]
id = "p"
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Role", en = "Role" }
  options = [ { value = "sw", label = { cs = "Sociální pracovník", en = "Social worker" } } ]
  other = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = { cs = "Témata", en = "Topics" }
  options = [ { value = "law", label = { cs = "Právo", en = "Law" } }, { value = "debt", label = { cs = "Dluhy", en = "Debt" } } ]
  [[page.question]]
  id = "hours"
  type = "number"
  text = { cs = "Hodin", en = "Hours" }
  [[page.question]]
  id = "rating"
  type = "rating"
  max = 5
  text = { cs = "Hodnocení", en = "Rating" }
  show_if = "answered(hours)"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = { cs = "Komentář", en = "Comment" }
"#;

fn export(app: &TestApp, format: &str) -> (bool, String, String) {
    export_with(app, &["--format", format])
}

fn export_with(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["export", "kurz", "--database", &app.db.url])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

async fn long_json_and_codebook_agree_with_the_wide_export(db: TestDb) {
    let dir = survey_dir(&[("kurz", SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    for fields in [
        vec![
            ("role", "sw"),
            ("topics", "law"),
            ("topics", "debt"),
            ("hours", "1.5"),
            ("rating", "4"),
            ("comment", "Výborné, \"díky\";\nDruhý řádek"),
        ],
        vec![
            ("role", "other"),
            ("role.other_text", "Starosta"),
            ("comment", ""),
        ],
    ] {
        let mut b = app.browser();
        b.open("/s/kurz").await;
        let page = b.next(&fields).await;
        assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
    }
    let (ok, wide, _) = export(&app, "csv");
    assert!(ok);
    let wide = csv_records(&wide);
    assert_eq!(wide.len(), 2);

    // Long: pivoted back, exactly the wide rows' non-empty cells.
    let (ok, long, stderr) = export(&app, "csv-long");
    assert!(
        ok && stderr.contains("exported 2 complete response(s)"),
        "{stderr}"
    );
    assert!(long.starts_with("response_id,variable,value\r\n"));
    let mut pivot: BTreeMap<String, HashMap<String, String>> = BTreeMap::new();
    for r in csv_records(&long) {
        pivot
            .entry(r["response_id"].clone())
            .or_default()
            .insert(r["variable"].clone(), r["value"].clone());
    }
    for row in &wide {
        let mut expected: HashMap<String, String> = row
            .iter()
            .filter(|(k, v)| !v.is_empty() && k.as_str() != "response_id")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        expected.retain(|_, v| !v.is_empty());
        assert_eq!(pivot[&row["response_id"]], expected);
    }

    // JSON lines: one object per response, numbers as numbers, the same values.
    let (ok, json, _) = export(&app, "json");
    assert!(ok);
    let objects: Vec<serde_json::Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(objects.len(), 2);
    let first = &objects[0];
    assert_eq!(first["hours"], serde_json::json!(1.5));
    assert_eq!(first["rating"], serde_json::json!(4.0));
    assert_eq!(first["topics.law"], serde_json::json!(1.0));
    assert_eq!(first["role"], "sw");
    assert_eq!(first["comment"], "Výborné, \"díky\";\nDruhý řádek");
    assert_eq!(objects[1]["role.other_text"], "Starosta");
    assert!(
        objects[1].get("hours").is_none(),
        "unanswered values are absent"
    );

    // The codebook lists exactly the wide export's variables, in order.
    let variables: Vec<String> = {
        let text = export(&app, "csv").1;
        let header = text.lines().next().unwrap().to_string();
        header.split(',').skip(4).map(str::to_string).collect()
    };
    let (ok, codebook, _) = export(&app, "codebook");
    assert!(ok);
    let entries = csv_records(&codebook);
    let names: Vec<&str> = entries.iter().map(|e| e["variable"].as_str()).collect();
    assert_eq!(names, variables);
    let role = &entries[0];
    assert_eq!(role["type"], "single");
    assert_eq!(role["text.en"], "Role");
    assert!(role["values"].contains("sw = Sociální pracovník"));
    let rating = entries.iter().find(|e| e["variable"] == "rating").unwrap();
    assert_eq!(rating["condition"], "answered(hours)");
    assert_eq!(rating["values"], "1 to 5");
    let comment = entries.iter().find(|e| e["variable"] == "comment").unwrap();
    assert_eq!(comment["free_text"], "yes");
    let (ok, md, _) = export(&app, "codebook-md");
    assert!(ok && md.starts_with("# Codebook: Zpětná vazba ke kurzu\n"));
    assert_eq!(
        md.lines().filter(|l| l.starts_with("| `")).count(),
        variables.len()
    );
    let (ok, json, _) = export(&app, "codebook-json");
    assert!(ok);
    let parsed: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(parsed.len(), variables.len());
    assert_eq!(parsed[1]["variable"], "role.other_text");
    app.stop().await;
}

async fn filters_choose_status_dates_versions_and_answers(db: TestDb) {
    let dir = survey_dir(&[("kurz", SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    for fields in [
        vec![("role", "sw"), ("hours", "2")],
        vec![("role", "other"), ("role.other_text", "Starosta")],
    ] {
        let mut b = app.browser();
        b.open("/s/kurz").await;
        assert!(b.next(&fields).await.url.ends_with("/done"));
    }
    // One more, saved for later: in progress.
    let mut b = app.browser();
    b.open("/s/kurz").await;
    b.press("save", &[("role", "sw")]).await;

    let rows = |args: &[&str]| {
        let (ok, out, err) = export_with(&app, args);
        assert!(ok, "{args:?}: {err}");
        csv_records(&out)
    };
    assert_eq!(rows(&[]).len(), 2, "complete only by default");
    assert!(!rows(&[]).first().unwrap().contains_key("response_status"));
    let all = rows(&["--status", "all"]);
    assert_eq!(all.len(), 3);
    assert_eq!(
        all.iter()
            .filter(|r| r["response_status"] == "in_progress")
            .count(),
        1
    );
    let partial = rows(&["--status", "partial"]);
    assert_eq!(
        (partial.len(), partial[0]["submitted_at"].as_str()),
        (1, "")
    );
    // The summary line names what was exported.
    for (args, said) in [
        (
            &["--status", "partial"][..],
            "exported 1 unfinished response(s) of \"kurz\"",
        ),
        (
            &["--status", "all"][..],
            "exported 3 response(s) (complete and unfinished) of \"kurz\"",
        ),
        (&[][..], "exported 2 complete response(s) of \"kurz\""),
    ] {
        let (ok, _, err) = export_with(&app, args);
        assert!(ok && err.contains(said), "{args:?}: {err}");
    }
    let sw = rows(&["--status", "all", "--where", "role=sw"]);
    assert_eq!(sw.len(), 2);
    assert!(sw.iter().all(|r| r["role"] == "sw"));
    let today = time::OffsetDateTime::now_utc().date();
    let tomorrow = (today + time::Duration::days(1)).to_string();
    assert_eq!(
        rows(&["--from", &today.to_string(), "--to", &today.to_string()]).len(),
        2
    );
    assert_eq!(rows(&["--from", &tomorrow]).len(), 0);
    let version = rows(&[])[0]["survey_version"].clone();
    assert_eq!(rows(&["--survey-version", &version]).len(), 2);
    assert_eq!(rows(&["--survey-version", "0000000000000000"]).len(), 0);
    // Mistakes are clear errors, with nothing written.
    let (ok, out, err) = export_with(&app, &["--where", "hours=2"]);
    assert!(!ok && out.is_empty());
    assert!(err.contains("cannot filter on \"hours\""), "{err}");
    let (ok, _, err) = export_with(&app, &["--from", "2024-13-01"]);
    assert!(!ok && err.contains("is not a date"), "{err}");
    let (ok, _, err) = export_with(&app, &["--where", "invitation.group=pilot"]);
    assert!(
        !ok && err.contains("cannot filter on \"invitation.group\""),
        "{err}"
    );
    let (ok, _, err) = export_with(&app, &["--to", "9999-12-31"]);
    assert!(ok, "the last day there is: {err}");
    let (ok, _, err) = export_with(&app, &["--where", "role"]);
    assert!(!ok && err.contains("is not KEY=VALUE"), "{err}");
    app.stop().await;
}

async fn pandas_and_openpyxl_read_every_format_without_options(db: TestDb) {
    let dir = survey_dir(&[("kurz", SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    for fields in [
        vec![
            ("role", "sw"),
            ("topics", "law"),
            ("hours", "1.5"),
            ("rating", "4"),
            ("comment", "Čárka, \"uvozovky\";\nřádek"),
        ],
        vec![
            ("role", "other"),
            // Text that R reads as a number (123) unless told otherwise: the column holds
            // nothing else.
            ("role.other_text", "0123"),
            ("hours", "3"),
            ("comment", "TRUE"),
        ],
        // Text a spreadsheet would run as a formula.
        vec![("role", "sw"), ("comment", "=HYPERLINK(\"http://x\")")],
    ] {
        let mut b = app.browser();
        b.open("/s/kurz").await;
        assert!(b.next(&fields).await.url.ends_with("/done"));
    }
    let out = tempfile::tempdir().unwrap();
    for (format, file) in [
        ("csv", "wide.csv"),
        ("csv-long", "long.csv"),
        ("json", "data.jsonl"),
        ("xlsx", "data.xlsx"),
    ] {
        let path = out.path().join(file);
        let (ok, _, err) = export_with(&app, &["--format", format, "-o", path.to_str().unwrap()]);
        assert!(ok, "{format}: {err}");
    }
    // SPSS and R: the data file plus syntax beside it that reads it with labels.
    for (format, extension, expected) in [
        ("spss", "sps", "VALUE LABELS role 'sw' 'Sociální pracovník'"),
        (
            "r",
            "R",
            "factor(data[[\"role\"]], levels = c(\"sw\", \"other\"), labels = c(\"Sociální pracovník\", \"Jiné\"))",
        ),
    ] {
        let data = out.path().join(format!("kurz-{format}.csv"));
        let (ok, _, err) = export_with(&app, &["--format", format, "-o", data.to_str().unwrap()]);
        assert!(ok, "{format}: {err}");
        assert_eq!(
            csv_records(&std::fs::read_to_string(&data).unwrap()).len(),
            3
        );
        let syntax = std::fs::read_to_string(data.with_extension(extension)).unwrap();
        assert!(syntax.contains(&format!("kurz-{format}.csv")), "{syntax}");
        assert!(syntax.contains(expected), "{syntax}");
        let (ok, _, err) = export_with(&app, &["--format", format]);
        assert!(!ok && err.contains("writes two files"), "{err}");
        let clash = data.with_extension(extension);
        let (ok, _, err) = export_with(&app, &["--format", format, "-o", clash.to_str().unwrap()]);
        assert!(!ok && err.contains("-o names the data file"), "{err}");
    }
    let bytes = std::fs::read(out.path().join("data.xlsx")).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an XLSX file is a zip archive");
    if let Some(python) = program("ANKETA_TEST_PYTHON") {
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/read_exports.py");
        let run = Command::new(python)
            .args([script, out.path().to_str().unwrap(), "3"])
            .output()
            .expect("run python");
        assert_says_ok(&run);
    }
    // SPSS syntax in PSPP started with a Czech decimal comma: three cases (the answer with
    // a line break does not split one), decimals read, the user's setting restored.
    if let Some(pspp) = program("ANKETA_TEST_PSPP") {
        std::fs::write(
            out.path().join("check.sps"),
            "SET DECIMAL=COMMA.\nINCLUDE FILE='kurz-spss.sps'.\nSHOW DECIMAL.\nSET DECIMAL=DOT.\n\
             SAVE TRANSLATE /OUTFILE='pspp.csv' /TYPE=CSV /FIELDNAMES /REPLACE.\n",
        )
        .unwrap();
        let run = Command::new(pspp)
            .arg("check.sps")
            .current_dir(out.path())
            .output()
            .expect("run pspp");
        let log = String::from_utf8_lossy(&run.stdout).into_owned();
        let syntax = std::fs::read_to_string(out.path().join("kurz-spss.sps")).unwrap();
        assert!(
            run.status.success(),
            "{log}{}\n{syntax}",
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(!log.contains("warning") && !log.contains("error"), "{log}");
        assert!(log.contains("DECIMAL is `,'"), "restored: {log}");
        let read = csv_records(&std::fs::read_to_string(out.path().join("pspp.csv")).unwrap());
        assert_eq!(read.len(), 3, "{read:?}");
        let hours: Vec<Option<f64>> = read
            .iter()
            .map(|r| r["hours"].trim().parse().ok())
            .collect();
        assert_eq!(hours, [Some(1.5), Some(3.0), None], "{read:?}");
        assert!(read[0]["comment"].contains("uvozovky") && read[0]["comment"].contains("řádek"));
    }
    // The R script reads its data file as typed: numbers numeric, "0123" text, the
    // formula's apostrophe taken off, line breaks inside an answer kept.
    if let Some(rscript) = program("ANKETA_TEST_RSCRIPT") {
        let check = r#"
            source("kurz-r.R")
            stopifnot(nrow(data) == 3)
            stopifnot(is.numeric(data[["hours"]]))
            stopifnot(isTRUE(all.equal(as.vector(data[["hours"]]), c(1.5, 3, NA))))
            stopifnot(identical(data[["role.other_text"]][2], "0123"))
            stopifnot(identical(data[["comment"]][2], "TRUE"))
            stopifnot(identical(data[["comment"]][3], "=HYPERLINK(\"http://x\")"))
            stopifnot(grepl("uvozovky", data[["comment"]][1]), grepl("\n", data[["comment"]][1]))
            stopifnot(is.factor(data[["role"]]), as.integer(data[["role"]][1]) == 1L)
            cat("ok\n")
        "#;
        let run = Command::new(rscript)
            .args(["--vanilla", "-e", check])
            .current_dir(out.path())
            .output()
            .expect("run Rscript");
        assert_says_ok(&run);
    }
    app.stop().await;
}

on_both_databases!(
    pandas_and_openpyxl_read_every_format_without_options,
    long_json_and_codebook_agree_with_the_wide_export,
    filters_choose_status_dates_versions_and_answers,
);
