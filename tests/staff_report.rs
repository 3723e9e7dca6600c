//! The report page of the staff area on both databases: evaluators see the tables and
//! charts of the surveys granted to them (pre/post blocks only with the "before" survey
//! granted too), filters work, a filter matching fewer responses than the threshold shows
//! nothing, and surveys not granted answer 404.

mod common;

use std::process::Command;

use common::app::{TestApp, repo_surveys};
use common::db::TestDb;
use common::staff::{cli_admin, signed_in_evaluator, signed_in_researcher};
use reqwest::StatusCode;

fn demo(db: &str, args: &[&str]) {
    let surveys = repo_surveys().display().to_string();
    let mut all = vec!["demo"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--database", db, "--surveys", &surveys]);
    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(&all)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn evaluators_get_suppressed_reports_of_granted_surveys(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let url = app.db.url.clone();
    demo(&url, &["training"]);
    demo(
        &url,
        &[
            "responses",
            "obce-socialni-prace",
            "--one-per",
            "municipality",
        ],
    );
    let mut admin = cli_admin(&app, &repo_surveys(), "admin@example.cz").await;
    let researcher = signed_in_researcher(&app, &mut admin).await;
    let evaluator =
        signed_in_evaluator(&app, &mut admin, &["skoleni-po", "obce-socialni-prace"]).await;

    let dashboard = evaluator.get_raw("/admin/surveys/skoleni-po").await;
    assert!(
        dashboard.body.contains("/admin/surveys/skoleni-po/report"),
        "linked from the dashboard"
    );

    let page = evaluator.get_raw("/admin/surveys/skoleni-po/report").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Hodnocení kurzu (5 výroků)"));
    assert!(page.body.contains("<svg"), "charts inline");
    // The same document as `anketa analyze`, in the same order: front matter, contents,
    // summary of findings, the results, and the method last.
    let at = |word: &str| {
        page.body
            .find(word)
            .unwrap_or_else(|| panic!("{word} is not on the staff report page"))
    };
    let order = [
        at("Dokončené odpovědi"),
        at(">Obsah<"),
        at(">Shrnutí</h2>"),
        at("Tabulka 1: "),
        at(">Metoda</h2>"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(
        !page.body.contains("Znalosti před a po programu"),
        "the entry questionnaire is not granted: no pre/post block"
    );
    let full = researcher.get_raw("/admin/surveys/skoleni-po/report").await;
    assert!(full.body.contains("Znalosti před a po programu"));
    let en = researcher
        .get_raw("/admin/surveys/skoleni-po/report?lang=en")
        .await;
    assert!(en.body.contains("Knowledge before and after the programme"));
    assert!(en.body.contains("Before and after"));

    // Filters: an option attribute with 5 municipalities per office is shown...
    let praha = evaluator
        .get_raw("/admin/surveys/obce-socialni-prace/report?filter=municipality.region%3APraha")
        .await;
    assert_eq!(praha.status, StatusCode::OK);
    assert!(
        praha.body.contains("<dt>Dokončené odpovědi</dt><dd>5</dd>"),
        "{}",
        praha.body
    );
    assert!(praha.body.contains("<dt>Filtr</dt>"));
    // ... one municipality is not a variable at all: the privacy model publishes the
    // municipality only as its region.
    let kolin = evaluator
        .get_raw("/admin/surveys/obce-socialni-prace/report?filter=municipality%3Akolin")
        .await;
    assert_eq!(kolin.status, StatusCode::OK);
    assert!(
        kolin.body.contains("does not match any variable"),
        "{}",
        kolin.body
    );
    assert!(!kolin.body.contains("<svg"));
    assert!(
        !praha.body.contains("value=\"municipality:"),
        "no filter by municipality"
    );

    // Releases: filtered views by a second variable are refused to evaluators (they could
    // be compared with the views by region), not to researchers.
    let by_role = "/admin/surveys/obce-socialni-prace/report?filter=respondent_role%3Ahead";
    let refused = evaluator.get_raw(by_role).await;
    assert!(
        refused.body.contains("have been published by") && refused.body.contains("only filters by"),
        "{}",
        refused.body
    );
    assert!(!refused.body.contains("<svg"));
    // Only the variable in use is offered to the evaluator; the researcher is offered all.
    let offered = |body: &str, variable: &str| body.contains(&format!("value=\"{variable}:"));
    assert!(
        offered(&refused.body, "municipality.region"),
        "{}",
        refused.body
    );
    assert!(
        !offered(&refused.body, "respondent_role"),
        "{}",
        refused.body
    );
    let researcher_view = researcher.get_raw(by_role).await;
    assert!(!researcher_view.body.contains("have been published by"));
    assert!(offered(&researcher_view.body, "respondent_role"));
    // Growth: one response more (the demo dates it in the past) would let the next view be
    // compared with the last one; it is refused until the difference reaches the
    // threshold: the larger of the plan's min_cell (3) and the survey's k (5), since
    // report views and anonymized exports are planned against each other.
    let whole = "/admin/surveys/obce-socialni-prace/report";
    assert!(
        evaluator
            .get_raw(whole)
            .await
            .body
            .contains("<dt>Dokončené odpovědi</dt><dd>15</dd>")
    );
    demo(&url, &["responses", "obce-socialni-prace", "--count", "1"]);
    let changed = evaluator.get_raw(whole).await;
    assert!(
        changed
            .body
            .contains("differs from it by at least 1 response(s)"),
        "{}",
        changed.body
    );
    assert!(
        !changed
            .body
            .contains("<dt>Dokončené odpovědi</dt><dd>16</dd>")
    );
    demo(&url, &["responses", "obce-socialni-prace", "--count", "2"]);
    let still = evaluator.get_raw(whole).await;
    assert!(
        still
            .body
            .contains("differs from it by at least 3 response(s)"),
        "{}",
        still.body
    );
    demo(&url, &["responses", "obce-socialni-prace", "--count", "2"]);
    let moved_on = evaluator.get_raw(whole).await;
    assert!(
        moved_on
            .body
            .contains("<dt>Dokončené odpovědi</dt><dd>20</dd>"),
        "{}",
        moved_on.body
    );

    // Dashboards: researchers see who has answered; an evaluator's dashboard is a
    // publication like the report (the municipality only as its region, audited counts,
    // no per-day series).
    let full = researcher
        .get_raw("/admin/surveys/obce-socialni-prace")
        .await;
    assert!(full.body.contains("Kolín"), "{}", full.body);
    assert!(full.body.contains("Complete responses per day"));
    let protected = evaluator
        .get_raw("/admin/surveys/obce-socialni-prace")
        .await;
    assert_eq!(protected.status, StatusCode::OK);
    for municipality in ["Kolín", "Jilemnice", "Chrudim"] {
        assert!(
            !protected.body.contains(municipality),
            "{municipality}: {}",
            protected.body
        );
    }
    assert!(!protected.body.contains("No response yet from"));
    assert!(
        protected
            .body
            .contains("<tr><th scope=\"row\">Hradec Králové</th><td class=\"num\">5</td></tr>"),
        "{}",
        protected.body
    );
    assert!(!protected.body.contains("The numbers"), "no per-day counts");

    let other = evaluator
        .get_raw("/admin/surveys/seminar-mas-2024/report")
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let guide = researcher
        .get_raw("/admin/surveys/rozhovor-orp/report")
        .await;
    assert_eq!(
        guide.status,
        StatusCode::NOT_FOUND,
        "interview guides have no report"
    );
    app.stop().await;
}

on_both_databases!(evaluators_get_suppressed_reports_of_granted_surveys);
