//! Respondents over HTTP: the full flow (start, every page, review, submit, thank-you
//! page), rendering one page of a started response again and again, and the size of
//! every page of the example questionnaires.
//!
//! Answers are generic: the survey files are loaded with anketa's own loader and
//! `anketa::demo::responses` makes complete, valid answers for any questionnaire (the
//! same generator as `anketa demo responses`); each page is posted with the form fields
//! that show those answers (what `anketa::survey::form::answers_to_input` produces). The
//! server decides which page comes next (skip logic), exactly as for a browser.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anketa::survey::answer::format_number;
use anketa::survey::model::Page;
use anketa::survey::{Answer, Answers, Survey};
use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::http::{Conn, Reply, form_action, hidden_value, location_path};
use crate::stats::{CpuMeter, Tally, Window};

/// Load one questionnaire (not an interview guide) from a survey directory.
pub fn load_survey(dir: &Path, id: &str) -> anyhow::Result<Survey> {
    let catalog = anketa::survey::load_paths(&[dir.to_path_buf()]);
    catalog
        .surveys
        .into_iter()
        .find(|s| s.id == id && !s.is_interview())
        .with_context(|| format!("no questionnaire \"{id}\" in {}", dir.display()))
}

/// The form fields that show `answers` on `page` (mirrors
/// `anketa::survey::form::answers_to_input`, whose fields are not public).
fn page_fields(page: &Page, answers: &Answers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for q in &page.questions {
        let Some(answer) = answers.get(&q.id) else {
            continue;
        };
        let id = &q.id;
        match answer {
            Answer::Text(s) => out.push((id.clone(), s.clone())),
            Answer::Number(n) => out.push((id.clone(), format_number(*n))),
            Answer::Choice { value, other } => {
                out.push((id.clone(), value.clone()));
                if let Some(t) = other {
                    out.push((format!("{id}.other_text"), t.clone()));
                }
            }
            Answer::Choices { values, other } => {
                for v in values {
                    out.push((id.clone(), v.clone()));
                }
                if let Some(t) = other {
                    out.push((format!("{id}.other_text"), t.clone()));
                }
            }
            Answer::Matrix(rows) => {
                for (row, code) in rows {
                    out.push((format!("{id}.{row}"), code.clone()));
                }
            }
            Answer::Points(points) => {
                for (item, n) in points {
                    out.push((format!("{id}.{item}"), n.to_string()));
                }
            }
            Answer::Ranking(items) => {
                for (i, code) in items.iter().enumerate() {
                    out.push((format!("{id}.{code}"), (i + 1).to_string()));
                }
            }
            Answer::Date(d) => out.push((id.clone(), d.to_string())),
            Answer::Bool(b) => out.push((id.clone(), if *b { "1" } else { "0" }.into())),
            Answer::Consent { .. } => out.push((id.clone(), "yes".into())),
        }
    }
    out
}

/// One respondent's answers as URL-encoded page bodies (without the CSRF token), by page id.
pub struct Script {
    pages: HashMap<String, String>,
}

impl Script {
    fn body_for(&self, page_id: &str, csrf: &str) -> String {
        let fields = self.pages.get(page_id).map_or("", String::as_str);
        let mut body = String::with_capacity(fields.len() + csrf.len() + 32);
        body.push_str("_csrf=");
        body.push_str(csrf);
        body.push_str("&_action=next");
        if !fields.is_empty() {
            body.push('&');
            body.push_str(fields);
        }
        body
    }
}

/// `count` different complete respondents of `survey`.
pub fn scripts(survey: &Survey, count: usize, seed: u64) -> anyhow::Result<Vec<Script>> {
    let mut rng = anketa::demo::rng(seed);
    let generated = anketa::demo::responses::responses(survey, count, None, &mut rng)
        .map_err(anyhow::Error::msg)?;
    Ok(generated
        .iter()
        .map(|r| Script {
            pages: survey
                .pages
                .iter()
                .map(|p| {
                    let fields = page_fields(p, &r.answers);
                    let body = serde_urlencoded::to_string(&fields).expect("strings encode");
                    (p.id.clone(), body)
                })
                .collect(),
        })
        .collect())
}

/// What a path in the respondent area is.
enum Screen<'a> {
    Page(&'a str),
    Review,
    Done,
    Other,
}

fn screen<'a>(path: &'a str, survey_id: &str) -> Screen<'a> {
    let path = path.split('?').next().unwrap_or(path);
    let Some(rest) = path
        .strip_prefix("/s/")
        .and_then(|r| r.strip_prefix(survey_id))
    else {
        return Screen::Other;
    };
    match rest {
        "/review" => Screen::Review,
        "/done" => Screen::Done,
        _ => rest.strip_prefix("/p/").map_or(Screen::Other, Screen::Page),
    }
}

/// The settings shared by the HTTP benchmarks.
pub struct Load {
    pub addr: SocketAddr,
    pub survey: Arc<Survey>,
    pub clients: usize,
    pub window: Window,
    pub server_pid: Option<u32>,
}

/// A respondent's browser: its connection and tally.
struct Client {
    conn: Conn,
    tally: Tally,
    window: Window,
}

enum Failed {
    /// An unexpected status (counted by status) or a page the flow did not expect.
    Status,
    /// The connection broke or timed out.
    Io,
}

impl Client {
    /// One request, timed and tallied as `kind` (`get` or `post`).
    async fn send(
        &mut self,
        kind: &'static str,
        path: &str,
        body: Option<String>,
    ) -> Result<(Reply, Instant, Instant), Failed> {
        let began = Instant::now();
        let reply = match body {
            None => self.conn.get(path).await,
            Some(b) => self.conn.post_form(path, b).await,
        };
        let ended = Instant::now();
        let counted = self.window.counts(began, ended);
        match reply {
            Ok(r) => {
                if counted {
                    self.tally.latency(kind, ended - began);
                    self.tally.latency("all", ended - began);
                    self.tally.count(kind, 1);
                    self.tally.count("requests", 1);
                    self.tally.count("bytes_received", r.body.len() as u64);
                    if !matches!(r.status, 200 | 303) {
                        self.tally.error(format!("{kind} {}", r.status));
                    }
                }
                Ok((r, began, ended))
            }
            Err(e) => {
                if counted {
                    self.tally.error(format!("{kind} io"));
                }
                if !self.window.over() {
                    tracing_error(&e);
                }
                Err(Failed::Io)
            }
        }
    }

    /// GET `path` and follow redirects; the final page and its path.
    async fn open(&mut self, mut path: String) -> Result<(Reply, String), Failed> {
        for _ in 0..10 {
            let (reply, _, _) = self.send("get", &path, None).await?;
            if reply.status == 303 || reply.status == 302 {
                let Some(loc) = reply.location.as_deref() else {
                    return Err(Failed::Status);
                };
                path = location_path(loc).to_string();
                continue;
            }
            return Ok((reply, path));
        }
        Err(Failed::Status)
    }

    /// One complete response: start, every page, review, submit, thank-you page.
    async fn respond(&mut self, survey: &Survey, script: &Script) -> Result<(), Failed> {
        self.conn.cookie = None;
        let started = Instant::now();
        let (mut page, mut path) = self.open(format!("/s/{}", survey.id)).await?;
        for _ in 0..(survey.pages.len() * 2 + 4) {
            if page.status != 200 {
                return Err(Failed::Status);
            }
            let body = match screen(&path, &survey.id) {
                Screen::Done => {
                    if self.window.counts(started, Instant::now()) {
                        self.tally.count("completed_responses", 1);
                        self.tally.latency("response", started.elapsed());
                    }
                    return Ok(());
                }
                Screen::Page(id) => {
                    let csrf = hidden_value(&page.body, "_csrf").ok_or(Failed::Status)?;
                    script.body_for(id, csrf)
                }
                Screen::Review => {
                    let csrf = hidden_value(&page.body, "_csrf").ok_or(Failed::Status)?;
                    format!("_csrf={csrf}&_action=submit")
                }
                Screen::Other => {
                    self.tally.error(format!("unexpected page {path}"));
                    return Err(Failed::Status);
                }
            };
            let action = form_action(&page.body).ok_or(Failed::Status)?;
            let (reply, began, _) = self.send("post", &action, Some(body)).await?;
            if reply.status != 303 {
                return Err(Failed::Status);
            }
            let next = location_path(reply.location.as_deref().unwrap_or("/")).to_string();
            (page, path) = self.open(next).await?;
            // The page turn as the respondent sees it: the POST and the page it leads to.
            let ended = Instant::now();
            if self.window.counts(began, ended) {
                self.tally.latency("page_turn", ended - began);
            }
        }
        self.tally.error("flow did not end");
        Err(Failed::Status)
    }
}

fn tracing_error(e: &anyhow::Error) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| eprintln!("loadgen: first transport error: {e:#}"));
}

/// Run `clients` respondents until the window closes; the merged tally and CPU use.
async fn run_clients<F, Fut>(load: &Load, each: F) -> (Tally, Value)
where
    F: Fn(usize, Client) -> Fut,
    Fut: std::future::Future<Output = Tally> + Send + 'static,
{
    let mut tasks = Vec::new();
    for i in 0..load.clients {
        let client = Client {
            conn: Conn::new(load.addr),
            tally: Tally::default(),
            window: load.window,
        };
        tasks.push(tokio::spawn(each(i, client)));
    }
    tokio::time::sleep_until(load.window.start.into()).await;
    let meter = CpuMeter::start(load.server_pid);
    tokio::time::sleep_until(load.window.end.into()).await;
    let cpu = meter.stop();
    let mut total = Tally::default();
    for t in tasks {
        if let Ok(tally) = t.await {
            total.merge(tally);
        }
    }
    (total, cpu)
}

/// The full respondent flow, `load.clients` respondents at a time.
pub async fn flow(load: &Load, scripts: Arc<Vec<Script>>) -> anyhow::Result<Value> {
    let survey = load.survey.clone();
    let (tally, cpu) = run_clients(load, |i, mut client| {
        let survey = survey.clone();
        let scripts = scripts.clone();
        async move {
            let mut n = i;
            while !client.window.over() {
                let script = &scripts[n % scripts.len()];
                n += 7;
                if let Err(Failed::Io) = client.respond(&survey, script).await {
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                }
            }
            client.tally
        }
    })
    .await;
    let seconds = (load.window.end - load.window.start).as_secs_f64();
    let mut out = tally.json(seconds);
    out["cpu"] = cpu;
    let completed = tally
        .counts
        .get("completed_responses")
        .copied()
        .unwrap_or(0);
    let posts = tally.counts.get("post").copied().unwrap_or(0);
    out["posts_per_response"] = json!(if completed > 0 {
        (posts as f64 / completed as f64 * 100.0).round() / 100.0
    } else {
        0.0
    });
    Ok(out)
}

/// GET one form page of a started response again and again (each client its own
/// response: the first page is saved, then the second page is rendered repeatedly).
pub async fn render(load: &Load, scripts: Arc<Vec<Script>>) -> anyhow::Result<Value> {
    let survey = load.survey.clone();
    let sizes = Arc::new(std::sync::Mutex::new(std::collections::BTreeMap::new()));
    let sizes2 = sizes.clone();
    let (tally, cpu) = run_clients(load, move |i, mut client| {
        let survey = survey.clone();
        let scripts = scripts.clone();
        let sizes = sizes2.clone();
        async move {
            let script = &scripts[i % scripts.len()];
            // Start and save the first page: the response exists from here on.
            let started: Result<String, Failed> = async {
                let (page, path) = client.open(format!("/s/{}", survey.id)).await?;
                let Screen::Page(id) = screen(&path, &survey.id) else {
                    return Err(Failed::Status);
                };
                let csrf = hidden_value(&page.body, "_csrf").ok_or(Failed::Status)?;
                let action = form_action(&page.body).ok_or(Failed::Status)?;
                let (reply, _, _) = client
                    .send("post", &action, Some(script.body_for(id, csrf)))
                    .await?;
                let next = location_path(reply.location.as_deref().unwrap_or("/")).to_string();
                Ok(next)
            }
            .await;
            let Ok(target) = started else {
                client.tally.error("could not start a response");
                return client.tally;
            };
            while !client.window.over() {
                let began = Instant::now();
                match client.send("get", &target, None).await {
                    Ok((reply, _, ended)) => {
                        if reply.status == 200 && client.window.counts(began, ended) {
                            client.tally.count("pages", 1);
                            sizes
                                .lock()
                                .expect("not poisoned")
                                .insert(target.clone(), reply.body.len());
                        }
                    }
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
                }
            }
            client.tally
        }
    })
    .await;
    let seconds = (load.window.end - load.window.start).as_secs_f64();
    let mut out = tally.json(seconds);
    out["cpu"] = cpu;
    out["page_bytes"] = json!(*sizes.lock().expect("not poisoned"));
    Ok(out)
}

/// The size of every page of every anonymous questionnaire in `dir`, walked over HTTP
/// by one respondent each, and of every form page of every questionnaire (token
/// surveys too) rendered by anketa's view code directly.
pub async fn pages(addr: SocketAddr, dir: &Path) -> anyhow::Result<Value> {
    let catalog = anketa::survey::load_paths(&[dir.to_path_buf()]);
    let mut over_http = serde_json::Map::new();
    let mut rendered = serde_json::Map::new();
    for survey in catalog.surveys.iter().filter(|s| !s.is_interview()) {
        let mut sizes = serde_json::Map::new();
        for (page, html) in
            anketa::demo::pages::rendered_pages(survey, 1).map_err(anyhow::Error::msg)?
        {
            sizes.insert(page, json!(html.into_string().len()));
        }
        rendered.insert(survey.id.clone(), Value::Object(sizes));
        if survey.access != anketa::survey::model::Access::Anonymous {
            continue;
        }
        let script = &scripts(survey, 1, 1)?[0];
        let mut client = Client {
            conn: Conn::new(addr),
            tally: Tally::default(),
            window: Window::new(0.0, 3600.0),
        };
        let mut walked = Vec::new();
        let fail = |what: &str| anyhow::anyhow!("{}: {what}", survey.id);
        let (mut page, mut path) = client
            .open(format!("/s/{}", survey.id))
            .await
            .map_err(|_| fail("cannot open"))?;
        loop {
            walked.push(json!({"path": path, "status": page.status, "bytes": page.body.len()}));
            let body = match screen(&path, &survey.id) {
                Screen::Done => break,
                Screen::Page(id) => script.body_for(
                    id,
                    hidden_value(&page.body, "_csrf").ok_or_else(|| fail("no token"))?,
                ),
                Screen::Review => format!(
                    "_csrf={}&_action=submit",
                    hidden_value(&page.body, "_csrf").ok_or_else(|| fail("no token"))?
                ),
                Screen::Other => bail!("{}: unexpected page {path}", survey.id),
            };
            let action = form_action(&page.body).ok_or_else(|| fail("no form"))?;
            let (reply, _, _) = client
                .send("post", &action, Some(body))
                .await
                .map_err(|_| fail("post failed"))?;
            if reply.status != 303 {
                bail!("{}: POST {action} answered {}", survey.id, reply.status);
            }
            let next = location_path(reply.location.as_deref().unwrap_or("/")).to_string();
            (page, path) = client.open(next).await.map_err(|_| fail("get failed"))?;
        }
        over_http.insert(survey.id.clone(), Value::Array(walked));
    }
    Ok(json!({"http": over_http, "rendered_form_pages": rendered}))
}
