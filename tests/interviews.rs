//! Interview mode over HTTP on both databases: an interviewer starts an interview from a
//! guide assigned to them, records consent, fills topics (probes, notes, a structured
//! item, a skip reason), closes the browser half-way and carries on from another one,
//! then finishes; nobody else's interviews are visible, and it is all audited.

mod common;

use anketa::store::Status;
use common::app::{Browser, Page, TestApp, survey_dir};
use common::db::TestDb;
use common::staff::{PASSWORD, audit_rows, cli_admin, sign_in, staff_member, staff_post};
use reqwest::StatusCode;

const GUIDE: &str = r#"
id = "rozhovor"
kind = "interview"
title = { cs = "Rozhovor se starostou", en = "Interview with a mayor" }
languages = ["cs", "en"]
intro = "Rozhovor trvá asi hodinu."
[interview]
categories = [ { value = "mayor", label = { cs = "Starosta", en = "Mayor" } } ]
organisation = "municipality"
recording = true
consent = { cs = "Souhlasíte s rozhovorem?", en = "Do you agree?" }
[choices.municipality]
attributes = ["orp"]
options = [
  { value = "dobris", label = "Dobříš", orp = "Dobříš" },
  { value = "novy-knin", label = "Nový Knín", orp = "Dobříš" },
]
[[topic]]
id = "situation"
title = { cs = "Situace v obci", en = "The situation" }
opening = { cs = "Jak vypadá sociální práce u vás?", en = "How is social work done here?" }
probes = [
  { id = "staffing", text = { cs = "Kdo ji dělá?", en = "Who does it?" } },
  { id = "clients", text = { cs = "Kdo jsou klienti?", en = "Who are the clients?" } },
]
  [[topic.question]]
  id = "situation_rating"
  type = "rating"
  min = 1
  max = 5
  text = { cs = "Hodnocení 1–5", en = "Rating 1–5" }
[[topic]]
id = "closing"
title = { cs = "Závěr", en = "Closing" }
opening = { cs = "Chcete něco dodat?", en = "Anything to add?" }
"#;

/// The field values of the page's form (for checking what a reopened screen shows).
fn checked_probes(page: &Page) -> Vec<String> {
    page.checked("probe")
}

async fn an_interview_runs_end_to_end_and_survives_a_closed_browser(db: TestDb) {
    let dir = survey_dir(&[("rozhovor", GUIDE)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    // A guide is never a respondent's survey.
    assert_eq!(
        app.browser().get_raw("/s/rozhovor").await.status,
        StatusCode::NOT_FOUND
    );

    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let ivana = staff_member(
        &app,
        &mut admin,
        "ivana@example.cz",
        "interviewer",
        &["rozhovor"],
    )
    .await;
    let petr = staff_member(
        &app,
        &mut admin,
        "petr@example.cz",
        "interviewer",
        &["rozhovor"],
    )
    .await;
    let eva = staff_member(
        &app,
        &mut admin,
        "eva@example.cz",
        "evaluator",
        &["rozhovor"],
    )
    .await;
    let nobody = staff_member(&app, &mut admin, "nikdo@example.cz", "interviewer", &[]).await;

    let list = ivana.get_raw("/admin/interviews").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(
        list.attr("select#guide option", "value").as_deref(),
        Some("rozhovor")
    );
    // Without the assignment the guide cannot be started.
    let page = staff_post(
        &nobody,
        "/admin/interviews",
        "/admin/interviews",
        &[("guide", "rozhovor")],
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert_eq!(
        eva.get_raw("/admin/interviews").await.status,
        StatusCode::NOT_FOUND
    );

    let started = staff_post(
        &ivana,
        "/admin/interviews",
        "/admin/interviews",
        &[("guide", "rozhovor")],
    )
    .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER);
    let here = started.header("location").unwrap();
    let id = here.rsplit('/').next().unwrap().to_string();

    // Consent first: the topics stay closed until it is recorded.
    let consent = ivana.get_raw(&here).await;
    assert!(
        consent.body.contains("Souhlasíte s rozhovorem?"),
        "the script is shown"
    );
    assert_eq!(
        ivana.get_raw(&format!("{here}/t/situation")).await.status,
        StatusCode::SEE_OTHER
    );
    let header = [
        ("category", "mayor"),
        ("organisation", "novy-knin"),
        ("date", "2024-03-05"),
        ("mode", "in_person"),
        ("recording", "yes"),
    ];
    let page = staff_post(&ivana, &here, &format!("{here}/consent"), &header).await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no consent ticked"
    );
    assert!(
        page.body
            .contains("only begin once the interviewee has agreed")
    );
    let mut with_consent = header.to_vec();
    with_consent.push(("consent", "yes"));
    let page = staff_post(&ivana, &here, &format!("{here}/consent"), &with_consent).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // Sent again (the back button): nothing changes, nothing is recorded twice.
    let page = staff_post(
        &ivana,
        "/admin/interviews",
        &format!("{here}/consent"),
        &with_consent,
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let first = ivana.get_raw(&here).await;
    assert_eq!(
        first.header("location").unwrap(),
        format!("{here}/t/situation")
    );

    // The first topic: probes, notes, a rating; "save and next" moves on.
    let topic = format!("{here}/t/situation");
    let screen = ivana.get_raw(&topic).await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(screen.body.contains("Jak vypadá sociální práce u vás?"));
    let page = staff_post(
        &ivana,
        &topic,
        &topic,
        &[
            (
                "opened",
                &(time::OffsetDateTime::now_utc().unix_timestamp() - 120).to_string(),
            ),
            ("probe", "clients"),
            (
                "notes",
                "Dvě sociální pracovnice na ORP.\nObec spolupracuje.",
            ),
            ("situation_rating", "4"),
            ("go", "@next"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(
        page.header("location").unwrap(),
        format!("{here}/t/closing")
    );
    // A tampered probe is refused and the screen keeps what was typed.
    let page = staff_post(
        &ivana,
        &topic,
        &topic,
        &[("probe", "budget"), ("notes", "nové poznámky")],
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("nové poznámky"));
    // The autosave script's request: 204, and the start of the next time stretch.
    let csrf = ivana.get_raw(&topic).await.csrf();
    let body = serde_urlencoded::to_string([
        ("_csrf", csrf.as_str()),
        ("probe", "clients"),
        (
            "notes",
            "Dvě sociální pracovnice na ORP.\nObec spolupracuje.",
        ),
        ("situation_rating", "4"),
        ("go", "@stay"),
    ])
    .unwrap();
    let resp = ivana
        .client
        .post(app.url(&topic))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-autosave", "1")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let opened: i64 = resp.headers()["x-opened"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((opened - time::OffsetDateTime::now_utc().unix_timestamp()).abs() < 5);
    // Without a CSRF token nothing is saved.
    let page = ivana.post_raw(&topic, &[("notes", "podvržené")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // The laptop lid closes: a new browser, signed in again, finds everything.
    drop(ivana);
    let mut ivana: Browser = app.browser();
    sign_in(&mut ivana, "ivana@example.cz", PASSWORD).await;
    let list = ivana.get_raw("/admin/interviews").await;
    assert!(list.body.contains("Nový Knín") && list.body.contains("in progress"));
    let resume = ivana.get_raw(&here).await;
    assert_eq!(
        resume.header("location").unwrap(),
        format!("{here}/t/closing"),
        "the first topic not yet done"
    );
    let screen = ivana.get_raw(&topic).await;
    assert_eq!(checked_probes(&screen), ["clients"]);
    assert_eq!(
        screen.select_first("textarea#notes").as_deref(),
        Some("Dvě sociální pracovnice na ORP. Obec spolupracuje.")
    );
    assert_eq!(screen.checked("situation_rating"), ["4"]);

    // Skip the closing topic, look at the summary, finish.
    let closing = format!("{here}/t/closing");
    let page = staff_post(
        &ivana,
        &closing,
        &closing,
        &[("skipped", "not_asked"), ("go", "@summary")],
    )
    .await;
    assert_eq!(page.header("location").unwrap(), format!("{here}/summary"));
    let summary = ivana.get_raw(&format!("{here}/summary")).await;
    assert!(summary.body.contains("skipped: not asked"));
    assert!(summary.body.contains("1 of 2"), "probes covered");
    let page = staff_post(
        &ivana,
        &format!("{here}/summary"),
        &format!("{here}/finish"),
        &[],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    let stored = app.store.interview(&id).await.unwrap().unwrap();
    assert_eq!(stored.status, Status::Complete);
    let t = &stored.data.topics["situation"];
    assert_eq!(t.probes, ["clients"]);
    assert!(
        (120..=MAX_STRETCH).contains(&t.seconds),
        "{} s on the topic",
        t.seconds
    );
    assert_eq!(
        stored.data.header.organisation.as_deref(),
        Some("novy-knin")
    );
    let consent = stored.data.consent.as_ref().unwrap();
    assert!(consent.recording);
    assert_eq!(
        stored.data.topics["closing"].skipped.as_deref(),
        Some("not_asked")
    );

    // Only its interviewer (and admins, researchers) may open it.
    assert_eq!(petr.get_raw(&here).await.status, StatusCode::NOT_FOUND);
    assert_eq!(petr.get_raw(&topic).await.status, StatusCode::NOT_FOUND);
    assert!(
        !petr
            .get_raw("/admin/interviews")
            .await
            .body
            .contains("Nový Knín")
    );
    assert_eq!(
        admin.get_raw(&format!("{here}/summary")).await.status,
        StatusCode::OK
    );

    let audit = audit_rows(&admin).await;
    for action in [
        "interview_started",
        "interview_consent",
        "interview_finished",
    ] {
        let rows: Vec<_> = audit.iter().filter(|r| r["action"] == action).collect();
        assert_eq!(rows.len(), 1, "{action} audited once");
        assert_eq!(
            (rows[0]["target"].as_str(), rows[0]["actor_email"].as_str()),
            (id.as_str(), "ivana@example.cz")
        );
    }
    app.stop().await;
}

const MAX_STRETCH: i64 = anketa::interview::MAX_STRETCH_SECONDS;

on_both_databases!(an_interview_runs_end_to_end_and_survives_a_closed_browser);

/// Every interview form (start, consent, a topic, finish) is refused without the session's
/// token, or with another session's, and changes nothing.
async fn every_interview_form_needs_its_token(db: TestDb) {
    let dir = survey_dir(&[("rozhovor", GUIDE)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let ivana = staff_member(
        &app,
        &mut admin,
        "ivana@example.cz",
        "interviewer",
        &["rozhovor"],
    )
    .await;
    let started = staff_post(
        &ivana,
        "/admin/interviews",
        "/admin/interviews",
        &[("guide", "rozhovor")],
    )
    .await;
    let here = started.header("location").unwrap();
    let foreign = app.browser().get_raw("/admin/login").await.csrf();
    let consent_fields = [
        ("category", "mayor"),
        ("organisation", "novy-knin"),
        ("date", "2024-03-05"),
        ("mode", "in_person"),
        ("recording", "yes"),
        ("consent", "yes"),
    ];
    let audit_before = audit_rows(&admin).await.len();
    let forms: [(String, &[(&str, &str)]); 4] = [
        ("/admin/interviews".into(), &[("guide", "rozhovor")]),
        (format!("{here}/consent"), &consent_fields),
        (
            format!("{here}/t/situation"),
            &[("notes", "podvržené"), ("go", "@next")],
        ),
        (format!("{here}/finish"), &[]),
    ];
    for (path, fields) in &forms {
        for token in [None, Some(foreign.as_str()), Some("")] {
            let mut all = fields.to_vec();
            if let Some(t) = token {
                all.push(("_csrf", t));
            }
            let page = ivana.post_raw(path, &all).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{path} {token:?}");
        }
    }
    // Still the one interview, without consent; only the audit export itself was added.
    let all = app
        .store
        .list_interviews(&anketa::store::InterviewFilter::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert!(!all[0].data.has_consent() && all[0].data.topics.is_empty());
    assert_eq!(all[0].status, Status::InProgress);
    let consent = ivana.get_raw(&here).await;
    assert_eq!(consent.status, StatusCode::OK, "no topic to go on with");
    assert!(consent.body.contains("Souhlasíte s rozhovorem?"));
    assert_eq!(audit_rows(&admin).await.len(), audit_before + 1);
    app.stop().await;
}

on_both_databases!(every_interview_form_needs_its_token);

#[tokio::test]
async fn the_example_guides_are_interviews_staff_can_start_but_respondents_never_see() {
    let catalog = anketa::survey::load_paths(&[common::app::repo_surveys()]);
    for id in [
        "rozhovor-starosta",
        "rozhovor-orp",
        "rozhovor-socialni-pracovnik",
    ] {
        let survey = catalog.surveys.iter().find(|s| s.id == id).expect(id);
        let guide = survey.guide().expect("an interview guide");
        assert!(guide.topics.len() >= 6, "{id}: topics");
        assert!(
            guide.topics.iter().all(|t| t.probes.len() >= 3),
            "{id}: probes"
        );
        assert!(survey.questions().count() >= 3, "{id}: structured items");
        assert!(
            guide.organisation.attributes.iter().any(|a| a == "orp"),
            "{id}: by ORP"
        );
    }
    let db = TestDb::new(common::db::Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn(db).await;
    let home = app.browser().get_raw("/").await;
    assert!(home.body.contains("seminar-mas-2024"));
    assert!(
        !home.body.contains("rozhovor-"),
        "guides are not listed for respondents"
    );
    assert_eq!(
        app.browser().get_raw("/s/rozhovor-orp").await.status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn an_evaluator_exports_the_39_demo_interviews(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let surveys = common::app::repo_surveys();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["demo", "interviews", "--database", &app.db.url])
        .args(["--surveys", surveys.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("39 finished demo interviews"));
    // On the command line: the long CSV, and a clear error for the wrong format.
    let cli = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_anketa"))
            .args([
                "export",
                "rozhovor-orp",
                "--format",
                format,
                "--database",
                &app.db.url,
            ])
            .output()
            .unwrap()
    };
    let out = cli("interviews-csv");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("exported 6 finished interview(s)"));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("interview,topic,field,text\r\n"));
    let out = cli("csv-long");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is an interview guide: it exports as csv (one row per interview)")
    );
    // The "normal" export of a guide: one row per interview with its structured items
    // and the paradata of each topic.
    let out = cli("csv");
    assert!(out.status.success());
    let rows = common::app::csv_records(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(rows.len(), 6);
    let first = &rows[0];
    assert_eq!(first["interviewer"], "demo.tazatel@example.invalid");
    let seconds_columns: Vec<&String> = first.keys().filter(|k| k.ends_with(".seconds")).collect();
    assert!(seconds_columns.len() >= 6, "{seconds_columns:?}");
    assert!(
        first.keys().any(|k| k.ends_with(".probes"))
            && first.keys().any(|k| k.ends_with(".skipped"))
    );
    let orp_guide = anketa::survey::load_paths(std::slice::from_ref(&surveys))
        .surveys
        .into_iter()
        .find(|s| s.id == "rozhovor-orp")
        .unwrap();
    for q in orp_guide.questions() {
        assert!(
            first.contains_key(&q.id),
            "structured item {} is a column",
            q.id
        );
    }

    let mut admin = cli_admin(&app, &surveys, "admin@example.cz").await;
    let guides = [
        "rozhovor-starosta",
        "rozhovor-orp",
        "rozhovor-socialni-pracovnik",
    ];
    let eva = staff_member(&app, &mut admin, "eva@example.cz", "evaluator", &guides).await;
    let dashboard = eva.get_raw("/admin/surveys/rozhovor-orp").await;
    assert_eq!(dashboard.status, StatusCode::OK);
    assert!(
        dashboard
            .body
            .contains("/admin/surveys/rozhovor-orp/export/interviews-csv")
    );

    let mut total = 0;
    for (guide, expected) in [(guides[0], 15), (guides[1], 6), (guides[2], 18)] {
        let csv = eva
            .get_raw(&format!("/admin/surveys/{guide}/interviews.csv"))
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        let rows = common::app::csv_records(&csv.body);
        let mut labels: Vec<&str> = rows.iter().map(|r| r["interview"].as_str()).collect();
        labels.dedup();
        assert_eq!(labels.len(), expected, "{guide}");
        assert_eq!(labels[0], "R-001");
        assert!(
            rows.iter()
                .any(|r| r["field"] == "notes" && !r["text"].is_empty())
        );
        assert!(rows.iter().any(|r| r["field"] == "probes_covered"));
        let interviewers: Vec<&str> = rows
            .iter()
            .filter(|r| r["field"] == "interviewer")
            .map(|r| r["text"].as_str())
            .collect();
        assert!(
            interviewers.iter().all(|i| *i == "I-1"),
            "a pseudonym: {interviewers:?}"
        );
        assert!(!csv.body.contains("demo.tazatel@example.invalid"));
        // No organisation name, no interview date: the municipality's type at most.
        let organisations: Vec<&str> = rows
            .iter()
            .filter(|r| r["field"] == "organisation")
            .map(|r| r["text"].as_str())
            .collect();
        assert!(
            organisations
                .iter()
                .all(|o| ["", "obec", "POU", "ORP"].contains(o)),
            "{guide}: {organisations:?}"
        );
        assert!(
            !rows
                .iter()
                .any(|r| r["field"] == "date" && !r["text"].is_empty())
        );
        // The consent script as its number, not its hash (which would date the
        // interview after the script changed).
        let consents: Vec<&str> = rows
            .iter()
            .filter(|r| r["field"] == "consent_version")
            .map(|r| r["text"].as_str())
            .collect();
        assert!(!consents.is_empty(), "{guide}");
        assert!(consents.iter().all(|c| *c == "1"), "{guide}: {consents:?}");
        // One row per interview: the version as its question set's number.
        let wide = eva
            .get_raw(&format!("/admin/surveys/{guide}/export.csv"))
            .await;
        let wide_rows = common::app::csv_records(&wide.body);
        assert_eq!(wide_rows.len(), expected, "{guide}");
        assert!(
            wide_rows.iter().all(|r| r["survey_version"] == "1"),
            "{guide}"
        );

        let md = eva
            .get_raw(&format!("/admin/surveys/{guide}/interviews.md"))
            .await;
        assert!(
            md.header("content-type")
                .unwrap()
                .starts_with("text/markdown")
        );
        assert_eq!(
            md.body.matches("\n## 1. ").count(),
            expected,
            "one document each"
        );
        assert_eq!(
            md.body.lines().filter(|l| l.starts_with("# ")).count(),
            expected
        );
        let txt = eva
            .get_raw(&format!("/admin/surveys/{guide}/interviews.txt"))
            .await;
        assert_eq!(
            txt.body.matches('\u{c}').count(),
            expected - 1,
            "a page break between"
        );
        total += expected;
    }
    assert_eq!(total, 39);
    // Researchers get the interviewer's address; questionnaires have no interview export.
    let rita = staff_member(&app, &mut admin, "rita@example.cz", "researcher", &[]).await;
    let csv = rita
        .get_raw("/admin/surveys/rozhovor-orp/interviews.csv")
        .await;
    assert!(csv.body.contains("demo.tazatel@example.invalid"));
    // ... and the organisation and date the evaluator does not see.
    let rows = common::app::csv_records(&csv.body);
    assert!(
        rows.iter()
            .any(|r| r["field"] == "organisation" && r["text"].len() > 3 && r["text"] != "obec")
    );
    assert!(
        rows.iter()
            .any(|r| r["field"] == "date" && !r["text"].is_empty())
    );
    assert_eq!(
        rita.get_raw("/admin/surveys/seminar-mas-2024/interviews.csv")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let audit = audit_rows(&admin).await;
    let exports: Vec<_> = audit
        .iter()
        .filter(|r| r["action"] == "export" && r["actor_email"] == "eva@example.cz")
        .collect();
    // Three guides, four downloads each (long CSV, wide CSV, Markdown, text).
    assert_eq!(exports.len(), 12);
    assert!(
        exports
            .iter()
            .all(|r| r["details"].contains("\"privacy\":\"without-identifiers\""))
    );
    app.stop().await;
}

on_both_databases!(an_evaluator_exports_the_39_demo_interviews);
