//! The respondent flow over real HTTP on SQLite and PostgreSQL: pages, skip logic,
//! validation errors, back navigation, resume, double submit and CSRF.

mod common;

use anketa::store::Status;
use common::app::{TestApp, form_fields};
use common::db::TestDb;
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;

const SURVEY: &str = "seminar-mas-2024";

const ABOUT: [(&str, &str); 4] = [
    ("role", "other"),
    ("role_other", "starostka"),
    ("region", "vysocina"),
    ("mas_project", "running"),
];
const PROGRAMME: [(&str, &str); 6] = [
    ("blocks.competences", "5"),
    ("blocks.panel", "3"),
    ("usefulness", "9"),
    ("workshop_attended", "1"),
    ("workshop_inspiring", "4"),
    ("workshop_comment", "Více času na diskusi, prosím."),
];

async fn completes_the_seminar_survey_with_skip_logic(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();

    let page = b.open(&format!("/s/{SURVEY}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.url.ends_with("/p/about"), "{}", page.url);
    assert_eq!(page.h1(), "O vás a vaší MAS");
    assert_eq!(
        page.progress().as_deref(),
        Some("Krok 1 z 3–4"),
        "the MAS page may apply: it depends on mas_project, on this page"
    );

    let page = b.next(&ABOUT).await;
    assert!(page.url.ends_with("/p/programme"), "{}", page.url);
    assert_eq!(
        page.progress().as_deref(),
        Some("Krok 2 z 4"),
        "a running project adds the MAS page"
    );

    let page = b.next(&PROGRAMME).await;
    assert!(page.url.ends_with("/p/mas_social_work"), "{}", page.url);
    let page = b
        .next(&[
            ("project_forms", "shared_sw"),
            ("orp_cooperation", "working"),
        ])
        .await;
    assert!(page.url.ends_with("/p/needs"), "{}", page.url);
    assert_eq!(page.progress().as_deref(), Some("Krok 4 z 4"));

    let page = b
        .next(&[
            ("support_needs", "methodical"),
            ("call_suggestions", "Delší udržitelnost projektů."),
        ])
        .await;
    assert!(page.url.ends_with("/done"), "{}", page.url);
    assert_eq!(page.h1(), "Děkujeme za vyplnění");
    assert!(
        page.body.contains("www.esfcr.cz"),
        "the survey's outro is shown"
    );

    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::Complete)
            .await
            .unwrap(),
        1
    );
    // Coming back shows the thank-you page, not a new response.
    let page = b.open(&format!("/s/{SURVEY}")).await;
    assert!(page.url.ends_with("/done"));
    let page = b.open(&format!("/s/{SURVEY}/done?lang=en")).await;
    assert_eq!(
        page.h1(),
        "Thank you",
        "the language switch works on the thank-you page"
    );
    app.stop().await;
}

async fn skipped_pages_are_not_shown_and_their_answers_not_kept(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    b.open(&format!("/s/{SURVEY}")).await;
    b.next(&ABOUT).await;
    b.next(&PROGRAMME).await;
    b.next(&[
        ("project_forms", "shared_sw"),
        ("orp_cooperation", "difficult"),
        ("orp_difficulties", "Nekomunikují."),
    ])
    .await;
    // Go back to the first page and say the MAS has no project: the MAS page no longer applies.
    b.back(&[]).await;
    b.back(&[]).await;
    let page = b.back(&[]).await;
    assert!(page.url.ends_with("/p/about"), "{}", page.url);
    let mut about = ABOUT.to_vec();
    about.retain(|(k, _)| *k != "mas_project");
    about.push(("mas_project", "no"));
    b.next(&about).await;
    let page = b.next(&PROGRAMME).await;
    assert!(
        page.url.ends_with("/p/needs"),
        "the MAS page is skipped: {}",
        page.url
    );
    assert_eq!(page.progress().as_deref(), Some("Krok 3 z 3"));
    let page = b.next(&[("support_needs", "seminars")]).await;
    assert!(page.url.ends_with("/done"));

    let mut rows = app.store.complete_responses(SURVEY);
    let r = futures_util::TryStreamExt::try_next(&mut rows)
        .await
        .unwrap()
        .expect("one response");
    assert!(
        !r.answers.contains_key("orp_cooperation"),
        "answers on a page that no longer applies are dropped at submit"
    );
    assert!(!r.answers.contains_key("project_forms"));
    assert!(r.answers.contains_key("usefulness"));
    drop(rows);
    app.stop().await;
}

async fn validation_errors_keep_input_and_link_to_fields(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    b.open(&format!("/s/{SURVEY}")).await;
    let page = b.next(&[("role", "other"), ("region", "vysocina")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.url.ends_with("/p/about"));
    assert_eq!(
        page.error_summary(),
        vec![
            "Napište odpověď: Uveďte prosím svou roli",
            "Vyberte odpověď: Realizuje vaše MAS projekt s aktivitou sociální práce (např. z výzvy OPZ+ pro MAS)?"
        ],
        "role_other (shown because role is other) and mas_project are missing: each names its question"
    );
    assert_eq!(
        page.field_error("role_other").as_deref(),
        Some("Napište odpověď.")
    );
    assert_eq!(
        page.field_error("mas_project").as_deref(),
        Some("Vyberte odpověď.")
    );
    assert_eq!(page.field_error("region"), None);
    // Without the script every conditional question is on the page: it says when it applies.
    assert!(
        page.body.contains(
            "Odpovězte, jen pokud jste u otázky „V jaké roli jste se semináře účastnil(a)?“ zvolili „Jiná role“."
        ),
        "{}",
        page.body
    );
    assert_eq!(page.checked("role"), ["other"], "input is kept");
    assert_eq!(page.checked("region"), ["vysocina"]);
    assert_eq!(
        page.attr(".error-summary li a", "href").as_deref(),
        Some("#q-role_other"),
        "the summary links to the field"
    );
    let described = page
        .attr("#q-role_other", "aria-describedby")
        .unwrap_or_default();
    assert!(
        described.split(' ').any(|id| id == "q-role_other-error"),
        "the error is tied to the input: {described}"
    );
    assert_eq!(
        page.attr("#q-role_other", "aria-invalid").as_deref(),
        Some("true")
    );
    assert!(
        page.body.contains("<title>Chyba: "),
        "the title says there is an error"
    );
    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::InProgress)
            .await
            .unwrap(),
        0,
        "nothing saved from an invalid page"
    );

    // A tampered option value is rejected too.
    let page = b
        .next(&[
            ("role", "hacker"),
            ("region", "vysocina"),
            ("mas_project", "no"),
        ])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.error_summary(),
        ["Vyberte jednu z nabízených možností."]
    );

    let page = b.next(&ABOUT).await;
    assert!(page.url.ends_with("/p/programme"));
    // Out-of-range and over-limit values on the next page.
    let long = "x".repeat(5001);
    let page = b
        .next(&[
            ("usefulness", "11"),
            ("workshop_attended", "0"),
            ("blocks.panel", "3"),
        ])
        .await;
    assert_eq!(
        page.error_summary(),
        ["Vyberte jednu z nabízených možností."]
    );
    let page = b
        .next(&[
            ("usefulness", "7"),
            ("workshop_attended", "1"),
            ("workshop_inspiring", "4"),
            ("workshop_comment", &long),
        ])
        .await;
    assert_eq!(page.error_summary(), ["Text může mít nejvýše 2000 znaků."]);
    assert_eq!(
        page.input_value("workshop_comment").map(|v| v.len()),
        Some(5001),
        "the long text is kept for editing"
    );
    app.stop().await;
}

async fn back_keeps_answers_on_both_pages(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    b.open(&format!("/s/{SURVEY}")).await;
    b.next(&ABOUT).await;
    // Partly filled and even invalid: Back neither blocks nor loses what is valid.
    let page = b
        .back(&[("usefulness", "8"), ("workshop_attended", "maybe")])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.url.ends_with("/p/about"));
    assert_eq!(page.checked("role"), ["other"]);
    assert_eq!(page.input_value("role_other").as_deref(), Some("starostka"));
    assert_eq!(page.checked("mas_project"), ["running"]);
    let page = b.next(&ABOUT).await;
    assert_eq!(page.checked("usefulness"), ["8"]);
    assert_eq!(page.checked("workshop_attended"), Vec::<String>::new());
    app.stop().await;
}

async fn a_dropped_connection_resumes_where_it_left_off(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut first = app.browser();
    first.open(&format!("/s/{SURVEY}")).await;
    first.next(&ABOUT).await;
    let cookie = first
        .jar
        .cookies(&app.url("/").parse().unwrap())
        .expect("session cookie");
    drop(first);

    // The same browser comes back later (same cookie, new connection).
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    for c in cookie.to_str().unwrap().split("; ") {
        jar.add_cookie_str(c, &app.url("/").parse().unwrap());
    }
    let mut again = common::app::Browser::with_jar(&app, jar);
    let page = again.open(&format!("/s/{SURVEY}")).await;
    assert!(
        page.url.ends_with("/p/programme"),
        "resumed on the page after the last saved one: {}",
        page.url
    );
    let page = again.back(&[]).await;
    assert_eq!(page.input_value("role_other").as_deref(), Some("starostka"));

    // A different browser starts its own response.
    let mut other = app.browser();
    let page = other.open(&format!("/s/{SURVEY}")).await;
    assert!(page.url.ends_with("/p/about"));
    assert_eq!(page.checked("role"), Vec::<String>::new());
    // Pages ahead of the respondent's position cannot be skipped to.
    let page = other.open(&format!("/s/{SURVEY}/p/needs")).await;
    assert!(page.url.ends_with("/p/about"), "{}", page.url);
    app.stop().await;
}

/// Fill the survey up to its last page (needs).
async fn to_last_page(b: &mut common::app::Browser) {
    b.open(&format!("/s/{SURVEY}")).await;
    let mut about = ABOUT.to_vec();
    about.retain(|(k, _)| *k != "mas_project");
    about.push(("mas_project", "no"));
    b.next(&about).await;
    let page = b.next(&PROGRAMME).await;
    assert!(page.url.ends_with("/p/needs"));
}

async fn double_and_replayed_submits_create_one_response(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    to_last_page(&mut b).await;
    let page = b.page.clone().unwrap();
    let csrf = page.csrf();
    let action = page.form_action().unwrap();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("_action", "next"),
        ("support_needs", "seminars"),
    ];
    // A double click: two submits at once.
    let (r1, r2) = tokio::join!(b.post_raw(&action, &fields), b.post_raw(&action, &fields));
    for r in [&r1, &r2] {
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert!(r.header("location").unwrap().ends_with("/done"));
    }
    // A replay of the same POST later.
    let r3 = b.post_raw(&action, &fields).await;
    assert!(r3.header("location").unwrap().ends_with("/done"));
    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::Complete)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::InProgress)
            .await
            .unwrap(),
        0
    );
    app.stop().await;
}

async fn a_double_click_on_the_first_page_creates_one_response(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    let page = b.open(&format!("/s/{SURVEY}")).await.clone();
    let csrf = page.csrf();
    let action = page.form_action().unwrap();
    let fields = form_fields(&csrf, "next", &ABOUT);
    let (r1, r2) = tokio::join!(b.post_raw(&action, &fields), b.post_raw(&action, &fields));
    assert_eq!(
        (r1.status, r2.status),
        (StatusCode::SEE_OTHER, StatusCode::SEE_OTHER)
    );
    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::InProgress)
            .await
            .unwrap(),
        1
    );
    app.stop().await;
}

async fn posts_without_the_csrf_token_are_rejected(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    let page = b.open(&format!("/s/{SURVEY}")).await.clone();
    let action = page.form_action().unwrap();
    let mut fields = vec![("_action", "next")];
    fields.extend_from_slice(&ABOUT);
    let page = b.post_raw(&action, &fields).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(
        page.notice()
            .unwrap()
            .contains("Platnost formuláře vypršela"),
        "{:?}",
        page.notice()
    );
    assert_eq!(
        page.checked("region"),
        ["vysocina"],
        "the respondent's input is shown again"
    );
    let mut forged = vec![("_csrf", "forged-token")];
    forged.extend_from_slice(&fields);
    assert_eq!(
        b.post_raw(&action, &forged).await.status,
        StatusCode::FORBIDDEN
    );
    // Another browser's token does not work either.
    let other = app.browser();
    let mut their_fields = vec![("_csrf", page.csrf())];
    their_fields.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let their: Vec<(&str, &str)> = their_fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        other.post_raw(&action, &their).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.store
            .count_responses(SURVEY, Status::InProgress)
            .await
            .unwrap(),
        0,
        "nothing was saved"
    );
    app.stop().await;
}

async fn the_interface_speaks_the_respondents_language(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let b = app.browser();
    let start = b.get_raw(&format!("/s/{SURVEY}")).await;
    let english = b
        .client
        .get(app.url(&start.header("location").unwrap()))
        .header("accept-language", "en-GB,en;q=0.9,cs;q=0.5")
        .send()
        .await
        .unwrap();
    let body = english.text().await.unwrap();
    assert!(
        body.contains("<html lang=\"en\""),
        "Accept-Language picks English"
    );
    assert!(body.contains("About you and your LAG") && body.contains("Continue"));
    let mut b = app.browser();
    let page = b.open(&format!("/s/{SURVEY}?lang=en")).await;
    assert!(page.body.contains("<html lang=\"en\""));
    let page = b.next(&[]).await;
    assert_eq!(
        page.error_summary()[0],
        "Select an answer: In what role did you attend the seminar?"
    );
    let page = b.open(&format!("/s/{SURVEY}/p/about?lang=cs")).await;
    assert_eq!(
        page.h1(),
        "O vás a vaší MAS",
        "the switch link changes the language"
    );
    app.stop().await;
}

on_both_databases!(
    completes_the_seminar_survey_with_skip_logic,
    skipped_pages_are_not_shown_and_their_answers_not_kept,
    validation_errors_keep_input_and_link_to_fields,
    back_keeps_answers_on_both_pages,
    a_dropped_connection_resumes_where_it_left_off,
    double_and_replayed_submits_create_one_response,
    a_double_click_on_the_first_page_creates_one_response,
    posts_without_the_csrf_token_are_rejected,
    the_interface_speaks_the_respondents_language,
);
