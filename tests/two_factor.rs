//! Two-factor sign-in end to end, on both databases, with codes computed by the tests'
//! own TOTP (tests/common/totp.rs, checked against RFC 6238's vectors here): an admin
//! must set it up at the first sign-in (QR code and key, a first code, ten recovery
//! codes shown once); later sign-ins ask for a code after the password; a code works
//! once; a recovery code works once; wrong codes are throttled like passwords; an
//! evaluator may turn it on from the account page; `anketa user reset-2fa` turns it off
//! and ends the sessions; every step is in the audit log.

mod common;

use common::app::{Browser, ONE_QUESTION, Page, TestApp, survey_dir};
use common::db::TestDb;
use common::staff::{PASSWORD, anketa_user, audit_rows, printed_link, set_password};
use common::totp::{code_at, code_next, code_now};
use reqwest::StatusCode;

#[test]
fn the_tests_totp_gives_the_rfc_6238_test_vectors() {
    // Appendix B, SHA-1, key "12345678901234567890": the last six of its eight digits.
    let secret = base32::encode(
        base32::Alphabet::Rfc4648 { padding: false },
        b"12345678901234567890",
    );
    for (time, eight) in [
        (59, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        assert_eq!(code_at(&secret, time), eight[2..], "{time}");
    }
}

/// The app with the default policy: admins and researchers must use two factors.
async fn app(db: TestDb) -> (TestApp, tempfile::TempDir) {
    let dir = survey_dir(&[("obce", ONE_QUESTION)]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let settings = anketa::app::Settings {
        database_url: db.url.clone(),
        surveys_dir: dir.path().to_path_buf(),
        plans_dir: dir.path().join("plans"),
        secure_cookies: false,
        body_limit: anketa::app::Settings::DEFAULT_BODY_LIMIT,
        base_url: format!("http://{addr}"),
        header_timeout: anketa::app::Settings::DEFAULT_HEADER_TIMEOUT,
        two_factor: anketa::staff::TwoFactorPolicy::default(),
        behind_proxy: false,
        pseudonym_key: None,
    };
    (
        TestApp::spawn_with_settings(db, listener, settings).await,
        dir,
    )
}

/// An account made on the command line with its password set; a fresh browser.
async fn account(app: &TestApp, dir: &std::path::Path, email: &str, role: &str) -> Browser {
    let out = anketa_user(app, dir, &["add", email, "--role", role, "--link"]);
    let mut b = app.browser();
    set_password(&mut b, &printed_link(&out), PASSWORD).await;
    b
}

/// Post the e-mail and password; returns the redirect's target.
async fn password_step(b: &Browser, email: &str, password: &str) -> Page {
    let form = b.get_raw("/admin/login").await;
    b.post_raw(
        "/admin/login",
        &[
            ("_csrf", &form.csrf()),
            ("email", email),
            ("password", password),
            ("next", "/admin/users"),
        ],
    )
    .await
}

async fn post_code(b: &Browser, path: &str, code: &str) -> Page {
    let form = b.get_raw(path).await;
    assert_eq!(form.status, StatusCode::OK, "{path}: {}", form.body);
    b.post_raw(path, &[("_csrf", &form.csrf()), ("code", code)])
        .await
}

/// Set up two-factor sign-in on the page at `path`: returns the secret and the
/// recovery codes shown.
/// With `wrong_first`, a wrong code is tried first (and refused).
async fn enrol(b: &Browser, path: &str, wrong_first: bool) -> (String, Vec<String>) {
    let page = b.get_raw(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("<svg"), "a QR code");
    let secret = page
        .select_first("code.secret")
        .expect("the key to type")
        .replace(' ', "");
    // A wrong first code is refused, on the same page.
    if wrong_first && code_now(&secret) != "000000" {
        let wrong = b
            .post_raw(path, &[("_csrf", &page.csrf()), ("code", "000000")])
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            wrong.body
        );
    }
    let done = b
        .post_raw(
            path,
            &[("_csrf", &page.csrf()), ("code", &code_now(&secret))],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let codes: Vec<String> = done
        .html()
        .select(&scraper::Selector::parse("ul.recovery-codes code").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(codes.len(), 10, "{}", done.body);
    (secret, codes)
}

async fn admin_must_set_up_two_factor_sign_in_and_then_use_it(db: TestDb) {
    let (app, dir) = app(db).await;
    let admin = account(&app, dir.path(), "admin@example.cz", "admin").await;

    // The password alone opens nothing: the admin is sent to set up a second factor.
    let after = password_step(&admin, "admin@example.cz", PASSWORD).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.header("location").unwrap(), "/admin/two-factor");
    let page = admin.get_raw("/admin/users").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "not signed in yet");
    let (secret, codes) = enrol(&admin, "/admin/two-factor", true).await;
    let page = admin.get_raw("/admin/users").await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "signed in after the first code"
    );

    // Next time: password, then a code from the app (a code of the next step: the
    // current one was just used at set-up, and a code works once).
    let b = app.browser();
    let after = password_step(&b, "admin@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/login/code");
    assert_eq!(b.get_raw("/admin").await.status, StatusCode::SEE_OTHER);
    let wrong = post_code(&b, "/admin/login/code", "123 456").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("That code is not right"));
    let code = code_next(&secret);
    let ok = post_code(&b, "/admin/login/code", &code).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert_eq!(
        ok.header("location").unwrap(),
        "/admin/users",
        "on to `next`"
    );
    assert_eq!(b.get_raw("/admin/users").await.status, StatusCode::OK);

    // The same code again, on another browser: refused (replay).
    let c = app.browser();
    password_step(&c, "admin@example.cz", PASSWORD).await;
    let replay = post_code(&c, "/admin/login/code", &code).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED, "a code works once");
    // A recovery code works, once.
    let ok = post_code(&c, "/admin/login/code", &codes[3].to_lowercase()).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let d = app.browser();
    password_step(&d, "admin@example.cz", PASSWORD).await;
    let again = post_code(&d, "/admin/login/code", &codes[3]).await;
    assert_eq!(
        again.status,
        StatusCode::UNAUTHORIZED,
        "a recovery code works once"
    );
    let account = d.get_raw("/admin/account").await;
    assert_eq!(account.status, StatusCode::SEE_OTHER, "still not signed in");
    let account = b.get_raw("/admin/account").await;
    assert!(
        account.body.contains("Recovery codes left: 9"),
        "{}",
        account.body
    );

    // The password alone cannot set up a new secret for an account that has one (it
    // would replace the owner's authenticator and sign the attacker in).
    let thief = app.browser();
    let after = password_step(&thief, "admin@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/login/code");
    let setup = thief.get_raw("/admin/two-factor").await;
    assert_eq!(setup.status, StatusCode::SEE_OTHER);
    assert_eq!(setup.header("location").unwrap(), "/admin/login/code");
    let token = thief.get_raw("/admin/login/code").await.csrf();
    let forced = thief
        .post_raw(
            "/admin/two-factor",
            &[("_csrf", &token), ("code", "123456")],
        )
        .await;
    assert_eq!(
        forced.header("location").as_deref(),
        Some("/admin/login/code")
    );
    assert_eq!(
        thief.get_raw("/admin/users").await.status,
        StatusCode::SEE_OTHER
    );

    // Lost phone: the command line turns it off and ends the sessions, pending sign-ins
    // included (the thief's above); the next sign-in sets it up again.
    let out = anketa_user(&app, dir.path(), &["reset-2fa", "admin@example.cz"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        b.get_raw("/admin/users").await.status,
        StatusCode::SEE_OTHER,
        "signed out"
    );
    for path in ["/admin/two-factor", "/admin/login/code"] {
        let page = thief.get_raw(path).await;
        assert!(
            page.header("location")
                .unwrap()
                .starts_with("/admin/login?"),
            "{path}: the pending sign-in ended with the reset"
        );
    }
    let e = app.browser();
    let after = password_step(&e, "admin@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/two-factor");
    let (secret, _) = enrol(&e, "/admin/two-factor", false).await;

    // Wrong codes are throttled like passwords: five failures in 15 minutes (the wrong
    // first code at set-up, the wrong code, the replay, the spent recovery code, and
    // one more here), then even the right password is refused.
    let f = app.browser();
    let after = password_step(&f, "admin@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/login/code");
    let wrong = post_code(
        &f,
        "/admin/login/code",
        &code_now(&secret).replace(|c: char| c.is_ascii_digit(), "x"),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let g = app.browser();
    let throttled = password_step(&g, "admin@example.cz", PASSWORD).await;
    assert_eq!(
        throttled.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        throttled.body
    );

    let audit = audit_rows(&e).await;
    let count = |action: &str| audit.iter().filter(|r| r["action"] == action).count();
    assert_eq!(count("two_factor_enabled"), 2);
    assert_eq!(count("two_factor_reset"), 1);
    assert!(count("login_failed") >= 5);
    assert_eq!(count("login_throttled"), 1);
    assert!(
        audit
            .iter()
            .any(|r| r["action"] == "login" && r["details"].contains("recovery_code")),
        "the recovery code's use is audited"
    );
    app.stop().await;
}

async fn an_evaluator_may_turn_it_on_from_the_account_page(db: TestDb) {
    let (app, dir) = app(db).await;
    let b = account(&app, dir.path(), "eva@example.cz", "evaluator").await;
    // Not required for an evaluator: the password is enough.
    let after = password_step(&b, "eva@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/users");
    let page = b.get_raw("/admin/account").await;
    assert!(
        page.body.contains("Turn on two-factor sign-in"),
        "{}",
        page.body
    );
    let (secret, codes) = enrol(&b, "/admin/account/two-factor", true).await;
    // From now on a code is asked for.
    let c = app.browser();
    let after = password_step(&c, "eva@example.cz", PASSWORD).await;
    assert_eq!(after.header("location").unwrap(), "/admin/login/code");
    let ok = post_code(&c, "/admin/login/code", &code_next(&secret)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    // Setting it up again (a new phone) needs a code of the app in use now: a session
    // left open is not enough to replace it.
    let page = c.get_raw("/admin/account/two-factor").await;
    assert!(
        page.body.contains("id=\"current\""),
        "asks for the current code"
    );
    let new_secret = page.select_first("code.secret").unwrap().replace(' ', "");
    let without = c
        .post_raw(
            "/admin/account/two-factor",
            &[("_csrf", &page.csrf()), ("code", &code_now(&new_secret))],
        )
        .await;
    assert_eq!(without.status, StatusCode::UNAUTHORIZED, "{}", without.body);
    // A mistyped new code is refused before the recovery code is spent.
    let typo = code_now(&new_secret).replace(|c: char| c.is_ascii_digit(), "x");
    let mistyped = c
        .post_raw(
            "/admin/account/two-factor",
            &[
                ("_csrf", &page.csrf()),
                ("current", &codes[0]),
                ("code", &typo),
            ],
        )
        .await;
    assert_eq!(
        mistyped.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        mistyped.body
    );
    let with = c
        .post_raw(
            "/admin/account/two-factor",
            &[
                ("_csrf", &page.csrf()),
                ("current", &codes[0]),
                ("code", &code_now(&new_secret)),
            ],
        )
        .await;
    assert_eq!(with.status, StatusCode::OK, "{}", with.body);
    assert!(with.body.contains("recovery-codes"));
    app.stop().await;
}

on_both_databases!(
    admin_must_set_up_two_factor_sign_in_and_then_use_it,
    an_evaluator_may_turn_it_on_from_the_account_page,
);
