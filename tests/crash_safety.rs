//! Crash safety: `anketa serve` killed with SIGKILL while respondents submit, PostgreSQL
//! restarted under load, SQLite locked by another program or out of disk space. In every
//! case an acknowledged response is stored complete, nothing is half-written, and while
//! the database cannot be written respondents get a 503 page that keeps their input.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anketa::store::{Status, Store};
use common::app::{Browser, TestApp, survey_dir};
use common::db::{Backend, TestDb};
use common::load::{Load, OnError, SURVEY, SURVEY_ID, sqlite_integrity, verify};
use common::pg_cluster::PgCluster;
use common::server::Server;
use reqwest::StatusCode;

/// The 503 page's heading and its promise (Czech, the default language).
const UNAVAILABLE: &str = "Služba je dočasně nedostupná";
const NOTHING_LOST: &str = "Nic z toho, co jste vyplnili, se neztratilo";

fn load(servers: &[&str], clients: usize, on_error: OnError) -> (Load, Arc<AtomicBool>) {
    let stop = Arc::new(AtomicBool::new(false));
    let load = Load {
        clients,
        servers: servers.iter().map(|s| s.to_string()).collect(),
        on_error,
        stop: stop.clone(),
        rounds: usize::MAX,
    };
    (load, stop)
}

/// One more respondent, start to finish, on `base`: the server works.
async fn one_response_completes(base: &str) {
    let (mut one, _) = load(&[base], 1, OnError::Stop);
    one.rounds = 1;
    let outcome = one.run().await;
    assert_eq!(
        outcome.acknowledged().count(),
        1,
        "a new response after the restart: {:?}",
        outcome.statuses
    );
}

async fn a_killed_server_loses_no_acknowledged_response(db: TestDb) {
    let surveys = survey_dir(&[(SURVEY_ID, SURVEY)]);
    let server = Server::start(&db.url, surveys.path()).await;
    let (load, _) = load(&[&server.base], 16, OnError::Stop);
    let running = tokio::spawn(async move { load.run().await });
    // Kill it in full swing: once 40 responses are in, with 16 clients mid-way.
    let store = Store::connect(&db.url).await.unwrap();
    for _ in 0..600 {
        if store
            .count_responses(SURVEY_ID, Status::Complete)
            .await
            .unwrap()
            >= 40
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.kill().await;
    let outcome = running.await.unwrap();
    let acknowledged = outcome.acknowledged().count();
    assert!(
        acknowledged >= 30,
        "the load ran before the kill: {acknowledged} acknowledged, {:?}",
        outcome.statuses
    );
    assert!(
        outcome.transport_errors >= 1,
        "the kill cut requests off: {outcome:?}"
    );
    assert!(
        outcome.statuses.keys().all(|s| *s < 400),
        "no errors before the kill: {:?}",
        outcome.statuses
    );

    // A new server on the same database (SQLite recovers its write-ahead log on opening).
    let again = Server::start(&db.url, surveys.path()).await;
    let verified = verify(&store, &outcome).await;
    assert!(verified.complete >= acknowledged);
    assert!(
        verified.complete + verified.in_progress <= outcome.flows.len(),
        "{verified:?}"
    );
    if db.url.starts_with("sqlite:") {
        assert_eq!(sqlite_integrity(&db.url).await, "ok");
    }
    one_response_completes(&again.base).await;
    store.close().await;
    assert!(again.stop().await, "a clean shutdown");
}

on_both_databases!(a_killed_server_loses_no_acknowledged_response);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_restart_gives_503_pages_then_recovers_without_losses() {
    let Some(pg) = PgCluster::start() else {
        return;
    };
    pg.create_database("anketa").await;
    let url = pg.url("anketa");
    let surveys = survey_dir(&[(SURVEY_ID, SURVEY)]);
    let server = Server::start(&url, surveys.path()).await;
    let (load, stop) = load(
        &[&server.base],
        8,
        OnError::Retry(Duration::from_millis(50)),
    );
    let running = tokio::spawn(async move { load.run().await });
    tokio::time::sleep(Duration::from_secs(1)).await;

    // `fast`: PostgreSQL disconnects every session, as a restart for an upgrade does.
    pg.stop("fast");
    let b = Browser::at(&server.base, Default::default());
    let health = b
        .try_get_raw("/healthz")
        .await
        .expect("anketa still answers");
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
    let page = b.try_get_raw(&format!("/s/{SURVEY_ID}")).await.unwrap();
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(page.body.contains(UNAVAILABLE), "{}", page.body);
    tokio::time::sleep(Duration::from_secs(1)).await;
    pg.start_again();

    // Nobody restarts anketa: it reconnects by itself.
    let mut healthy = false;
    for _ in 0..100 {
        if b.try_get_raw("/healthz")
            .await
            .is_ok_and(|p| p.status == StatusCode::OK)
        {
            healthy = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        healthy,
        "healthy again after the restart:\n{}",
        server.log()
    );
    tokio::time::sleep(Duration::from_secs(1)).await;
    stop.store(true, Ordering::SeqCst);
    let outcome = running.await.unwrap();

    assert!(
        outcome.count(StatusCode::SERVICE_UNAVAILABLE) >= 1,
        "{outcome:?}"
    );
    let errors: Vec<_> = outcome
        .statuses
        .keys()
        .filter(|s| **s >= 400 && **s != 503)
        .collect();
    assert!(
        errors.is_empty(),
        "only 503 while the database was down: {:?} {:?}",
        outcome.statuses,
        outcome.error_pages
    );
    assert_eq!(outcome.transport_errors, 0, "anketa itself stayed up");
    for pages in outcome.error_pages.values() {
        // The error page, or the form again with what was typed and the promise.
        assert!(
            pages
                .iter()
                .all(|p| p.contains(UNAVAILABLE) || p.contains(NOTHING_LOST)),
            "{pages:?}"
        );
    }
    // Every respondent pressed the button again until it worked: every response is
    // acknowledged, stored once and complete.
    assert!(outcome.flows.iter().all(|f| f.acknowledged), "{outcome:?}");
    let store = Store::connect(&url).await.unwrap();
    let verified = verify(&store, &outcome).await;
    assert_eq!(verified.complete, outcome.flows.len());
    assert_eq!(verified.in_progress, 0);
    store.close().await;
    let log = server.log();
    assert!(!log.contains("panicked"), "{log}");
    assert!(server.stop().await);
}

async fn sqlite_app() -> (TestApp, tempfile::TempDir) {
    let surveys = survey_dir(&[(SURVEY_ID, SURVEY)]);
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let app = TestApp::spawn_with(
        db,
        surveys.path(),
        anketa::app::Settings::DEFAULT_BODY_LIMIT,
    )
    .await;
    (app, surveys)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_sqlite_database_gives_a_503_page_that_keeps_the_input() {
    use sqlx::Connection;
    let (app, _surveys) = sqlite_app().await;
    let mut b = app.browser();
    let page = b.open(&format!("/s/{SURVEY_ID}")).await.clone();

    // Another program (a backup tool, a careless sqlite3 session) holds the write lock
    // for longer than anketa waits for it.
    let mut other = sqlx::SqliteConnection::connect(&app.db.url).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut other)
        .await
        .unwrap();
    let fields = [("_action", "next"), ("code", "zamčeno"), ("role", "worker")];
    let refused = b.post_form(&page, &fields).await.clone();
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        refused.notice().is_some_and(|n| n.contains(NOTHING_LOST)),
        "{:?}",
        refused.notice()
    );
    assert_eq!(refused.input_value("code").as_deref(), Some("zamčeno"));
    assert_eq!(refused.checked("role"), ["worker"]);
    assert_eq!(
        app.store
            .count_responses(SURVEY_ID, Status::InProgress)
            .await
            .unwrap(),
        0
    );

    // The lock goes away; the respondent presses Continue again.
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let next = b.post_form(&refused, &fields).await;
    assert_eq!(next.status, StatusCode::OK);
    assert!(next.url.ends_with("/p/two"), "{}", next.url);
    assert_eq!(
        app.store
            .count_responses(SURVEY_ID, Status::InProgress)
            .await
            .unwrap(),
        1
    );
    assert_eq!(sqlite_integrity(&app.db.url).await, "ok");
    app.stop().await;
}

/// A small tmpfs mounted for one test (unmounted on drop).
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` (skip) when mounting is not allowed here, outside CI.
    fn mount(size: &str) -> Option<SmallDisk> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !mounted {
            assert!(
                std::env::var_os("CI").is_none(),
                "the disk-full test must run in CI: mounting a tmpfs failed"
            );
            eprintln!("skipping: cannot mount a tmpfs (needs root)");
            return None;
        }
        Some(SmallDisk { dir })
    }

    /// Fill the remaining space with a file; returns its path.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let path = self.dir.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let block = vec![0u8; 64 * 1024];
        loop {
            if f.write_all(&block).is_err() {
                break;
            }
        }
        // Whatever is left in the last partial block.
        while f.write_all(&[0u8; 512]).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_gives_503_pages_and_corrupts_nothing() {
    let Some(disk) = SmallDisk::mount("16m") else {
        return;
    };
    let surveys = survey_dir(&[(SURVEY_ID, SURVEY)]);
    let url = format!("sqlite://{}", disk.dir.path().join("anketa.db").display());
    let server = Server::start(&url, surveys.path()).await;
    let mut b = Browser::at(&server.base, Default::default());
    let page = b.open(&format!("/s/{SURVEY_ID}")).await.clone();
    let filler = disk.fill();

    // A page saved on a full disk: the 503 page keeps what was typed.
    let fields = [
        ("_action", "next"),
        ("code", "plný disk"),
        ("role", "mayor"),
    ];
    let refused = b.post_form(&page, &fields).await.clone();
    assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        refused.notice().is_some_and(|n| n.contains(NOTHING_LOST)),
        "{:?}",
        refused.notice()
    );
    assert_eq!(refused.input_value("code").as_deref(), Some("plný disk"));

    // Respondents keep answering until the database needs space it cannot get (the
    // write-ahead log grows by every response until it is checkpointed at 4 MB).
    let (mut load, _) = load(&[&server.base], 1, OnError::Stop);
    load.rounds = 2000;
    let outcome = load.run().await;
    assert!(
        outcome.flows.len() < 2000,
        "the disk filled up: {:?}",
        outcome.statuses
    );
    assert_eq!(outcome.transport_errors, 0, "anketa stays up: {outcome:?}");
    let errors: Vec<_> = outcome.statuses.keys().filter(|s| **s >= 400).collect();
    assert_eq!(errors, [&503], "{:?}\n{}", outcome.statuses, server.log());
    // The first 503 is a page saved on the full disk: shown again with its input and
    // "nothing lost", or the service-unavailable page when not even that could be read.
    let first = &outcome.error_pages[&503][0];
    assert!(
        first.contains(NOTHING_LOST) || first.contains(UNAVAILABLE),
        "{first}"
    );
    let log = server.log();
    assert!(log.contains("disk is full"), "the log says why:\n{log}");

    // Space again: what was acknowledged is there, complete, the file is sound, and
    // respondents can answer again without a restart.
    std::fs::remove_file(filler).unwrap();
    let store = Store::connect(&url).await.unwrap();
    verify(&store, &outcome).await;
    store.close().await;
    assert_eq!(sqlite_integrity(&url).await, "ok");
    let next = b.post_form(&refused, &fields).await;
    assert!(next.url.ends_with("/p/two"), "{}", next.url);
    one_response_completes(&server.base).await;
    assert!(server.stop().await);
}
