//! Every example survey filled to the end over HTTP on both databases, through its
//! skip logic and validation rules, then exported as CSV (by the `anketa export`
//! binary) and read back.

mod common;

use std::collections::HashMap;

use common::app::{Browser, TestApp};
use common::db::TestDb;
use reqwest::StatusCode;

type Fields<'a> = &'a [(&'a str, &'a str)];

/// Answer pages in order, checking each page reached is the expected one.
async fn fill(b: &mut Browser, start: &str, pages: &[(&str, Fields<'_>)]) {
    let mut page = b.open(start).await.clone();
    for (id, fields) in pages {
        assert!(
            page.url.ends_with(&format!("/p/{id}")),
            "expected page {id}, got {} (errors: {:?})",
            page.url,
            page.error_summary()
        );
        page = b.next(fields).await.clone();
    }
    if page.url.ends_with("/review") {
        page = submit_review(b).await;
    }
    assert!(
        page.url.ends_with("/done"),
        "expected the end, got {} (errors: {:?})",
        page.url,
        page.error_summary()
    );
}

/// On the review page: the answers are listed; submit them.
async fn submit_review(b: &mut Browser) -> common::app::Page {
    let page = b.page.clone().expect("a page");
    assert!(
        page.url.ends_with("/review"),
        "expected the review page, got {}",
        page.url
    );
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Zkontrolujte své odpovědi"));
    b.press("submit", &[]).await.clone()
}

/// Run `anketa export` on the app's database and parse the CSV it prints.
fn export(app: &TestApp, survey: &str) -> Vec<HashMap<String, String>> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["export", survey, "--database", &app.db.url])
        .output()
        .expect("run anketa export");
    assert!(
        out.status.success(),
        "export failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(text.contains("\r\n"), "RFC 4180 line ends");
    let first_line = text.lines().next().unwrap_or_default();
    assert!(
        first_line.starts_with("response_id,survey_version,submitted_at,language"),
        "{first_line}"
    );
    common::app::csv_records(&text)
}

const USE_FREQ: [(&str, &str); 6] = [
    ("use_freq.methodologist", "3"),
    ("use_freq.meetings", "4"),
    ("use_freq.lawyer", "2"),
    ("use_freq.trainings", "1"),
    ("use_freq.case_seminars", "1"),
    ("use_freq.workshops", "2"),
];

async fn municipalities_survey(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    let start = "/s/obce-socialni-prace?source=newsletter&municipality=ignored";
    let page = b.open(start).await.clone();
    assert!(page.url.ends_with("/p/identification"));
    // Consent is required, and the validate rule compares two numbers.
    let page = b
        .next(&[("municipality", "kolin"), ("respondent_role", "head")])
        .await;
    assert_eq!(
        page.error_summary(),
        ["Bez vašeho souhlasu nemůžete pokračovat."]
    );
    let page = b
        .next(&[
            ("consent_gdpr", "yes"),
            ("municipality", "kolin"),
            ("respondent_role", "head"),
            ("project_start", "2017-03-01"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/p/staffing"));
    let page = b
        .next(&[
            ("sw_project", "3"),
            ("sw_total", "2"),
            ("other_agendas", "0"),
        ])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        page.field_error("sw_total").as_deref(),
        Some(
            "Celkový počet sociálních pracovníků nemůže být menší než počet pracovníků financovaných z projektu."
        )
    );
    b.next(&[
        ("sw_project", "3"),
        ("sw_total", "4"),
        ("other_agendas", "1"),
        ("other_agendas_share", "30"),
    ])
    .await;
    // lawyer used "2" (rarely) or more: the lawyer satisfaction question is required.
    let page = b.next(&USE_FREQ).await;
    assert_eq!(
        page.error_summary(),
        [
            "Vyberte odpověď: Jak jste spokojeni se sociálně-právní podporou právníka oblastní kanceláře?"
        ]
    );
    let mut regional = USE_FREQ.to_vec();
    regional.extend([
        ("satisfaction.availability", "4"),
        ("lawyer_satisfaction", "5"),
    ]);
    b.next(&regional).await;
    let page = b
        .next(&[
            ("training", "none"),
            ("training", "accredited"),
            ("supervision", "individual"),
        ])
        .await;
    assert_eq!(
        page.error_summary(),
        ["Možnost „Žádné“ nelze kombinovat s jinými odpověďmi."]
    );
    let page = b
        .next(&[
            ("training", "accredited"),
            ("supervision", "individual"),
            ("supervision_benefit", "4"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/p/limits"));
    let page = b
        .next(&[
            (
                "limits",
                "Chybí návazné služby; \"dluhy\", bydlení.\nDruhý řádek.",
            ),
            ("overall_support", "4"),
        ])
        .await
        .clone();
    assert!(
        page.body.contains("Chybí návazné služby"),
        "the review lists the answers"
    );
    assert!(submit_review(&mut b).await.url.ends_with("/done"));

    let rows = export(&app, "obce-socialni-prace");
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["language"], "cs");
    assert_eq!(
        r["consent_gdpr"], "2024-01",
        "the consent version is stored"
    );
    assert_eq!(r["municipality"], "kolin");
    assert_eq!(r["source"], "newsletter", "hidden value from the link");
    assert_eq!(r["project_start"], "2017-03-01");
    assert_eq!(
        (
            r["sw_project"].as_str(),
            r["sw_total"].as_str(),
            r["other_agendas"].as_str(),
            r["other_agendas_share"].as_str()
        ),
        ("3", "4", "1", "30")
    );
    assert_eq!(
        (
            r["use_freq.lawyer"].as_str(),
            r["satisfaction.availability"].as_str(),
            r["satisfaction.expertise"].as_str()
        ),
        ("2", "4", "")
    );
    assert_eq!(
        (
            r["training.accredited"].as_str(),
            r["training.none"].as_str(),
            r["training.other"].as_str()
        ),
        ("1", "0", "0")
    );
    assert_eq!(
        r["limits"], "Chybí návazné služby; \"dluhy\", bydlení.\nDruhý řádek.",
        "quotes and newlines survive CSV"
    );
    assert_eq!(
        r["not_used_reason"], "",
        "not shown: the methodologist was used"
    );
    assert_eq!(r["continue_cooperation"], "");
    assert!(
        r["submitted_at"].ends_with('Z') && r["submitted_at"].contains('T'),
        "ISO 8601 UTC: {}",
        r["submitted_at"]
    );
    app.stop().await;
}

async fn activities_survey_for_a_regional_office_skips_the_municipal_pages(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    let often_kraj = [
        ("office_type", "kraj"),
        ("often_kraj.a_metody", "3"),
        ("often_kraj.b_koordinace", "4"),
        ("often_kraj.c_metodicka_pomoc", "5"),
        ("often_kraj.d_kontrola", "2"),
        ("often_kraj.k_poradenstvi", "3"),
        ("often_kraj.m_teren", "1"),
        ("often_kraj.p_sit", "4"),
        ("often_kraj.kazuisticke", "2"),
        ("kraj_capacity", "2"),
    ];
    let ranking = [
        ("obstacles.staff", "2"),
        ("obstacles.agendas", "1"),
        ("obstacles.admin", "3"),
        ("obstacles.services", "5"),
        ("obstacles.guidance", "4"),
    ];
    fill(
        &mut b,
        "/s/cinnosti-socialni-prace",
        &[
            ("office", &[("office_type", "kraj")]),
            ("regional", &often_kraj[1..]),
            ("priorities", &ranking),
        ],
    )
    .await;
    let rows = export(&app, "cinnosti-socialni-prace");
    let r = &rows[0];
    assert_eq!(
        (
            r["office_type"].as_str(),
            r["field_work"].as_str(),
            r["often_direct.depistaz"].as_str()
        ),
        ("kraj", "", "")
    );
    assert_eq!(
        (
            r["obstacles.agendas"].as_str(),
            r["obstacles.staff"].as_str(),
            r["obstacles.services"].as_str()
        ),
        ("1", "2", "5")
    );
    assert_eq!(r["often_kraj.c_metodicka_pomoc"], "5");
    app.stop().await;
}

async fn activities_survey_for_a_municipal_office(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let mut b = app.browser();
    b.open("/s/cinnosti-socialni-prace").await;
    // No field work: the reasons become required (a same-page condition).
    let page = b.next(&[("office_type", "orp"), ("field_work", "0")]).await;
    assert_eq!(
        page.error_summary(),
        ["Vyberte alespoň jednu možnost: Co vám v terénní práci brání?"]
    );
    let page = b
        .next(&[
            ("office_type", "orp"),
            ("office_name", "MÚ Kolín"),
            ("field_work", "0"),
            ("no_field_reasons", "capacity"),
            ("no_field_reasons", "transport"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/p/direct"), "{}", page.url);
    assert_eq!(page.progress().as_deref(), Some("Krok 2 z 6"));
    let rare: Vec<(&str, &str)> = [
        "depistaz",
        "setreni",
        "posouzeni",
        "prima_prace",
        "zplnomocneni",
        "ind_plan",
        "metody",
        "poradenstvi",
    ]
    .iter()
    .map(|row| {
        (
            Box::leak(format!("often_direct.{row}").into_boxed_str()) as &str,
            "2",
        )
    })
    .collect();
    let page = b.next(&rare).await.clone();
    assert!(page.url.ends_with("/p/cooperation"));
    let page = b
        .next(&[
            ("often_coop.instituce", "4"),
            ("often_coop.navazujici", "3"),
            ("often_coop.site", "1"),
            ("often_coop.zmena_prostredi", "1"),
            ("well_coop.instituce", "4"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/p/development"));
    b.next(&[
        ("often_dev.koncepce", "1"),
        ("often_dev.prevence", "1"),
        ("often_dev.propagace", "1"),
        ("often_dev.vzdelavani", "5"),
    ])
    .await;
    let admin = [
        ("well_admin.predpisy", "5"),
        ("well_admin.zaznam", "4"),
        ("well_admin.statistiky", "4"),
        ("well_admin.ochrana_udaju", "5"),
        ("well_admin.zabezpeceni_udaju", "5"),
        ("well_admin.etika", "5"),
    ];
    let page = b.next(&admin).await;
    assert_eq!(
        page.error_summary(),
        ["Odpovězte prosím v každém řádku (chybí 1 řádek)."]
    );
    let mut all = admin.to_vec();
    all.push(("well_admin.mlcenlivost", "5"));
    let page = b.next(&all).await.clone();
    assert!(
        page.url.ends_with("/p/priorities"),
        "the regional-office page is skipped: {}",
        page.url
    );
    let page = b
        .next(&[("obstacles.staff", "1"), ("obstacles.agendas", "1")])
        .await;
    assert_eq!(
        page.error_summary(),
        ["Pořadí 1 je použité vícekrát; každé číslo použijte jen jednou."]
    );
    let page = b
        .next(&[
            ("obstacles.staff", "1"),
            ("obstacles.agendas", "2"),
            ("obstacles.admin", "3"),
            ("obstacles.services", "4"),
            ("obstacles.guidance", "5"),
        ])
        .await
        .clone();
    assert!(page.url.ends_with("/review"));
    assert!(submit_review(&mut b).await.url.ends_with("/done"));
    let rows = export(&app, "cinnosti-socialni-prace");
    let r = &rows[0];
    assert_eq!(
        (
            r["field_work"].as_str(),
            r["no_field_reasons.capacity"].as_str(),
            r["no_field_reasons.safety"].as_str()
        ),
        ("0", "1", "0")
    );
    assert_eq!(r["office_name"], "MÚ Kolín");
    assert_eq!(
        r["often_kraj.a_metody"], "",
        "the regional page was skipped"
    );
    assert_eq!(r["well_coop.instituce"], "4");
    app.stop().await;
}

async fn export_lists_complete_responses_only_in_submission_order(db: TestDb) {
    let app = TestApp::spawn(db).await;
    let about = |role: &'static str| [("role", role), ("region", "praha"), ("mas_project", "no")];
    let programme = [("usefulness", "10"), ("workshop_attended", "0")];
    let mut ids = Vec::new();
    for (i, role) in ["mas_manager", "social_worker", "provider"]
        .into_iter()
        .enumerate()
    {
        let mut b = app.browser();
        let about = about(role);
        if i == 1 {
            // This one stops half way: not exported.
            b.open("/s/seminar-mas-2024").await;
            b.next(&about).await;
            continue;
        }
        let lang = if i == 2 {
            "/s/seminar-mas-2024?lang=en"
        } else {
            "/s/seminar-mas-2024"
        };
        fill(
            &mut b,
            lang,
            &[
                ("about", &about),
                ("programme", &programme),
                (
                    "needs",
                    &[
                        ("support_needs", "seminars"),
                        ("support_needs", "other"),
                        ("support_needs.other_text", "Exkurze"),
                    ],
                ),
            ],
        )
        .await;
        ids.push(role);
    }
    let rows = export(&app, "seminar-mas-2024");
    assert_eq!(
        rows.iter().map(|r| r["role"].as_str()).collect::<Vec<_>>(),
        ids
    );
    assert_eq!(rows[1]["language"], "en");
    assert_eq!(
        (
            rows[0]["support_needs.seminars"].as_str(),
            rows[0]["support_needs.other"].as_str(),
            rows[0]["support_needs.other_text"].as_str()
        ),
        ("1", "1", "Exkurze")
    );
    assert_eq!(
        (
            rows[0]["support_needs.methodical"].as_str(),
            rows[0]["usefulness"].as_str(),
            rows[0]["workshop_attended"].as_str()
        ),
        ("0", "10", "0")
    );
    assert_eq!(rows[0]["blocks.panel"], "");
    assert!(rows.iter().all(|r| r["survey_version"].len() == 16));
    app.stop().await;
}

on_both_databases!(
    municipalities_survey,
    activities_survey_for_a_regional_office_skips_the_municipal_pages,
    activities_survey_for_a_municipal_office,
    export_lists_complete_responses_only_in_submission_order,
);

/// Every form page of every example questionnaire, filled in with demo answers, stays
/// within 20,000 bytes (issue 9's page-size target: phones on slow connections), and
/// every matrix radio sits inside its label (matrices are rendered compactly, without ids
/// and `for`s to pair, so the label must wrap the input).
#[test]
fn every_form_page_is_small_and_every_matrix_radio_is_labelled() {
    let catalog = anketa::survey::load_paths(&[common::app::repo_surveys()]);
    let radios = scraper::Selector::parse("fieldset.row input[type=radio]").unwrap();
    let (mut pages, mut matrix_radios) = (0, 0);
    for survey in catalog.surveys.iter().filter(|s| !s.is_interview()) {
        for (page, html) in anketa::demo::pages::rendered_pages(survey, 1).unwrap() {
            let html = html.into_string();
            pages += 1;
            assert!(
                html.len() <= 20_000,
                "{}/{page}: {} bytes",
                survey.id,
                html.len()
            );
            let doc = scraper::Html::parse_document(&html);
            for radio in doc.select(&radios) {
                matrix_radios += 1;
                let label = radio
                    .parent()
                    .and_then(scraper::ElementRef::wrap)
                    .expect("an element around the radio");
                assert_eq!(label.value().name(), "label", "{}/{page}", survey.id);
                assert!(!label.text().collect::<String>().trim().is_empty());
            }
        }
    }
    assert!(
        pages >= 20 && matrix_radios >= 100,
        "{pages} pages, {matrix_radios} radios"
    );
}
