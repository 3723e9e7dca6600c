//! The database ceiling: the rows the app writes, written with sqlx alone (no HTTP, no
//! HTML, no survey logic), with the same concurrency, pools and pragmas as
//! `anketa::store::Store::connect` (`--pool app`; `--pool shared` is its earlier single
//! SQLite pool). Each operation is its own transaction, like the app's autocommitted
//! statements.
//!
//! Modes (one "op" each):
//! - `insert`: one plain single-row INSERT in its own transaction (BEGIN/INSERT/COMMIT).
//! - `update`: the app's `save_progress` UPDATE of a response (the write of a page POST).
//! - `page`: everything the database does for one page POST and the GET it redirects
//!   to: session load, response read, `save_progress` UPDATE; session load, response read.
//! - `response`: everything for one completed response of a survey with `pages` pages and
//!   a review page (what the app does, see docs/performance.md): the session created
//!   (with the CSRF token), the response inserted, `pages - 1` progress
//!   UPDATEs, the move to the review and the submit UPDATE, and the session and response
//!   reads of every request.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anketa::store::pools;
use anketa::survey::Answers;
use serde_json::{Value, json};
use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::SessionStore;
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::stats::{CpuMeter, Tally, Window};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    Insert,
    Update,
    Page,
    Response,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Sync {
    Full,
    Normal,
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PoolKind {
    /// As `Store::connect` now: SQLite writes through one writer connection, reads
    /// through 8 read-only connections, no ping before use; PostgreSQL 16 connections.
    App,
    /// As `Store::connect` before commit 3629a91: one SQLite pool of 8 connections for
    /// reads and writes, pinged before every use (sqlx's default).
    Shared,
}

#[derive(Clone)]
enum Pool {
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        read_store: SqliteStore,
        write_store: SqliteStore,
    },
    Postgres(PgPool, PostgresStore),
}

/// Statements that only read (reader pool on SQLite).
macro_rules! with_read {
    ($pool:expr, $p:ident, $s:ident => $body:expr) => {
        match $pool {
            Pool::Sqlite {
                read: $p,
                read_store: $s,
                ..
            } => $body,
            Pool::Postgres($p, $s) => $body,
        }
    };
}

/// Statements and transactions that write (the writer on SQLite).
macro_rules! with_write {
    ($pool:expr, $p:ident, $s:ident => $body:expr) => {
        match $pool {
            Pool::Sqlite {
                write: $p,
                write_store: $s,
                ..
            } => $body,
            Pool::Postgres($p, $s) => $body,
        }
    };
}

/// The app's SQL (src/store/mod.rs), verbatim.
const INSERT_RESPONSE: &str = "INSERT INTO responses (id, survey_id, survey_version, status, language, current_page, answers, revision, created_at, updated_at) \
                               VALUES ($1, $2, $3, 'in_progress', $4, $5, $6, 1, $7, $7)";
const SAVE_PROGRESS: &str = "UPDATE responses SET answers = $1, current_page = $2, language = $3, survey_version = $4, updated_at = $5, revision = revision + 1 \
                             WHERE id = $6 AND revision = $7 AND status = 'in_progress'";
const SUBMIT: &str = "UPDATE responses SET answers = $1, current_page = $2, language = $3, survey_version = $4, updated_at = $5, \
                      status = 'complete', submitted_at = $5, revision = revision + 1 \
                      WHERE id = $6 AND revision = $7 AND status = 'in_progress'";
const SELECT_RESPONSE: &str = "SELECT r.id, r.survey_id, r.survey_version, r.status, r.language, r.current_page, r.answers, r.revision, \
                               r.created_at, r.updated_at, r.submitted_at, i.attributes AS invitation, r.flag, r.flag_reason, r.deleted_at \
                               FROM responses r LEFT JOIN invitations i ON i.response_id = r.id WHERE r.id = $1";
const PLAIN_TABLE: &str = "CREATE TABLE IF NOT EXISTS bench_plain (id TEXT PRIMARY KEY, at BIGINT NOT NULL, payload TEXT NOT NULL)";
const PLAIN_INSERT: &str = "INSERT INTO bench_plain (id, at, payload) VALUES ($1, $2, $3)";

/// What one respondent's rows look like: the survey and answers as the app stores them.
pub struct Shape {
    pub survey_id: String,
    pub version: String,
    pub pages: Vec<String>,
    /// The answers JSON after each page (the last: complete).
    pub answers: Vec<String>,
}

impl Shape {
    pub fn of(survey: &anketa::survey::Survey) -> anyhow::Result<Shape> {
        let mut rng = anketa::demo::rng(5);
        let demo = anketa::demo::responses::responses(survey, 1, None, &mut rng)
            .map_err(anyhow::Error::msg)?;
        let complete = &demo[0].answers;
        // The answers grow page by page, as they do when a respondent moves on.
        let mut so_far = Answers::new();
        let mut answers = Vec::new();
        for page in &survey.pages {
            for q in &page.questions {
                if let Some(a) = complete.get(&q.id) {
                    so_far.insert(q.id.clone(), a.clone());
                }
            }
            answers.push(serde_json::to_string(&so_far)?);
        }
        Ok(Shape {
            survey_id: survey.id.clone(),
            version: survey.version.clone(),
            pages: survey.pages.iter().map(|p| p.id.clone()).collect(),
            answers,
        })
    }
}

async fn connect(url: &str, sync: Sync, kind: PoolKind) -> anyhow::Result<Pool> {
    // The same settings as anketa::store::Store::connect, except `synchronous` when asked.
    if url.starts_with("sqlite:") {
        let options = pools::sqlite_options(url)?.synchronous(match sync {
            Sync::Full => SqliteSynchronous::Full,
            Sync::Normal => SqliteSynchronous::Normal,
            Sync::Off => SqliteSynchronous::Off,
        });
        let (read, write) = match kind {
            PoolKind::App => pools::sqlite_pools(options).await?,
            PoolKind::Shared => {
                // The store before 3629a91: one pool of 8 for reads and writes, pinged.
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .acquire_timeout(Duration::from_secs(5))
                    .connect_with(options)
                    .await?;
                (pool.clone(), pool)
            }
        };
        Ok(Pool::Sqlite {
            read_store: SqliteStore::new(read.clone()),
            write_store: SqliteStore::new(write.clone()),
            read,
            write,
        })
    } else {
        let mut options = pools::postgres_options(url)?.application_name("anketa-ceiling");
        if sync != Sync::Full {
            options = options.options([(
                "synchronous_commit",
                if sync == Sync::Off { "off" } else { "local" },
            )]);
        }
        let pool = pools::postgres_pool(options).await?;
        Ok(Pool::Postgres(pool.clone(), PostgresStore::new(pool)))
    }
}

async fn close(pool: &Pool) {
    match pool {
        Pool::Sqlite { read, write, .. } => {
            read.close().await;
            write.close().await;
        }
        Pool::Postgres(p, _) => p.close().await,
    }
}

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

/// One simulated respondent's state.
struct Respondent {
    session: Record,
    response_id: String,
    revision: i64,
    /// Index of the page whose answers go into the next UPDATE.
    page: usize,
}

impl Respondent {
    fn new(survey_id: &str) -> Respondent {
        let response_id = uuid::Uuid::new_v4().to_string();
        let mut data = std::collections::HashMap::new();
        data.insert(
            format!("survey:{survey_id}"),
            json!({"response_id": response_id, "prefill": {}, "language": null, "invited": false}),
        );
        Respondent {
            session: Record {
                id: Id::default(),
                data,
                expiry_date: OffsetDateTime::now_utc() + time::Duration::days(30),
            },
            response_id,
            revision: 0,
            page: 0,
        }
    }
}

async fn load_session(pool: &Pool, id: &Id) -> anyhow::Result<()> {
    let found = with_read!(pool, _p, s => s.load(id).await)?;
    anyhow::ensure!(found.is_some(), "session {id} not found");
    Ok(())
}

/// The columns of `SELECT_RESPONSE`, decoded as the app decodes them.
#[derive(sqlx::FromRow)]
#[allow(dead_code)]
pub struct ResponseRow {
    id: String,
    survey_id: String,
    survey_version: String,
    status: String,
    language: String,
    current_page: String,
    pub answers: String,
    revision: i64,
    created_at: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
    invitation: Option<String>,
    flag: Option<String>,
    flag_reason: Option<String>,
    deleted_at: Option<i64>,
}

async fn read_response(pool: &Pool, id: &str) -> anyhow::Result<()> {
    // The app decodes the row into its Response (answers JSON parsed): done here too.
    let answers: Option<String> = with_read!(pool, p, _s => {
        let row: Option<ResponseRow> =
            sqlx::query_as(SELECT_RESPONSE).bind(id).fetch_optional(p).await?;
        row.map(|r| r.answers)
    });
    if let Some(a) = answers {
        let _: Answers = serde_json::from_str(&a)?;
    }
    Ok(())
}

async fn insert_response(pool: &Pool, shape: &Shape, r: &Respondent) -> anyhow::Result<()> {
    let now = millis(OffsetDateTime::now_utc());
    with_write!(pool, p, _s => sqlx::query(INSERT_RESPONSE)
        .bind(&r.response_id)
        .bind(&shape.survey_id)
        .bind(&shape.version)
        .bind("cs")
        .bind(&shape.pages[1.min(shape.pages.len() - 1)])
        .bind(&shape.answers[0])
        .bind(now)
        .execute(p)
        .await
        .map(|_| ()))?;
    Ok(())
}

async fn update_response(
    pool: &Pool,
    shape: &Shape,
    r: &mut Respondent,
    submit: bool,
) -> anyhow::Result<()> {
    let now = millis(OffsetDateTime::now_utc());
    let i = r.page.min(shape.answers.len() - 1);
    let next_page = shape.pages.get(i + 1).map_or("_review", String::as_str);
    let sql = if submit { SUBMIT } else { SAVE_PROGRESS };
    // The app serializes the merged answers for every write: so does this.
    let answers: Answers = serde_json::from_str(&shape.answers[i])?;
    let json = serde_json::to_string(&answers)?;
    let rows = with_write!(pool, p, _s => sqlx::query(sql)
        .bind(&json)
        .bind(next_page)
        .bind("cs")
        .bind(&shape.version)
        .bind(now)
        .bind(&r.response_id)
        .bind(r.revision)
        .execute(p)
        .await
        .map(|x| x.rows_affected()))?;
    anyhow::ensure!(rows == 1, "update changed {rows} rows");
    r.revision += 1;
    r.page += 1;
    Ok(())
}

/// A fresh respondent with a session and a response (revision 1), for update/page modes.
async fn started(pool: &Pool, shape: &Shape) -> anyhow::Result<Respondent> {
    let mut r = Respondent::new(&shape.survey_id);
    with_write!(pool, _p, s => s.create(&mut r.session).await)?;
    insert_response(pool, shape, &r).await?;
    r.revision = 1;
    r.page = 1;
    Ok(r)
}

/// One complete response, statement for statement as the app runs them.
async fn whole_response(pool: &Pool, shape: &Shape) -> anyhow::Result<()> {
    let mut r = Respondent::new(&shape.survey_id);
    let pages = shape.pages.len();
    // GET /s/{id}: no session yet; the response is looked up, the session created with
    // the CSRF token in it (since d5a5e3a; before, the first page's GET saved it again).
    read_response(pool, &r.response_id).await?;
    r.session.data.insert(
        "csrf".into(),
        json!("0123456789012345678901234567890123456789012"),
    );
    with_write!(pool, _p, s => s.create(&mut r.session).await)?;
    // GET the first page: session, response.
    load_session(pool, &r.session.id).await?;
    read_response(pool, &r.response_id).await?;
    // POST every page, GET the page it leads to; the first POST creates the response.
    for page in 0..pages {
        load_session(pool, &r.session.id).await?;
        read_response(pool, &r.response_id).await?;
        if page == 0 {
            insert_response(pool, shape, &r).await?;
            r.revision = 1;
            r.page = 1;
        } else {
            update_response(pool, shape, &mut r, false).await?;
        }
        load_session(pool, &r.session.id).await?;
        read_response(pool, &r.response_id).await?;
    }
    // POST the review: submit; GET the thank-you page.
    load_session(pool, &r.session.id).await?;
    read_response(pool, &r.response_id).await?;
    r.page = pages - 1;
    update_response(pool, shape, &mut r, true).await?;
    load_session(pool, &r.session.id).await?;
    read_response(pool, &r.response_id).await?;
    Ok(())
}

/// Migrate the database at `url` and record `survey`'s version (what responses refer to).
pub async fn prepare(url: &str, survey: &anketa::survey::Survey) -> anyhow::Result<()> {
    let store = anketa::store::Store::connect(url).await?;
    store.migrate().await?;
    store
        .record_survey_version(
            &survey.id,
            &survey.version,
            &survey.source,
            OffsetDateTime::now_utc(),
        )
        .await?;
    store.close().await;
    Ok(())
}

pub struct Settings {
    pub url: String,
    pub mode: Mode,
    pub sync: Sync,
    pub pool: PoolKind,
    pub clients: usize,
    pub warmup: f64,
    pub duration: f64,
}

pub async fn run(settings: Settings, survey: &anketa::survey::Survey) -> anyhow::Result<Value> {
    prepare(&settings.url, survey).await?;
    let pool = connect(&settings.url, settings.sync, settings.pool).await?;
    if settings.mode == Mode::Insert {
        with_write!(&pool, p, _s => sqlx::query(PLAIN_TABLE).execute(p).await.map(|_| ()))?;
    }
    let shape = Arc::new(Shape::of(survey)?);
    let pages = shape.pages.len();
    let window = Window::new(settings.warmup, settings.duration);
    let mode = settings.mode;
    let mut tasks = Vec::new();
    for _ in 0..settings.clients {
        let pool = pool.clone();
        let shape = shape.clone();
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            let mut respondent: Option<Respondent> = None;
            let payload = "x".repeat(100);
            while !window.over() {
                let began = Instant::now();
                let result: anyhow::Result<()> = async {
                    match mode {
                        Mode::Insert => {
                            let id = uuid::Uuid::new_v4().to_string();
                            let now = millis(OffsetDateTime::now_utc());
                            with_write!(&pool, p, _s => {
                                let mut tx = p.begin().await?;
                                sqlx::query(PLAIN_INSERT).bind(&id).bind(now).bind(&payload).execute(&mut *tx).await?;
                                tx.commit().await?;
                            });
                        }
                        Mode::Update | Mode::Page => {
                            if respondent.is_none() {
                                respondent = Some(started(&pool, &shape).await?);
                            }
                            let r = respondent.as_mut().expect("started");
                            // The same response, page after page, round and round.
                            if r.page >= pages {
                                r.page = 1;
                            }
                            if mode == Mode::Page {
                                load_session(&pool, &r.session.id).await?;
                                read_response(&pool, &r.response_id).await?;
                            }
                            update_response(&pool, &shape, r, false).await?;
                            if mode == Mode::Page {
                                load_session(&pool, &r.session.id).await?;
                                read_response(&pool, &r.response_id).await?;
                            }
                        }
                        Mode::Response => whole_response(&pool, &shape).await?,
                    }
                    Ok(())
                }
                .await;
                let ended = Instant::now();
                if window.counts(began, ended) {
                    match result {
                        Ok(()) => {
                            tally.count("ops", 1);
                            tally.latency("op", ended - began);
                        }
                        Err(e) => tally.error(format!("{e}")),
                    }
                }
            }
            tally
        }));
    }
    tokio::time::sleep_until(window.start.into()).await;
    let meter = CpuMeter::start(None);
    tokio::time::sleep_until(window.end.into()).await;
    let cpu = meter.stop();
    let mut total = Tally::default();
    for t in tasks {
        total.merge(t.await?);
    }
    close(&pool).await;
    let mut out = total.json(settings.duration);
    out["cpu"] = cpu;
    out["mode"] = json!(format!("{:?}", settings.mode).to_lowercase());
    out["synchronous"] = json!(format!("{:?}", settings.sync).to_lowercase());
    out["clients"] = json!(settings.clients);
    out["pool"] = json!(format!("{:?}", settings.pool).to_lowercase());
    // Writes (transactions that change rows) per op, for comparing with the app.
    let writes_per_op = match settings.mode {
        Mode::Insert | Mode::Update | Mode::Page => 1.0,
        // session create + insert + (pages - 1) updates + submit
        Mode::Response => (pages + 2) as f64,
    };
    out["writes_per_op"] = json!(writes_per_op);
    if settings.mode == Mode::Response {
        out["page_posts_per_op"] = json!(pages + 1);
    }
    Ok(out)
}
