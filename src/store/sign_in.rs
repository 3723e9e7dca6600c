//! SQL for signing in safely: sign-in attempts counted before they are checked (the
//! throttle), and two-factor sign-in (the TOTP secret, the last time step a code was
//! accepted for, one-time recovery codes).

use time::OffsetDateTime;

use super::{Pool, Store, StoreError, millis};
use crate::store::AuditEntry;

impl Store {
    /// Record a sign-in attempt for `email` from `ip`, then count the attempts in the
    /// window since `since`, this one included: (for the account, from the address).
    ///
    /// Stored first and counted after, each in its own statement: however many guesses
    /// arrive at once, the k-th stored sees at least k, so no more than the limit get
    /// past the throttle to a password check (the count includes attempts in progress).
    pub async fn begin_login_attempt(
        &self,
        id: &str,
        email: &str,
        ip: &str,
        now: OffsetDateTime,
        since: OffsetDateTime,
    ) -> Result<(i64, i64), StoreError> {
        const INSERT: &str =
            "INSERT INTO login_attempts (id, email, ip, at) VALUES ($1, $2, $3, $4)";
        const BY_EMAIL: &str = "SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at > $2";
        const BY_IP: &str = "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2";
        with_writer!(self, pool => sqlx::query(INSERT).bind(id).bind(email).bind(ip).bind(millis(now)).execute(pool).await.map(|_| ()))?;
        // On SQLite through the writer: a reader might not see the row just committed.
        let by_email: i64 = with_writer!(self, pool => sqlx::query_scalar(BY_EMAIL).bind(email).bind(millis(since)).fetch_one(pool).await)?;
        let by_ip: i64 = with_writer!(self, pool => sqlx::query_scalar(BY_IP).bind(ip).bind(millis(since)).fetch_one(pool).await)?;
        Ok((by_email, by_ip))
    }

    /// Forget an attempt that succeeded or was refused unchecked (a failed one stays
    /// until it leaves the window).
    pub async fn end_login_attempt(&self, id: &str) -> Result<(), StoreError> {
        const SQL: &str = "DELETE FROM login_attempts WHERE id = $1";
        with_writer!(self, pool => sqlx::query(SQL).bind(id).execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// Delete attempts older than `before` (upkeep); returns how many.
    pub async fn forget_login_attempts(&self, before: OffsetDateTime) -> Result<u64, StoreError> {
        const SQL: &str = "DELETE FROM login_attempts WHERE at < $1";
        Ok(
            with_writer!(self, pool => sqlx::query(SQL).bind(millis(before)).execute(pool).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Turn two-factor sign-in on with a confirmed `secret` and new recovery codes
    /// (hashes), replacing any earlier ones, with the audit entry, in one transaction.
    pub async fn enable_two_factor(
        &self,
        user_id: &str,
        secret: &str,
        step: u64,
        recovery_hashes: &[String],
        audit: &AuditEntry,
    ) -> Result<(), StoreError> {
        const USER: &str = "UPDATE users SET totp_secret = $1, totp_enabled_at = $2, totp_last_step = $3 WHERE id = $4";
        const CLEAR: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
        const CODE: &str = "INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)";
        let step = i64::try_from(step).map_err(|_| StoreError::Corrupt("time step".into()))?;
        with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(USER).bind(secret).bind(millis(audit.at)).bind(step).bind(user_id).execute(&mut *tx).await?;
            sqlx::query(CLEAR).bind(user_id).execute(&mut *tx).await?;
            for hash in recovery_hashes {
                sqlx::query(CODE).bind(user_id).bind(hash).execute(&mut *tx).await?;
            }
            audit_in!(tx, audit);
            tx.commit().await
        })?;
        Ok(())
    }

    /// Turn two-factor sign-in off (a lost phone: `anketa user reset-2fa`): the secret
    /// and recovery codes are deleted and every session ends, with the audit entry.
    pub async fn reset_two_factor(
        &self,
        user_id: &str,
        audit: &AuditEntry,
    ) -> Result<bool, StoreError> {
        const USER: &str = "UPDATE users SET totp_secret = NULL, totp_enabled_at = NULL, totp_last_step = NULL, sessions_valid_after = $1 WHERE id = $2";
        const CLEAR: &str = "DELETE FROM recovery_codes WHERE user_id = $1";
        let n = with_writer!(self, pool => {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(USER).bind(millis(audit.at)).bind(user_id).execute(&mut *tx).await?.rows_affected();
            sqlx::query(CLEAR).bind(user_id).execute(&mut *tx).await?;
            audit_in!(tx, audit);
            tx.commit().await.map(|()| n)
        })?;
        Ok(n == 1)
    }

    /// Accept a code of time step `step` for the user, once: false if this step or a
    /// later one was accepted already (a code seen over someone's shoulder is spent).
    pub async fn accept_totp_step(&self, user_id: &str, step: u64) -> Result<bool, StoreError> {
        const SQL: &str = "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_enabled_at IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)";
        let step = i64::try_from(step).map_err(|_| StoreError::Corrupt("time step".into()))?;
        let n = with_writer!(self, pool => sqlx::query(SQL).bind(step).bind(user_id).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    /// Use up a recovery code: true if it was one of the user's (it works once).
    pub async fn use_recovery_code(&self, user_id: &str, hash: &str) -> Result<bool, StoreError> {
        const SQL: &str = "DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2";
        let n = with_writer!(self, pool => sqlx::query(SQL).bind(user_id).bind(hash).execute(pool).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }

    pub async fn recovery_codes_left(&self, user_id: &str) -> Result<i64, StoreError> {
        const SQL: &str = "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1";
        Ok(with_pool!(self, pool => sqlx::query_scalar(SQL).bind(user_id).fetch_one(pool).await)?)
    }
}
