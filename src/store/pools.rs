//! The connection settings and pools behind [`Store`](super::Store): one place, shared
//! with the benchmark's database ceiling (`bench/loadgen`), which must run the app's
//! exact settings with sqlx alone.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use super::StoreError;

/// How long a request waits for a connection, and SQLite for a lock, before the
/// database counts as unavailable.
pub(super) const WAIT: Duration = Duration::from_secs(5);

/// SQLite `url` as anketa opens it: created if missing, WAL, `synchronous = FULL` (a
/// response acknowledged to the respondent survives power loss too), foreign keys.
pub fn sqlite_options(url: &str) -> Result<SqliteConnectOptions, StoreError> {
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(|e| StoreError::BadUrl(format!("{url}: {e}")))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(WAIT)
        .foreign_keys(true))
}

/// The (reader, writer) pools over `options`. SQLite allows one writer at a time, and
/// writers that collide wait in its busy handler, which sleeps in steps of milliseconds;
/// so every write goes through one connection, queued fairly by its pool, and reads go
/// through read-only connections that WAL mode lets run beside it.
///
/// The writer opens first (it creates the file) and stays open, so the WAL and
/// shared-memory files the read-only connections need always exist. No ping before each
/// use: a file cannot drop the connection, and each ping is a round trip to the
/// connection's thread (context switches dominate a profile of the respondent flow).
pub async fn sqlite_pools(
    options: SqliteConnectOptions,
) -> Result<(SqlitePool, SqlitePool), sqlx::Error> {
    let write = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(1)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .acquire_timeout(WAIT)
        .connect_with(options.clone())
        .await?;
    let read = SqlitePoolOptions::new()
        .test_before_acquire(false)
        .max_connections(8)
        .acquire_timeout(WAIT)
        .connect_with(options.read_only(true))
        .await?;
    Ok((read, write))
}

/// PostgreSQL `url` as anketa opens it.
pub fn postgres_options(url: &str) -> Result<PgConnectOptions, StoreError> {
    Ok(PgConnectOptions::from_str(url)
        .map_err(|e| StoreError::BadUrl(format!("{e}")))?
        .application_name("anketa"))
}

/// The pool over `options` (connections are checked before use, so a restarted server
/// is noticed).
pub async fn postgres_pool(options: PgConnectOptions) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(WAIT)
        .connect_with(options)
        .await
}
