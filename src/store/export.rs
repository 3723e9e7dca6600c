//! Reading responses for exports: only the columns an export uses, streamed in the order
//! exports promise (oldest submission first). Exports of complete responses, the usual
//! case, walk the `responses_by_survey` index in that order instead of sorting every row.
//!
//! The rows are read and parsed on a thread of their own and handed over in batches, so
//! reading runs beside the caller's formatting. On SQLite that thread steps the statement
//! itself (rusqlite, a read-only connection of its own): through sqlx every row crosses
//! from its connection thread to the runtime and back, and those wake-ups took half of a
//! 1,000,000-row export (docs/performance.md, section 4). PostgreSQL rows arrive over a
//! socket anyway and are read with sqlx.

use std::collections::BTreeMap;

use futures_util::stream::{BoxStream, StreamExt};
use time::OffsetDateTime;

use super::{COUNTED, Pool, Status, Store, StoreError, from_millis, millis};
use crate::survey::{Answers, Lang};

/// Which responses an export takes. The default: every status, any time, any version.
#[derive(Debug, Clone, Default)]
pub struct ExportFilter {
    /// `None`: complete and in progress.
    pub status: Option<Status>,
    /// Submitted (or, in progress, last changed) at or after.
    pub from: Option<OffsetDateTime>,
    /// ... and before.
    pub until: Option<OffsetDateTime>,
    pub version: Option<String>,
}

/// What an export needs of a response.
#[derive(Debug, Clone)]
pub struct ExportedResponse {
    pub id: String,
    pub survey_version: String,
    pub status: Status,
    pub language: Lang,
    pub answers: Answers,
    pub submitted_at: Option<OffsetDateTime>,
    /// The invitation row (column -> value) of a response to a token survey.
    pub invitation: Option<BTreeMap<String, String>>,
}

#[derive(sqlx::FromRow)]
struct ExportRow {
    id: String,
    survey_version: String,
    status: String,
    language: String,
    answers: String,
    submitted_at: Option<i64>,
    invitation: Option<String>,
}

const COLUMNS: &str = "SELECT r.id, r.survey_version, r.status, r.language, r.answers, r.submitted_at, i.attributes AS invitation \
                       FROM responses r LEFT JOIN invitations i ON i.response_id = r.id";

impl ExportedResponse {
    /// A response from its stored columns.
    #[allow(clippy::too_many_arguments)]
    fn parse(
        id: &str,
        survey_version: &str,
        status: &str,
        language: &str,
        answers: &str,
        submitted_at: Option<i64>,
        invitation: Option<&str>,
    ) -> Result<ExportedResponse, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("response {id}: {what}"));
        let status = Status::parse(status).ok_or_else(|| corrupt("status"))?;
        let language = Lang::from_code(language).ok_or_else(|| corrupt("language"))?;
        let answers =
            serde_json::from_str(answers).map_err(|e| corrupt(&format!("answers: {e}")))?;
        let invitation = invitation
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| corrupt(&format!("invitation attributes: {e}")))?;
        Ok(ExportedResponse {
            id: id.to_string(),
            survey_version: survey_version.to_string(),
            status,
            language,
            answers,
            submitted_at: submitted_at.map(from_millis).transpose()?,
            invitation,
        })
    }
}

/// Responses handed over in batches of this many.
const BATCH: usize = 256;

type Batch = Vec<Result<ExportedResponse, StoreError>>;

/// The responses in `batches`, one by one. When the channel closes, `reader` (the task
/// that filled it) is asked how it ended: a reader that died (a panic) must end the
/// stream with an error, never look like the end of the data (a truncated export).
fn unbatch(
    batches: tokio::sync::mpsc::Receiver<Batch>,
    reader: tokio::task::JoinHandle<()>,
) -> BoxStream<'static, Result<ExportedResponse, StoreError>> {
    futures_util::stream::unfold((batches, Some(reader)), |(mut rx, reader)| async move {
        match rx.recv().await {
            Some(batch) => Some((futures_util::stream::iter(batch), (rx, reader))),
            None => match reader?.await {
                Ok(()) => None,
                Err(e) => {
                    let failed = vec![Err(StoreError::Other(Box::new(e)))];
                    Some((futures_util::stream::iter(failed), (rx, None)))
                }
            },
        }
    })
    .flatten()
    .boxed()
}

/// The values bound to `$1` .. `$5` of [`COMPLETE`] and [`ANY`].
struct Binds {
    survey_id: String,
    from: i64,
    until: i64,
    version: Option<String>,
    status: Option<&'static str>,
}

/// Complete responses only: the order is the index's (submitted_at is set), so nothing is
/// sorted. Unused bounds become values that match everything, so each SQL text is fixed.
static COMPLETE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{COLUMNS} WHERE r.survey_id = $1 AND r.status = 'complete' AND {COUNTED} \
         AND r.submitted_at >= $2 AND r.submitted_at < $3 \
         AND ($4 IS NULL OR r.survey_version = $4) ORDER BY r.submitted_at, r.id"
    )
});

/// Any status, or in progress only: sorted by the time of the last change.
static ANY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{COLUMNS} WHERE r.survey_id = $1 AND {COUNTED} \
         AND COALESCE(r.submitted_at, r.updated_at) >= $2 AND COALESCE(r.submitted_at, r.updated_at) < $3 \
         AND ($4 IS NULL OR r.survey_version = $4) AND ($5 IS NULL OR r.status = $5) \
         ORDER BY COALESCE(r.submitted_at, r.updated_at), r.id"
    )
});

/// Read `sql` from the SQLite `file` into `tx`, a batch at a time. Stops quietly when the
/// receiver is gone (the export was abandoned). `batch` holds what is read and not yet
/// sent: on an error the caller sends it with the error after it, so the rows before the
/// error arrive first.
fn read_sqlite(
    file: &std::path::Path,
    sql: &str,
    binds: &Binds,
    tx: &tokio::sync::mpsc::Sender<Batch>,
    batch: &mut Batch,
) -> Result<(), StoreError> {
    use rusqlite::OpenFlags;
    let conn = rusqlite::Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(super::pools::WAIT)?;
    let mut stmt = conn.prepare(sql)?;
    for (name, value) in [
        ("$1", rusqlite::types::Value::from(binds.survey_id.clone())),
        ("$2", binds.from.into()),
        ("$3", binds.until.into()),
        ("$4", binds.version.clone().into()),
        ("$5", binds.status.map(str::to_string).into()),
    ] {
        // `ANY` has all five, `COMPLETE` the first four.
        if let Some(i) = stmt.parameter_index(name)? {
            stmt.raw_bind_parameter(i, value)?;
        }
    }
    let mut rows = stmt.raw_query();
    while let Some(row) = rows.next()? {
        let text = |i: usize| row.get_ref(i).and_then(|v| Ok(v.as_str()?));
        batch.push(ExportedResponse::parse(
            text(0)?,
            text(1)?,
            text(2)?,
            text(3)?,
            text(4)?,
            row.get(5)?,
            row.get_ref(6).and_then(|v| Ok(v.as_str_or_null()?))?,
        ));
        if batch.len() == BATCH && tx.blocking_send(std::mem::take(batch)).is_err() {
            return Ok(());
        }
    }
    let _ = tx.blocking_send(std::mem::take(batch));
    Ok(())
}

impl Store {
    /// Responses chosen for an export, oldest first by submission (or, for responses in
    /// progress, last change), streamed. Dropping the stream stops the reading.
    pub fn export_responses(
        &self,
        survey_id: &str,
        filter: &ExportFilter,
    ) -> BoxStream<'static, Result<ExportedResponse, StoreError>> {
        let binds = Binds {
            survey_id: survey_id.to_string(),
            from: filter.from.map_or(i64::MIN, millis),
            until: filter.until.map_or(i64::MAX, millis),
            version: filter.version.clone(),
            status: filter.status.map(Status::as_str),
        };
        let sql: &'static str = match filter.status {
            Some(Status::Complete) => &COMPLETE,
            _ => &ANY,
        };
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let reader = match &self.pool {
            Pool::Sqlite { file, .. } => {
                let file = file.clone();
                tokio::task::spawn_blocking(move || {
                    let mut batch = Vec::with_capacity(BATCH);
                    if let Err(e) = read_sqlite(&file, sql, &binds, &tx, &mut batch) {
                        batch.push(Err(e));
                        let _ = tx.blocking_send(batch);
                    }
                })
            }
            Pool::Postgres(pool) => {
                let pool = pool.clone();
                tokio::spawn(async move {
                    let mut query = sqlx::query_as::<_, ExportRow>(sql)
                        .bind(&binds.survey_id)
                        .bind(binds.from)
                        .bind(binds.until)
                        .bind(&binds.version);
                    if sql == ANY.as_str() {
                        query = query.bind(binds.status);
                    }
                    let rows = query.fetch(&pool).map(|row| {
                        let r = row?;
                        ExportedResponse::parse(
                            &r.id,
                            &r.survey_version,
                            &r.status,
                            &r.language,
                            &r.answers,
                            r.submitted_at,
                            r.invitation.as_deref(),
                        )
                    });
                    let mut batches = rows.ready_chunks(BATCH);
                    while let Some(batch) = batches.next().await {
                        if tx.send(batch).await.is_err() {
                            break;
                        }
                    }
                })
            }
        };
        unbatch(rx, reader)
    }
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt;

    use super::*;

    fn response(id: &str) -> Result<ExportedResponse, StoreError> {
        ExportedResponse::parse(id, "v1", "complete", "cs", "{}", Some(0), None)
    }

    #[tokio::test]
    async fn a_reader_that_dies_ends_the_export_with_an_error_not_early() {
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let reader = tokio::spawn(async move {
            tx.send(vec![response("a"), response("b")]).await.unwrap();
            panic!("the reader broke");
        });
        let mut rows = unbatch(rx, reader);
        assert_eq!(rows.try_next().await.unwrap().unwrap().id, "a");
        assert_eq!(rows.try_next().await.unwrap().unwrap().id, "b");
        let err = rows.try_next().await.expect_err("not a clean end");
        assert!(matches!(err, StoreError::Other(_)), "{err}");
        assert!(rows.try_next().await.unwrap().is_none());
    }

    #[tokio::test]
    async fn a_reader_that_finishes_ends_the_export() {
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let reader = tokio::spawn(async move {
            tx.send(vec![response("a")]).await.unwrap();
        });
        let ids: Vec<String> = unbatch(rx, reader)
            .map_ok(|r| r.id)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(ids, ["a"]);
    }
}
