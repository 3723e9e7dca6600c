//! `anketa serve` as a real process (the binary cargo built for the tests), for tests
//! that kill it, restart it or run several instances on one database.

use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`
    pub base: String,
    log: Arc<Mutex<String>>,
}

impl Server {
    /// Start `anketa serve` on a free port with the surveys in `surveys` and wait until
    /// it listens (migrations done). Panics with the server's log if it does not start.
    pub async fn start(database_url: &str, surveys: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_anketa"))
            .args(["serve", "--listen", "127.0.0.1:0", "--insecure-cookies"])
            .arg("--database")
            .arg(database_url)
            .arg("--surveys")
            .arg(surveys)
            .arg("--plans")
            .arg(surveys.join("no-plans"))
            .env("RUST_LOG", "info,sqlx=warn")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start anketa serve");
        let mut lines = BufReader::new(child.stderr.take().expect("stderr")).lines();
        let log = Arc::new(Mutex::new(String::new()));
        let keep = |log: &Mutex<String>, line: &str| {
            let mut log = log.lock().unwrap();
            log.push_str(line);
            log.push('\n');
        };
        let started = tokio::time::timeout(Duration::from_secs(60), async {
            while let Ok(Some(line)) = lines.next_line().await {
                keep(&log, &line);
                if let Some(at) = line.find("listening on http://") {
                    return Some(line[at + "listening on ".len()..].trim().to_string());
                }
            }
            None
        })
        .await;
        let Ok(Some(base)) = started else {
            let _ = child.start_kill();
            panic!(
                "anketa serve did not start:\n{}",
                log.lock().unwrap().as_str()
            );
        };
        // Keep reading the log so the pipe never fills up and blocks the server.
        let sink = log.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                keep(&sink, &line);
            }
        });
        Server { child, base, log }
    }

    /// Everything the server has logged so far.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// SIGKILL: no shutdown, no flushing, like a power cut to the process.
    pub async fn kill(mut self) {
        self.child.kill().await.expect("kill -9");
    }

    /// SIGTERM, then wait for a clean exit; returns whether it exited successfully.
    pub async fn stop(mut self) -> bool {
        let pid = self.child.id().expect("running").to_string();
        let sent = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .expect("kill -TERM");
        assert!(sent.success());
        let status = tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("anketa serve stops within 30 s")
            .expect("wait");
        status.success()
    }
}
