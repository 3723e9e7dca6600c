//! The staff area over HTTP on both databases: accounts made on the command line and by
//! an admin, what each role sees (and the 404s for what it may not), the dashboards,
//! response management, sign-in rules (throttling, session rotation, timeouts ended by
//! "log out everywhere" and by disabling) and the audit log that records all of it.

mod common;

use anketa::store::Status;
use common::app::{Browser, TestApp, csv_records, repo_surveys, session_cookie, survey_dir};
use common::db::TestDb;
use common::staff::{
    PASSWORD, admin_creates, anketa_user, audit_rows, cli_admin, printed_link, set_password,
    sign_in, signed_in_evaluator, signed_in_researcher, staff_member, staff_post,
};
use futures_util::TryStreamExt;
use reqwest::StatusCode;

const TOWNS: &str = r#"
id = "obce"
title = "Dotazník pro obce"
[privacy]
k = 2
[privacy.coarsen]
town = "region"
[choices.town]
attributes = ["region"]
options = [
  { value = "kolin", label = "Kolín", region = "Hradec Králové" },
  { value = "most", label = "Most", region = "Praha" },
  { value = "pisek", label = "Písek", region = "Praha" },
]
[[page]]
id = "p"
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = "Obec"
  choices = "town"
  required = true
  privacy = "quasi_identifier"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Komentář"
"#;

/// The second survey (tests/fixtures: shared with other test files).
const TRAINING: &str = include_str!("fixtures/skoleni.toml");

/// The app with the two test surveys; returns the survey directory's guard too.
async fn app(db: TestDb) -> (TestApp, tempfile::TempDir) {
    let dir = survey_dir(&[("obce", TOWNS), ("skoleni", TRAINING)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    (app, dir)
}

/// A respondent answers the towns survey; returns the response id.
async fn answer_towns(app: &TestApp, town: &str, comment: &str) -> String {
    let mut b = app.browser();
    let page = b.open("/s/obce").await.clone();
    assert!(page.url.ends_with("/p/p"), "{}", page.url);
    let page = b.next(&[("town", town), ("comment", comment)]).await;
    assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
    let all: Vec<anketa::store::Response> = app
        .store
        .list_responses("obce", &anketa::store::ListFilter::default())
        .try_collect()
        .await
        .unwrap();
    let newest = all.first().expect("a response");
    assert_eq!(
        newest.answers.get("town"),
        Some(&anketa::survey::Answer::Choice {
            value: town.into(),
            other: None
        })
    );
    newest.id.clone()
}

/// The response ids the staff list shows for `query`.
async fn listed(b: &Browser, query: &str) -> Vec<String> {
    let path = format!("/admin/surveys/obce/responses{query}");
    let page = b.get_raw(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    let html = page.html();
    let sel = scraper::Selector::parse("tbody tr td a").unwrap();
    html.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.rsplit('/').next().unwrap().to_string())
        .collect()
}

/// The links of the surveys listed on the overview.
fn overview_surveys(b: &common::app::Page) -> Vec<String> {
    let html = b.html();
    let sel = scraper::Selector::parse("tbody th a").unwrap();
    html.select(&sel)
        .filter_map(|a| a.value().attr("href"))
        .map(|h| h.trim_start_matches("/admin/surveys/").to_string())
        .collect()
}

async fn each_role_sees_exactly_what_it_may(db: TestDb) {
    let (app, dir) = app(db).await;
    let kolin = answer_towns(&app, "kolin", "Jmenuji se Jana Nováková, tel. 777 123 456").await;
    answer_towns(&app, "most", "").await;

    let mut admin = cli_admin(&app, dir.path(), "Admin@Example.cz").await;
    let mut researcher = signed_in_researcher(&app, &mut admin).await;
    let mut evaluator = signed_in_evaluator(&app, &mut admin, &["obce"]).await;
    let mut interviewer = staff_member(
        &app,
        &mut admin,
        "tazatel@example.cz",
        "interviewer",
        &["skoleni"],
    )
    .await;

    // The overview: all surveys for admin and researcher, the granted one for the evaluator.
    for (b, expected) in [
        (&mut admin, vec!["obce", "skoleni"]),
        (&mut researcher, vec!["obce", "skoleni"]),
        (&mut evaluator, vec!["obce"]),
        (&mut interviewer, vec![]),
    ] {
        let page = b.open("/admin").await;
        assert_eq!(page.status, StatusCode::OK);
        let mut listed = overview_surveys(page);
        listed.sort();
        assert_eq!(listed, expected);
    }
    let row = admin.page.as_ref().unwrap().clone();
    let cells: Vec<String> = {
        let html = row.html();
        let sel = scraper::Selector::parse("tbody tr:first-child td").unwrap();
        html.select(&sel)
            .map(|c| c.text().collect::<String>().trim().to_string())
            .collect()
    };
    assert_eq!(cells[0], "open");
    assert_eq!(&cells[2..5], ["2", "2", "100 %"], "started, complete, rate");

    // Object-level checks: what is not yours is "not found", whoever asks.
    let forbidden: [(&Browser, &[&str]); 3] = [
        (
            &evaluator,
            &[
                "/admin/surveys/skoleni",
                "/admin/surveys/skoleni/export.csv",
                "/admin/surveys/obce/responses",
                "/admin/users",
                "/admin/audit",
                "/admin/audit.csv",
            ],
        ),
        (
            &interviewer,
            &[
                "/admin/surveys/obce",
                "/admin/surveys/skoleni/export.csv",
                "/admin/surveys/obce/responses",
            ],
        ),
        (&researcher, &["/admin/users", "/admin/audit"]),
    ];
    for (b, paths) in forbidden {
        for path in paths {
            let page = b.get_raw(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                page.body.contains("Page not found"),
                "an HTML page for {path}"
            );
        }
    }
    let page = researcher
        .get_raw(&format!("/admin/surveys/obce/responses/{kolin}"))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Jana Nováková"));
    // The response id under another survey's address is not found.
    let page = researcher
        .get_raw(&format!("/admin/surveys/skoleni/responses/{kolin}"))
        .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // Exports: identified for the researcher, without identifiers for the evaluator.
    let identified = researcher.get_raw("/admin/surveys/obce/export.csv").await;
    assert_eq!(identified.status, StatusCode::OK);
    let rows = csv_records(&identified.body);
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["response_id"], kolin);
    assert!(rows[0]["comment"].contains("Nováková"));
    // The evaluator only gets anonymized data: Kolín and Most are alone in their regions,
    // so k = 2 needs the town blanked, which must be accepted first.
    let refused = evaluator.get_raw("/admin/surveys/obce/export.csv").await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    // A page with the report and the action, in the staff area's words (no flags).
    for expected in [
        "at least k = 2",
        "<strong>2 cell(s)</strong> would be left blank",
        "Accept the suppression and download",
        "/admin/surveys/obce/export/csv?privacy=anonymized&amp;accept_suppression=1",
        "/admin/surveys/obce/export/xlsx?privacy=anonymized&amp;accept_suppression=1",
    ] {
        assert!(
            refused.body.contains(expected),
            "{expected}: {}",
            refused.body
        );
    }
    assert!(!refused.body.contains("--"), "{}", refused.body);
    let report = evaluator
        .get_raw("/admin/surveys/obce/anonymization-report.md")
        .await;
    assert_eq!(report.status, StatusCode::OK);
    assert!(
        report.body.contains("### town\n\nCells blanked: 2"),
        "{}",
        report.body
    );
    assert!(
        report.body.contains("| comment | sensitive free text"),
        "{}",
        report.body
    );
    let anonymous = evaluator
        .get_raw("/admin/surveys/obce/export.csv?accept_suppression=1")
        .await;
    assert_eq!(anonymous.status, StatusCode::OK);
    assert!(
        anonymous
            .header("content-disposition")
            .unwrap()
            .contains("obce-anonymized.csv")
    );
    let rows = csv_records(&anonymous.body);
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["pseudonym"], "1",
        "row numbers: the server has no pseudonym key"
    );
    assert_eq!(rows[0]["town"], "", "blanked");
    assert!(!rows[0].contains_key("comment"), "no free text");
    assert!(!rows[0].contains_key("response_id") && !rows[0].contains_key("language"));
    assert!(!anonymous.body.contains("Nováková"));
    assert!(!anonymous.body.contains(&kolin));

    // The other formats follow the same rules.
    let json = evaluator
        .get_raw("/admin/surveys/obce/export/json?accept_suppression=1")
        .await;
    assert_eq!(json.status, StatusCode::OK);
    assert!(
        json.header("content-type")
            .unwrap()
            .starts_with("application/x-ndjson")
    );
    let first: serde_json::Value = serde_json::from_str(json.body.lines().next().unwrap()).unwrap();
    assert_eq!(
        (first["pseudonym"].as_str(), first.get("town")),
        (Some("1"), None)
    );
    assert!(first.get("comment").is_none() && !json.body.contains(&kolin));
    // A researcher may ask for the anonymized form too.
    let asked = researcher
        .get_raw("/admin/surveys/obce/export/json?privacy=anonymized")
        .await;
    assert_eq!(asked.status, StatusCode::CONFLICT);
    let long = researcher
        .get_raw("/admin/surveys/obce/export/csv-long")
        .await;
    assert!(long.body.contains(&kolin) && long.body.contains("Nováková"));
    let xlsx = evaluator
        .client
        .get(app.url("/admin/surveys/obce/export/xlsx?accept_suppression=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        xlsx.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("obce-anonymized.xlsx")
    );
    assert_eq!(&xlsx.bytes().await.unwrap()[..2], b"PK");
    // Every format of the export registry, as the evaluator's dashboard offers it: each
    // link downloads (no server flag needed), typed and named as the registry says; the
    // formats with a companion are a ZIP holding the data file and the companion.
    let dashboard = evaluator.get_raw("/admin/surveys/obce").await;
    for format in anketa::export::Format::ALL {
        let spec = format.spec();
        let link = format!("/admin/surveys/obce/export/{}", spec.name);
        assert_eq!(
            dashboard.body.contains(&format!("{link}\"")),
            format.applies_to(false),
            "{link}"
        );
        if !format.applies_to(false) {
            assert_eq!(evaluator.get_raw(&link).await.status, StatusCode::NOT_FOUND);
            continue;
        }
        let response = evaluator
            .client
            .get(app.url(&format!("{link}?accept_suppression=1")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{link}");
        assert_eq!(
            response.headers()["content-type"].to_str().unwrap(),
            spec.content_type
        );
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_string();
        let bytes = response.bytes().await.unwrap();
        assert!(!bytes.is_empty(), "{link}");
        if let Some(companion) = spec.companion {
            assert!(disposition.contains(&format!("obce-anonymized.{}", spec.suffix)));
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
            let names: Vec<String> = zip.file_names().map(String::from).collect();
            assert_eq!(
                names,
                [
                    "obce-anonymized.csv".to_string(),
                    companion.file_name("obce-anonymized.csv")
                ]
            );
            let mut data = String::new();
            std::io::Read::read_to_string(&mut zip.by_index(0).unwrap(), &mut data).unwrap();
            assert!(!data.contains("Nováková") && !data.contains(&kolin));
            assert_eq!(csv_records(&data).len(), 2);
        } else if matches!(spec.job, anketa::export::Job::Responses(_)) {
            assert!(disposition.contains(&format!("obce-anonymized.{}", spec.suffix)));
            // A workbook is a ZIP: its sheets, unpacked, are what a reader sees.
            let text = if bytes.starts_with(b"PK") {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
                let mut all = String::new();
                for i in 0..zip.len() {
                    std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut all).unwrap();
                }
                assert!(all.contains("<sheetData>"), "{link}");
                all
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            assert!(
                !text.contains("Nováková") && !text.contains(&kolin),
                "{link}"
            );
        }
    }
    let codebook = evaluator
        .get_raw("/admin/surveys/obce/export/codebook-md")
        .await;
    assert!(codebook.body.starts_with("# Codebook: Dotazník pro obce"));
    assert_eq!(
        evaluator
            .get_raw("/admin/surveys/obce/export/pdf")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        evaluator
            .get_raw("/admin/surveys/skoleni/export/json")
            .await
            .status,
        StatusCode::NOT_FOUND,
        "not granted"
    );

    // Everything above is in the audit log, with who did it and how.
    let audit = audit_rows(&admin).await;
    let find = |action: &str, email: &str| {
        audit
            .iter()
            .filter(|r| r["action"] == action && r["actor_email"] == email)
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        find("user_created", "command line").len(),
        1,
        "the CLI made the admin"
    );
    assert_eq!(find("user_created", "admin@example.cz").len(), 3);
    assert_eq!(find("login", "hodnotitel@example.cz").len(), 1);
    let exports = find("export", "hodnotitel@example.cz");
    let (formats, codebooks) = anketa::export::Format::ALL
        .iter()
        .filter(|f| f.applies_to(false))
        .fold((0, 0), |(n, c), f| {
            let codebook = matches!(f.spec().job, anketa::export::Job::Codebook(_));
            (n + 1, c + usize::from(codebook))
        });
    assert_eq!(
        exports.len(),
        4 + formats,
        "csv, json, xlsx, codebook, then every format (refusals export nothing)"
    );
    let responses: Vec<_> = exports
        .iter()
        .filter(|e| !e["details"].contains("codebook"))
        .collect();
    assert_eq!(responses.len(), 3 + formats - codebooks);
    assert!(responses.iter().all(|e| {
        e["details"].contains("\"privacy\":\"anonymized\"")
            && e["details"].contains("\"accept_suppression\":true")
            && e["details"].contains("\"cells_blanked\":2")
    }));
    let exports = find("export", "vyzkum@example.cz");
    assert!(
        exports
            .iter()
            .any(|e| e["details"].contains("\"privacy\":\"identified\""))
    );
    let viewed = find("response_viewed", "vyzkum@example.cz");
    assert_eq!(viewed.len(), 1);
    assert_eq!(viewed[0]["target"], kolin);
    app.stop().await;
}

async fn the_mpsv_dashboard_shows_regions_and_who_has_not_answered(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let surveys = repo_surveys();
    let catalog = anketa::survey::load_paths(std::slice::from_ref(&surveys));
    let survey = catalog
        .surveys
        .iter()
        .find(|s| s.id == "obce-socialni-prace")
        .expect("the MPSV survey");
    for (i, town) in ["kolin", "most", "kolin"].iter().enumerate() {
        let id = format!("r{i}");
        let answers: anketa::survey::Answers = [(
            "municipality".to_string(),
            anketa::survey::Answer::Choice {
                value: town.to_string(),
                other: None,
            },
        )]
        .into();
        let now = time::OffsetDateTime::now_utc();
        let new = anketa::store::NewResponse {
            id: &id,
            survey_id: &survey.id,
            survey_version: &survey.version,
            language: anketa::survey::Lang::Cs,
            current_page: "identification",
            answers: &answers,
        };
        app.store.create_response(&new, now).await.unwrap();
        let progress = anketa::store::Progress {
            survey_version: &survey.version,
            language: anketa::survey::Lang::Cs,
            current_page: "identification",
            answers: &answers,
        };
        app.store.submit(&id, 1, &progress, now).await.unwrap();
    }
    let mut admin = cli_admin(&app, &surveys, "mpsv@example.cz").await;
    let page = admin
        .open("/admin/surveys/obce-socialni-prace")
        .await
        .clone();
    assert_eq!(page.status, StatusCode::OK);
    let text = page
        .html()
        .root_element()
        .text()
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains("Hradec Králové 2 in all"),
        "grouped by regional office: {text}"
    );
    assert!(text.contains("Praha 1 in all"));
    let nobody = page
        .select_first(".breakdown p")
        .expect("the list of municipalities without a response");
    let (head, names) = nobody.split_once(": ").unwrap();
    assert_eq!(head, "No response yet from 13");
    let names: Vec<&str> = names.split(", ").collect();
    assert_eq!(names.len(), 13);
    assert!(names.contains(&"Písek") && names.contains(&"Bučovice"));
    assert!(!names.contains(&"Kolín") && !names.contains(&"Most"));
    // The responses-per-day chart is an inline SVG with an accessible name.
    assert!(page.body.contains("<svg"));
    assert_eq!(page.attr("svg", "role").as_deref(), Some("img"));
    assert!(
        page.body.contains("3 complete responses"),
        "the chart's description"
    );
    app.stop().await;
}

async fn responses_are_filtered_flagged_deleted_and_erased(db: TestDb) {
    let (app, dir) = app(db).await;
    let kolin = answer_towns(&app, "kolin", "Poznámka z Kolína").await;
    let most = answer_towns(&app, "most", "").await;
    let pisek = answer_towns(&app, "pisek", "Písecká poznámka").await;
    // One more left half-way: started, not submitted.
    let mut b = app.browser();
    b.open("/s/obce").await;
    b.press("save", &[("comment", "rozepsáno")]).await;

    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let researcher = signed_in_researcher(&app, &mut admin).await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["obce"]).await;
    assert_eq!(listed(&researcher, "").await.len(), 4);
    assert_eq!(listed(&researcher, "?status=complete").await.len(), 3);
    assert_eq!(listed(&researcher, "?status=in_progress").await.len(), 1);
    assert_eq!(
        listed(&researcher, "?status=complete&question=town&value=most").await,
        std::slice::from_ref(&most)
    );
    // By an attribute of the chosen option: all municipalities of one regional office.
    let mut praha = listed(&researcher, "?question=town.region&value=Praha").await;
    praha.sort();
    let mut expected = vec![most.clone(), pisek.clone()];
    expected.sort();
    assert_eq!(praha, expected);
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1)).date();
    assert!(
        listed(&researcher, &format!("?from={tomorrow}"))
            .await
            .is_empty(),
        "nothing started tomorrow"
    );
    // Garbage in a filter is ignored, not an error.
    assert_eq!(
        listed(&researcher, "?page=abc&from=yesterday").await.len(),
        4
    );

    let here = format!("/admin/surveys/obce/responses/{kolin}");
    // The evaluator may not act on responses at all.
    let page = staff_post(
        &evaluator,
        "/admin",
        &here,
        &[("action", "excluded"), ("reason", "x")],
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // Mark as excluded: out of the counts and the export, still listed with its mark.
    let page = staff_post(
        &researcher,
        &here,
        &here,
        &[("action", "excluded"), ("reason", "vyplnil dvakrát")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let shown = researcher.get_raw(&here).await;
    assert!(shown.body.contains("vyplnil dvakrát"));
    let export = researcher.get_raw("/admin/surveys/obce/export.csv").await;
    let ids: Vec<String> = csv_records(&export.body)
        .iter()
        .map(|r| r["response_id"].clone())
        .collect();
    assert_eq!(ids, [most.clone(), pisek.clone()]);

    // Delete needs the confirmation box; without it nothing changes.
    let page = staff_post(
        &researcher,
        &here,
        &format!("/admin/surveys/obce/responses/{pisek}"),
        &[("action", "delete")],
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(listed(&researcher, "").await.contains(&pisek));
    let page = staff_post(
        &researcher,
        &here,
        &format!("/admin/surveys/obce/responses/{pisek}"),
        &[("action", "delete"), ("confirm", "yes"), ("reason", "test")],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(!listed(&researcher, "").await.contains(&pisek));
    assert!(listed(&researcher, "?deleted=yes").await.contains(&pisek));
    assert!(
        app.store.response(&pisek).await.unwrap().is_some(),
        "soft delete keeps the row"
    );

    // Erasure (a data-subject request) needs the typed word and removes the data for good.
    let most_path = format!("/admin/surveys/obce/responses/{most}");
    let page = staff_post(
        &researcher,
        &here,
        &most_path,
        &[("action", "erase"), ("confirm", "erase please")],
    )
    .await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    let page = staff_post(
        &researcher,
        &here,
        &most_path,
        &[
            ("action", "erase"),
            ("confirm", "ERASE"),
            ("reason", "žádost subjektu údajů"),
        ],
    )
    .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(app.store.response(&most).await.unwrap().is_none());
    assert_eq!(
        researcher.get_raw(&most_path).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.store
            .count_responses("obce", Status::Complete)
            .await
            .unwrap(),
        0,
        "excluded, deleted and erased responses are not counted"
    );

    let audit = audit_rows(&admin).await;
    for (action, target) in [
        ("response_flagged", &kolin),
        ("response_deleted", &pisek),
        ("response_erased", &most),
    ] {
        let row = audit
            .iter()
            .find(|r| r["action"] == action)
            .unwrap_or_else(|| panic!("{action} is audited"));
        assert_eq!(&row["target"], target);
        assert_eq!(row["actor_email"], "vyzkum@example.cz");
    }
    app.stop().await;
}

async fn sign_in_is_throttled_rotated_and_can_be_ended_everywhere(db: TestDb) {
    let (app, dir) = app(db).await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let link = admin_creates(&mut admin, "vyzkum@example.cz", "researcher", &[]).await;
    let mut first = app.browser();
    set_password(&mut first, &link, PASSWORD).await;

    // The session id changes at sign-in (no fixation): signed in once, then again.
    sign_in(&mut first, "vyzkum@example.cz", PASSWORD).await;
    let before = session_cookie(&first, &app);
    let page = sign_in(&mut first, "vyzkum@example.cz", PASSWORD).await;
    assert!(page.url.ends_with("/admin"));
    let after = session_cookie(&first, &app);
    assert_ne!(before, after, "a new session id after sign-in");
    // The old id is worth nothing now.
    let stolen = app.browser();
    stolen.jar.add_cookie_str(
        &format!("anketa_session={before}"),
        &app.url("/").parse().unwrap(),
    );
    assert_eq!(stolen.get_raw("/admin").await.status, StatusCode::SEE_OTHER);

    // A second device, then "log out everywhere" from the first ends both.
    let mut second = app.browser();
    sign_in(&mut second, "vyzkum@example.cz", PASSWORD).await;
    assert_eq!(second.get_raw("/admin").await.status, StatusCode::OK);
    let page = staff_post(&first, "/admin/account", "/admin/logout-everywhere", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = first.get_raw("/admin").await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "this session was closed"
    );
    let page = second.get_raw("/admin").await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "the other one has ended"
    );
    assert!(
        page.header("location")
            .unwrap()
            .contains("signed_out=ended")
    );
    // Signing in again works.
    let page = sign_in(&mut second, "vyzkum@example.cz", PASSWORD).await;
    assert!(page.url.ends_with("/admin"));

    // Disabling the account ends its session and stops sign-in.
    let user = app
        .store
        .user_by_email("vyzkum@example.cz")
        .await
        .unwrap()
        .unwrap();
    let user_page = format!("/admin/users/{}", user.id);
    let page = staff_post(&admin, &user_page, &user_page, &[("action", "disable")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(second.get_raw("/admin").await.status, StatusCode::SEE_OTHER);
    let page = sign_in(&mut second, "vyzkum@example.cz", PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    // An admin cannot lock themselves out.
    let me = app
        .store
        .user_by_email("admin@example.cz")
        .await
        .unwrap()
        .unwrap();
    let mine = format!("/admin/users/{}", me.id);
    let page = staff_post(&admin, &mine, &mine, &[("action", "disable")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("cannot disable your own account"));

    // Five wrong passwords for one account, then even the right one is refused for a while.
    let mut attacker = app.browser();
    for _ in 0..5 {
        let page = sign_in(&mut attacker, "admin@example.cz", "hunter2hunter2").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        assert!(
            page.body
                .contains("The e-mail address or the password is not right.")
        );
    }
    let page = sign_in(&mut attacker, "admin@example.cz", PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.body.contains("Too many failed sign-ins"));
    // Sign-out ends the admin's own session.
    let page = staff_post(&admin, "/admin", "/admin/logout", &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(admin.get_raw("/admin").await.status, StatusCode::SEE_OTHER);

    let audit = app.store.audit_page(1000, 0).await.unwrap();
    let count = |action: &str| audit.iter().filter(|e| e.action == action).count();
    assert_eq!(
        count("login_failed"),
        6,
        "5 wrong passwords + the disabled account"
    );
    assert_eq!(count("login_throttled"), 1);
    assert_eq!(count("logout_everywhere"), 1);
    assert_eq!(count("user_disabled"), 1);
    assert!(
        audit
            .iter()
            .all(|e| !e.details.to_string().contains("hunter2")),
        "no passwords in the log"
    );
    app.stop().await;
}

async fn the_user_command_manages_accounts(db: TestDb) {
    let (app, dir) = app(db).await;
    let run = |args: &[&str]| anketa_user(&app, dir.path(), args);
    let out = run(&[
        "add",
        "eva@example.cz",
        "--role",
        "evaluator",
        "--grant",
        "obce",
        "--link",
    ]);
    let link = printed_link(&out);
    assert!(link.starts_with(&app.url("/admin/set-password/")), "{link}");
    // A grant must name a survey that exists; a role must be one we know.
    let out = run(&[
        "add",
        "x@example.cz",
        "--role",
        "evaluator",
        "--grant",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("there is no survey \"nope\""));
    let out = run(&["add", "x@example.cz", "--role", "boss", "--link"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("admin, researcher, evaluator"));
    let out = run(&["add", "EVA@example.cz", "--role", "admin", "--link"]);
    assert_eq!(out.status.code(), Some(1), "e-mail addresses are unique");

    assert!(
        run(&["grant", "eva@example.cz", "skoleni"])
            .status
            .success()
    );
    let out = run(&["list"]);
    let listed = String::from_utf8_lossy(&out.stdout).to_string();
    let line = listed
        .lines()
        .find(|l| l.starts_with("eva@example.cz"))
        .unwrap();
    assert!(
        line.contains("evaluator") && line.contains("no password yet"),
        "{line}"
    );
    assert!(
        line.contains("obce, skoleni") || line.contains("skoleni, obce"),
        "{line}"
    );

    let mut b = app.browser();
    set_password(&mut b, &link, PASSWORD).await;
    // The link works once.
    let again = b.get_raw(&common::app::path_of(&link)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(
        sign_in(&mut b, "eva@example.cz", PASSWORD)
            .await
            .url
            .ends_with("/admin")
    );

    assert!(
        run(&["revoke", "eva@example.cz", "skoleni"])
            .status
            .success()
    );
    assert!(run(&["disable", "eva@example.cz"]).status.success());
    assert_eq!(b.get_raw("/admin").await.status, StatusCode::SEE_OTHER);
    let listed = String::from_utf8_lossy(&run(&["list"]).stdout).to_string();
    let line = listed
        .lines()
        .find(|l| l.starts_with("eva@example.cz"))
        .unwrap();
    assert!(
        line.contains("disabled") && !line.contains("skoleni"),
        "{line}"
    );
    assert!(run(&["enable", "eva@example.cz"]).status.success());
    let link = printed_link(&run(&["passwd", "eva@example.cz", "--link"]));
    set_password(&mut b, &link, "a-brand-new-long-password").await;
    assert_eq!(
        sign_in(&mut b, "eva@example.cz", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED,
        "the old password is gone"
    );
    assert!(
        sign_in(&mut b, "eva@example.cz", "a-brand-new-long-password")
            .await
            .url
            .ends_with("/admin")
    );
    let out = run(&["disable", "nobody@example.cz"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nobody@example.cz"));
    app.stop().await;
}

/// On a server without a pseudonym key (PostgreSQL with no key file), a survey whose
/// pseudonyms link people cannot be exported anonymized: its dashboard says so in plain
/// words and offers no data link that would be refused; the codebook stays.
async fn no_data_link_is_offered_that_cannot_succeed(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut admin = cli_admin(&app, &repo_surveys(), "admin@example.cz").await;
    let evaluator =
        signed_in_evaluator(&app, &mut admin, &["skoleni-pred", "obce-socialni-prace"]).await;
    let linked = evaluator.get_raw("/admin/surveys/skoleni-pred").await;
    assert_eq!(linked.status, StatusCode::OK);
    assert!(
        linked.body.contains("server has no pseudonym key yet"),
        "{}",
        linked.body
    );
    for format in anketa::export::Format::ALL {
        let link = format!("/admin/surveys/skoleni-pred/export/{}\"", format.name());
        let data = matches!(format.spec().job, anketa::export::Job::Responses(_));
        let offered = format.applies_to(false) && !data;
        assert_eq!(linked.body.contains(&link), offered, "{link}");
    }
    assert!(
        linked
            .body
            .contains("/admin/surveys/skoleni-pred/export/codebook\"")
    );
    // The address itself still answers with the plain explanation, not a flag.
    let refused = evaluator
        .get_raw("/admin/surveys/skoleni-pred/export/sav")
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("An administrator sets one up"));
    assert!(!refused.body.contains("--"));
    // A survey that links no one: every data format is offered.
    let plain = evaluator
        .get_raw("/admin/surveys/obce-socialni-prace")
        .await;
    assert!(!plain.body.contains("server has no pseudonym key yet"));
    for format in ["csv", "sav", "dta", "xlsx-labels", "datapackage"] {
        assert!(
            plain.body.contains(&format!(
                "/admin/surveys/obce-socialni-prace/export/{format}\""
            )),
            "{format}"
        );
    }
    app.stop().await;
}

/// A survey `id` of one rating question, with privacy k = `k`.
fn rated(id: &str, k: u32) -> String {
    format!(
        r#"
id = "{id}"
title = "Hodnocení {id}"
[privacy]
k = {k}
[[page]]
id = "p"
  [[page.question]]
  id = "score"
  type = "rating"
  max = 5
  text = "Hodnocení"
"#
    )
}

/// Two anonymized exports given to evaluators never differ by fewer than k responses:
/// the second shows the first's responses until k new ones have come in (the records of
/// one new respondent would otherwise be the difference of the two files).
async fn evaluator_exports_move_on_only_after_k_new_responses(db: TestDb) {
    let dir = survey_dir(&[("grow", &rated("grow", 2))]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let answer = |score: &'static str| {
        let app = &app;
        async move {
            let mut b = app.browser();
            b.open("/s/grow").await;
            assert!(b.next(&[("score", score)]).await.url.ends_with("/done"));
        }
    };
    for score in ["1", "2", "3"] {
        answer(score).await;
    }
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["grow"]).await;
    let rows = async || {
        let page = evaluator.get_raw("/admin/surveys/grow/export/csv").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        csv_records(&page.body).len()
    };
    // Exports and report views are held against each other, so the stricter threshold
    // holds: the report's min_cell (5, the default plan's) over k = 2.
    assert_eq!(rows().await, 3);
    answer("4").await;
    assert_eq!(rows().await, 3, "one new response: held at the last export");
    for score in ["5", "1", "2"] {
        answer(score).await;
    }
    assert_eq!(rows().await, 3, "four new responses: still held");
    answer("3").await;
    assert_eq!(rows().await, 8, "five new responses: moves on");
    // Researchers see the data as it is.
    answer("1").await;
    let researcher = signed_in_researcher(&app, &mut admin).await;
    let identified = researcher.get_raw("/admin/surveys/grow/export/csv").await;
    assert_eq!(csv_records(&identified.body).len(), 9);
    assert_eq!(rows().await, 8);
    // At the same moment: six downloads while three responses come in. Releases are
    // planned one at a time (the release lease), so whatever the order, any two exports
    // given out differ by nothing or by at least the threshold of 5 responses.
    let downloads = futures_util::future::join_all((0..6).map(|_| rows()));
    let (counts, (), (), ()) = tokio::join!(downloads, answer("2"), answer("3"), answer("4"));
    let releases = app
        .store
        .releases("grow", anketa::store::ReleaseKind::Export)
        .await
        .unwrap();
    let given: Vec<u64> = releases.iter().map(|r| r.responses).collect();
    for (a, b) in given.iter().flat_map(|a| given.iter().map(move |b| (a, b))) {
        assert!(
            a == b || a.abs_diff(*b) >= 5,
            "{given:?} (downloads: {counts:?})"
        );
    }
    assert_eq!(given.len(), 5 + 6, "every download is a release");
    for (a, b) in counts
        .iter()
        .flat_map(|a| counts.iter().map(move |b| (a, b)))
    {
        assert!(a == b || a.abs_diff(*b) >= 5, "{counts:?}");
    }
    app.stop().await;
}

/// A region as a quasi-identifier with k = 2: a region chosen once needs its cell
/// blanked, so the anonymized export needs suppression accepted.
const QUASI_REGIONS: &str = r#"
id = "oblasti"
title = "Oblasti"
[privacy]
k = 2
[[page]]
id = "p"
  [[page.question]]
  id = "region"
  type = "single"
  text = "Kraj"
  required = true
  privacy = "quasi_identifier"
  options = [{ value = "a", label = "Alfa" }, { value = "b", label = "Beta" }, { value = "c", label = "Gama" }]
"#;

/// What an evaluator learns about an anonymized export before receiving it (the page
/// asking to accept the suppression, the anonymization report) counts the described
/// responses per published value, so it is a release like the export: it describes the
/// same responses until enough new ones have come in, and is recorded. Otherwise two
/// reports a response apart would show the new respondent's region.
async fn what_an_evaluator_learns_of_an_export_is_a_release(db: TestDb) {
    let dir = survey_dir(&[("oblasti", QUASI_REGIONS)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let answer = |region: &'static str| {
        let app = &app;
        async move {
            let mut b = app.browser();
            b.open("/s/oblasti").await;
            assert!(b.next(&[("region", region)]).await.url.ends_with("/done"));
        }
    };
    answer("a").await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["oblasti"]).await;
    let researcher = signed_in_researcher(&app, &mut admin).await;
    // Fewer responses than k: the evaluator is told so without the count (a small count).
    let too_few = evaluator.get_raw("/admin/surveys/oblasti/export/csv").await;
    assert_eq!(too_few.status, StatusCode::CONFLICT);
    assert!(
        too_few
            .body
            .contains("The survey has fewer than 2 complete responses so far."),
        "{}",
        too_few.body
    );
    assert!(!too_few.body.contains("has 1 complete"), "{}", too_few.body);
    for region in ["a", "a", "b", "b", "c"] {
        answer(region).await;
    }
    let report = async |who: &Browser| {
        let page = who
            .get_raw("/admin/surveys/oblasti/anonymization-report.md")
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.body
    };
    let refusal = async || {
        let page = evaluator.get_raw("/admin/surveys/oblasti/export/csv").await;
        assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
        page.body
    };
    let first = report(&evaluator).await;
    assert!(first.contains("Responses selected: 6"), "{first}");
    assert!(first.contains("left out (suppressed whole): 1"), "{first}");
    let first_page = refusal().await;
    // One new response, from region c: as the data are now, nobody is alone in a region
    // and nobody is left out, yet everything the evaluator is shown still describes
    // the first six.
    answer("c").await;
    assert_eq!(report(&evaluator).await, first);
    assert_eq!(refusal().await, first_page);
    // The researcher sees the data as they are.
    let live = report(&researcher).await;
    assert!(live.contains("Responses selected: 7"), "{live}");
    assert!(live.contains("left out (suppressed whole): 0"), "{live}");
    // Every page and report given to the evaluator is a release of the same six.
    let releases = app
        .store
        .releases("oblasti", anketa::store::ReleaseKind::Export)
        .await
        .unwrap();
    let described: Vec<u64> = releases.iter().map(|r| r.responses).collect();
    assert_eq!(described, [6, 6, 6, 6], "{releases:?}");
    // Five new responses (the report's threshold): it moves on.
    for region in ["a", "b", "b", "c"] {
        answer(region).await;
    }
    let moved = report(&evaluator).await;
    assert!(moved.contains("Responses selected: 11"), "{moved}");
    app.stop().await;
}

/// Two groups (regions a and b) and a rating: for the release rules.
const REGIONS: &str = r#"
id = "kraje"
title = "Kraje"
[[page]]
id = "p"
  [[page.question]]
  id = "region"
  type = "single"
  text = "Kraj"
  required = true
  options = [{ value = "a", label = "Alfa" }, { value = "b", label = "Beta" }]
  [[page.question]]
  id = "score"
  type = "rating"
  max = 5
  text = "Hodnocení"
  [[page.question]]
  id = "years"
  type = "number"
  text = "Roky praxe"
  privacy = "quasi_identifier"

[privacy.coarsen]
years = [5]
"#;

/// A filtered report view of one group moves on only when enough new responses of that
/// group have come in: enough in the whole survey is not enough (two views of the group
/// would differ by its one new respondent). For every kind of filter the report offers:
/// an answer, and a variable the report derives (a number published in bands).
async fn a_filtered_view_waits_for_its_own_group(db: TestDb) {
    let by_answer = filtered_view_waits_for_its_group(db, "region").await;
    assert_eq!(by_answer, "region:a");
}

async fn a_view_filtered_by_a_derived_variable_waits_for_its_own_group(db: TestDb) {
    let by_band = filtered_view_waits_for_its_group(db, "years").await;
    assert!(by_band.starts_with("years:"), "{by_band}");
}

/// The scenario of [`a_filtered_view_waits_for_its_own_group`] with group "a" chosen by
/// `variable` (region a has 2 years of practice, region b 10); the filter used.
async fn filtered_view_waits_for_its_group(db: TestDb, variable: &str) -> String {
    let dir = survey_dir(&[("kraje", REGIONS)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let answer = |region: &'static str| {
        let app = &app;
        async move {
            let mut b = app.browser();
            b.open("/s/kraje").await;
            let years = if region == "a" { "2" } else { "10" };
            let done = b
                .next(&[("region", region), ("score", "3"), ("years", years)])
                .await;
            assert!(done.url.ends_with("/done"), "{}", done.body);
        }
    };
    for region in [
        "a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b", "b",
    ] {
        answer(region).await;
    }
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["kraje"]).await;
    let researcher = signed_in_researcher(&app, &mut admin).await;
    // The filter as the report offers it (the researcher's view is not a release).
    let offered = researcher.get_raw("/admin/surveys/kraje/report").await;
    let options = scraper::Selector::parse(&format!("option[value^=\"{variable}:\"]")).unwrap();
    let filter = offered
        .html()
        .select(&options)
        .next()
        .and_then(|o| o.value().attr("value"))
        .expect(&offered.body)
        .to_string();
    let export = researcher.get_raw("/admin/surveys/kraje/export.csv").await;
    let ids: Vec<String> = csv_records(&export.body)
        .iter()
        .map(|r| r["response_id"].clone())
        .collect();
    let mark = async |id: &str, action: &str| {
        let here = format!("/admin/surveys/kraje/responses/{id}");
        let fields = [("action", action), ("reason", "test")];
        let page = staff_post(&researcher, &here, &here, &fields).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    };
    // One response is set aside before anything is published (12 left: 6 a, 6 b).
    let set_aside = ids.last().unwrap().clone();
    mark(&set_aside, "excluded").await;
    let view = async || {
        let page = evaluator
            .get_raw(&format!(
                "/admin/surveys/kraje/report?{}",
                serde_urlencoded::to_string([("filter", &filter)]).unwrap()
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.body
    };
    let first = view().await;
    assert!(
        !first.contains("submitted before"),
        "the first view is not held"
    );
    // Five new responses of group b and one of group a: six in the survey (more than
    // the threshold of 5), but only one in the group viewed.
    for region in ["b", "b", "b", "b", "b", "a"] {
        answer(region).await;
    }
    let second = view().await;
    assert!(
        second.contains("This report describes the 12 complete responses submitted before"),
        "held at the first view's cutoff: {second}"
    );
    // Four more of group a: five new in the group, the view moves on.
    for _ in 0..4 {
        answer("a").await;
    }
    let third = view().await;
    assert!(!third.contains("submitted before"), "moved on");
    let releases = app
        .store
        .releases("kraje", anketa::store::ReleaseKind::Report)
        .await
        .unwrap();
    let groups: Vec<Option<u64>> = releases.iter().rev().map(|r| r.group_responses).collect();
    assert_eq!(groups, [Some(6), Some(6), Some(11)]);
    // The count stays, the people change: one described response set aside, the one set
    // aside before brought back. Two people differ from the last view (the digest counts
    // at least one): refused.
    mark(&ids[0], "excluded").await;
    mark(&set_aside, "unflag").await;
    let fourth = view().await;
    assert!(
        fourth.contains("the report now differs from it by at least 1 response(s)"),
        "{fourth}"
    );
    app.stop().await;
    filter
}

/// Report views and exports are planned against each other: an export one response
/// after a report view would tell which record is the new one.
async fn reports_and_exports_are_held_against_each_other(db: TestDb) {
    let dir = survey_dir(&[("mala", &rated("mala", 3))]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let answer = async || {
        let mut b = app.browser();
        b.open("/s/mala").await;
        assert!(b.next(&[("score", "4")]).await.url.ends_with("/done"));
    };
    for _ in 0..6 {
        answer().await;
    }
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["mala"]).await;
    let report = evaluator.get_raw("/admin/surveys/mala/report").await;
    assert_eq!(report.status, StatusCode::OK);
    answer().await;
    let export = evaluator.get_raw("/admin/surveys/mala/export/csv").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.body);
    assert_eq!(
        csv_records(&export.body).len(),
        6,
        "held at the report view's cutoff"
    );
    // The stricter threshold holds for both: min_cell 5 over k = 3.
    for _ in 0..2 {
        answer().await;
    }
    let export = evaluator.get_raw("/admin/surveys/mala/export/csv").await;
    assert_eq!(
        csv_records(&export.body).len(),
        6,
        "3 new (k, not min_cell): held"
    );
    for _ in 0..2 {
        answer().await;
    }
    let export = evaluator.get_raw("/admin/surveys/mala/export/csv").await;
    assert_eq!(csv_records(&export.body).len(), 11, "5 new since: moves on");
    // A report view now describes the same 11 (nothing new since the export).
    let report = evaluator.get_raw("/admin/surveys/mala/report").await;
    assert!(report.body.contains("<dd>11</dd>"), "{}", report.body);
    app.stop().await;
}

/// An evaluator's dashboard is a publication like a report view: held at the last
/// release's cutoff until enough new responses have come in (a refresh one response later
/// would show which region the new respondent is in), and recorded.
async fn an_evaluators_dashboard_is_held_like_a_report(db: TestDb) {
    let dir = survey_dir(&[("kraje", REGIONS)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let answer = async |region: &str| {
        let mut b = app.browser();
        b.open("/s/kraje").await;
        let done = b.next(&[("region", region), ("score", "3")]).await;
        assert!(done.url.ends_with("/done"), "{}", done.body);
    };
    for region in ["a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "b"] {
        answer(region).await;
    }
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let evaluator = signed_in_evaluator(&app, &mut admin, &["kraje"]).await;
    let complete = async || {
        let page = evaluator.get_raw("/admin/surveys/kraje").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let html = page.html();
        let sel = scraper::Selector::parse("dl.figures div").unwrap();
        let figure = html
            .select(&sel)
            .find(|d| d.text().any(|t| t == "Complete"))
            .expect("the complete figure");
        let value: String = figure.text().skip(1).collect();
        (value, page.body.contains("These figures describe the"))
    };
    assert_eq!(complete().await, ("12".to_string(), false));
    answer("a").await;
    assert_eq!(
        complete().await,
        ("12".to_string(), true),
        "held: one new response"
    );
    for region in ["b", "a", "b", "a"] {
        answer(region).await;
    }
    assert_eq!(
        complete().await,
        ("17".to_string(), false),
        "five new: moves on"
    );
    // Researchers see the dashboard as it is; the evaluator's views were releases.
    let researcher = signed_in_researcher(&app, &mut admin).await;
    let live = researcher.get_raw("/admin/surveys/kraje").await;
    assert!(!live.body.contains("These figures describe the"));
    let releases = app.store.all_releases("kraje").await.unwrap();
    let described: Vec<u64> = releases.iter().rev().map(|r| r.responses).collect();
    assert_eq!(described, [12, 12, 17]);
    app.stop().await;
}

on_both_databases!(
    an_evaluators_dashboard_is_held_like_a_report,
    reports_and_exports_are_held_against_each_other,
    a_filtered_view_waits_for_its_own_group,
    a_view_filtered_by_a_derived_variable_waits_for_its_own_group,
    evaluator_exports_move_on_only_after_k_new_responses,
    what_an_evaluator_learns_of_an_export_is_a_release,
    no_data_link_is_offered_that_cannot_succeed,
    each_role_sees_exactly_what_it_may,
    the_mpsv_dashboard_shows_regions_and_who_has_not_answered,
    responses_are_filtered_flagged_deleted_and_erased,
    sign_in_is_throttled_rotated_and_can_be_ended_everywhere,
    the_user_command_manages_accounts,
);
