//! Storage: the one module that owns every SQL statement. The same portable SQL runs on
//! SQLite (the embedded default, WAL mode) and PostgreSQL; [`Store`] picks the driver
//! from the database URL. Migrations in `migrations/` run at start-up.

mod error;
pub mod pools;
mod sessions;

use std::time::Duration;

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;
use time::OffsetDateTime;

pub use self::error::StoreError;
pub use self::sessions::SessionBackend;
use crate::survey::{Answers, Lang};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A connection pool to SQLite or PostgreSQL. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pool: Pool,
}

#[derive(Clone, Debug)]
enum Pool {
    /// Read-only connections and the one writer (why: [`pools::sqlite_pools`]).
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
        /// The database file, for exports, which read it on a thread of their own
        /// ([`export`]).
        file: std::sync::Arc<std::path::Path>,
    },
    Postgres(PgPool),
}

/// Run the same code against whichever pool this store has: the body is compiled once
/// per driver, so one SQL text and one binding sequence serve both databases. For
/// statements that only read (on SQLite a write here fails: the readers are read-only).
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            Pool::Sqlite { read: $pool, .. } => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

/// [`with_pool!`] for statements and transactions that write.
macro_rules! with_writer {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            Pool::Sqlite { write: $pool, .. } => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

// First: its `audit_in!` macro serves the modules after it.
#[macro_use]
mod staff;
mod access;
mod export;
mod import;
mod interviews;
mod manage;
mod releases;
mod sign_in;
pub use self::access::{Invitation, NewInvitation};
pub use self::export::{ExportFilter, ExportedResponse};
pub use self::import::CompleteResponse;
pub use self::interviews::{InterviewFilter, StoredInterview};
pub use self::manage::{Flag, ListFilter, SurveyStats};
pub use self::releases::{Release, ReleaseKind};
pub use self::staff::{AuditEntry, User};
/// The response record is the core's: the store keeps it, reports and exports read it.
pub use crate::survey::response::{Response, Status};

/// A new response, created when its first page is saved.
#[derive(Debug)]
pub struct NewResponse<'a> {
    pub id: &'a str,
    pub survey_id: &'a str,
    pub survey_version: &'a str,
    pub language: Lang,
    pub current_page: &'a str,
    pub answers: &'a Answers,
}

/// The state an in-progress response moves to: its answers, where the respondent is, in
/// which language, on which survey version (the one the page was served from).
#[derive(Debug)]
pub struct Progress<'a> {
    pub survey_version: &'a str,
    pub language: Lang,
    pub current_page: &'a str,
    pub answers: &'a Answers,
}

/// What happened to a write guarded by a revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteOutcome {
    Written,
    /// Someone else wrote first (another tab, a double click): read again and retry.
    Conflict,
    /// The response was already submitted; nothing was changed.
    AlreadySubmitted,
    NotFound,
}

/// A stored version of a survey definition.
#[derive(Debug, Clone)]
pub struct SurveyVersion {
    pub version: String,
    pub source: String,
    pub first_seen_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ResponseRow {
    id: String,
    survey_id: String,
    survey_version: String,
    status: String,
    language: String,
    current_page: String,
    answers: String,
    revision: i64,
    created_at: i64,
    updated_at: i64,
    submitted_at: Option<i64>,
    invitation: Option<String>,
    flag: Option<String>,
    flag_reason: Option<String>,
    deleted_at: Option<i64>,
}

/// Responses with the attributes of their invitation, if any.
const SELECT_RESPONSES: &str = "SELECT r.id, r.survey_id, r.survey_version, r.status, r.language, r.current_page, r.answers, r.revision, \
                                r.created_at, r.updated_at, r.submitted_at, i.attributes AS invitation, r.flag, r.flag_reason, r.deleted_at \
                                FROM responses r LEFT JOIN invitations i ON i.response_id = r.id";

/// Responses that count: not marked as a test or excluded, not deleted.
const COUNTED: &str = "r.flag IS NULL AND r.deleted_at IS NULL";

fn millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

fn from_millis(ms: i64) -> Result<OffsetDateTime, StoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .map_err(|e| StoreError::Corrupt(format!("timestamp {ms}: {e}")))
}

impl TryFrom<ResponseRow> for Response {
    type Error = StoreError;

    fn try_from(r: ResponseRow) -> Result<Response, StoreError> {
        let status = match r.status.as_str() {
            "in_progress" => Status::InProgress,
            "complete" => Status::Complete,
            other => {
                return Err(StoreError::Corrupt(format!(
                    "response {}: status {other:?}",
                    r.id
                )));
            }
        };
        let language = Lang::from_code(&r.language).ok_or_else(|| {
            StoreError::Corrupt(format!("response {}: language {:?}", r.id, r.language))
        })?;
        let answers = serde_json::from_str(&r.answers)
            .map_err(|e| StoreError::Corrupt(format!("response {}: answers: {e}", r.id)))?;
        Ok(Response {
            status,
            language,
            answers,
            revision: r.revision,
            created_at: from_millis(r.created_at)?,
            updated_at: from_millis(r.updated_at)?,
            submitted_at: r.submitted_at.map(from_millis).transpose()?,
            id: r.id,
            survey_id: r.survey_id,
            survey_version: r.survey_version,
            current_page: r.current_page,
            invitation: r
                .invitation
                .map(|a| serde_json::from_str(&a))
                .transpose()
                .map_err(|e| StoreError::Corrupt(format!("invitation attributes: {e}")))?,
            flag: r.flag,
            flag_reason: r.flag_reason,
            deleted_at: r.deleted_at.map(from_millis).transpose()?,
        })
    }
}

fn answers_json(answers: &Answers) -> String {
    serde_json::to_string(answers).expect("answers always serialize")
}

/// The database file of a `sqlite://FILE` URL; `None` for other URLs.
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    if !url.starts_with("sqlite:") {
        return None;
    }
    pools::sqlite_options(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

impl Store {
    /// Connect to `sqlite://FILE` (created if missing) or `postgres://...`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let pool = if url.starts_with("sqlite:") {
            // The readers, the writer and the exports each open the file: an in-memory
            // database would be a different, empty one for each (and lose everything at exit).
            if url.contains(":memory:") || url.contains("mode=memory") {
                return Err(StoreError::BadUrl(format!(
                    "{url}: anketa keeps responses in a database file; use sqlite://FILE (created if missing)"
                )));
            }
            let options = pools::sqlite_options(url)?;
            let file = options.get_filename().into();
            let (read, write) = pools::sqlite_pools(options).await?;
            Pool::Sqlite { read, write, file }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Pool::Postgres(pools::postgres_pool(pools::postgres_options(url)?).await?)
        } else {
            return Err(StoreError::BadUrl(format!(
                "{url:?} is not a database URL: use sqlite://FILE or postgres://USER@HOST/DATABASE"
            )));
        };
        Ok(Store { pool })
    }

    /// Apply pending migrations (ours and the session store's).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        with_writer!(self, pool => MIGRATOR.run(pool).await)?;
        // The session store's `CREATE ... IF NOT EXISTS` is not guarded by the
        // migrator's lock: two instances starting together on one PostgreSQL may both
        // try to create its schema, and the loser gets a duplicate-key error. Its next
        // attempt finds everything in place.
        let sessions = self.session_backend();
        let mut attempt = 0;
        loop {
            match sessions.migrate().await {
                Ok(()) => return Ok(()),
                Err(e) if attempt < 3 => {
                    tracing::debug!(error = %e, "session store set-up raced another instance; retrying");
                    attempt += 1;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub fn session_backend(&self) -> SessionBackend {
        match &self.pool {
            Pool::Sqlite { read, write, .. } => SessionBackend::sqlite(read.clone(), write.clone()),
            Pool::Postgres(p) => SessionBackend::postgres(p.clone()),
        }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite { .. } => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    /// Succeeds when the database answers a trivial query.
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await);
        with_writer!(self, pool => pool.close().await);
    }

    /// Remember a survey version (idempotent): done for every survey at start-up.
    #[tracing::instrument(skip_all, fields(survey_id, version))]
    pub async fn record_survey_version(
        &self,
        survey_id: &str,
        version: &str,
        source: &str,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO survey_versions (survey_id, version, source, first_seen_at) VALUES ($1, $2, $3, $4) ON CONFLICT (survey_id, version) DO NOTHING";
        with_writer!(self, pool => sqlx::query(SQL).bind(survey_id).bind(version).bind(source).bind(millis(now)).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Every stored version of a survey, newest first.
    pub async fn survey_versions(&self, survey_id: &str) -> Result<Vec<SurveyVersion>, StoreError> {
        const SQL: &str = "SELECT version, source, first_seen_at FROM survey_versions WHERE survey_id = $1 ORDER BY first_seen_at DESC, version";
        let rows: Vec<(String, String, i64)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(survey_id).fetch_all(pool).await)?;
        rows.into_iter()
            .map(|(version, source, at)| {
                Ok(SurveyVersion {
                    version,
                    source,
                    first_seen_at: from_millis(at)?,
                })
            })
            .collect()
    }

    #[tracing::instrument(skip_all, fields(survey_id = new.survey_id))]
    pub async fn create_response(
        &self,
        new: &NewResponse<'_>,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO responses (id, survey_id, survey_version, status, language, current_page, answers, revision, created_at, updated_at) \
                           VALUES ($1, $2, $3, 'in_progress', $4, $5, $6, 1, $7, $7)";
        let answers = answers_json(new.answers);
        with_writer!(self, pool => sqlx::query(SQL)
            .bind(new.id)
            .bind(new.survey_id)
            .bind(new.survey_version)
            .bind(new.language.code())
            .bind(new.current_page)
            .bind(&answers)
            .bind(millis(now))
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn response(&self, id: &str) -> Result<Option<Response>, StoreError> {
        let sql = format!("{SELECT_RESPONSES} WHERE r.id = $1");
        let row: Option<ResponseRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        row.map(Response::try_from).transpose()
    }

    /// Save an in-progress response's answers and position, if nobody wrote since
    /// `revision` was read. The response moves to the survey version the page came from.
    #[tracing::instrument(skip_all, fields(response_id = id))]
    pub async fn save_progress(
        &self,
        id: &str,
        revision: i64,
        progress: &Progress<'_>,
        now: OffsetDateTime,
    ) -> Result<WriteOutcome, StoreError> {
        const SQL: &str = "UPDATE responses SET answers = $1, current_page = $2, language = $3, survey_version = $4, updated_at = $5, revision = revision + 1 \
                           WHERE id = $6 AND revision = $7 AND status = 'in_progress'";
        self.guarded_write(SQL, id, revision, progress, now).await
    }

    /// Submit a response: final answers and status `complete` in one statement, so a
    /// response is never half-submitted; a second submit changes nothing.
    #[tracing::instrument(skip_all, fields(response_id = id))]
    pub async fn submit(
        &self,
        id: &str,
        revision: i64,
        progress: &Progress<'_>,
        now: OffsetDateTime,
    ) -> Result<WriteOutcome, StoreError> {
        const SQL: &str = "UPDATE responses SET answers = $1, current_page = $2, language = $3, survey_version = $4, updated_at = $5, \
                           status = 'complete', submitted_at = $5, revision = revision + 1 \
                           WHERE id = $6 AND revision = $7 AND status = 'in_progress'";
        self.guarded_write(SQL, id, revision, progress, now).await
    }

    /// Run an UPDATE of an in-progress response whose binds are ($1 answers, $2 page,
    /// $3 language, $4 version, $5 now, $6 id, $7 revision).
    async fn guarded_write(
        &self,
        sql: &'static str,
        id: &str,
        revision: i64,
        progress: &Progress<'_>,
        now: OffsetDateTime,
    ) -> Result<WriteOutcome, StoreError> {
        let answers = answers_json(progress.answers);
        let rows = with_writer!(self, pool => sqlx::query(sql)
            .bind(&answers)
            .bind(progress.current_page)
            .bind(progress.language.code())
            .bind(progress.survey_version)
            .bind(millis(now))
            .bind(id)
            .bind(revision)
            .execute(pool)
            .await
            .map(|r| r.rows_affected()))?;
        self.outcome(id, rows).await
    }

    /// Explain why a guarded write changed no row.
    async fn outcome(&self, id: &str, rows: u64) -> Result<WriteOutcome, StoreError> {
        if rows == 1 {
            return Ok(WriteOutcome::Written);
        }
        Ok(match self.response(id).await? {
            None => WriteOutcome::NotFound,
            Some(r) if r.status == Status::Complete => WriteOutcome::AlreadySubmitted,
            Some(_) => WriteOutcome::Conflict,
        })
    }

    /// Complete responses of a survey in submission order, streamed row by row.
    pub fn complete_responses<'a>(
        &'a self,
        survey_id: &'a str,
    ) -> BoxStream<'a, Result<Response, StoreError>> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "{SELECT_RESPONSES} WHERE r.survey_id = $1 AND r.status = 'complete' AND {COUNTED} ORDER BY r.submitted_at, r.id"
            )
        });
        let rows: BoxStream<'a, Result<ResponseRow, sqlx::Error>> = with_pool!(self, pool => sqlx::query_as(SQL.as_str()).bind(survey_id).fetch(pool).boxed());
        rows.map_err(StoreError::from)
            .and_then(|row| async move { Response::try_from(row) })
            .boxed()
    }

    /// Count the responses of a survey that count (see `COUNTED`) by status: quotas,
    /// dashboards, tests.
    pub async fn count_responses(
        &self,
        survey_id: &str,
        status: Status,
    ) -> Result<i64, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT COUNT(*) FROM responses r WHERE r.survey_id = $1 AND r.status = $2 AND {COUNTED}"
            )
        });
        let n: i64 = with_pool!(self, pool => sqlx::query_scalar(SQL.as_str()).bind(survey_id).bind(status.as_str()).fetch_one(pool).await)?;
        Ok(n)
    }
}
