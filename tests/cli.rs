//! The `anketa` binary: `check` reports every mistake with file, line, column, source
//! line and hint; `serve` refuses invalid surveys, serves, and stops cleanly on SIGTERM;
//! `export` fails clearly for an unknown survey and writes files atomically.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::app::repo_surveys;

fn anketa(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(args)
        .output()
        .expect("run anketa")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn check_accepts_the_example_surveys() {
    let plans = repo_surveys().parent().unwrap().join("analysis/plans");
    let out = anketa(&[
        "check",
        repo_surveys().to_str().unwrap(),
        "--plans",
        plans.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("ok: 8 survey(s) and 2 analysis plan(s) checked, 0 warning(s)"),
        "{}",
        stderr(&out)
    );
}

/// A copy of the seminar survey with three mistakes; returns (dir, file).
fn broken_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let src = std::fs::read_to_string(repo_surveys().join("seminar-mas-2024.toml")).unwrap();
    let broken = src
        .replacen("type = \"likert\"", "type = \"likret\"", 1)
        .replacen(
            "show_if = \"role == 'other'\"",
            "show_if = \"role == 'othr'\"",
            1,
        )
        .replacen("  required = true\n", "  requried = true\n", 1);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.toml");
    std::fs::write(&file, broken).unwrap();
    (dir, file)
}

fn line_col(text: &str, needle: &str, offset: usize) -> (usize, usize) {
    let at = text.find(needle).unwrap() + offset;
    let line = text[..at].matches('\n').count() + 1;
    let col = text[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

#[test]
fn check_names_every_mistake_with_its_line() {
    let (_dir, file) = broken_copy();
    let text = std::fs::read_to_string(&file).unwrap();
    let out = anketa(&["check", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let path = file.display().to_string();

    let (l, c) = line_col(&text, "\"likret\"", 0);
    assert!(
        err.contains(&format!(
            "{path}:{l}:{c}: error: unknown question type \"likret\""
        )),
        "{err}"
    );
    assert!(
        err.contains("  type = \"likret\"\n"),
        "the source line is shown: {err}"
    );
    assert!(err.contains("^^^^^^^^"), "a caret marks it: {err}");
    assert!(err.contains("= help: did you mean \"likert\"?"), "{err}");

    let (l, c) = line_col(&text, "'othr'", 0);
    assert!(
        err.contains(&format!(
            "{path}:{l}:{c}: error: 'othr' is not an option of question `role`"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean 'other'?"), "{err}");

    let (l, c) = line_col(&text, "requried", 0);
    assert!(
        err.contains(&format!(
            "{path}:{l}:{c}: error: unknown key `requried` in this question"
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `required`?"), "{err}");
    assert!(
        err.contains("error: 3 error(s) and 0 warning(s) in 1 file(s)"),
        "{err}"
    );
}

#[test]
fn check_warns_about_an_undeclared_likely_quasi_identifier_and_still_succeeds() {
    let src = "id = \"kurz\"\ntitle = \"Kurz\"\n\n[[page]]\nid = \"p\"\n  [[page.question]]\n  id = \"experience\"\n  type = \"number\"\n  text = \"Kolik let pracujete v sociální práci?\"\n";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("kurz.toml");
    std::fs::write(&file, src).unwrap();

    let out = anketa(&["check", file.to_str().unwrap()]);
    let err = stderr(&out);
    assert!(out.status.success(), "a warning is not an error: {err}");
    let (l, c) = line_col(src, "\"experience\"", 0);
    assert!(
        err.contains(&format!(
            "{}:{l}:{c}: warning: \"experience\" has no privacy class, but an exact number (a year, an age, a count) is likely a quasi-identifier",
            file.display()
        )),
        "{err}"
    );
    assert!(err.contains("privacy = \"none\" to say so"), "{err}");
    assert!(
        err.contains("ok: 1 survey(s) and 0 analysis plan(s) checked, 1 warning(s)"),
        "{err}"
    );

    // Writing the class, even "none", acknowledges the choice.
    let acknowledged = src.replace(
        "  type = \"number\"\n",
        "  type = \"number\"\n  privacy = \"none\"\n",
    );
    std::fs::write(&file, acknowledged).unwrap();
    let out = anketa(&["check", file.to_str().unwrap()]);
    assert!(
        stderr(&out).contains("checked, 0 warning(s)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_reports_unreadable_paths() {
    let out = anketa(&["check", "/nonexistent/survey.toml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("/nonexistent/survey.toml: error: cannot read this file"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn serve_refuses_to_start_on_an_invalid_survey() {
    let (dir, _file) = broken_copy();
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("a.db").display());
    let out = anketa(&[
        "serve",
        "--surveys",
        dir.path().to_str().unwrap(),
        "--database",
        &url,
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown question type \"likret\"") && err.contains("not starting"),
        "{err}"
    );
}

#[test]
fn serve_reports_a_bad_database_url() {
    let out = anketa(&[
        "serve",
        "--surveys",
        repo_surveys().to_str().unwrap(),
        "--database",
        "mysql://x/y",
        "--listen",
        "127.0.0.1:0",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("use sqlite://FILE or postgres://"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn serve_for_others_needs_the_address_people_use() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("a.db").display());
    let out = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["serve", "--surveys", repo_surveys().to_str().unwrap()])
        .args(["--database", &url, "--listen", "0.0.0.0:0"])
        .env_remove("ANKETA_BASE_URL")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("--base-url (ANKETA_BASE_URL) is needed when listening on 0.0.0.0:0"),
        "{}",
        stderr(&out)
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn serve_answers_and_stops_cleanly_on_sigterm() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("served.db").display());
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args([
            "serve",
            "--database",
            &url,
            "--listen",
            &listen,
            "--surveys",
            repo_surveys().to_str().unwrap(),
        ])
        .env("RUST_LOG", "debug")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut healthy = false;
    for _ in 0..100 {
        if let Ok(r) = client.get(format!("http://{listen}/healthz")).send().await {
            healthy = r.status().is_success();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(healthy, "the server came up");
    let r = client
        .get(format!("http://{listen}/s/seminar-mas-2024"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Secure"),
        "secure cookies by default"
    );
    assert!(
        Path::new(&db.path().join("served.db")).exists(),
        "the SQLite file was created"
    );
    // Secrets in paths, queries and bodies never reach the log, even at debug level.
    const SECRETS: [&str; 5] = [
        "InvitationTokenSecret1",
        "ResumeCodeSecret2",
        "PasswordLinkSecret3",
        "private.person@example.cz",
        "QueryAnswerSecret4",
    ];
    for path in [
        format!("/t/{}", SECRETS[0]),
        format!("/r/{}", SECRETS[1]),
        format!("/admin/set-password/{}", SECRETS[2]),
        format!("/s/seminar-mas-2024?role={}", SECRETS[4]),
    ] {
        let r = client
            .get(format!("http://{listen}{path}"))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_client_error() || r.status().is_redirection());
    }
    let r = client
        .post(format!("http://{listen}/admin/login"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("email={}&password=hunter2hunter2", SECRETS[3]))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "no CSRF token");
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "clean exit on SIGTERM: {:?}",
        output.status
    );
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("/t/{token}"),
        "requests are logged by route: {log}"
    );
    for secret in SECRETS.iter().chain(&["hunter2"]) {
        assert!(!log.contains(secret), "{secret} is in the log:\n{log}");
    }
}

#[test]
fn export_of_an_unknown_survey_fails_clearly_and_writes_no_file() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("e.db").display());
    let target = db.path().join("out.csv");
    let out = anketa(&[
        "export",
        "nope",
        "--database",
        &url,
        "-o",
        target.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no survey with id \"nope\""),
        "{}",
        stderr(&out)
    );
    assert!(!target.exists(), "no partial file");
}

/// A fresh install works for evaluators: the first `serve` on an SQLite database creates
/// the pseudonym key beside it (readable by the owner only) and says so; the next start
/// reuses it, and `anketa export --anonymize` finds it without a flag.
#[tokio::test]
async fn serve_creates_the_pseudonym_key_beside_the_database_once() {
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("fresh.db").display());
    let key = db.path().join("fresh.pseudonym.key");
    let server = common::server::Server::start(&url, &repo_surveys()).await;
    assert!(key.is_file(), "{}", server.log());
    assert!(
        server.log().contains("created the pseudonym key") && server.log().contains("back it up"),
        "{}",
        server.log()
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let first = std::fs::read(&key).unwrap();
    server.kill().await;
    let again = common::server::Server::start(&url, &repo_surveys()).await;
    assert!(
        !again.log().contains("created the pseudonym key"),
        "{}",
        again.log()
    );
    assert_eq!(std::fs::read(&key).unwrap(), first, "reused, not replaced");
    again.kill().await;
    // The training surveys link people by a keyed pseudonym: exported without a flag.
    let surveys = repo_surveys();
    let demo = anketa(&[
        "demo",
        "training",
        "--database",
        &url,
        "--surveys",
        surveys.to_str().unwrap(),
    ]);
    assert!(demo.status.success(), "{}", stderr(&demo));
    let out_file = db.path().join("pred.csv");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "skoleni-pred",
            "--anonymize",
            "--accept-suppression",
            "--database",
            &url,
            "--surveys",
            surveys.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        anketa(&args)
    };
    let exported = export(&["-o", out_file.to_str().unwrap()]);
    assert!(exported.status.success(), "{}", stderr(&exported));
    assert!(out_file.is_file());
    std::fs::remove_file(&key).unwrap();
    let refused = export(&[]);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("secret pseudonym key")
            && stderr(&refused)
                .matches("needs the secret pseudonym key")
                .count()
                == 1,
        "{}",
        stderr(&refused)
    );
}
