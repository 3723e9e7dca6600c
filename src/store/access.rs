//! SQL for access control: invitations (one token, one response) and resume codes.
//! Tokens and codes are stored as SHA-256 hashes only.

use std::collections::BTreeMap;

use futures_util::{StreamExt, TryStreamExt};
use time::OffsetDateTime;

use super::{Pool, Store, StoreError, millis};

/// An invitation as `anketa invite` creates it.
#[derive(Debug)]
pub struct NewInvitation {
    pub id: String,
    pub token_hash: String,
    pub response_id: String,
    pub attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Invitation {
    pub id: String,
    pub survey_id: String,
    pub token_hash: String,
    pub response_id: String,
    pub attributes: BTreeMap<String, String>,
}

impl Store {
    /// Store invitations, all or none (one transaction).
    #[tracing::instrument(skip_all, fields(survey_id, count = invitations.len()))]
    pub async fn create_invitations(
        &self,
        survey_id: &str,
        invitations: &[NewInvitation],
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO invitations (id, survey_id, token_hash, response_id, attributes, created_at) VALUES ($1, $2, $3, $4, $5, $6)";
        let at = millis(now);
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            for inv in invitations {
                let attributes = serde_json::to_string(&inv.attributes).expect("a string map serializes");
                sqlx::query(SQL)
                    .bind(&inv.id)
                    .bind(survey_id)
                    .bind(&inv.token_hash)
                    .bind(&inv.response_id)
                    .bind(&attributes)
                    .bind(at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await
        })?;
        Ok(())
    }

    /// The invitation with this token hash, if any.
    pub async fn invitation_by_token_hash(
        &self,
        token_hash: &str,
    ) -> Result<Option<Invitation>, StoreError> {
        const SQL: &str = "SELECT id, survey_id, token_hash, response_id, attributes FROM invitations WHERE token_hash = $1";
        let row: Option<(String, String, String, String, String)> = with_pool!(self, pool => sqlx::query_as(SQL).bind(token_hash).fetch_optional(pool).await)?;
        row.map(|(id, survey_id, token_hash, response_id, attributes)| {
            let attributes = serde_json::from_str(&attributes)
                .map_err(|e| StoreError::Corrupt(format!("invitation {id}: attributes: {e}")))?;
            Ok(Invitation {
                id,
                survey_id,
                token_hash,
                response_id,
                attributes,
            })
        })
        .transpose()
    }

    /// Every attribute name used by the survey's invitations, sorted (export columns).
    pub async fn invitation_attribute_names(
        &self,
        survey_id: &str,
    ) -> Result<Vec<String>, StoreError> {
        let mut names = std::collections::BTreeSet::new();
        self.each_invitation_attributes(survey_id, |attributes| {
            names.extend(attributes.into_keys())
        })
        .await?;
        Ok(names.into_iter().collect())
    }

    /// The distinct values of the given invitation columns (the names an anonymized
    /// export redacts from typed text), sorted.
    pub async fn invitation_values(
        &self,
        survey_id: &str,
        columns: &[String],
    ) -> Result<Vec<String>, StoreError> {
        let mut values = std::collections::BTreeSet::new();
        self.each_invitation_attributes(survey_id, |attributes| {
            for (column, value) in attributes {
                if let (true, serde_json::Value::String(v)) = (columns.contains(&column), value) {
                    values.insert(v);
                }
            }
        })
        .await?;
        Ok(values.into_iter().collect())
    }

    /// Stream the attributes of every invitation of a survey into `f`.
    async fn each_invitation_attributes(
        &self,
        survey_id: &str,
        mut f: impl FnMut(BTreeMap<String, serde_json::Value>),
    ) -> Result<(), StoreError> {
        const SQL: &str = "SELECT attributes FROM invitations WHERE survey_id = $1";
        let mut rows = with_pool!(self, pool => sqlx::query_scalar::<_, String>(SQL).bind(survey_id).fetch(pool).boxed());
        while let Some(json) = rows.try_next().await? {
            f(serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("invitation attributes: {e}")))?);
        }
        Ok(())
    }

    pub async fn count_invitations(&self, survey_id: &str) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM invitations WHERE survey_id = $1";
        Ok(with_pool!(self, pool => sqlx::query_scalar(SQL).bind(survey_id).fetch_one(pool).await)?)
    }

    /// Give a response a new resume code (replacing any earlier one), valid until `expires`.
    #[tracing::instrument(skip_all)]
    pub async fn replace_resume_code(
        &self,
        response_id: &str,
        code_hash: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<(), StoreError> {
        const DELETE: &str = "DELETE FROM resume_codes WHERE response_id = $1";
        const INSERT: &str = "INSERT INTO resume_codes (code_hash, response_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(DELETE).bind(response_id).execute(&mut *tx).await?;
            sqlx::query(INSERT).bind(code_hash).bind(response_id).bind(millis(now)).bind(millis(expires)).execute(&mut *tx).await?;
            tx.commit().await
        })?;
        Ok(())
    }

    /// The response a resume code (by hash) leads to, unless it has expired.
    pub async fn response_for_resume_code(
        &self,
        code_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<String>, StoreError> {
        const SQL: &str =
            "SELECT response_id FROM resume_codes WHERE code_hash = $1 AND expires_at > $2";
        Ok(
            with_pool!(self, pool => sqlx::query_scalar(SQL).bind(code_hash).bind(millis(now)).fetch_optional(pool).await)?,
        )
    }
}
