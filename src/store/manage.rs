//! SQL for managing and monitoring responses in the staff area: counts and timings for
//! dashboards, listing with filters, flags, soft deletion and erasure.

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use time::OffsetDateTime;

use super::{
    AuditEntry, COUNTED, Pool, Response, ResponseRow, SELECT_RESPONSES, Status, Store, StoreError,
    from_millis, millis,
};

/// The numbers on a survey's dashboard (responses that count only).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurveyStats {
    pub in_progress: i64,
    pub complete: i64,
    /// Marked as a test or excluded, or deleted.
    pub set_aside: i64,
    pub last_activity: Option<OffsetDateTime>,
    /// Median time from the first saved page to submission.
    pub median_completion: Option<time::Duration>,
}

impl SurveyStats {
    pub fn started(&self) -> i64 {
        self.in_progress + self.complete
    }

    /// Complete out of started, 0..=1.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.started() > 0).then(|| self.complete as f64 / self.started() as f64)
    }
}

/// What a response is marked as by staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    Test,
    Excluded,
}

impl Flag {
    pub fn as_str(self) -> &'static str {
        match self {
            Flag::Test => "test",
            Flag::Excluded => "excluded",
        }
    }

    pub fn parse(s: &str) -> Option<Flag> {
        match s {
            "test" => Some(Flag::Test),
            "excluded" => Some(Flag::Excluded),
            _ => None,
        }
    }
}

/// Filters of the response list that SQL applies (attribute filters are applied by the
/// caller on the answers).
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    pub status: Option<Status>,
    /// Created at or after.
    pub from: Option<OffsetDateTime>,
    /// Created before.
    pub until: Option<OffsetDateTime>,
    pub include_deleted: bool,
}

impl Store {
    pub async fn survey_stats(&self, survey_id: &str) -> Result<SurveyStats, StoreError> {
        static COUNTS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT r.status, COUNT(*), MAX(r.updated_at) FROM responses r WHERE r.survey_id = $1 AND {COUNTED} GROUP BY r.status"
            )
        });
        static ASIDE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!("SELECT COUNT(*) FROM responses r WHERE r.survey_id = $1 AND NOT ({COUNTED})")
        });
        static DURATIONS: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT r.submitted_at - r.created_at AS took FROM responses r WHERE r.survey_id = $1 AND r.status = 'complete' AND {COUNTED} \
                 ORDER BY took LIMIT $2 OFFSET $3"
            )
        });
        let counts: Vec<(String, i64, Option<i64>)> = with_pool!(self, pool => sqlx::query_as(COUNTS.as_str()).bind(survey_id).fetch_all(pool).await)?;
        let mut stats = SurveyStats::default();
        for (status, n, last) in counts {
            match status.as_str() {
                "complete" => stats.complete = n,
                _ => stats.in_progress += n,
            }
            let last = last.map(from_millis).transpose()?;
            stats.last_activity = stats.last_activity.max(last);
        }
        stats.set_aside = with_pool!(self, pool => sqlx::query_scalar(ASIDE.as_str()).bind(survey_id).fetch_one(pool).await)?;
        if stats.complete > 0 {
            // The middle one (odd count) or the two middle ones (even count).
            let n = stats.complete;
            let (take, skip) = if n % 2 == 1 {
                (1, n / 2)
            } else {
                (2, n / 2 - 1)
            };
            let middle: Vec<i64> = with_pool!(self, pool => sqlx::query_scalar(DURATIONS.as_str()).bind(survey_id).bind(take).bind(skip).fetch_all(pool).await)?;
            if !middle.is_empty() {
                let ms = middle.iter().sum::<i64>() / middle.len() as i64;
                stats.median_completion = Some(time::Duration::milliseconds(ms));
            }
        }
        Ok(stats)
    }

    /// Completed responses per day: (days since 1970-01-01 in local time, count), with
    /// local time `offset_ms` ahead of UTC.
    pub async fn completions_per_day(
        &self,
        survey_id: &str,
        offset_ms: i64,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT (r.submitted_at + $2) / 86400000 AS day, COUNT(*) FROM responses r \
                 WHERE r.survey_id = $1 AND r.status = 'complete' AND {COUNTED} GROUP BY day ORDER BY day"
            )
        });
        Ok(
            with_pool!(self, pool => sqlx::query_as(SQL.as_str()).bind(survey_id).bind(offset_ms).fetch_all(pool).await)?,
        )
    }

    /// Responses in progress by the page they are on (where people stop).
    pub async fn in_progress_by_page(
        &self,
        survey_id: &str,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT r.current_page, COUNT(*) FROM responses r WHERE r.survey_id = $1 AND r.status = 'in_progress' AND {COUNTED} GROUP BY r.current_page"
            )
        });
        Ok(
            with_pool!(self, pool => sqlx::query_as(SQL.as_str()).bind(survey_id).fetch_all(pool).await)?,
        )
    }

    /// Invitations of a token survey: (sent, started, complete).
    pub async fn invitation_status(&self, survey_id: &str) -> Result<(i64, i64, i64), StoreError> {
        const SQL: &str = "SELECT COUNT(*), COUNT(r.id), COALESCE(SUM(CASE WHEN r.status = 'complete' THEN 1 ELSE 0 END), 0) \
                           FROM invitations i LEFT JOIN responses r ON r.id = i.response_id AND r.deleted_at IS NULL WHERE i.survey_id = $1";
        let row: (i64, i64, i64) =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(survey_id).fetch_one(pool).await)?;
        Ok(row)
    }

    /// Responses for the staff list, newest first, streamed.
    pub fn list_responses<'a>(
        &'a self,
        survey_id: &'a str,
        filter: &ListFilter,
    ) -> BoxStream<'a, Result<Response, StoreError>> {
        // Unused bounds become values that match everything, so the SQL text is fixed.
        let status = filter.status.map(Status::as_str);
        let from = filter.from.map_or(i64::MIN, millis);
        let until = filter.until.map_or(i64::MAX, millis);
        let include_deleted = filter.include_deleted;
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "{SELECT_RESPONSES} WHERE r.survey_id = $1 AND ($2 IS NULL OR r.status = $2) AND r.created_at >= $3 AND r.created_at < $4 \
                 AND ($5 OR r.deleted_at IS NULL) ORDER BY r.created_at DESC, r.id"
            )
        });
        let rows: BoxStream<'a, Result<ResponseRow, sqlx::Error>> = with_pool!(self, pool => sqlx::query_as(SQL.as_str())
            .bind(survey_id)
            .bind(status)
            .bind(from)
            .bind(until)
            .bind(include_deleted)
            .fetch(pool)
            .boxed());
        rows.map_err(StoreError::from)
            .and_then(|row| async move { Response::try_from(row) })
            .boxed()
    }

    /// Mark a response (or clear its mark), with the audit entry, in one transaction;
    /// false (and nothing audited) if there is no such response in the survey.
    pub async fn set_flag(
        &self,
        survey_id: &str,
        id: &str,
        flag: Option<Flag>,
        reason: Option<&str>,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "UPDATE responses SET flag = $1, flag_reason = $2 WHERE id = $3 AND survey_id = $4";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(flag.map(Flag::as_str)).bind(reason).bind(id).bind(survey_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Delete softly: the response stays for the audit trail but leaves everything else.
    /// With its audit entry, in one transaction.
    pub async fn soft_delete(
        &self,
        survey_id: &str,
        id: &str,
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE responses SET deleted_at = $1 WHERE id = $2 AND survey_id = $3 AND deleted_at IS NULL";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(millis(now)).bind(id).bind(survey_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Erase for good (a data-subject request): the response, its resume codes and its
    /// invitation (with the person's name and address; its link stops working), and the
    /// audit entry, in one transaction.
    pub async fn erase(
        &self,
        survey_id: &str,
        id: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const CODES: &str = "DELETE FROM resume_codes WHERE response_id = $1";
        const INVITATION: &str = "DELETE FROM invitations WHERE response_id = $1";
        const RESPONSE: &str = "DELETE FROM responses WHERE id = $1 AND survey_id = $2";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(RESPONSE).bind(id).bind(survey_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                sqlx::query(CODES).bind(id).execute(&mut *tx).await?;
                sqlx::query(INVITATION).bind(id).execute(&mut *tx).await?;
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }
}
