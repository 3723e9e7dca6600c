//! SQL for interviews: create, read, save with a revision check, finish, and list by
//! interviewer or survey. The recorded content is an [`Interview`] stored as JSON.

use time::OffsetDateTime;

use super::{AuditEntry, Pool, Status, Store, StoreError, WriteOutcome, from_millis, millis};
use crate::interview::Interview;

/// An interview as stored.
#[derive(Debug, Clone)]
pub struct StoredInterview {
    pub id: String,
    pub survey_id: String,
    pub survey_version: String,
    pub interviewer_id: String,
    pub status: Status,
    pub data: Interview,
    pub revision: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub finished_at: Option<OffsetDateTime>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    survey_id: String,
    survey_version: String,
    interviewer_id: String,
    status: String,
    data: String,
    revision: i64,
    created_at: i64,
    updated_at: i64,
    finished_at: Option<i64>,
}

impl TryFrom<Row> for StoredInterview {
    type Error = StoreError;

    fn try_from(r: Row) -> Result<StoredInterview, StoreError> {
        Ok(StoredInterview {
            status: Status::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("interview status {}", r.status)))?,
            data: serde_json::from_str(&r.data)
                .map_err(|e| StoreError::Corrupt(format!("interview {}: {e}", r.id)))?,
            created_at: from_millis(r.created_at)?,
            updated_at: from_millis(r.updated_at)?,
            finished_at: r.finished_at.map(from_millis).transpose()?,
            id: r.id,
            survey_id: r.survey_id,
            survey_version: r.survey_version,
            interviewer_id: r.interviewer_id,
            revision: r.revision,
        })
    }
}

const COLUMNS: &str = "id, survey_id, survey_version, interviewer_id, status, data, revision, created_at, updated_at, finished_at";

/// Which interviews to list.
#[derive(Debug, Clone, Default)]
pub struct InterviewFilter<'a> {
    pub interviewer_id: Option<&'a str>,
    pub survey_id: Option<&'a str>,
    pub status: Option<Status>,
}

fn json(data: &Interview) -> String {
    serde_json::to_string(data).expect("an interview serializes")
}

impl Store {
    /// Start an interview, with its audit entry (if any) in the same transaction.
    pub async fn create_interview(
        &self,
        id: &str,
        survey_id: &str,
        survey_version: &str,
        interviewer_id: &str,
        now: OffsetDateTime,
        audit: Option<&AuditEntry>,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO interviews (id, survey_id, survey_version, interviewer_id, status, data, revision, created_at, updated_at) \
                           VALUES ($1, $2, $3, $4, 'in_progress', $5, 1, $6, $6)";
        let data = json(&Interview::default());
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL)
                .bind(id)
                .bind(survey_id)
                .bind(survey_version)
                .bind(interviewer_id)
                .bind(&data)
                .bind(millis(now))
                .execute(&mut *tx)
                .await?;
            if let Some(audit) = audit {
                audit_in!(tx, audit);
            }
            tx.commit().await
        })?;
        Ok(())
    }

    pub async fn interview(&self, id: &str) -> Result<Option<StoredInterview>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM interviews WHERE id = $1");
        let row: Option<Row> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        row.map(StoredInterview::try_from).transpose()
    }

    /// Save what was recorded (read against guide `survey_version`), if nobody saved since
    /// `revision` was read; `finish` also
    /// marks it complete. A complete interview can still be corrected (notes are often
    /// tidied afterwards), so completion does not lock it. The audit entry (if any) is
    /// written in the same transaction, and only with a save that happened.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_interview(
        &self,
        id: &str,
        revision: i64,
        survey_version: &str,
        data: &Interview,
        finish: bool,
        now: OffsetDateTime,
        audit: Option<&AuditEntry>,
    ) -> Result<WriteOutcome, StoreError> {
        const SAVE: &str = "UPDATE interviews SET data = $1, updated_at = $2, survey_version = $5, revision = revision + 1 WHERE id = $3 AND revision = $4";
        const FINISH: &str = "UPDATE interviews SET data = $1, updated_at = $2, survey_version = $5, revision = revision + 1, status = 'complete', \
                              finished_at = COALESCE(finished_at, $2) WHERE id = $3 AND revision = $4";
        let sql = if finish { FINISH } else { SAVE };
        let data = json(data);
        let rows = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let rows = sqlx::query(sql)
                .bind(&data)
                .bind(millis(now))
                .bind(id)
                .bind(revision)
                .bind(survey_version)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if rows == 1 && let Some(audit) = audit {
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| rows)
        })?;
        if rows == 1 {
            return Ok(WriteOutcome::Written);
        }
        Ok(match self.interview(id).await? {
            None => WriteOutcome::NotFound,
            Some(_) => WriteOutcome::Conflict,
        })
    }

    /// Interviews, most recently changed first.
    pub async fn list_interviews(
        &self,
        filter: &InterviewFilter<'_>,
    ) -> Result<Vec<StoredInterview>, StoreError> {
        // Unused filters bind NULL, so the SQL text is fixed.
        let sql = format!(
            "SELECT {COLUMNS} FROM interviews WHERE ($1 IS NULL OR interviewer_id = $1) \
             AND ($2 IS NULL OR survey_id = $2) AND ($3 IS NULL OR status = $3) ORDER BY updated_at DESC, id"
        );
        let rows: Vec<Row> = with_pool!(self, pool => sqlx::query_as(&sql)
            .bind(filter.interviewer_id)
            .bind(filter.survey_id)
            .bind(filter.status.map(Status::as_str))
            .fetch_all(pool)
            .await)?;
        rows.into_iter().map(StoredInterview::try_from).collect()
    }
}
