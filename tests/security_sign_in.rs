//! The attack battery's findings about signing in and connections, each fixed at its
//! root and tested as a class, on both databases: set-password links and sessions that
//! outlive a new password, guesses sent at the same moment, control characters in any
//! address a redirect is made from, half-sent request headers, the CSRF token across
//! sign-in, and links made from a request's Host header.

mod common;

use std::time::Duration;

use common::app::{Browser, ONE_QUESTION, TestApp, path_of, survey_dir};
use common::db::TestDb;
use common::staff::{
    PASSWORD, admin_creates, anketa_user, audit_rows, cli_admin, printed_link, set_password,
    sign_in,
};
use reqwest::StatusCode;
use reqwest::cookie::CookieStore;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn app(db: TestDb) -> (TestApp, tempfile::TempDir) {
    let dir = survey_dir(&[("obce", ONE_QUESTION)]);
    let app = TestApp::spawn_with(db, dir.path(), anketa::app::Settings::DEFAULT_BODY_LIMIT).await;
    (app, dir)
}

/// Finding 1 and part of 5: a new password (through any link, or the command line)
/// kills every other set-password link of the account and ends its sessions; and a
/// newer link replaces an older one.
async fn a_new_password_kills_older_links_and_sessions(db: TestDb) {
    let (app, dir) = app(db).await;
    let mut admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let first = admin_creates(&mut admin, "rita@example.cz", "researcher", &[]).await;
    let mut rita = app.browser();
    set_password(&mut rita, &first, PASSWORD).await;
    sign_in(&mut rita, "rita@example.cz", PASSWORD).await;
    assert_eq!(rita.get_raw("/admin/account").await.status, StatusCode::OK);

    // Two reset links; the newer one is used by someone who knows it.
    let older = printed_link(&anketa_user(
        &app,
        dir.path(),
        &["passwd", "rita@example.cz", "--link"],
    ));
    let newer = printed_link(&anketa_user(
        &app,
        dir.path(),
        &["passwd", "rita@example.cz", "--link"],
    ));
    let old_link = app.browser().get_raw(&path_of(&older)).await;
    assert_eq!(
        old_link.status,
        StatusCode::NOT_FOUND,
        "a newer link replaced it"
    );
    let mut other = app.browser();
    set_password(&mut other, &newer, "druhe-heslo-pro-ritu-2026").await;
    // Rita's session (signed in with the old password) has ended.
    let page = rita.get_raw("/admin/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the session ended");
    // A link made before the change but not used: dead too. Make one, change the
    // password on the command line's link, and try the first.
    let spare = printed_link(&anketa_user(
        &app,
        dir.path(),
        &["passwd", "rita@example.cz", "--link"],
    ));
    let csrf_page = app.browser();
    let form = csrf_page.get_raw(&path_of(&spare)).await;
    assert_eq!(form.status, StatusCode::OK);
    let third = printed_link(&anketa_user(
        &app,
        dir.path(),
        &["passwd", "rita@example.cz", "--link"],
    ));
    let mut b = app.browser();
    set_password(&mut b, &third, "treti-heslo-pro-ritu-2026").await;
    let late = csrf_page
        .post_raw(
            &path_of(&spare),
            &[
                ("_csrf", &form.csrf()),
                ("password", "utocnikovo-heslo-2026"),
                ("confirm", "utocnikovo-heslo-2026"),
            ],
        )
        .await;
    assert_eq!(late.status, StatusCode::NOT_FOUND, "{}", late.body);
    let mut rita = app.browser();
    let page = sign_in(&mut rita, "rita@example.cz", "treti-heslo-pro-ritu-2026").await;
    assert!(
        page.url.ends_with("/admin"),
        "the last password holds: {}",
        page.url
    );
    let audit = audit_rows(&admin).await;
    assert_eq!(
        audit
            .iter()
            .filter(|r| r["action"] == "password_set" && r["target"] == "rita@example.cz")
            .count(),
        3
    );
    app.stop().await;
}

/// Finding 2: guesses sent at the same moment are each counted before their check, so
/// no more than five reach a password check, and the right password is refused after.
async fn guesses_sent_at_once_are_throttled_like_one_by_one(db: TestDb) {
    let (app, dir) = app(db).await;
    let admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let b = app.browser();
    let form = b.get_raw("/admin/login").await;
    let csrf = form.csrf();
    let guesses = (0..24).map(|i| {
        let body = serde_urlencoded::to_string([
            ("_csrf", csrf.as_str()),
            ("email", "admin@example.cz"),
            ("password", &format!("guess-number-{i}")),
        ])
        .unwrap();
        b.client
            .post(app.url("/admin/login"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.unwrap().status())
        .collect();
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let refused = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert!(checked <= 5, "{checked} guesses were checked: {statuses:?}");
    assert_eq!(checked + refused, 24, "{statuses:?}");
    // One by one now: the burst's checked guesses and these make five, no more.
    let mut one_by_one = 0;
    loop {
        let page = b
            .post_raw(
                "/admin/login",
                &[
                    ("_csrf", &csrf),
                    ("email", "admin@example.cz"),
                    ("password", "one-more-guess"),
                ],
            )
            .await;
        if page.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
        one_by_one += 1;
        assert!(one_by_one <= 5, "never throttled");
    }
    assert_eq!(checked + one_by_one, 5, "{statuses:?}");
    let page = b
        .post_raw(
            "/admin/login",
            &[
                ("_csrf", &csrf),
                ("email", "admin@example.cz"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        page.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password"
    );
    let audit = audit_rows(&admin).await;
    assert!(
        audit
            .iter()
            .filter(|r| r["action"] == "login_failed")
            .count()
            == 5
    );
    app.stop().await;
}

/// Control characters, spaces and non-ASCII: in a visible-ASCII `Location`
/// (percent-encoded) or a 404 for ids that cannot exist, never a failed request.
const NASTY: [&str; 6] = [
    "/admin/x\r\nSet-Cookie: planted=1",
    "/admin/\u{0}",
    "/admin/\u{7f}x",
    "/admin/\tx",
    "/admin/žluťoučký kůň",
    "/admin/\u{1b}[31m",
];

/// Finding 3, as a class: every redirect is made by one function that encodes what a
/// `Location` may not hold, so no input makes a request fail.
async fn control_characters_never_make_a_redirect_fail(db: TestDb) {
    let (app, dir) = app(db).await;
    let admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    for next in NASTY {
        let mut b = app.browser();
        let linked = b
            .get_raw(&format!("/admin/login?next={}", urlencode(next)))
            .await;
        // An encoded NUL in an address is refused outright (PostgreSQL cannot hold it).
        let expected = if next.contains('\0') {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        assert_eq!(linked.status, expected, "{next:?}");
        let page = b.open("/admin/login").await.clone();
        let done = b
            .post_raw(
                "/admin/login",
                &[
                    ("_csrf", &page.csrf()),
                    ("email", "admin@example.cz"),
                    ("password", PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(
            done.status,
            StatusCode::SEE_OTHER,
            "{next:?}: {}",
            done.body
        );
        let location = done.header("location").unwrap();
        assert!(location.starts_with("/admin"), "{next:?} -> {location}");
        assert!(
            location.bytes().all(|b| (0x21..0x7f).contains(&b)),
            "{next:?} -> {location}"
        );
        assert!(
            done.header("set-cookie")
                .is_none_or(|c| !c.contains("planted"))
        );
    }
    // Ids in addresses that redirect (interviews) and others: not found, never a 500.
    for path in [
        "/admin/interviews/%0D%0Ax",
        "/admin/interviews/%00/summary",
        "/admin/interviews/%7F/t/%0A",
        "/admin/surveys/%0A/responses",
        "/admin/users/%0D",
        "/s/%0D%0A",
    ] {
        let page = admin.get_raw(path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}: {}", page.body);
    }
    let page = admin.get_raw("/admin/account").await;
    let post = admin
        .post_raw(
            "/admin/interviews/%0D%0A/consent",
            &[("_csrf", &page.csrf())],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND, "{}", post.body);
    app.stop().await;
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .unwrap()
        .trim_start_matches('=')
        .to_string()
}

/// Finding 4: a connection that does not send complete request headers in time is
/// closed (here after 1 s), whether it sends nothing, half a request, or nothing more
/// after a first request; so idle sockets cannot pile up.
async fn half_sent_headers_are_cut_off(db: TestDb) {
    let dir = survey_dir(&[("obce", ONE_QUESTION)]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = anketa::app::Settings {
        header_timeout: Duration::from_secs(1),
        ..TestApp::settings(&db, dir.path(), addr)
    };
    let app = TestApp::spawn_with_settings(db, listener, settings).await;
    /// Read until the server closes: what it sent, or an error after 8 s.
    async fn closed_after(mut s: tokio::net::TcpStream) -> Result<String, &'static str> {
        let mut got = Vec::new();
        match tokio::time::timeout(Duration::from_secs(8), s.read_to_end(&mut got)).await {
            Ok(_) => Ok(String::from_utf8_lossy(&got).to_string()),
            Err(_) => Err("still open after 8 s"),
        }
    }
    // Nothing at all.
    let silent = tokio::net::TcpStream::connect(addr).await.unwrap();
    // Half a request head.
    let mut half = tokio::net::TcpStream::connect(addr).await.unwrap();
    half.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    // A whole request on a kept-alive connection, then the start of another.
    let mut kept = tokio::net::TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HT")
        .await
        .unwrap();
    let (silent, half, kept) =
        tokio::join!(closed_after(silent), closed_after(half), closed_after(kept));
    assert_eq!(silent, Ok(String::new()), "a silent connection is closed");
    assert!(half.is_ok(), "a half-sent head is cut off: {half:?}");
    let kept = kept.expect("the second, half-sent request is cut off");
    assert!(
        kept.starts_with("HTTP/1.1 200"),
        "the first request was answered: {kept}"
    );
    // The server still answers.
    let b = app.browser();
    assert_eq!(b.get_raw("/healthz").await.status, StatusCode::OK);
    app.stop().await;
}

/// Part of finding 5: the CSRF token a browser had before signing in does not work
/// after (someone who saw it on a shared computer cannot post as the staff member).
async fn the_csrf_token_changes_at_sign_in(db: TestDb) {
    let (app, dir) = app(db).await;
    let _admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let mut b = app.browser();
    let before = b.open("/admin/login").await.csrf();
    sign_in(&mut b, "admin@example.cz", PASSWORD).await;
    let after = b.get_raw("/admin/account").await.csrf();
    assert_ne!(before, after);
    let stale = b.post_raw("/admin/logout", &[("_csrf", &before)]).await;
    assert_eq!(stale.status, StatusCode::FORBIDDEN, "{}", stale.body);
    assert_eq!(
        b.get_raw("/admin/account").await.status,
        StatusCode::OK,
        "still signed in"
    );
    app.stop().await;
}

/// Part of finding 5: links anketa makes (set-password links, resume links) use the
/// configured address, whatever Host header the request carries.
async fn links_never_come_from_the_host_header(db: TestDb) {
    let (app, dir) = app(db).await;
    let admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let form = admin.get_raw("/admin/users").await;
    let body = serde_urlencoded::to_string([
        ("_csrf", form.csrf().as_str()),
        ("email", "eva@example.cz"),
        ("role", "evaluator"),
    ])
    .unwrap();
    let page = admin
        .client
        .post(app.url("/admin/users"))
        .header("host", "evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("evil.example"), "{page}");
    assert!(page.contains(&app.url("/admin/set-password/")), "{page}");
    // The resume link after "save for later".
    let mut r = Browser::with_jar(&app, Default::default());
    r.open("/s/obce").await;
    let saved = r.press("save", &[]).await.clone();
    assert!(saved.url.ends_with("/saved"), "{}", saved.url);
    let again = r
        .client
        .get(app.url("/s/obce/saved"))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains("evil.example"), "{again}");
    assert!(again.contains(&app.url("/r/")), "{again}");
    app.stop().await;
}

/// Part of finding 5: opening a survey or the sign-in page without a cookie stores no
/// session (the CSRF token rides in a cookie of its own until there is something to
/// keep), and the forms still need a token that matches that cookie.
async fn looking_stores_nothing_and_forms_still_need_their_token(db: TestDb) {
    let (app, dir) = app(db).await;
    let _admin = cli_admin(&app, dir.path(), "admin@example.cz").await;
    let before = app.store.session_count().await.unwrap();
    for _ in 0..10 {
        for path in ["/s/obce", "/admin/login", "/s/obce/resume"] {
            let mut b = app.browser();
            let page = b.open(path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(
                page.body.contains("name=\"_csrf\""),
                "{path}: a form with a token"
            );
        }
    }
    assert_eq!(
        app.store.session_count().await.unwrap(),
        before,
        "no session stored"
    );
    // Without the cookie, or with another token, a form is refused.
    let b = app.browser();
    let token = b.get_raw("/admin/login").await.csrf();
    let fields = |t: &str| {
        serde_urlencoded::to_string([
            ("_csrf", t),
            ("email", "admin@example.cz"),
            ("password", PASSWORD),
        ])
        .unwrap()
    };
    let stranger = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = stranger
        .post(app.url("/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(fields(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        StatusCode::FORBIDDEN,
        "the token without its cookie"
    );
    let forged = b
        .post_raw(
            "/admin/login",
            &[
                ("_csrf", "A".repeat(43).as_str()),
                ("email", "admin@example.cz"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "the cookie with another token"
    );
    let ok = b
        .post_raw(
            "/admin/login",
            &[
                ("_csrf", &token),
                ("email", "admin@example.cz"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // A respondent who answers gets a session (there is now something to keep).
    let mut r = app.browser();
    r.open("/s/obce").await;
    let csrf_cookie = |r: &Browser| {
        let all = r.jar.cookies(&app.url("/").parse().unwrap()).unwrap();
        let all = all.to_str().unwrap().to_string();
        all.split("; ")
            .find_map(|c| c.strip_prefix("anketa_csrf=").map(str::to_string))
            .expect("a CSRF cookie")
    };
    let before_save = csrf_cookie(&r);
    let done = r.next(&[("q", "1")]).await;
    assert!(
        done.url.ends_with("/done"),
        "{} {} {}",
        done.url,
        done.status,
        done.body
    );
    assert!(app.store.session_count().await.unwrap() > before);
    // The cookie the response id came from is renewed once the session holds the id (the
    // next person at this browser, once the session has ended, gets another response).
    assert_ne!(csrf_cookie(&r), before_save);
    app.stop().await;
}

on_both_databases!(
    looking_stores_nothing_and_forms_still_need_their_token,
    a_new_password_kills_older_links_and_sessions,
    guesses_sent_at_once_are_throttled_like_one_by_one,
    control_characters_never_make_a_redirect_fail,
    half_sent_headers_are_cut_off,
    the_csrf_token_changes_at_sign_in,
    links_never_come_from_the_host_header,
);
