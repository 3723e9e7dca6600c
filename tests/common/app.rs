//! A running anketa on a random port with a fresh database, and a `Browser`: a
//! cookie-keeping HTTP client that follows redirects itself, reads pages as HTML and
//! submits forms the way a browser does (with the page's CSRF token).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anketa::app::{self, Settings};
use anketa::store::Store;
use reqwest::StatusCode;
use scraper::{Html, Selector};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::db::TestDb;

pub struct TestApp {
    pub addr: SocketAddr,
    pub store: Store,
    pub db: TestDb,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<JoinHandle<std::io::Result<()>>>,
}

pub fn repo_surveys() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("surveys")
}

impl TestApp {
    /// The app with the example surveys in `surveys/`.
    pub async fn spawn(db: TestDb) -> TestApp {
        TestApp::spawn_with(db, &repo_surveys(), Settings::DEFAULT_BODY_LIMIT).await
    }

    /// The settings the tests run with: `surveys` and its plans, the database, plain HTTP,
    /// links at `addr`, passwords alone enough to sign in (tests of two-factor sign-in
    /// set the policy they test).
    pub fn settings(db: &TestDb, surveys: &Path, addr: std::net::SocketAddr) -> Settings {
        Settings {
            database_url: db.url.clone(),
            surveys_dir: surveys.to_path_buf(),
            // The repository's plans for its surveys; a temporary survey directory has none.
            plans_dir: surveys.parent().unwrap_or(surveys).join("analysis/plans"),
            secure_cookies: false,
            body_limit: Settings::DEFAULT_BODY_LIMIT,
            base_url: format!("http://{addr}"),
            header_timeout: Settings::DEFAULT_HEADER_TIMEOUT,
            two_factor: anketa::staff::TwoFactorPolicy::Optional,
            behind_proxy: false,
            pseudonym_key: None,
        }
    }

    pub async fn spawn_with(db: TestDb, surveys: &Path, body_limit: usize) -> TestApp {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("info,anketa=debug")
                .with_test_writer()
                .try_init();
        }
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let settings = Settings {
            body_limit,
            ..TestApp::settings(&db, surveys, addr)
        };
        TestApp::spawn_with_settings(db, listener, settings).await
    }

    /// The app with these settings, on `listener` (its address is the base URL).
    pub async fn spawn_with_settings(
        db: TestDb,
        listener: tokio::net::TcpListener,
        settings: Settings,
    ) -> TestApp {
        let addr = listener.local_addr().unwrap();
        let (state, _warnings) = app::prepare(settings).await.expect("app starts");
        let store = state.store().clone();
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(app::serve(state, listener, async {
            let _ = rx.await;
        }));
        TestApp {
            addr,
            store,
            db,
            shutdown: Some(tx),
            server: Some(server),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// A new browser with its own cookies.
    pub fn browser(&self) -> Browser {
        let jar = Arc::new(reqwest::cookie::Jar::default());
        Browser::with_jar(self, jar)
    }

    /// Stop the server and wait for it to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task").expect("server ran");
        }
        self.store.close().await;
    }
}

/// A fetched page.
#[derive(Debug, Clone)]
pub struct Page {
    pub url: String,
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    fn select(&self, css: &str) -> Vec<String> {
        let sel = Selector::parse(css).expect("selector");
        self.html()
            .select(&sel)
            .map(|e| {
                e.text()
                    .collect::<String>()
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    /// The text of the first element matching `css`.
    pub fn select_first(&self, css: &str) -> Option<String> {
        self.select(css).into_iter().next()
    }

    pub fn h1(&self) -> String {
        self.select("h1").into_iter().next().unwrap_or_default()
    }

    /// The messages in the error summary, in order.
    pub fn error_summary(&self) -> Vec<String> {
        self.select(".error-summary li")
    }

    /// The message shown next to question `id`.
    pub fn field_error(&self, id: &str) -> Option<String> {
        self.select(&format!("#q-{id}-error")).into_iter().next()
    }

    pub fn notice(&self) -> Option<String> {
        self.select(".notice").into_iter().next()
    }

    pub fn progress(&self) -> Option<String> {
        self.select("#progress-text").into_iter().next()
    }

    pub fn has_question(&self, id: &str) -> bool {
        let html = self.html();
        let sel = Selector::parse(&format!("[name=\"{id}\"], [name^=\"{id}.\"]")).unwrap();
        html.select(&sel).next().is_some()
    }

    pub fn form_action(&self) -> Option<String> {
        let html = self.html();
        let sel = Selector::parse("form[method=post]").unwrap();
        html.select(&sel)
            .next()
            .and_then(|f| f.value().attr("action").map(str::to_string))
    }

    pub fn csrf(&self) -> String {
        let html = self.html();
        let sel = Selector::parse("input[name=_csrf]").unwrap();
        html.select(&sel)
            .next()
            .and_then(|e| e.value().attr("value").map(str::to_string))
            .expect("page has a CSRF token")
    }

    /// The value a text input or textarea shows.
    pub fn input_value(&self, name: &str) -> Option<String> {
        let html = self.html();
        let input = Selector::parse(&format!(
            "input[name=\"{name}\"]:not([type=radio]):not([type=checkbox])"
        ))
        .unwrap();
        if let Some(e) = html.select(&input).next() {
            return e.value().attr("value").map(str::to_string);
        }
        let area = Selector::parse(&format!("textarea[name=\"{name}\"]")).unwrap();
        html.select(&area).next().map(|e| e.text().collect())
    }

    /// The values of the checked radios/checkboxes and selected options named `name`.
    pub fn checked(&self, name: &str) -> Vec<String> {
        let html = self.html();
        let inputs = Selector::parse(&format!("input[name=\"{name}\"][checked]")).unwrap();
        let options =
            Selector::parse(&format!("select[name=\"{name}\"] option[selected]")).unwrap();
        html.select(&inputs)
            .chain(html.select(&options))
            .filter_map(|e| e.value().attr("value").map(str::to_string))
            .collect()
    }

    /// An attribute of the first element matching `css`.
    pub fn attr(&self, css: &str, attr: &str) -> Option<String> {
        let html = self.html();
        let sel = Selector::parse(css).expect("selector");
        html.select(&sel)
            .next()
            .and_then(|e| e.value().attr(attr).map(str::to_string))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }
}

pub struct Browser {
    base: String,
    pub client: reqwest::Client,
    pub jar: Arc<reqwest::cookie::Jar>,
    /// The last page reached (after following redirects).
    pub page: Option<Page>,
}

impl Browser {
    pub fn with_jar(app: &TestApp, jar: Arc<reqwest::cookie::Jar>) -> Browser {
        Browser::at(&app.url(""), jar)
    }

    /// A browser for the server at `base` (`http://host:port`), keeping cookies in `jar`.
    pub fn at(base: &str, jar: Arc<reqwest::cookie::Jar>) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .unwrap();
        Browser {
            base: base.to_string(),
            client,
            jar,
            page: None,
        }
    }

    /// Send the following requests to another server (cookies are kept: they do not
    /// depend on the port), as a load balancer would.
    pub fn rebase(&mut self, base: &str) {
        base.clone_into(&mut self.base);
    }

    async fn try_fetch(&self, req: reqwest::RequestBuilder) -> reqwest::Result<Page> {
        let resp = req.send().await?;
        let url = resp.url().to_string();
        let status = resp.status();
        let headers = resp.headers().clone();
        let body = resp.text().await?;
        Ok(Page {
            url,
            status,
            headers,
            body,
        })
    }

    /// GET without following redirects; a connection failure is an error.
    pub async fn try_get_raw(&self, path: &str) -> reqwest::Result<Page> {
        self.try_fetch(self.client.get(format!("{}{path}", self.base)))
            .await
    }

    /// POST form fields without following redirects; a connection failure is an error.
    pub async fn try_post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Result<Page> {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        self.try_fetch(req).await
    }

    /// GET without following redirects.
    pub async fn get_raw(&self, path: &str) -> Page {
        self.try_get_raw(path).await.expect("request")
    }

    /// POST form fields without following redirects.
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.try_post_raw(path, fields).await.expect("request")
    }

    /// Follow 303/302 redirects with GETs, like a browser.
    async fn follow(&mut self, mut page: Page) -> &Page {
        for _ in 0..10 {
            if !page.status.is_redirection() {
                break;
            }
            let location = page.header("location").expect("redirect has a location");
            page = self.get_raw(&location).await;
        }
        self.page = Some(page);
        self.page.as_ref().unwrap()
    }

    pub async fn open(&mut self, path: &str) -> &Page {
        let page = self.get_raw(path).await;
        self.follow(page).await
    }

    fn current(&self) -> &Page {
        self.page.as_ref().expect("a page is open")
    }

    /// Submit the current page's form with `fields` and the button `action`.
    pub async fn press(&mut self, action: &str, fields: &[(&str, &str)]) -> &Page {
        let (path, csrf) = {
            let page = self.current();
            (page.form_action().expect("page has a form"), page.csrf())
        };
        let page = self
            .post_raw(&path, &form_fields(&csrf, action, fields))
            .await;
        self.follow(page).await
    }

    /// Submit the form of `page` (which need not be the current one) with `fields`.
    pub async fn post_form(&mut self, page: &Page, fields: &[(&str, &str)]) -> &Page {
        let csrf = page.csrf();
        let mut all: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let response = self
            .post_raw(&page.form_action().expect("a form"), &all)
            .await;
        self.follow(response).await
    }

    /// Press "Continue" (or "Submit" on the last page).
    pub async fn next(&mut self, fields: &[(&str, &str)]) -> &Page {
        self.press("next", fields).await
    }

    pub async fn back(&mut self, fields: &[(&str, &str)]) -> &Page {
        self.press("back", fields).await
    }
}

/// A survey of one optional yes/no question, for tests about anything but surveys.
pub const ONE_QUESTION: &str = r#"
id = "obce"
title = "Obce"
[[page]]
id = "p"
  [[page.question]]
  id = "q"
  type = "yesno"
  text = "Ano?"
"#;

/// The fields a browser posts when `action` (`next`, `back`, ...) is pressed on a form
/// with the CSRF token `csrf` and the inputs `fields`.
pub fn form_fields<'a>(
    csrf: &'a str,
    action: &'a str,
    fields: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![("_csrf", csrf), ("_action", action)];
    all.extend_from_slice(fields);
    all
}

/// A survey open only through personal invitation links (`obce-pozvanky`): a hidden
/// question filled from the invitation's `municipality` column, a required number on the
/// first page and a comment on the second.
pub const TOKEN_SURVEY: &str = r#"
id = "obce-pozvanky"
title = { cs = "Dotazník pro obce", en = "Questionnaire for municipalities" }
languages = ["cs", "en"]
access = "token"
[[page]]
id = "one"
  [[page.question]]
  id = "obec"
  type = "hidden"
  param = "municipality"
  [[page.question]]
  id = "staff"
  type = "number"
  text = { cs = "Počet pracovníků", en = "Staff" }
  required = true
[[page]]
id = "two"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = { cs = "Komentář", en = "Comment" }
"#;

/// A directory of survey files for a test (kept alive by the returned guard).
pub fn survey_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(format!("{name}.toml")), text).expect("write survey");
    }
    dir
}

/// The path and query of an absolute link.
pub fn path_of(link: &str) -> String {
    let url = url::Url::parse(link).expect("absolute link");
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// CSV text as one map per row, keyed by the header.
pub fn csv_records(text: &str) -> Vec<std::collections::HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("a header row").clone();
    reader
        .records()
        .map(|r| {
            headers
                .iter()
                .map(str::to_string)
                .zip(r.expect("a CSV record").iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// The value of the browser's session cookie.
pub fn session_cookie(b: &Browser, app: &TestApp) -> String {
    use reqwest::cookie::CookieStore;
    let header = b
        .jar
        .cookies(&app.url("/").parse().unwrap())
        .expect("cookies");
    header
        .to_str()
        .unwrap()
        .split("; ")
        .find_map(|c| c.strip_prefix("anketa_session="))
        .expect("a session cookie")
        .to_string()
}

/// Run `anketa invite` for `survey_id` with the people in the CSV text `people`; the
/// personal links (in the CSV's order, on https://anketa.example.cz) and what the
/// command printed on standard error.
pub fn invite(
    database_url: &str,
    surveys: &Path,
    survey_id: &str,
    people: &str,
) -> (Vec<String>, String) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, people).unwrap();
    let out_file = dir.path().join("links.csv");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_anketa"))
        .args(["invite", survey_id, "--csv"])
        .arg(&csv)
        .args(["--base-url", "https://anketa.example.cz", "-o"])
        .arg(&out_file)
        .args(["--database", database_url, "--surveys"])
        .arg(surveys)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let mut reader = csv::Reader::from_path(&out_file).unwrap();
    assert_eq!(reader.headers().unwrap().iter().next_back(), Some("link"));
    let links = reader
        .records()
        .map(|r| r.unwrap().iter().next_back().unwrap().to_string())
        .collect();
    (links, stderr)
}
