//! SQL for `anketa import`: complete responses collected on paper, stored all or none.

use time::OffsetDateTime;

use super::{AuditEntry, Pool, Store, StoreError, answers_json, millis};
use crate::survey::{Answers, Lang};

/// A complete response to store as it is: checked against the survey by the caller
/// (see [`crate::import`]).
#[derive(Debug)]
pub struct CompleteResponse<'a> {
    pub id: &'a str,
    pub language: Lang,
    /// The last page that applies to the answers: where a respondent would have submitted.
    pub current_page: &'a str,
    pub answers: &'a Answers,
    pub submitted_at: OffsetDateTime,
}

impl Store {
    /// Store complete responses of one survey version (recorded with
    /// [`Store::record_survey_version`] first) in one transaction: all or none. A response
    /// is created at its submission time, at revision 1; `now` is its last change. The
    /// audit entry is written in the same transaction.
    /// [`StoreError::Duplicate`] when an id exists already.
    #[tracing::instrument(skip_all, fields(survey_id, count = responses.len()))]
    pub async fn import_responses(
        &self,
        survey_id: &str,
        survey_version: &str,
        responses: &[CompleteResponse<'_>],
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO responses (id, survey_id, survey_version, status, language, current_page, answers, revision, created_at, updated_at, submitted_at) \
                           VALUES ($1, $2, $3, 'complete', $4, $5, $6, 1, $7, $8, $7)";
        let updated = millis(now);
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            for r in responses {
                sqlx::query(SQL)
                    .bind(r.id)
                    .bind(survey_id)
                    .bind(survey_version)
                    .bind(r.language.code())
                    .bind(r.current_page)
                    .bind(answers_json(r.answers))
                    .bind(millis(r.submitted_at))
                    .bind(updated)
                    .execute(&mut *tx)
                    .await?;
            }
            audit_in!(tx, audit);
            tx.commit().await
        })?;
        Ok(())
    }
}
