//! What every response carries (security headers, cookie flags) and how bad requests
//! and a dead database are answered: a status and a page, never a panic or lost input.

mod common;

use anketa::app::Settings;
use common::app::{TestApp, repo_surveys};
use common::db::{Backend, TestDb};
use reqwest::StatusCode;

/// The script's URL as the page links it.
fn views_js_url(body: &str) -> &str {
    let start = body.find("/static/app.js").expect("linked");
    let end = start + body[start..].find('"').unwrap();
    &body[start..end]
}

async fn sqlite_app() -> TestApp {
    TestApp::spawn(TestDb::new(Backend::Sqlite).await.unwrap()).await
}

/// Requests hyper cannot parse are answered by hyper itself, before any of our code
/// runs (400 malformed, 414 URI too long, 431 too many header fields): those answers
/// carry the same security headers as every page.
#[tokio::test]
async fn answers_to_unparsable_requests_carry_the_security_headers_too() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = sqlite_app().await;
    let page = app.browser().get_raw("/healthz").await;
    let expected: Vec<(&str, String)> = [
        "content-security-policy",
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "permissions-policy",
    ]
    .into_iter()
    .map(|name| (name, page.header(name).expect(name)))
    .collect();
    let many_headers: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let requests = [
        (
            "400",
            "GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n".to_string(),
        ),
        ("400", "G(T / HTTP/1.1\r\nHost: x\r\n\r\n".to_string()),
        (
            "414",
            format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(70_000)),
        ),
        (
            "431",
            format!("GET / HTTP/1.1\r\nHost: x\r\n{many_headers}\r\n"),
        ),
    ];
    for (status, request) in requests {
        let mut s = tokio::net::TcpStream::connect(app.addr).await.unwrap();
        s.write_all(request.as_bytes()).await.unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).await.unwrap();
        let answer = String::from_utf8(answer).unwrap();
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status} ")),
            "{status}: {answer}"
        );
        let (head, body) = answer.split_once("\r\n\r\n").expect(&answer);
        assert_eq!(body, "", "{status}: no body");
        for (name, value) in &expected {
            assert!(
                head.lines().any(|line| line == format!("{name}: {value}")),
                "{status} lacks {name}: {head}"
            );
        }
    }
    // A normal request on the same server is unchanged.
    assert_eq!(
        app.browser().get_raw("/healthz").await.status,
        StatusCode::OK
    );
    app.stop().await;
}

#[tokio::test]
async fn pages_carry_strict_security_headers_and_are_not_cached() {
    let app = sqlite_app().await;
    let mut b = app.browser();
    let page = b.open("/s/seminar-mas-2024").await.clone();
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'none'")
            && csp.contains("frame-ancestors 'none'")
            && csp.contains("connect-src 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(page.header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(
        page.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(
        page.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(
        page.header("cache-control").as_deref(),
        Some("no-store"),
        "answers must not stay in caches"
    );
    let html = page.html();
    let scripts: Vec<_> = html
        .select(&scraper::Selector::parse("script").unwrap())
        .collect();
    assert!(!scripts.is_empty(), "the enhancement script is linked");
    assert!(
        scripts.iter().all(|s| s
            .value()
            .attr("src")
            .is_some_and(|src| src.starts_with("/static/"))
            && s.text().next().is_none()),
        "scripts come from our own files, none inline"
    );
    assert!(
        !page.body.contains("<style") && !page.body.contains(" style="),
        "no inline styles"
    );
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let js = b.get_raw(views_js_url(&page.body)).await;
    assert_eq!(
        js.header("content-type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );
    assert!(js.body.contains("data-show-if"));
    let css = b.get_raw("/static/app.css").await;
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(css.header("cache-control").unwrap().contains("immutable"));
    app.stop().await;
}

#[tokio::test]
async fn session_cookies_are_http_only_same_site_and_secure_by_default() {
    let app = sqlite_app().await;
    // Opening the survey stores no session: the CSRF token rides in a cookie of its own.
    let b = app.browser();
    let start = b.get_raw("/s/seminar-mas-2024/p/about").await;
    assert_eq!(start.status, StatusCode::OK);
    let csrf = start.header("set-cookie").expect("a CSRF cookie");
    assert!(
        csrf.starts_with("anketa_csrf=")
            && csrf.contains("HttpOnly")
            && csrf.contains("SameSite=Lax")
            && !csrf.contains("Secure"),
        "{csrf}"
    );
    // The first saved page starts the session.
    let saved = b
        .post_raw(
            &start.form_action().unwrap(),
            &[
                ("_csrf", &start.csrf()),
                ("_action", "next"),
                ("role", "mas_staff"),
                ("region", "vysocina"),
                ("mas_project", "no"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let cookie = saved.header("set-cookie").expect("a session cookie");
    assert!(
        cookie.starts_with("anketa_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "the test app runs with insecure cookies for plain HTTP"
    );
    app.stop().await;

    // The default settings (as `anketa serve` without --insecure-cookies) mark them
    // Secure, the CSRF cookie with the __Host- prefix (no subdomain can set it).
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (state, _) = anketa::app::prepare(Settings {
        secure_cookies: true,
        two_factor: anketa::staff::TwoFactorPolicy::Identified,
        ..TestApp::settings(&db, &repo_surveys(), addr)
    })
    .await
    .unwrap();
    let server = tokio::spawn(anketa::app::serve(state, listener, std::future::pending()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let first = format!("http://{addr}/s/seminar-mas-2024/p/about");
    let resp = client.get(&first).send().await.unwrap();
    assert!(resp.headers().contains_key("strict-transport-security"));
    let csrf = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        csrf.starts_with("__Host-anketa_csrf=")
            && csrf.contains("Secure")
            && csrf.contains("Path=/"),
        "{csrf}"
    );
    let token = csrf["__Host-anketa_csrf=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body = serde_urlencoded::to_string([
        ("_csrf", token.as_str()),
        ("_action", "next"),
        ("role", "mas_staff"),
        ("region", "vysocina"),
        ("mas_project", "no"),
    ])
    .unwrap();
    let resp = client
        .post(&first)
        .header("cookie", format!("__Host-anketa_csrf={token}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(
        cookie.starts_with("anketa_session=") && cookie.contains("Secure"),
        "{cookie}"
    );
    server.abort();
}

#[tokio::test]
async fn unknown_pages_get_a_bilingual_404_page() {
    let app = sqlite_app().await;
    let b = app.browser();
    for path in [
        "/s/no-such-survey",
        "/nothing-here",
        "/s/no-such-survey/p/x",
    ] {
        let page = b.get_raw(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.header("content-type")
                .unwrap()
                .starts_with("text/html")
        );
        assert!(
            page.body.contains("Stránka nenalezena") && page.body.contains("Page not found"),
            "{path}"
        );
    }
    // An unknown page of a real survey leads back into the survey instead.
    let page = b.get_raw("/s/seminar-mas-2024/p/nope").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    app.stop().await;
}

#[tokio::test]
async fn oversized_malformed_and_foreign_bodies_are_rejected_with_a_page() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn_with(db, &repo_surveys(), 4096).await;
    let mut b = app.browser();
    let page = b.open("/s/seminar-mas-2024").await.clone();
    let action = page.form_action().unwrap();
    let csrf = page.csrf();
    let big = "x".repeat(8000);
    let resp = b
        .post_raw(&action, &[("_csrf", &csrf), ("role_other", &big)])
        .await;
    assert_eq!(resp.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.body.contains("Příliš mnoho textu"));

    let raw = |body: String, content_type: &'static str| {
        b.client
            .post(app.url(&action))
            .header("content-type", content_type)
            .body(body)
            .send()
    };
    // Invalid UTF-8 is decoded lossily and then fails validation like any wrong value.
    let resp = raw(
        format!("_csrf={csrf}&role=%FF%FE&region=praha&mas_project=no"),
        "application/x-www-form-urlencoded",
    )
    .await
    .unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Vyberte jednu z nabízených možností.")
    );
    let resp = raw("{\"role\":\"x\"}".into(), "application/json")
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.store
            .count_responses("seminar-mas-2024", anketa::store::Status::InProgress)
            .await
            .unwrap(),
        0
    );
    app.stop().await;
}

#[tokio::test]
async fn a_dead_database_gets_503_pages_and_the_input_is_kept() {
    let app = sqlite_app().await;
    let mut b = app.browser();
    assert_eq!(b.get_raw("/healthz").await.status, StatusCode::OK);
    let first = b.open("/s/seminar-mas-2024").await.clone();
    // The database goes away.
    app.store.close().await;
    assert_eq!(
        b.get_raw("/healthz").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    let page = b
        .next(&[
            ("role", "mas_staff"),
            ("region", "kraj-vysocina"),
            ("mas_project", "no"),
            ("role_other", "kept text"),
        ])
        .await
        .clone();
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.notice()
            .unwrap()
            .contains("Nic z toho, co jste vyplnili, se neztratilo"),
        "{:?}",
        page.notice()
    );
    assert_eq!(page.checked("role"), ["mas_staff"]);
    assert_eq!(page.input_value("role_other").as_deref(), Some("kept text"));
    let other = b.get_raw(&first.url.replace(&app.url(""), "")).await;
    assert_eq!(other.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(other.body.contains("Služba je dočasně nedostupná"));
}

/// Past the first page the respondent has a session, which is read from the same
/// database: its outage still shows the page again with what was typed (the CSRF check
/// comes after the session was read by the page's own code).
#[tokio::test]
async fn a_dead_database_on_a_later_page_keeps_the_input_too() {
    let app = sqlite_app().await;
    let mut b = app.browser();
    b.open("/s/seminar-mas-2024").await;
    let second = b
        .next(&[
            ("role", "mas_staff"),
            ("region", "stredocesky"),
            ("mas_project", "no"),
        ])
        .await
        .clone();
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.url.contains("/p/programme"), "{}", second.url);
    app.store.close().await;
    let page = b
        .next(&[
            ("usefulness", "4"),
            ("workshop_comment", "kept on page two"),
        ])
        .await
        .clone();
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        page.notice()
            .is_some_and(|n| n.contains("Nic z toho, co jste vyplnili, se neztratilo")),
        "{:?}\n{}",
        page.notice(),
        page.body
    );
    assert_eq!(page.checked("usefulness"), ["4"]);
    assert!(page.body.contains("kept on page two"));
}
