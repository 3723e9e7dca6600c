//! `anketa analyze` end to end on both databases: the training programme's demo data
//! (15 runs x 15 participants, a built-in gain from before to after) must show the gain
//! in the pre/post report and no difference between runs (none was built in); published
//! tables never show a count below the threshold; HTML, Markdown and JSON reports are
//! written with their charts, in Czech and English; a survey without a plan gets every
//! question described.

mod common;

use std::path::Path;
use std::process::Command;

use common::app::repo_surveys;
use common::db::TestDb;
use serde_json::Value;

fn anketa(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(args)
        // Warnings are logged whatever the caller's RUST_LOG (a test looks for them).
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn plans() -> String {
    repo_surveys()
        .parent()
        .unwrap()
        .join("analysis/plans")
        .display()
        .to_string()
}

fn analyze(db: &TestDb, survey: &str, extra: &[&str]) -> Value {
    let surveys = repo_surveys().display().to_string();
    let plans = plans();
    let mut args = vec![
        "analyze",
        survey,
        "--database",
        &db.url,
        "--surveys",
        &surveys,
        "--plans",
        &plans,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (ok, stdout, stderr) = anketa(&args);
    assert!(ok, "analyze failed: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn sections<'a>(report: &'a Value, kind: &str) -> Vec<&'a Value> {
    report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .collect()
}

/// Every published count is 0, at least the threshold, or a suppression mark.
fn assert_no_small_counts(value: &Value, threshold: u64, path: &str) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}.{k}");
                let is_count = matches!(
                    k.as_str(),
                    "count"
                        | "cells"
                        | "row_totals"
                        | "n"
                        | "missing"
                        | "respondents"
                        | "answered"
                        | "linked"
                        | "unlinked"
                        | "dropped"
                        | "responses"
                        | "n_pairs"
                        | "dropped_missing"
                        | "n_zero_differences"
                        | "n_improved"
                        | "n_unchanged"
                        | "n_worsened"
                );
                if is_count {
                    let leaves: Vec<&Value> = match v {
                        Value::Array(rows) => rows
                            .iter()
                            .flat_map(|r| r.as_array().map_or(vec![r], |c| c.iter().collect()))
                            .collect(),
                        other => vec![other],
                    };
                    for leaf in leaves {
                        match leaf {
                            Value::Number(n) => {
                                let n = n.as_u64().unwrap();
                                assert!(n == 0 || n >= threshold, "{here}: {n} is published");
                            }
                            Value::String(s) => {
                                assert!(s == "x" || s == &format!("<{threshold}"), "{here}: {s}")
                            }
                            Value::Null => {}
                            other => panic!("{here}: {other}"),
                        }
                    }
                } else {
                    assert_no_small_counts(v, threshold, &here);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                assert_no_small_counts(v, threshold, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

async fn the_training_report_detects_the_built_in_gain(db: TestDb) {
    let surveys = repo_surveys().display().to_string();
    let (ok, out, err) = anketa(&[
        "demo",
        "training",
        "--database",
        &db.url,
        "--surveys",
        &surveys,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("225 participants"), "{out}");

    let report = analyze(&db, "skoleni-po", &[]);
    assert_eq!(
        report["plan"]
            .as_str()
            .map(|p| p.ends_with("skoleni-po.toml")),
        Some(true)
    );
    let prepost = sections(&report, "pre_post");
    assert_eq!(prepost.len(), 2, "knowledge and confidence");
    let mut overall_gain = Vec::new();
    for block in &prepost {
        let linked = block["linked"].as_u64().unwrap();
        assert!(linked >= 180, "most participants answered both: {linked}");
        assert_eq!(
            linked + block["unlinked"].as_u64().unwrap(),
            report["responses"].as_u64().unwrap()
        );
        let items = block["items"].as_array().unwrap();
        assert_eq!(items.len(), 8, "one row per topic");
        for item in items {
            let c = &item["comparison"];
            let change = c["summary"]["mean_change"].as_f64().unwrap();
            assert!(
                (0.3..1.8).contains(&change),
                "{}: change {change}",
                item["name"]
            );
            assert!(
                item["p_adjusted"].as_f64().unwrap() < 0.001,
                "{}",
                item["name"]
            );
            assert!(c["wilcoxon"]["p_value"].as_f64().unwrap() < 0.001);
            assert!(c["cohens_dz"].as_f64().unwrap() > 0.3);
        }
        // The overall summary's numbers unchanged etc. are small here (few people have
        // exactly equal means): it is withheld, the paired t-test's mean change is not.
        overall_gain.push(block["overall"]["t_test"]["mean_change"].as_f64().unwrap());
    }
    // Knowledge was built to gain about 1.0 point, confidence about 0.7.
    assert!((0.75..1.25).contains(&overall_gain[0]), "{overall_gain:?}");
    assert!((0.45..0.95).contains(&overall_gain[1]), "{overall_gain:?}");
    assert!(overall_gain[0] > overall_gain[1]);

    // No difference between runs was built in: the comparison must not find one.
    let by_run = sections(&report, "comparison");
    assert_eq!(by_run.len(), 1);
    assert_eq!(by_run[0]["groups"].as_array().unwrap().len(), 15);
    assert!(by_run[0]["p_adjusted"].as_f64().unwrap() > 0.05);

    // The course statements form a reliable scale (one leaning drives them).
    let alpha = sections(&report, "reliability")[0]["reliability"]["alpha"]
        .as_f64()
        .unwrap();
    assert!(alpha > 0.7, "alpha {alpha}");
    assert_no_small_counts(&report, report["min_cell"].as_u64().unwrap(), "report");

    // English labels come from the survey's English texts.
    let en = analyze(&db, "skoleni-po", &["--lang", "en"]);
    assert_eq!(en["language"], "en");
    assert_eq!(
        sections(&en, "pre_post")[0]["title"],
        "Knowledge before and after the programme"
    );
}

async fn reports_are_written_with_charts_in_every_format(db: TestDb) {
    let surveys = repo_surveys().display().to_string();
    let plans = plans();
    let (ok, _, err) = anketa(&[
        "demo",
        "responses",
        "obce-socialni-prace",
        "--one-per",
        "municipality",
        "--database",
        &db.url,
        "--surveys",
        &surveys,
    ]);
    assert!(ok, "{err}");
    let dir = tempfile::tempdir().unwrap();
    for (format, file, needle) in [
        ("html", "report.html", "<svg"),
        ("md", "report.md", "](charts/"),
        ("json", "report.json", "\"kind\": \"crosstab\""),
    ] {
        let out = dir.path().join(format);
        let (ok, _, err) = anketa(&[
            "analyze",
            "obce-socialni-prace",
            "--database",
            &db.url,
            "--surveys",
            &surveys,
            "--plans",
            &plans,
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{format}: {err}");
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        assert!(text.contains(needle), "{format} report lacks {needle}");
        assert!(
            text.contains("Obce v projektu MPSV"),
            "{format}: the plan's title"
        );
        let pngs: Vec<_> = std::fs::read_dir(out.join("charts"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "png"))
            .collect();
        assert!(pngs.len() >= 5, "{format}: {} charts", pngs.len());
        // No chart is drawn that has nothing to show (the tables hold what is withheld).
        for entry in std::fs::read_dir(out.join("charts")).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "svg") {
                let svg = std::fs::read_to_string(&path).unwrap();
                assert!(
                    !svg.contains("Žádná data k zobrazení") && !svg.contains("No data to display"),
                    "{format}: an empty chart {}",
                    path.display()
                );
            }
        }
        for png in &pngs {
            let bytes = std::fs::read(png).unwrap();
            assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", png.display());
        }
    }
    // The Word document: python-docx reads its headings, contents field, numbered
    // captions, tables, images and pages.
    for lang in ["cs", "en"] {
        let out = dir.path().join(format!("docx-{lang}"));
        let (ok, _, err) = anketa(&[
            "analyze",
            "obce-socialni-prace",
            "--database",
            &db.url,
            "--surveys",
            &surveys,
            "--plans",
            &plans,
            "--format",
            "docx",
            "--lang",
            lang,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "docx: {err}");
        let bytes = std::fs::read(out.join("report.docx")).unwrap();
        assert_eq!(&bytes[..2], b"PK", "a .docx file is a ZIP archive");
        if let Some(python) = common::tools::program("ANKETA_TEST_PYTHON") {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python/read_docx.py");
            let run = Command::new(python)
                .args([
                    script,
                    out.join("report.docx").to_str().unwrap(),
                    "15",
                    lang,
                ])
                .output()
                .unwrap();
            common::tools::assert_says_ok(&run);
        }
        if let Some(soffice) = common::tools::program("ANKETA_TEST_SOFFICE") {
            render_docx(&soffice, &out.join("report.docx"), lang);
        }
    }
    let (ok, _, err) = anketa(&[
        "analyze",
        "obce-socialni-prace",
        "--database",
        &db.url,
        "--surveys",
        &surveys,
        "--plans",
        &plans,
        "--format",
        "docx",
    ]);
    assert!(!ok && err.contains("-o DIR"), "{err}");
    // 15 municipalities, 5 per regional office: the plan suppresses counts below 3.
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("json/report.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(report["responses"], 15);
    assert_no_small_counts(&report, 3, "report");
    let crosstab = sections(&report, "crosstab")[0];
    assert_eq!(
        crosstab["column_labels"].as_array().unwrap().len(),
        3,
        "three offices"
    );
}

async fn a_survey_without_a_plan_gets_every_question_described(db: TestDb) {
    let surveys = repo_surveys().display().to_string();
    let (ok, _, err) = anketa(&[
        "demo",
        "responses",
        "seminar-mas-2024",
        "--count",
        "40",
        "--database",
        &db.url,
        "--surveys",
        &surveys,
    ]);
    assert!(ok, "{err}");
    let report = analyze(&db, "seminar-mas-2024", &[]);
    assert!(report["plan"].is_null());
    assert_eq!(report["responses"], 40);
    let described: Vec<&str> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    for question in [
        "role",
        "region",
        "blocks",
        "usefulness",
        "project_forms",
        "support_needs",
    ] {
        assert!(
            described.contains(&question),
            "{question} missing from {described:?}"
        );
    }
    assert_no_small_counts(&report, 5, "report");
}

on_both_databases!(
    the_training_report_detects_the_built_in_gain,
    reports_are_written_with_charts_in_every_format,
    a_survey_without_a_plan_gets_every_question_described,
);

#[test]
fn analyze_explains_unknown_surveys_and_interview_guides() {
    let surveys = repo_surveys().display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("a.db").display());
    let (ok, _, err) = anketa(&[
        "analyze",
        "skoleni",
        "--database",
        &db,
        "--surveys",
        &surveys,
    ]);
    assert!(!ok);
    assert!(err.contains("there is no survey \"skoleni\""), "{err}");
    let (ok, _, err) = anketa(&[
        "analyze",
        "rozhovor-orp",
        "--database",
        &db,
        "--surveys",
        &surveys,
    ]);
    assert!(!ok);
    assert!(err.contains("interview guide"), "{err}");
}

#[test]
fn check_reports_plan_errors_with_line_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let plans = dir.path().join("plans");
    std::fs::create_dir(&plans).unwrap();
    std::fs::write(
        plans.join("bad.toml"),
        "survey = \"skoleni-po\"\n\n[[crosstab]]\nrows = \"recomend\"\ncolumns = \"invitation.run\"\n",
    )
    .unwrap();
    let surveys = repo_surveys().display().to_string();
    let (ok, _, err) = anketa(&["check", &surveys, "--plans", plans.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("bad.toml:4:8: error"), "{err}");
    assert!(err.contains("did you mean \"recommend\"?"), "{err}");
    assert!(Path::new(&plans).exists());
}

/// LibreOffice (Debian's, headless) opens the Word report and prints it to PDF: several
/// A4 pages with the title, the contents, numbered captions and the front matter, in
/// the report's language. Each page goes to `target/report-docx/LANG/` as a PNG to look at.
fn render_docx(soffice: &str, docx: &Path, lang: &str) {
    let dir = docx.parent().unwrap();
    // A profile of its own: parallel runs of LibreOffice with one profile refuse to start.
    let profile = format!("-env:UserInstallation=file://{}/lo-profile", dir.display());
    let run = Command::new(soffice)
        .args([&profile, "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .unwrap();
    let pdf = dir.join("report.pdf");
    assert!(
        run.status.success() && pdf.exists(),
        "LibreOffice: {}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let info = Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&info.stdout);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0);
    assert!(pages >= 3, "{lang}: {pages} pages");
    assert!(info.contains("(A4)"), "{lang}: A4 pages: {info}");
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let words: &[&str] = match lang {
        "cs" => &[
            "Obsah",
            "Shrnutí",
            "Metoda",
            "Tabulka 1: ",
            "Graf 1: ",
            "Dokončené odpovědi",
        ],
        _ => &[
            "Contents",
            "Summary",
            "Method",
            "Table 1: ",
            "Figure 1: ",
            "Complete responses",
        ],
    };
    for word in words {
        assert!(
            text.contains(word),
            "{lang}: {word:?} is not on the printed pages"
        );
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/report-docx")
        .join(lang);
    std::fs::create_dir_all(&shots).unwrap();
    let run = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&pdf)
        .arg(shots.join("page"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "pdftoppm: {}",
        String::from_utf8_lossy(&run.stderr)
    );
}

/// The HTML report reads as a document: front matter whose figures equal the database's
/// (complete responses as the export counts them; invitations as the demo made them),
/// contents listing every section heading, tables and charts numbered 1, 2, 3... with
/// captions, one decimal separator per language, no file path.
fn document_structure(
    db: &str,
    surveys: &str,
    plans: &str,
    survey: &str,
    lang: &str,
    invited: &Option<String>,
    dir: &std::path::Path,
) {
    let out_dir = dir.join(format!("{survey}-{lang}-html"));
    let (ok, _, err) = anketa(&[
        "analyze",
        survey,
        "--database",
        db,
        "--surveys",
        surveys,
        "--plans",
        plans,
        "--format",
        "html",
        "--lang",
        lang,
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert!(ok, "{err}");
    let html = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    let (ok, csv, err) = anketa(&["export", survey, "--database", db]);
    assert!(ok, "{err}");
    let complete = common::app::csv_records(&csv).len();
    let (responses, table, figure, invited_label) = match lang {
        "cs" => (
            "Dokončené odpovědi",
            "Tabulka",
            "Graf",
            "Pozvaní respondenti",
        ),
        _ => ("Complete responses", "Table", "Figure", "Invited"),
    };
    assert!(
        html.contains(&format!("<dt>{responses}</dt><dd>{complete}</dd>")),
        "{survey} {lang}: {complete} complete responses in the front matter"
    );
    if survey.starts_with("skoleni") {
        let invited = invited.as_deref().unwrap();
        assert!(
            html.contains(&format!("<dt>{invited_label}</dt><dd>{invited}</dd>")),
            "{survey} {lang}: {invited} invited"
        );
    }
    for (word, tag) in [(table, "<caption>"), (figure, "<figcaption>")] {
        let count = html.matches(&format!("{tag}{word} ")).count();
        for i in 1..=count {
            assert!(
                html.contains(&format!("{tag}{word} {i}: ")),
                "{survey} {lang}: {word} {i} of {count}"
            );
        }
        if tag == "<caption>" {
            assert!(count > 0, "{survey} {lang}: numbered tables");
        }
    }
    let sections = html.matches("<h2 id=\"section-").count();
    let listed = html
        .split("<nav class=\"contents\"")
        .nth(1)
        .map_or(0, |nav| {
            nav[..nav.find("</nav>").unwrap()].matches("<li>").count()
        });
    assert_eq!(listed, sections, "{survey} {lang}: contents");
    // Each entry links to the heading of the same text.
    let nav = html.split("<nav class=\"contents\"").nth(1).unwrap_or("");
    let nav = &nav[..nav.find("</nav>").unwrap_or(0)];
    for (i, entry) in nav.split("<li><a href=\"#").skip(1).enumerate() {
        let (target, rest) = entry.split_once("\">").unwrap();
        let text = &rest[..rest.find("</a>").unwrap()];
        assert_eq!(target, format!("section-{}", i + 1), "{survey} {lang}");
        assert!(
            html.contains(&format!("<h2 id=\"{target}\">{text}</h2>")),
            "{survey} {lang}: {target} is not the heading {text:?}"
        );
    }
    assert!(
        !html.contains("analysis/plans") && !html.contains(".toml"),
        "{survey}: a path"
    );
    // The method says which tests the report holds, in words.
    let method = if lang == "cs" {
        ">Metoda</h2>"
    } else {
        ">Method</h2>"
    };
    assert!(html.contains(method), "{survey} {lang}: a method section");
    if survey == "skoleni-po" {
        assert!(
            html.contains("Wilcoxon"),
            "{survey} {lang}: the pre/post test named"
        );
        // The demo's built-in gain is reported in the summary, with its size and p.
        let change = if lang == "cs" {
            "statisticky průkazná změna"
        } else {
            "statistically significant change"
        };
        assert!(
            html.contains(change),
            "{survey} {lang}: the summary names the change"
        );
        assert!(
            html.contains("d_z = "),
            "{survey} {lang}: with its effect size"
        );
        // The runs are compared under the label of the invitation column, not its name.
        let run = if lang == "cs" {
            "Běh programu"
        } else {
            "Programme run"
        };
        assert!(
            html.contains(&format!(" × {run}</h3>")),
            "{survey} {lang}: {run}"
        );
        assert!(
            !html.contains("× run<") && !html.contains(">run<"),
            "{survey} {lang}: the bare column name"
        );
        // The comparison of runs is in the summary too, in words.
        let groups = if lang == "cs" {
            "mezi skupinami podle „"
        } else {
            "between the groups of “"
        };
        assert!(
            html.contains(&format!("{groups}{run}")),
            "{survey} {lang}: the comparison summarised"
        );
    }
    assert!(
        !html.contains("p = &lt;"),
        "{survey} {lang}: p < 0.001 reads as such"
    );
    // Numbers in table cells use the language's decimal separator only.
    let wrong = if lang == "cs" { '.' } else { ',' };
    for cell in html.split("<td>").skip(1) {
        let cell = &cell[..cell.find("</td>").unwrap()];
        let chars: Vec<char> = cell.chars().collect();
        let mixed = chars
            .windows(3)
            .any(|w| w[0].is_ascii_digit() && w[1] == wrong && w[2].is_ascii_digit());
        assert!(!mixed, "{survey} {lang}: {cell:?}");
    }
}

#[test]
fn every_example_questionnaire_gets_a_report_in_czech_and_english() {
    let surveys = repo_surveys().display().to_string();
    let plans = plans();
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("demo.db").display());
    let (ok, out, err) = anketa(&["demo", "all", "--database", &db, "--surveys", &surveys]);
    assert!(ok, "{err}");
    assert!(out.contains("39 finished demo interviews"), "{out}");
    // "225 participants invited to skoleni-pred and skoleni-po; ..."
    let invited: Option<String> = out
        .lines()
        .find(|l| l.contains("participants invited to"))
        .and_then(|l| l.split_whitespace().next())
        .map(String::from);
    assert!(invited.is_some(), "{out}");
    for survey in [
        "obce-socialni-prace",
        "seminar-mas-2024",
        "cinnosti-socialni-prace",
        "skoleni-pred",
        "skoleni-po",
    ] {
        for (lang, heading) in [("cs", "## Popis odpovědí"), ("en", "## Answers")] {
            let out_dir = dir.path().join(format!("{survey}-{lang}"));
            let (ok, _, err) = anketa(&[
                "analyze",
                survey,
                "--database",
                &db,
                "--surveys",
                &surveys,
                "--plans",
                &plans,
                "--format",
                "md",
                "--lang",
                lang,
                "-o",
                out_dir.to_str().unwrap(),
            ]);
            assert!(ok, "{survey} {lang}: {err}");
            // Drawing the charts as PNG leaves the renderer nothing to warn about (a bar
            // of 0 is no rectangle without width).
            assert!(!err.contains("WARN"), "{survey} {lang}: {err}");
            let md = std::fs::read_to_string(out_dir.join("report.md")).unwrap();
            assert!(md.contains(heading), "{survey} {lang}");
            document_structure(&db, &surveys, &plans, survey, lang, &invited, dir.path());
            // Every chart the report links to was written.
            for link in md.split("](charts/").skip(1) {
                let file = &link[..link.find(')').unwrap()];
                assert!(
                    out_dir.join("charts").join(file).is_file(),
                    "{survey}: {file}"
                );
            }
        }
    }
}
