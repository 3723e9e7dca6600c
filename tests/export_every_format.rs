//! Every format of the export registry, read back in the programs analysts open it with,
//! with answers chosen to break files: line breaks, quotes, text a spreadsheet runs as a
//! formula, Czech, emoji, `NA`, `007`, 5,000 characters; "not asked" (skip logic) kept
//! apart from "no answer" where the format can. pandas, pyreadstat and openpyxl read the
//! data files (tests/python/read_every_format.py), PSPP runs the SPSS syntax with a
//! decimal point and with a Czech decimal comma and reads the `.sav` file, and R sources
//! its script. On both databases.

mod common;

use std::process::Command;

use common::app::{TestApp, survey_dir};
use common::db::TestDb;
use common::tools::{assert_says_ok, program};
use serde_json::json;

const SURVEY: &str = r#"
id = "formaty"
title = { cs = "Zkouška formátů", en = "Format check" }
languages = ["cs", "en"]

[choices.agree5]
options = [
  { value = "1", label = { cs = "Rozhodně nesouhlasím", en = "Strongly disagree" } },
  { value = "2", label = { cs = "Spíše nesouhlasím", en = "Disagree" } },
  { value = "3", label = { cs = "Ani souhlas, ani nesouhlas", en = "Neither" } },
  { value = "4", label = { cs = "Spíše souhlasím", en = "Agree" } },
  { value = "5", label = { cs = "Rozhodně souhlasím", en = "Strongly agree" } },
]

[[page]]
id = "p"
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Jaká je vaše role? (\"pracovní\" zařazení)", en = "Role" }
  options = [ { value = "sw", label = { cs = "Sociální pracovník", en = "Social worker" } }, { value = "lead", label = { cs = "Vedoucí", en = "Lead" } } ]
  other = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = { cs = "Témata", en = "Topics" }
  options = [ { value = "law", label = { cs = "Právo", en = "Law" } }, { value = "debt", label = { cs = "Dluhy", en = "Debt" } } ]
  [[page.question]]
  id = "hours"
  type = "number"
  text = { cs = "Kolik hodin?", en = "Hours" }
  [[page.question]]
  id = "rating"
  type = "rating"
  max = 5
  text = { cs = "Hodnocení", en = "Rating" }
  show_if = "answered(hours)"
  [[page.question]]
  id = "agree"
  type = "likert"
  text = { cs = "Kurz byl užitečný.", en = "The course was useful." }
  choices = "agree5"
  [[page.question]]
  id = "works"
  type = "yesno"
  text = { cs = "Pracujete v terénu?", en = "Field work?" }
  [[page.question]]
  id = "day"
  type = "date"
  text = { cs = "Kdy jste začali?", en = "Since when?" }
  [[page.question]]
  id = "split"
  type = "constant_sum"
  text = { cs = "Rozdělte 10 hodin", en = "Share 10 hours" }
  total = 10
  items = [ { id = "cases", text = { cs = "Klienti", en = "Clients" } }, { id = "admin", text = { cs = "Úřad", en = "Office" } } ]
  [[page.question]]
  id = "comment"
  type = "textarea"
  max_length = 6000
  text = { cs = "Komentář", en = "Comment" }
"#;

/// 5,000 characters of Czech with an emoji and line breaks.
fn long_answer() -> String {
    let sentence = "Příliš žluťoučký kůň 🐎 úpěl ďábelské ódy.\n";
    sentence.chars().cycle().take(5000).collect()
}

/// The answers given, in order, and what each format must give back.
fn respondents() -> Vec<(Vec<(&'static str, String)>, serde_json::Value)> {
    let s = |v: &str| v.to_string();
    vec![
        (
            vec![
                ("role", s("sw")),
                ("topics", s("law")),
                ("hours", s("1.5")),
                ("rating", s("4")),
                ("agree", s("5")),
                ("works", s("1")),
                ("day", s("2024-01-16")),
                ("split.cases", s("6")),
                ("split.admin", s("4")),
                (
                    "comment",
                    s("Řádek 1\nřádek 2 \"uvozovky\", 'apostrof'; 🙂"),
                ),
            ],
            json!({"role": "sw", "role_label": "Sociální pracovník", "topics.law": 1, "topics.debt": 0,
                   "hours": 1.5, "rating": 4, "agree": 5, "works": 1, "day": "2024-01-16",
                   "split.cases": 6, "split.admin": 4,
                   "comment": "Řádek 1\nřádek 2 \"uvozovky\", 'apostrof'; 🙂"}),
        ),
        (
            vec![
                ("role", s("other")),
                ("role.other_text", s("=HYPERLINK(\"http://x\",\"klik\")")),
                ("topics", s("law")),
                ("topics", s("debt")),
                ("hours", s("-2.5")),
                ("agree", s("1")),
                ("works", s("0")),
                ("split.admin", s("10")),
                ("comment", s("NA")),
            ],
            json!({"role": "other", "role_label": "Jiné", "role.other_text": "=HYPERLINK(\"http://x\",\"klik\")",
                   "topics.law": 1, "topics.debt": 1, "hours": -2.5, "rating": "no answer", "agree": 1, "works": 0,
                   "split.cases": 0, "split.admin": 10,
                   "comment": "NA"}),
        ),
        (
            vec![("role", s("lead")), ("comment", s("007"))],
            json!({"role": "lead", "role_label": "Vedoucí", "rating": "not asked", "comment": "007"}),
        ),
        (
            vec![
                ("role", s("other")),
                ("role.other_text", s("@mention +420 777 888 999")),
                ("hours", s("0.25")),
                ("rating", s("1")),
                ("agree", s("3")),
                ("comment", long_answer()),
            ],
            json!({"role": "other", "role_label": "Jiné", "role.other_text": "@mention +420 777 888 999",
                   "hours": 0.25, "rating": 1, "agree": 3,
                   "comment": long_answer()}),
        ),
    ]
}

fn export(app: &TestApp, format: &str, out: &std::path::Path) {
    let run = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args([
            "export",
            "formaty",
            "--database",
            &app.db.url,
            "--format",
            format,
        ])
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

async fn every_format_gives_back_every_value(db: TestDb) {
    let dir = survey_dir(&[("formaty", SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let respondents = respondents();
    for (fields, _) in &respondents {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let mut b = app.browser();
        b.open("/s/formaty").await;
        let page = b.next(&fields).await;
        assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
    }
    let out = tempfile::tempdir().unwrap();
    let expected: Vec<&serde_json::Value> = respondents.iter().map(|(_, e)| e).collect();
    std::fs::write(
        out.path().join("expected.json"),
        serde_json::to_string(&expected).unwrap(),
    )
    .unwrap();
    // Every questionnaire format of the registry, each into its own folder (companions
    // are written beside their data file).
    let formats: Vec<anketa::export::Format> = anketa::export::Format::ALL
        .into_iter()
        .filter(|f| f.applies_to(false))
        .collect();
    assert!(formats.len() >= 14, "{formats:?}");
    for format in &formats {
        let spec = format.spec();
        let folder = out.path().join(spec.name);
        std::fs::create_dir(&folder).unwrap();
        let file = match spec.companion {
            Some(_) => "data.csv".to_string(),
            None => format!("data.{}", spec.suffix),
        };
        export(&app, spec.name, &folder.join(file));
    }
    if let Some(python) = program("ANKETA_TEST_PYTHON") {
        let script = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/python/read_every_format.py"
        );
        let run = Command::new(python)
            .arg(script)
            .arg(out.path())
            .output()
            .expect("run python");
        assert_says_ok(&run);
    }
    if let Some(pspp) = program("ANKETA_TEST_PSPP") {
        pspp_reads_the_syntax_and_the_system_file(&pspp, out.path());
    }
    if let Some(rscript) = program("ANKETA_TEST_RSCRIPT") {
        let check = String::from(
            r#"
            source("data.R")
            stopifnot(nrow(data) == 4)
            stopifnot(isTRUE(all.equal(as.vector(data[["hours"]]), c(1.5, -2.5, NA, 0.25))))
            stopifnot(isTRUE(all.equal(as.vector(data[["split.cases"]]), c(6, 0, NA, NA))))
            stopifnot(is.numeric(data[["split.admin"]]), identical(attr(data[["split.admin"]], "label"), "Rozdělte 10 hodin: Úřad"))
            stopifnot(identical(data[["comment"]][1], "Řádek 1\nřádek 2 \"uvozovky\", 'apostrof'; 🙂"))
            stopifnot(identical(data[["comment"]][2], "NA"), identical(data[["comment"]][3], "007"))
            long <- readChar("long.txt", file.info("long.txt")$size, useBytes = TRUE)
            Encoding(long) <- "UTF-8"
            stopifnot(identical(enc2utf8(data[["comment"]][4]), long))
            stopifnot(identical(data[["role.other_text"]][2], "=HYPERLINK(\"http://x\",\"klik\")"))
            stopifnot(identical(data[["role.other_text"]][4], "@mention +420 777 888 999"))
            stopifnot(identical(as.character(data[["role"]]), c("Sociální pracovník", "Jiné", "Vedoucí", "Jiné")))
            stopifnot(identical(as.character(data[["agree"]]), c("Rozhodně souhlasím", "Rozhodně nesouhlasím", NA, "Ani souhlas, ani nesouhlas")))
            stopifnot(identical(attr(data[["role"]], "label"), "Jaká je vaše role? (\"pracovní\" zařazení)"))
            cat("ok\n")
            "#,
        );
        let r = out.path().join("r");
        std::fs::write(r.join("long.txt"), long_answer()).unwrap();
        std::fs::write(r.join("check.R"), check).unwrap();
        let run = Command::new(rscript)
            .args(["--vanilla", "check.R"])
            .current_dir(out.path().join("r"))
            .output()
            .expect("run Rscript");
        assert_says_ok(&run);
    }
    app.stop().await;
}

/// PSPP runs the `.sps` with a decimal point and with a Czech decimal comma (each gives
/// four cases, decimals read, the formula apostrophe off, line breaks kept) and reads
/// the `.sav` file (values, labels, "not asked" as a user-missing code).
fn pspp_reads_the_syntax_and_the_system_file(pspp: &str, out: &std::path::Path) {
    let run_pspp = |folder: &std::path::Path, syntax: &str| {
        std::fs::write(folder.join("check.sps"), syntax).unwrap();
        let run = Command::new(pspp)
            .arg("check.sps")
            .current_dir(folder)
            .output()
            .expect("run pspp");
        let log = String::from_utf8_lossy(&run.stdout).into_owned();
        assert!(
            run.status.success() && !log.contains("warning") && !log.contains("error"),
            "{log}{}",
            String::from_utf8_lossy(&run.stderr)
        );
        log
    };
    let spss = out.join("spss");
    for decimal in ["DOT", "COMMA"] {
        run_pspp(
            &spss,
            &format!(
                "SET DECIMAL={decimal}.\nINCLUDE FILE='data.sps'.\nSET DECIMAL=DOT.\n\
                 SAVE TRANSLATE /OUTFILE='read-{decimal}.csv' /TYPE=CSV /FIELDNAMES /REPLACE.\n"
            ),
        );
        let read = common::app::csv_records(
            &std::fs::read_to_string(spss.join(format!("read-{decimal}.csv"))).unwrap(),
        );
        assert_eq!(read.len(), 4, "{decimal}: {read:?}");
        let hours: Vec<Option<f64>> = read
            .iter()
            .map(|r| r["hours"].trim().parse().ok())
            .collect();
        assert_eq!(
            hours,
            [Some(1.5), Some(-2.5), None, Some(0.25)],
            "{decimal}"
        );
        let split: Vec<&str> = read.iter().map(|r| r["split.cases"].trim()).collect();
        assert_eq!(split, ["6", "0", "", ""], "{decimal}");
        assert_eq!(
            read[1]["role.other_text"].trim_end(),
            "=HYPERLINK(\"http://x\",\"klik\")"
        );
        assert_eq!(
            read[3]["role.other_text"].trim_end(),
            "@mention +420 777 888 999"
        );
        // Line breaks come back (the file holds them as private-use characters).
        assert_eq!(
            read[0]["comment"].trim_end(),
            "Řádek 1\nřádek 2 \"uvozovky\", 'apostrof'; 🙂"
        );
        assert_eq!(read[2]["comment"].trim_end(), "007");
        assert_eq!(read[3]["comment"].trim_end(), long_answer().trim_end());
    }
    let sav = out.join("sav");
    let log = run_pspp(
        &sav,
        "GET FILE='data.sav'.\nDISPLAY DICTIONARY.\n\
         SAVE TRANSLATE /OUTFILE='read.csv' /TYPE=CSV /FIELDNAMES /REPLACE.\n",
    );
    assert!(log.contains("Rozhodně souhlasím"), "value labels: {log}");
    let read = common::app::csv_records(&std::fs::read_to_string(sav.join("read.csv")).unwrap());
    assert_eq!(read.len(), 4);
    assert_eq!(read[3]["comment"], long_answer().trim_end());
    assert_eq!(
        read[0]["comment"],
        "Řádek 1\nřádek 2 \"uvozovky\", 'apostrof'; 🙂"
    );
    assert_eq!(
        read[1]["role.other_text"],
        "=HYPERLINK(\"http://x\",\"klik\")"
    );
    let rating: Vec<&str> = read.iter().map(|r| r["rating"].trim()).collect();
    assert_eq!(
        rating,
        ["4", "", "-9", "1"],
        "no answer system-missing, not asked -9"
    );
}

on_both_databases!(every_format_gives_back_every_value);
