//! Who may answer and how they come back, over HTTP on both databases: personal
//! invitations (`anketa invite`), resume codes across devices, open/close dates and
//! quotas, the review page, and the language switch that keeps what was typed.

mod common;

use std::process::Command;

use anketa::store::Status;
use common::app::{Browser, TOKEN_SURVEY, TestApp, path_of, survey_dir};
use common::db::TestDb;
use reqwest::StatusCode;

const REVIEW_SURVEY: &str = r#"
id = "kontrola"
title = { cs = "Dotazník s kontrolou", en = "Survey with review" }
languages = ["cs", "en"]
review = true
[[page]]
id = "first"
title = { cs = "První", en = "First" }
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Role", en = "Role" }
  options = [ { value = "mayor", label = { cs = "Starosta", en = "Mayor" } }, { value = "worker", label = { cs = "Pracovník", en = "Worker" } } ]
  required = true
  [[page.question]]
  id = "name"
  type = "text"
  text = { cs = "Jméno", en = "Name" }
[[page]]
id = "mayors"
show_if = "role == 'mayor'"
  [[page.question]]
  id = "term"
  type = "number"
  text = { cs = "Kolikáté volební období", en = "Which term" }
  required = true
[[page]]
id = "last"
  [[page.question]]
  id = "ok"
  type = "yesno"
  text = { cs = "Vše v pořádku?", en = "All fine?" }
"#;

fn schedule_survey(id: &str, extra: &str) -> String {
    format!(
        "id = \"{id}\"\ntitle = \"Plán\"\n{extra}\n[[page]]\nid = \"p\"\n  [[page.question]]\n  id = \"q\"\n  type = \"yesno\"\n  text = \"Ano?\"\n  required = true\n"
    )
}

/// Run `anketa invite` for the test survey and return the personal links.
fn invite(app: &TestApp, surveys: &std::path::Path, people: &str) -> Vec<String> {
    let (links, stderr) = common::app::invite(&app.db.url, surveys, "obce-pozvanky", people);
    assert!(
        stderr.contains("column \"municipality\" fills the hidden question \"obec\""),
        "{stderr}"
    );
    links
}

async fn invitations_give_one_response_each_with_attributes(db: TestDb) {
    let dir = survey_dir(&[("pozvanky", TOKEN_SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let links = invite(
        &app,
        dir.path(),
        "name,email,municipality\nJana Nováková,jana@example.cz,kolin\nPetr Svoboda,petr@example.cz,most\n",
    );
    assert_eq!(links.len(), 2);
    assert!(
        links
            .iter()
            .all(|l| l.starts_with("https://anketa.example.cz/t/") && l.len() > 60),
        "{links:?}"
    );

    // Without a link the survey is closed to everyone.
    let mut stranger = app.browser();
    let page = stranger.open("/s/obce-pozvanky").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("Dotazník je jen pro pozvané"));
    let page = stranger.open("/t/not-a-real-token").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Odkaz není platný"));

    // Jana starts on her phone...
    let mut phone = app.browser();
    let page = phone.open(&path_of(&links[0])).await;
    assert!(page.url.ends_with("/s/obce-pozvanky/p/one"), "{}", page.url);
    assert!(
        !page.body.contains("Uložit a dokončit později"),
        "token surveys resume from the link itself"
    );
    phone.next(&[("staff", "4")]).await;
    // ...and finishes on her desktop with the same link.
    let mut desktop = app.browser();
    let page = desktop.open(&path_of(&links[0])).await;
    assert!(
        page.url.ends_with("/p/two"),
        "resumed where the phone left off: {}",
        page.url
    );
    let page = desktop.next(&[("comment", "Díky")]).await;
    assert!(page.url.ends_with("/done"));
    // The link now only shows that she has answered.
    let page = phone.open(&path_of(&links[0])).await;
    assert!(page.url.ends_with("/done"));
    assert!(
        page.body.contains("Vaše odpovědi jsme přijali"),
        "{}",
        page.body
    );

    // Petr answers too; each token made exactly one response.
    let mut petr = app.browser();
    petr.open(&path_of(&links[1])).await;
    petr.next(&[("staff", "2")]).await;
    petr.next(&[]).await;
    assert_eq!(
        app.store
            .count_responses("obce-pozvanky", Status::Complete)
            .await
            .unwrap(),
        2
    );

    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["export", "obce-pozvanky", "--database", &app.db.url])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "response_id",
            "survey_version",
            "submitted_at",
            "language",
            "invitation.email",
            "invitation.municipality",
            "invitation.name",
            "obec",
            "staff",
            "comment"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    let jana = rows
        .iter()
        .find(|r| r[6] == "Jana Nováková")
        .expect("Jana's row");
    assert_eq!(
        (
            jana[5].as_str(),
            jana[7].as_str(),
            jana[8].as_str(),
            jana[9].as_str()
        ),
        ("kolin", "kolin", "4", "Díky"),
        "attributes and the hidden question filled from the invitation"
    );
    app.stop().await;
}

async fn guessing_invitation_links_is_rate_limited(db: TestDb) {
    let dir = survey_dir(&[("pozvanky", TOKEN_SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let b = app.browser();
    let mut statuses = Vec::new();
    for i in 0..32 {
        statuses.push(b.get_raw(&format!("/t/guess{i}")).await.status);
    }
    assert!(
        statuses[..30].iter().all(|s| *s == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    let last = b.get_raw("/t/guess-more").await;
    assert_eq!(last.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(last.header("retry-after").as_deref(), Some("60"));
    assert!(last.body.contains("Příliš mnoho pokusů"));
    app.stop().await;
}

async fn save_and_resume_on_another_device(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut laptop = app.browser();
    laptop.open("/s/seminar-mas-2024").await;
    laptop
        .next(&[
            ("role", "mas_staff"),
            ("region", "vysocina"),
            ("mas_project", "no"),
        ])
        .await;
    // Half-way through page 2, save for later (partial and even invalid input is fine).
    let page = laptop
        .press(
            "save",
            &[
                ("usefulness", "7"),
                ("blocks.panel", "4"),
                ("workshop_attended", "maybe"),
            ],
        )
        .await
        .clone();
    assert!(page.url.ends_with("/saved"), "{}", page.url);
    assert_eq!(page.h1(), "Vaše odpovědi jsou uložené");
    let code = page
        .select_first("code.resume-code")
        .expect("a code is shown");
    let link = page.attr(".resume dd a", "href").expect("a link is shown");
    assert!(link.ends_with(&format!("/r/{code}")), "{link} / {code}");
    assert_eq!(code.len(), 14, "12 characters in groups of four: {code}");

    // On the phone, with the link.
    let mut phone = app.browser();
    let page = phone.open(&path_of(&link)).await;
    assert!(page.url.ends_with("/p/programme"), "{}", page.url);
    assert_eq!(page.checked("usefulness"), ["7"]);
    assert_eq!(page.checked("blocks.panel"), ["4"]);

    // On a tablet, typing the code sloppily.
    let mut tablet = app.browser();
    let form = tablet.open("/s/seminar-mas-2024/resume").await.clone();
    assert_eq!(form.status, StatusCode::OK);
    let typed = code.to_lowercase().replace('-', " ");
    let page = tablet.post_form(&form, &[("code", typed.as_str())]).await;
    assert!(page.url.ends_with("/p/programme"), "{}", page.url);
    // A wrong code is explained, not accepted.
    let mut other = app.browser();
    let form = other.open("/s/seminar-mas-2024/resume").await.clone();
    let page = other
        .post_form(
            &form,
            &[("code", "0000-0000-0000-0000-0000-0000-0000-0000")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.error_summary(),
        ["Tento kód neznáme nebo už neplatí. Zkontrolujte ho prosím."]
    );
    // A code of the wrong form says what is wrong with it.
    for (typed, said) in [
        (
            &code[..code.len() - 1],
            "Kód má 12 znaků (písmena a číslice), vy jste zadali 11 znaků. Zkontrolujte ho prosím.",
        ),
        (
            "7K2M-9QXA-4HTU",
            "Kód tvoří jen písmena bez diakritiky (kromě U) a číslice; „U“ v něm být nemůže.",
        ),
    ] {
        let form = other.open("/s/seminar-mas-2024/resume").await.clone();
        let page = other.post_form(&form, &[("code", typed)]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(page.error_summary(), [said], "{typed}");
        assert!(
            page.body.contains(&format!("value=\"{typed}\"")),
            "kept as typed"
        );
    }
    // Issuing a new code retires the old one.
    laptop.open("/s/seminar-mas-2024").await;
    laptop.press("save", &[]).await;
    assert_eq!(
        app.browser().open(&path_of(&link)).await.status,
        StatusCode::NOT_FOUND
    );
    app.stop().await;
}

async fn closed_not_yet_open_and_full_surveys_say_so(db: TestDb) {
    let dir = survey_dir(&[
        ("a", &schedule_survey("uzavreny", "closes = 2020-01-31")),
        (
            "b",
            &schedule_survey("budouci", "opens = 2999-01-01T08:00:00+01:00"),
        ),
        ("c", &schedule_survey("kvota", "quota = 1")),
    ]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let mut b = app.browser();
    let page = b.open("/s/uzavreny").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert_eq!(page.h1(), "Dotazník je uzavřený");
    assert!(
        page.body.contains("do 1. 2. 2020 0:00"),
        "closes at the end of 31 January, Prague time: {}",
        page.body
    );
    let page = b.open("/s/budouci").await;
    assert_eq!(page.h1(), "Dotazník zatím není otevřený");
    assert!(page.body.contains("od 1. 1. 2999 8:00"));
    // Quota 1: one respondent under way may finish even when another completes first.
    let mut first = app.browser();
    let mut second = app.browser();
    first.open("/s/kvota").await;
    second.open("/s/kvota").await;
    second.press("save", &[]).await;
    assert!(first.next(&[("q", "1")]).await.url.ends_with("/done"));
    let page = app.browser().open("/s/kvota").await.clone();
    assert_eq!(
        (page.status, page.h1().as_str()),
        (StatusCode::FORBIDDEN, "Dotazník je uzavřený"),
        "a new respondent is turned away"
    );
    second.open("/s/kvota").await;
    assert!(
        second.next(&[("q", "0")]).await.url.ends_with("/done"),
        "the one under way finishes"
    );
    // The home page lists only the surveys one can answer.
    let home = app.browser().open("/").await.clone();
    assert!(
        !home.body.contains("/s/uzavreny")
            && !home.body.contains("/s/budouci")
            && !home.body.contains("/s/kvota"),
        "{}",
        home.body
    );
    app.stop().await;
}

async fn review_lists_answers_and_submit_checks_every_page(db: TestDb) {
    let dir = survey_dir(&[("kontrola", REVIEW_SURVEY)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    let mut b = app.browser();
    b.open("/s/kontrola").await;
    b.next(&[("role", "worker"), ("name", "Eva")]).await;
    let page = b.next(&[("ok", "1")]).await.clone();
    assert!(page.url.ends_with("/review"), "{}", page.url);
    assert_eq!(page.h1(), "Zkontrolujte své odpovědi");
    assert!(
        page.body.contains("Pracovník") && page.body.contains("Eva") && page.body.contains("Ano"),
        "answers in words: {}",
        page.body
    );
    assert!(
        !page.body.contains("Kolikáté volební období"),
        "the mayors' page does not apply"
    );
    // Change the first page from the review: becoming a mayor brings in a new required page.
    let change = page
        .attr("a[href$='/p/first?review=1']", "href")
        .expect("a change link");
    b.open(&change).await;
    let page = b.next(&[("role", "mayor"), ("name", "Eva")]).await.clone();
    assert!(
        page.url.ends_with("/review"),
        "Continue returns to the review: {}",
        page.url
    );
    let page = b.review_submit().await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the new page must be answered first"
    );
    assert_eq!(page.h1(), "Dotazník s kontrolou");
    assert!(page.form_action().unwrap().ends_with("/p/mayors"));
    assert_eq!(
        page.error_summary(),
        ["Zadejte číslo: Kolikáté volební období"]
    );
    let page = b.next(&[("term", "2")]).await.clone();
    assert!(page.url.ends_with("/p/last"), "{}", page.url);
    b.next(&[("ok", "1")]).await;
    let page = b.review_submit().await;
    assert!(page.url.ends_with("/done"), "{}", page.url);
    assert_eq!(
        app.store
            .count_responses("kontrola", Status::Complete)
            .await
            .unwrap(),
        1
    );
    app.stop().await;
}

async fn switching_language_keeps_what_was_typed(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    let page = b.open("/s/seminar-mas-2024").await;
    assert!(
        page.body.contains("name=\"_action\" value=\"lang-en\""),
        "the switch is a button of the form"
    );
    let page = b
        .press(
            "lang-en",
            &[
                ("role", "other"),
                ("role_other", "starostka obce"),
                ("region", "vysocina"),
            ],
        )
        .await
        .clone();
    assert!(page.url.ends_with("/p/about"), "{}", page.url);
    assert!(page.body.contains("<html lang=\"en\""));
    assert_eq!(page.h1(), "About you and your LAG");
    assert_eq!(page.checked("role"), ["other"]);
    assert_eq!(
        page.input_value("role_other").as_deref(),
        Some("starostka obce")
    );
    assert_eq!(page.checked("region"), ["vysocina"]);
    // Numbers are shown the language's way.
    let page = b
        .next(&[
            ("role", "other"),
            ("role_other", "x"),
            ("region", "vysocina"),
            ("mas_project", "no"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/p/programme"));
    app.stop().await;
}

on_both_databases!(
    invitations_give_one_response_each_with_attributes,
    guessing_invitation_links_is_rate_limited,
    save_and_resume_on_another_device,
    closed_not_yet_open_and_full_surveys_say_so,
    review_lists_answers_and_submit_checks_every_page,
    switching_language_keeps_what_was_typed,
);

impl Browser {
    async fn review_submit(&mut self) -> &common::app::Page {
        self.press("submit", &[]).await
    }
}
