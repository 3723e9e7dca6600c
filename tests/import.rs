//! `anketa import` on both databases: a wide export imported into a fresh database
//! exports again byte for byte (every question type); a file with bad cells imports
//! nothing and lists every problem by line and column; `--skip-invalid` and
//! `--dry-run`; ids known to the database; files that are not CSV at all.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use anketa::store::{Status, Store};
use common::app::{TestApp, csv_records, survey_dir};
use common::db::{Backend, TestDb};

const SURVEY: &str = r#"
id = "papir"
title = { cs = "Papírový dotazník", en = "Paper questionnaire" }
languages = ["cs", "en"]
[[page]]
id = "main"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" }, { value = "town", label = "Obec" } ]
  other = true
  required = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Témata"
  options = [ { value = "law", label = "Právo" }, { value = "debt", label = "Dluhy" } ]
  other = true
  [[page.question]]
  id = "often"
  type = "matrix"
  text = "Jak často"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  options = [ { value = "1", label = "Zřídka" }, { value = "2", label = "Často" } ]
  [[page.question]]
  id = "rank"
  type = "ranking"
  text = "Pořadí"
  options = [ { value = "x", label = "X" }, { value = "y", label = "Y" }, { value = "z", label = "Z" } ]
  [[page.question]]
  id = "split"
  type = "constant_sum"
  text = "Rozdělte 10 hodin"
  total = 10
  items = [ { id = "a", text = "Klienti" }, { id = "b", text = "Úřad" } ]
  [[page.question]]
  id = "hours"
  type = "number"
  text = "Hodin"
  [[page.question]]
  id = "when"
  type = "date"
  text = "Kdy"
  [[page.question]]
  id = "ok"
  type = "yesno"
  text = "OK?"
  [[page.question]]
  id = "nps"
  type = "rating"
  text = "Doporučil byste?"
  min = 0
  max = 10
  [[page.question]]
  id = "scale"
  type = "likert"
  text = "Souhlas"
  options = [ { value = "1", label = "Ne" }, { value = "2", label = "Ano" } ]
  [[page.question]]
  id = "place"
  type = "dropdown"
  text = "Obec"
  options = [ { value = "kolin", label = "Kolín" }, { value = "most", label = "Most" } ]
  [[page.question]]
  id = "name"
  type = "text"
  text = "Jméno"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Komentář"
  [[page.question]]
  id = "contact"
  type = "email"
  text = "E-mail"
  [[page.question]]
  id = "src"
  type = "hidden"
  [[page.question]]
  id = "agree"
  type = "consent"
  text = "Souhlasím"
  version = "2024-01"
[[page]]
id = "mas_only"
show_if = "role == 'mas'"
  [[page.question]]
  id = "project"
  type = "yesno"
  text = "Projekt?"
  required = true
"#;

fn anketa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(args)
        .output()
        .expect("run anketa")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn import(db: &TestDb, surveys: &Path, file: &Path, extra: &[&str]) -> Output {
    let (file, surveys) = (file.to_str().unwrap(), surveys.to_str().unwrap());
    let mut args = vec![
        "import",
        "papir",
        file,
        "--database",
        &db.url,
        "--surveys",
        surveys,
    ];
    args.extend_from_slice(extra);
    anketa(&args)
}

/// The wide CSV export of a database, written with `-o`.
fn export_to(db: &TestDb, file: &Path) -> Vec<u8> {
    let out = anketa(&[
        "export",
        "papir",
        "--database",
        &db.url,
        "--format",
        "csv",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read(file).unwrap()
}

async fn complete_responses(db: &TestDb) -> i64 {
    let store = Store::connect(&db.url).await.unwrap();
    store.migrate().await.unwrap();
    let n = store
        .count_responses("papir", Status::Complete)
        .await
        .unwrap();
    store.close().await;
    n
}

fn backend(db: &TestDb) -> Backend {
    if db.url.starts_with("postgres") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Form fields a respondent sends on one page.
type Fields = Vec<(&'static str, &'static str)>;

async fn an_export_imported_into_a_fresh_database_exports_the_same(db: TestDb) {
    let dir = survey_dir(&[("papir", SURVEY)]);
    let fresh = TestDb::new(backend(&db)).await.expect("a second database");
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let respondents: [(&str, Fields, Option<Fields>); 3] = [
        (
            "/s/papir",
            vec![
                ("role", "other"),
                ("role.other_text", "Starosta, \"obec\""),
                ("topics", "law"),
                ("topics", "other"),
                ("topics.other_text", "bydlení"),
                ("often.a", "1"),
                ("often.b", "2"),
                ("rank.x", "2"),
                ("rank.y", "1"),
                ("split.a", "7"),
                ("split.b", "3"),
                ("hours", "1,5"),
                ("when", "2024-03-05"),
                ("ok", "0"),
                ("nps", "0"),
                ("scale", "2"),
                ("place", "kolin"),
                ("name", "Jana Nováková"),
                ("comment", "Řádek 1\r\nŘádek 2, \"v uvozovkách\"; konec"),
                ("contact", " jana.novakova@obec-kolin.cz "),
                ("agree", "yes"),
            ],
            None,
        ),
        (
            "/s/papir?lang=en",
            vec![
                ("role", "mas"),
                ("topics", "debt"),
                ("often.b", "1"),
                ("rank.x", "1"),
                ("rank.y", "3"),
                ("rank.z", "2"),
                ("split.b", "10"),
                ("hours", "-12"),
                ("ok", "1"),
                ("nps", "10"),
                ("place", "most"),
                // Typed text a spreadsheet would run as formulas.
                ("name", "=HYPERLINK(\"http://evil.example\",\"Open\")"),
                ("comment", "@SUM(A1:A9)"),
                ("agree", "yes"),
            ],
            Some(vec![("project", "1")]),
        ),
        (
            "/s/papir?src=leaflet",
            vec![("role", "town"), ("name", "-rm -rf"), ("agree", "yes")],
            None,
        ),
    ];
    // An e-mail address in the wrong form is refused with what is wrong; nothing is lost.
    {
        let mut b = app.browser();
        b.open("/s/papir").await;
        let page = b
            .next(&[("role", "town"), ("contact", "jana@obec"), ("agree", "yes")])
            .await;
        assert!(
            page.body
                .contains("Zadejte e-mailovou adresu ve tvaru jana.novakova@obec.cz."),
            "{}",
            page.body
        );
        assert!(page.body.contains("value=\"jana@obec\""), "kept as typed");
        // Points that do not add up: what to do, and the points kept.
        let page = b
            .next(&[
                ("role", "town"),
                ("split.a", "6"),
                ("split.b", "2"),
                ("agree", "yes"),
            ])
            .await;
        assert!(
            page.body
                .contains("Součet je 8, musí být přesně 10: přidejte ještě 2."),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("name=\"split.a\" value=\"6\""),
            "kept as typed"
        );
    }
    for (link, first, second) in respondents {
        let mut b = app.browser();
        b.open(link).await;
        let mut page = b.next(&first).await.clone();
        if let Some(fields) = second {
            assert!(page.url.contains("/p/mas_only"), "{}", page.url);
            page = b.next(&fields).await.clone();
        }
        assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
    }
    let work = tempfile::tempdir().unwrap();
    let a = export_to(&app.db, &work.path().join("a.csv"));
    let rows = csv_records(std::str::from_utf8(&a).unwrap());
    assert_eq!(rows.len(), 3);
    for column in rows[0].keys() {
        assert!(
            rows.iter().any(|r| !r[column].is_empty()),
            "the test leaves column {column} empty"
        );
    }

    // Formulas are neutralised with an apostrophe; numbers (-12) are not.
    let text = String::from_utf8_lossy(&a);
    assert!(
        text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\""),
        "{text}"
    );
    assert!(text.contains(",'@SUM(A1:A9),"), "{text}");
    assert!(text.contains(",'-rm -rf,"), "{text}");
    assert!(text.contains(",-12,"), "{text}");
    let out = import(&fresh, dir.path(), &work.path().join("a.csv"), &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    // ... and stored as typed again by the import.
    {
        use futures_util::TryStreamExt;
        let store = Store::connect(&fresh.url).await.unwrap();
        let stored: Vec<anketa::store::Response> = store
            .complete_responses("papir")
            .try_collect()
            .await
            .unwrap();
        let names: Vec<String> = stored
            .iter()
            .filter_map(|r| match r.answers.get("name") {
                Some(anketa::survey::Answer::Text(t)) => Some(t.clone()),
                _ => None,
            })
            .collect();
        assert!(
            names.contains(&"=HYPERLINK(\"http://evil.example\",\"Open\")".to_string()),
            "{names:?}"
        );
        assert!(names.contains(&"-rm -rf".to_string()), "{names:?}");
        store.close().await;
    }
    assert!(
        stderr(&out).contains("imported 3 response(s) into \"papir\""),
        "{}",
        stderr(&out)
    );
    let b = export_to(&fresh, &work.path().join("b.csv"));
    assert_eq!(
        String::from_utf8_lossy(&a),
        String::from_utf8_lossy(&b),
        "the round trip changes nothing"
    );
    assert_eq!(a, b);

    // The same file again: its ids are in the database now.
    let again = import(&fresh, dir.path(), &work.path().join("a.csv"), &[]);
    assert_eq!(again.status.code(), Some(1));
    assert_eq!(
        stderr(&again)
            .matches("exists in the database already")
            .count(),
        3,
        "{}",
        stderr(&again)
    );
    assert_eq!(complete_responses(&fresh).await, 3);
    app.stop().await;
}

const BAD: &str = "response_id,submitted_at,language,role,split.a,split.b,hours,when,place,contact,agree,project\r\n\
    p-001,2024-03-05T09:00:00+01:00,cs,town,6,4,12,2024-03-05,kolin,jana@obec.cz,2024-01,\r\n\
    p-002,,cs,town,x,,many,2024-02-30,kolín,jana@obec,2024-01,\r\n\
    p-003,,,town,3,3,1,,,,2024-01,1\r\n";

async fn bad_rows_import_nothing_unless_skipped(db: TestDb) {
    let dir = survey_dir(&[("papir", SURVEY)]);
    let work = tempfile::tempdir().unwrap();
    let file = work.path().join("bad.csv");
    std::fs::write(&file, BAD).unwrap();
    let name = file.display().to_string();

    let out = import(&db, dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    for line in [
        format!("{name}:3: column \"split.a\": \"x\" is not a number of points"),
        "  = help: write a whole number of 0 or more, or leave the cell empty".to_string(),
        format!("{name}:4: column \"split.*\": the points of \"split\" add up to 6, not to 10"),
        "  = help: the items of \"split\" must add up to exactly 10".to_string(),
        format!("{name}:3: column \"hours\": \"many\" is not a number"),
        format!("{name}:3: column \"when\": \"2024-02-30\" is not a date"),
        format!("{name}:3: column \"place\": \"kolín\" is not a code of question \"place\""),
        "  = help: did you mean \"kolin\"?".to_string(),
        format!("{name}:3: column \"contact\": \"jana@obec\" is not an e-mail address"),
        "  = help: write it like jana.novakova@obec.cz, or leave the cell empty".to_string(),
        format!(
            "{name}:4: column \"project\": answered, but question \"project\" does not apply to this response: its page \"mas_only\" applies only if role == 'mas'"
        ),
        "error: 7 problem(s) in 2 of 3 row(s); nothing was imported".to_string(),
    ] {
        assert!(err.contains(&line), "{line:?} missing from:\n{err}");
    }
    assert_eq!(complete_responses(&db).await, 0);

    let dry = import(&db, dir.path(), &file, &["--skip-invalid", "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    assert!(stderr(&dry).contains("dry run: would import 1, skip 2 row(s); nothing was stored"));
    assert_eq!(complete_responses(&db).await, 0);

    let skip = import(&db, dir.path(), &file, &["--skip-invalid"]);
    assert!(skip.status.success(), "{}", stderr(&skip));
    assert!(stderr(&skip).contains(&format!("{name}:3: column \"hours\"")));
    assert!(stderr(&skip).contains("imported 1, skipped 2 row(s) into \"papir\""));
    assert_eq!(complete_responses(&db).await, 1);
    let store = Store::connect(&db.url).await.unwrap();
    let stored = store
        .response("p-001")
        .await
        .unwrap()
        .expect("the good row");
    assert_eq!(stored.status, Status::Complete);
    assert_eq!(stored.current_page, "main", "a town's last page");
    assert_eq!(
        stored.submitted_at,
        Some(time::macros::datetime!(2024-03-05 08:00 UTC))
    );
    let audit = store.audit_page(1, 0).await.unwrap();
    assert_eq!(audit[0].action, "import");
    assert_eq!(audit[0].survey_id.as_deref(), Some("papir"));
    assert_eq!(audit[0].details["file"], "bad.csv");
    assert_eq!(audit[0].details["imported"], 1);
    assert_eq!(audit[0].details["skipped"], 2);
    assert_eq!(audit[0].details["skip_invalid"], true);
    store.close().await;
}

on_both_databases!(
    an_export_imported_into_a_fresh_database_exports_the_same,
    bad_rows_import_nothing_unless_skipped,
);

#[test]
fn files_that_are_not_response_csvs_fail_clearly() {
    let dir = survey_dir(&[("papir", SURVEY)]);
    let work = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", work.path().join("anketa.db").display());
    let header = "response_id,submitted_at,language,role,agree";
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("empty.csv", Vec::new(), "the file is empty"),
        (
            "quote.csv",
            format!("{header}\n,,,\"town,2024-01\n").into_bytes(),
            "line 2: a quote (\") opened here is never closed",
        ),
        (
            "fields.csv",
            format!("{header}\n,,,town\n").into_bytes(),
            "line 2: this row has 4 fields but the header has 5",
        ),
        (
            "latin1.csv",
            [header.as_bytes(), b"\n,,,town\xe9,2024-01\n"].concat(),
            "line 2: the file is not UTF-8",
        ),
        (
            "people.csv",
            b"jmeno,email\nJana,jana@example.cz\n".to_vec(),
            "the first line does not name the columns of survey \"papir\"",
        ),
    ];
    for (name, bytes, message) in cases {
        let file = work.path().join(name);
        std::fs::write(&file, bytes).unwrap();
        let out = anketa(&[
            "import",
            "papir",
            file.to_str().unwrap(),
            "--database",
            &url,
            "--surveys",
            dir.path().to_str().unwrap(),
        ]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {err}");
        assert!(
            err.contains(&format!("error: {}: {message}", file.display())),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{err}");
        // Only the command line names a command to type.
        if name == "people.csv" {
            assert!(
                err.contains("  = help: export the survey with `anketa export papir --format csv`"),
                "{err}"
            );
        }
    }
    let missing = anketa(&[
        "import",
        "nope",
        "x.csv",
        "--database",
        &url,
        "--surveys",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("there is no survey \"nope\""));
}
