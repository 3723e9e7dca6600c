//! Staff accounts for tests: created with the `anketa user` command (or by an admin in
//! the staff area), given a password through their one-time link, and signed in
//! through the sign-in form like a person would.

use std::path::Path;
use std::process::{Command, Output};

use reqwest::StatusCode;

use super::app::{Browser, Page, TestApp, path_of};

/// A password that passes the strength rules.
pub const PASSWORD: &str = "mostecka-lavicka-u-rybnika";

/// Run `anketa user ARGS` on the app's database and surveys.
pub fn anketa_user(app: &TestApp, surveys: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anketa"))
        .arg("user")
        .args(args)
        .env("ANKETA_DATABASE_URL", &app.db.url)
        .env("ANKETA_SURVEYS", surveys)
        .env("ANKETA_BASE_URL", app.url(""))
        .output()
        .expect("run anketa user")
}

/// The one http(s) link a command printed.
pub fn printed_link(out: &Output) -> String {
    assert!(
        out.status.success(),
        "anketa failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    stdout
        .lines()
        .find(|l| l.starts_with("http"))
        .unwrap_or_else(|| panic!("no link in: {stdout}"))
        .trim()
        .to_string()
}

/// An admin made on the command line, with a password set through the printed link.
pub async fn cli_admin(app: &TestApp, surveys: &Path, email: &str) -> Browser {
    let out = anketa_user(app, surveys, &["add", email, "--role", "admin", "--link"]);
    let link = printed_link(&out);
    let mut b = app.browser();
    set_password(&mut b, &link, PASSWORD).await;
    sign_in(&mut b, email, PASSWORD).await;
    b
}

/// Follow a set-password link and choose `password`; lands on the sign-in page.
pub async fn set_password(b: &mut Browser, link: &str, password: &str) {
    let form = b.open(&path_of(link)).await.clone();
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    // The form posts back to the link's own address.
    let csrf = form.csrf();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("password", password),
        ("confirm", password),
    ];
    let done = b.post_raw(&path_of(link), &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = b.open(&done.header("location").unwrap()).await;
    assert!(
        page.url.contains("/admin/login"),
        "after setting the password: {} {}",
        page.url,
        page.body
    );
}

/// Sign in through the form; returns the page reached.
pub async fn sign_in(b: &mut Browser, email: &str, password: &str) -> Page {
    let form = b.open("/admin/login").await.clone();
    b.post_form(
        &form,
        &[("email", email), ("password", password), ("next", "/admin")],
    )
    .await
    .clone()
}

/// The admin adds an account in the staff area; returns its set-password link.
pub async fn admin_creates(
    admin: &mut Browser,
    email: &str,
    role: &str,
    grants: &[&str],
) -> String {
    let form = admin.open("/admin/users").await.clone();
    assert_eq!(form.status, StatusCode::OK);
    let mut fields = vec![
        ("_csrf", form.csrf()),
        ("email", email.to_string()),
        ("role", role.to_string()),
    ];
    fields.extend(grants.iter().map(|g| ("grant", g.to_string())));
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let page = admin.post_raw("/admin/users", &fields).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.select_first("code.copy")
        .unwrap_or_else(|| panic!("no link shown: {}", page.body))
}

/// A staff member created by the admin in the staff area, signed in on a new browser.
pub async fn staff_member(
    app: &TestApp,
    admin: &mut Browser,
    email: &str,
    role: &str,
    grants: &[&str],
) -> Browser {
    let link = admin_creates(admin, email, role, grants).await;
    let mut b = app.browser();
    set_password(&mut b, &link, PASSWORD).await;
    let page = sign_in(&mut b, email, PASSWORD).await;
    assert!(page.url.ends_with("/admin"), "signed in: {}", page.url);
    b
}

/// POST a staff form with this browser's CSRF token (taken from `from`, a staff page).
pub async fn staff_post(b: &Browser, from: &str, to: &str, fields: &[(&str, &str)]) -> Page {
    let page = b.get_raw(from).await;
    assert_eq!(page.status, StatusCode::OK, "GET {from}: {}", page.body);
    let csrf = page.csrf();
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post_raw(to, &all).await
}

/// The audit log's actions, newest first, as the admin sees them in its CSV export.
pub async fn audit_rows(admin: &Browser) -> Vec<std::collections::HashMap<String, String>> {
    let page = admin.get_raw("/admin/audit.csv").await;
    assert_eq!(page.status, StatusCode::OK);
    super::app::csv_records(&page.body)
}

/// The evaluator of the staff tests (hodnotitel@example.cz), granted `grants`, signed in.
pub async fn signed_in_evaluator(app: &TestApp, admin: &mut Browser, grants: &[&str]) -> Browser {
    staff_member(app, admin, "hodnotitel@example.cz", "evaluator", grants).await
}

/// The researcher of the staff tests (vyzkum@example.cz), signed in.
pub async fn signed_in_researcher(app: &TestApp, admin: &mut Browser) -> Browser {
    staff_member(app, admin, "vyzkum@example.cz", "researcher", &[]).await
}
