//! A respondent workload for the crash and concurrency tests: clients fill a small
//! three-page survey over and over, each response carrying a unique code, and remember
//! what they sent and whether the final submit was acknowledged (a 303 to the thank-you
//! page). [`verify`] then holds the database to what every client was told.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anketa::store::{ExportFilter, Status, Store};
use anketa::survey::Answer;
use futures_util::TryStreamExt;
use reqwest::StatusCode;

use super::app::{Browser, Page, form_fields};

pub const SURVEY_ID: &str = "zatez";

/// Three pages; the response is created by the first page's save and completed by the
/// last page's "Submit" (no review page).
pub const SURVEY: &str = r#"
id = "zatez"
title = { cs = "Zátěžový dotazník", en = "Load test questionnaire" }
languages = ["cs", "en"]
[[page]]
id = "one"
  [[page.question]]
  id = "code"
  type = "text"
  text = { cs = "Kód", en = "Code" }
  required = true
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Role", en = "Role" }
  options = [ { value = "mayor", label = { cs = "Starosta", en = "Mayor" } }, { value = "worker", label = { cs = "Pracovník", en = "Worker" } } ]
  required = true
[[page]]
id = "two"
  [[page.question]]
  id = "staff"
  type = "number"
  text = { cs = "Počet pracovníků", en = "Staff" }
  required = true
[[page]]
id = "three"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = { cs = "Komentář", en = "Comment" }
"#;

/// What one client sent for one response.
#[derive(Debug, Clone)]
pub struct Sent {
    pub code: String,
    pub role: &'static str,
    pub staff: u32,
    pub comment: String,
}

impl Sent {
    fn new(client: usize, round: usize) -> Sent {
        let code = format!("c{client}-r{round}");
        Sent {
            role: if round.is_multiple_of(2) {
                "mayor"
            } else {
                "worker"
            },
            staff: u32::try_from(client * 1000 + round).unwrap(),
            // A few kB, so a response spans database pages (answers are stored trimmed).
            comment: format!("Komentář {code}. ")
                .repeat(200)
                .trim_end()
                .to_string(),
            code,
        }
    }
}

/// One attempted response.
#[derive(Debug, Clone)]
pub struct Flow {
    pub sent: Sent,
    /// The final submit was answered with a redirect to the thank-you page.
    pub acknowledged: bool,
}

/// What the clients saw.
#[derive(Debug, Default)]
pub struct Outcome {
    pub flows: Vec<Flow>,
    /// Response status -> count, for every request that got one.
    pub statuses: BTreeMap<u16, usize>,
    /// Requests without a response (connection refused or reset).
    pub transport_errors: usize,
    /// Bodies of error responses (status >= 500), first few of each status.
    pub error_pages: BTreeMap<u16, Vec<String>>,
}

impl Outcome {
    pub fn acknowledged(&self) -> impl Iterator<Item = &Sent> {
        self.flows
            .iter()
            .filter(|f| f.acknowledged)
            .map(|f| &f.sent)
    }

    pub fn count(&self, status: StatusCode) -> usize {
        self.statuses.get(&status.as_u16()).copied().unwrap_or(0)
    }

    fn merge(&mut self, other: Outcome) {
        self.flows.extend(other.flows);
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        self.transport_errors += other.transport_errors;
        for (k, v) in other.error_pages {
            let pages = self.error_pages.entry(k).or_default();
            pages.extend(v);
            pages.truncate(3);
        }
    }

    fn record(&mut self, result: &reqwest::Result<Page>) {
        match result {
            Ok(page) => {
                *self.statuses.entry(page.status.as_u16()).or_default() += 1;
                if page.status.is_server_error() {
                    let pages = self.error_pages.entry(page.status.as_u16()).or_default();
                    if pages.len() < 3 {
                        pages.push(page.body.clone());
                    }
                }
            }
            Err(_) => self.transport_errors += 1,
        }
    }
}

/// What a client does when a request fails (an error status or no answer at all).
#[derive(Debug, Clone, Copy)]
pub enum OnError {
    /// Give up (the server was killed).
    Stop,
    /// Send the same request again after a pause, as a respondent pressing the button
    /// again would (the form keeps what was typed).
    Retry(Duration),
}

pub struct Load {
    pub clients: usize,
    /// Requests go to these servers in turn (a round-robin load balancer).
    pub servers: Vec<String>,
    pub on_error: OnError,
    /// Clients start no new response once this is set.
    pub stop: Arc<AtomicBool>,
    /// Each client stops after this many responses.
    pub rounds: usize,
}

impl Load {
    pub async fn run(&self) -> Outcome {
        let mut tasks = Vec::new();
        for client in 0..self.clients {
            let servers = self.servers.clone();
            let stop = self.stop.clone();
            let on_error = self.on_error;
            let rounds = self.rounds;
            tasks.push(tokio::spawn(async move {
                let mut c = Client {
                    browser: Browser::at(&servers[0], Default::default()),
                    servers,
                    next: client,
                    on_error,
                    outcome: Outcome::default(),
                };
                for round in 0..rounds {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if !c.respond(Sent::new(client, round)).await {
                        break;
                    }
                }
                c.outcome
            }));
        }
        let mut outcome = Outcome::default();
        for t in tasks {
            outcome.merge(t.await.expect("client task"));
        }
        outcome
    }
}

struct Client {
    browser: Browser,
    servers: Vec<String>,
    next: usize,
    on_error: OnError,
    outcome: Outcome,
}

enum Step<'a> {
    Get(&'a str),
    Post(&'a str, &'a [(&'a str, &'a str)]),
}

impl Client {
    /// Send a request to the next server until it gets an answer with `expected`
    /// status; `None` when the client gives up.
    async fn send(&mut self, step: Step<'_>, expected: StatusCode) -> Option<Page> {
        loop {
            let base = &self.servers[self.next % self.servers.len()];
            self.next += 1;
            self.browser.rebase(base);
            let result = match step {
                Step::Get(path) => self.browser.try_get_raw(path).await,
                Step::Post(path, fields) => self.browser.try_post_raw(path, fields).await,
            };
            self.outcome.record(&result);
            match result {
                Ok(page) if page.status == expected => return Some(page),
                _ => match self.on_error {
                    OnError::Stop => return None,
                    OnError::Retry(pause) => tokio::time::sleep(pause).await,
                },
            }
        }
    }

    /// GET `path` and follow its redirect to a page with a form.
    async fn open(&mut self, location: &str) -> Option<Page> {
        let page = self.send(Step::Get(location), StatusCode::OK).await?;
        assert!(page.form_action().is_some(), "a form at {location}");
        Some(page)
    }

    /// Submit `page`'s form with `fields` (and Continue); the redirect's target.
    async fn submit(&mut self, page: &Page, fields: &[(&str, &str)]) -> Option<String> {
        let csrf = page.csrf();
        let action = page.form_action().expect("a form");
        let all = form_fields(&csrf, "next", fields);
        let answer = self
            .send(Step::Post(&action, &all), StatusCode::SEE_OTHER)
            .await?;
        Some(answer.header("location").expect("a redirect's location"))
    }

    /// One response from the start link to the thank-you page; false when the client
    /// gave up on the way.
    async fn respond(&mut self, sent: Sent) -> bool {
        let flow_index = self.outcome.flows.len();
        self.outcome.flows.push(Flow {
            sent: sent.clone(),
            acknowledged: false,
        });
        // A new respondent: a new session.
        let base = self.browser_base();
        self.browser = Browser::at(&base, Default::default());
        let Some(start) = self
            .send(Step::Get(&format!("/s/{SURVEY_ID}")), StatusCode::SEE_OTHER)
            .await
        else {
            return false;
        };
        let mut location = start.header("location").expect("start redirects");
        let staff = sent.staff.to_string();
        let pages: [Vec<(&str, &str)>; 3] = [
            vec![("code", &sent.code), ("role", sent.role)],
            vec![("staff", &staff)],
            vec![("comment", &sent.comment)],
        ];
        for fields in &pages {
            let Some(page) = self.open(&location).await else {
                return false;
            };
            let Some(next) = self.submit(&page, fields).await else {
                return false;
            };
            location = next;
        }
        assert!(location.ends_with("/done"), "{location}");
        self.outcome.flows[flow_index].acknowledged = true;
        true
    }

    fn browser_base(&self) -> String {
        self.servers[self.next % self.servers.len()].clone()
    }
}

/// What the database holds, checked against what the clients sent.
#[derive(Debug)]
pub struct Verified {
    pub complete: usize,
    pub in_progress: usize,
}

/// Every acknowledged response is stored exactly once, complete, with exactly the
/// answers sent; no stored response is half-written (a complete one has every answer as
/// sent, one in progress has the answers of whole pages only and never the last
/// page's); no code appears twice. Panics with the details otherwise.
pub async fn verify(store: &Store, outcome: &Outcome) -> Verified {
    let sent: HashMap<&str, &Sent> = outcome
        .flows
        .iter()
        .map(|f| (f.sent.code.as_str(), &f.sent))
        .collect();
    let stored: Vec<_> = store
        .export_responses(SURVEY_ID, &ExportFilter::default())
        .try_collect()
        .await
        .expect("read the responses back");
    let mut by_code: HashMap<&str, usize> = HashMap::new();
    let mut complete: HashSet<&str> = HashSet::new();
    let mut verified = Verified {
        complete: 0,
        in_progress: 0,
    };
    for r in &stored {
        let Some(Answer::Text(code)) = r.answers.get("code") else {
            panic!("response {} has no code: {:?}", r.id, r.answers);
        };
        *by_code.entry(code).or_default() += 1;
        let s = sent
            .get(code.as_str())
            .unwrap_or_else(|| panic!("response {} has a code nobody sent: {code}", r.id));
        let mut expected = BTreeMap::from([
            ("code".to_string(), Answer::Text(s.code.clone())),
            (
                "role".to_string(),
                Answer::Choice {
                    value: s.role.to_string(),
                    other: None,
                },
            ),
        ]);
        let staff = ("staff".to_string(), Answer::Number(f64::from(s.staff)));
        match r.status {
            Status::Complete => {
                verified.complete += 1;
                complete.insert(code);
                expected.extend([
                    staff,
                    ("comment".to_string(), Answer::Text(s.comment.clone())),
                ]);
                assert!(r.submitted_at.is_some(), "{} has no submission time", r.id);
            }
            Status::InProgress => {
                verified.in_progress += 1;
                if r.answers.contains_key("staff") {
                    expected.extend([staff]);
                }
            }
        }
        assert_eq!(
            r.answers, expected,
            "response {} ({:?}) is not what its client sent",
            r.id, r.status
        );
    }
    let twice: Vec<_> = by_code.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "codes stored more than once: {twice:?}");
    let lost: Vec<&str> = outcome
        .acknowledged()
        .map(|s| s.code.as_str())
        .filter(|c| !complete.contains(c))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged responses are not stored as complete: {lost:?}",
        lost.len()
    );
    verified
}

/// SQLite's own consistency check of a database file.
pub async fn sqlite_integrity(url: &str) -> String {
    use sqlx::Connection;
    let mut conn = sqlx::SqliteConnection::connect(url)
        .await
        .expect("open the SQLite file");
    let result: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .expect("integrity_check");
    conn.close().await.ok();
    result
}
