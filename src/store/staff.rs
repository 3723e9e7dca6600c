//! SQL for the staff area's accounts: users, per-survey grants, one-time set-password
//! links, and the append-only audit log (only INSERT and SELECT exist for it).

use futures_util::stream::{BoxStream, StreamExt, TryStreamExt};
use time::OffsetDateTime;

use super::{Pool, Store, StoreError, from_millis, millis};
use crate::staff::Role;

/// Append `entry` to the audit log inside the transaction `tx`, so a change and its
/// audit entry are stored together or not at all.
macro_rules! audit_in {
    ($tx:ident, $entry:expr) => {{
        const AUDIT: &str = "INSERT INTO audit_log (id, at, actor_id, actor_email, action, survey_id, target, details, ip) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        let entry: &AuditEntry = $entry;
        sqlx::query(AUDIT)
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(millis(entry.at))
            .bind(&entry.actor_id)
            .bind(&entry.actor_email)
            .bind(&entry.action)
            .bind(&entry.survey_id)
            .bind(&entry.target)
            .bind(entry.details.to_string())
            .bind(&entry.ip)
            .execute(&mut *$tx)
            .await?;
    }};
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub email: String,
    pub role: Role,
    pub password_hash: Option<String>,
    pub disabled: bool,
    pub sessions_valid_after: OffsetDateTime,
    pub created_at: OffsetDateTime,
    /// The TOTP secret (base32) of an account with two-factor sign-in turned on.
    pub totp_secret: Option<String>,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    role: String,
    password_hash: Option<String>,
    disabled: bool,
    sessions_valid_after: i64,
    created_at: i64,
    totp_secret: Option<String>,
    totp_enabled_at: Option<i64>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;

    fn try_from(r: UserRow) -> Result<User, StoreError> {
        Ok(User {
            role: r.role.parse().map_err(StoreError::Corrupt)?,
            sessions_valid_after: from_millis(r.sessions_valid_after)?,
            created_at: from_millis(r.created_at)?,
            id: r.id,
            email: r.email,
            password_hash: r.password_hash,
            disabled: r.disabled,
            totp_secret: r.totp_secret.filter(|_| r.totp_enabled_at.is_some()),
        })
    }
}

const USER_COLUMNS: &str = "id, email, role, password_hash, disabled, sessions_valid_after, created_at, totp_secret, totp_enabled_at";

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub at: OffsetDateTime,
    pub actor_id: Option<String>,
    pub actor_email: Option<String>,
    pub action: String,
    pub survey_id: Option<String>,
    pub target: Option<String>,
    /// A JSON object.
    pub details: serde_json::Value,
    pub ip: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AuditRow {
    at: i64,
    actor_id: Option<String>,
    actor_email: Option<String>,
    action: String,
    survey_id: Option<String>,
    target: Option<String>,
    details: String,
    ip: Option<String>,
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(r: AuditRow) -> Result<AuditEntry, StoreError> {
        Ok(AuditEntry {
            at: from_millis(r.at)?,
            details: serde_json::from_str(&r.details)
                .map_err(|e| StoreError::Corrupt(format!("audit details: {e}")))?,
            actor_id: r.actor_id,
            actor_email: r.actor_email,
            action: r.action,
            survey_id: r.survey_id,
            target: r.target,
            ip: r.ip,
        })
    }
}

const AUDIT_COLUMNS: &str = "at, actor_id, actor_email, action, survey_id, target, details, ip";

impl Store {
    /// Create an account, with its audit entry (one transaction).
    pub async fn create_user(
        &self,
        id: &str,
        email: &str,
        role: Role,
        now: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO users (id, email, role, disabled, sessions_valid_after, created_at) VALUES ($1, $2, $3, FALSE, $4, $4)";
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL).bind(id).bind(email).bind(role.as_str()).bind(millis(now)).execute(&mut *tx).await?;
            audit_in!(tx, audit);
            tx.commit().await
        })?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = $1");
        let row: Option<UserRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(email).fetch_optional(pool).await)?;
        row.map(User::try_from).transpose()
    }

    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let row: Option<UserRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).bind(id).fetch_optional(pool).await)?;
        row.map(User::try_from).transpose()
    }

    pub async fn list_users(&self) -> Result<Vec<User>, StoreError> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email");
        let rows: Vec<UserRow> =
            with_pool!(self, pool => sqlx::query_as(&sql).fetch_all(pool).await)?;
        rows.into_iter().map(User::try_from).collect()
    }

    /// Change the user's password, in one transaction with what a new password means:
    /// every set-password link of the user stops working (an older link must not reset
    /// it again), every session that began before `audit.at` ends (whoever knew the old
    /// password is signed out), and the change is in the audit log.
    pub async fn set_password_hash(
        &self,
        user_id: &str,
        phc: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str =
            "UPDATE users SET password_hash = $1, sessions_valid_after = $2 WHERE id = $3";
        const TOKENS: &str = "DELETE FROM password_tokens WHERE user_id = $1";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(phc).bind(millis(audit.at)).bind(user_id).execute(&mut *tx).await?.rows_affected();
            sqlx::query(TOKENS).bind(user_id).execute(&mut *tx).await?;
            audit_in!(tx, audit);
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Disable (ending every session that began before `audit.at`) or enable an account,
    /// with the audit entry, in one transaction.
    pub async fn set_disabled(
        &self,
        user_id: &str,
        disabled: bool,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE users SET disabled = $1 WHERE id = $2";
        const SESSIONS: &str = "UPDATE users SET sessions_valid_after = $1 WHERE id = $2";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(disabled).bind(user_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                if disabled {
                    sqlx::query(SESSIONS).bind(millis(audit.at)).bind(user_id).execute(&mut *tx).await?;
                }
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Invalidate every staff session of the user that began before `audit.at`, with the
    /// audit entry (one transaction).
    pub async fn end_sessions(&self, user_id: &str, audit: &AuditEntry) -> Result<(), StoreError> {
        const SQL: &str = "UPDATE users SET sessions_valid_after = $1 WHERE id = $2";
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(SQL).bind(millis(audit.at)).bind(user_id).execute(&mut *tx).await?;
            audit_in!(tx, audit);
            tx.commit().await
        })?;
        Ok(())
    }

    /// Grant a survey (idempotent), with the audit entry when it is new (one transaction).
    pub async fn grant(
        &self,
        user_id: &str,
        survey_id: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "INSERT INTO grants (user_id, survey_id, granted_at) VALUES ($1, $2, $3) ON CONFLICT (user_id, survey_id) DO NOTHING";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(user_id).bind(survey_id).bind(millis(audit.at)).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Take a survey away, with the audit entry when there was a grant (one transaction).
    pub async fn revoke(
        &self,
        user_id: &str,
        survey_id: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM grants WHERE user_id = $1 AND survey_id = $2";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(SQL).bind(user_id).bind(survey_id).execute(&mut *tx).await?.rows_affected();
            if n == 1 {
                audit_in!(tx, audit);
            }
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    pub async fn grants_of(&self, user_id: &str) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "SELECT survey_id FROM grants WHERE user_id = $1 ORDER BY survey_id";
        Ok(with_pool!(self, pool => sqlx::query_scalar(SQL).bind(user_id).fetch_all(pool).await)?)
    }

    /// Store a one-time set-password token (by hash) for the user, with the audit entry;
    /// it replaces the user's older links (only the newest link works).
    pub async fn create_password_token(
        &self,
        token_hash: &str,
        user_id: &str,
        expires: OffsetDateTime,
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        const OLDER: &str = "DELETE FROM password_tokens WHERE user_id = $1";
        const SQL: &str =
            "INSERT INTO password_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)";
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(OLDER).bind(user_id).execute(&mut *tx).await?;
            sqlx::query(SQL).bind(token_hash).bind(user_id).bind(millis(expires)).execute(&mut *tx).await?;
            audit_in!(tx, audit);
            tx.commit().await
        })?;
        Ok(())
    }

    /// The user of a valid set-password token, without using it up.
    pub async fn password_token_user(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<String>, StoreError> {
        const SQL: &str =
            "SELECT user_id FROM password_tokens WHERE token_hash = $1 AND expires_at > $2";
        Ok(
            with_pool!(self, pool => sqlx::query_scalar(SQL).bind(token_hash).bind(millis(now)).fetch_optional(pool).await)?,
        )
    }

    /// Use up a set-password token: returns its user if it was valid. A token works once.
    pub async fn take_password_token(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> Result<Option<String>, StoreError> {
        const SQL: &str = "DELETE FROM password_tokens WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id";
        Ok(
            with_writer!(self, pool => sqlx::query_scalar(SQL).bind(token_hash).bind(millis(now)).fetch_optional(pool).await)?,
        )
    }

    /// Append to the audit log.
    pub async fn audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            audit_in!(tx, entry);
            tx.commit().await
        })?;
        Ok(())
    }

    /// A page of the audit log, newest first.
    pub async fn audit_page(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>, StoreError> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY at DESC, id DESC LIMIT $1 OFFSET $2"
        );
        let rows: Vec<AuditRow> = with_pool!(self, pool => sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(pool).await)?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }

    pub async fn count_audit(&self) -> Result<i64, StoreError> {
        Ok(
            with_pool!(self, pool => sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(pool).await)?,
        )
    }

    /// The whole audit log, oldest first, streamed (for its export).
    pub fn audit_all(&self) -> BoxStream<'_, Result<AuditEntry, StoreError>> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!("SELECT {AUDIT_COLUMNS} FROM audit_log ORDER BY at, id")
        });
        let rows: BoxStream<'_, Result<AuditRow, sqlx::Error>> =
            with_pool!(self, pool => sqlx::query_as(SQL.as_str()).fetch(pool).boxed());
        rows.map_err(StoreError::from)
            .and_then(|r| async move { AuditEntry::try_from(r) })
            .boxed()
    }
}
