//! Sign-in attempts (a password, a second-factor code, the first code at set-up),
//! throttled per account and per address: each is stored before it is checked and
//! counted after, so guesses sent at the same moment, or to several instances, are all
//! counted; failures stay counted for [`WINDOW`] and are audited.

use serde_json::json;
use time::OffsetDateTime;

use crate::accounts::Actor;
use crate::web::error::AppError;

/// Failed sign-ins allowed per account, and per address, in [`WINDOW`].
const PER_ACCOUNT: i64 = 5;
const PER_ADDRESS: i64 = 20;
const WINDOW: time::Duration = time::Duration::minutes(15);

/// One sign-in attempt (a password or a second-factor code), counted before it is
/// checked: see [`crate::store::Store::begin_login_attempt`].
pub(super) struct Attempt {
    id: String,
    email: String,
    ip: String,
}

impl Attempt {
    /// Start an attempt; `None` (audited) when the account or the address has had too
    /// many failed or unfinished attempts in the last 15 minutes.
    pub(super) async fn begin(
        store: &crate::store::Store,
        email: &str,
        ip: &str,
    ) -> Result<Option<Attempt>, AppError> {
        let now = OffsetDateTime::now_utc();
        let attempt = Attempt {
            id: uuid::Uuid::now_v7().to_string(),
            email: email.to_string(),
            ip: ip.to_string(),
        };
        let (by_account, by_address) = store
            .begin_login_attempt(&attempt.id, email, ip, now, now - WINDOW)
            .await?;
        if by_account <= PER_ACCOUNT && by_address <= PER_ADDRESS {
            return Ok(Some(attempt));
        }
        store.end_login_attempt(&attempt.id).await?;
        attempt
            .actor()
            .audit(
                store,
                "login_throttled",
                None,
                None,
                json!({"by_account": by_account - 1, "by_address": by_address - 1}),
            )
            .await?;
        Ok(None)
    }

    fn actor(&self) -> Actor {
        Actor::claiming(&self.email, &self.ip)
    }

    /// The check failed: the attempt stays counted, and is audited.
    pub(super) async fn failed(
        self,
        store: &crate::store::Store,
        details: serde_json::Value,
    ) -> Result<(), AppError> {
        self.actor()
            .audit(store, "login_failed", None, None, details)
            .await?;
        Ok(())
    }

    /// The check passed: the attempt is no failure.
    pub(super) async fn succeeded(self, store: &crate::store::Store) -> Result<(), AppError> {
        store.end_login_attempt(&self.id).await?;
        Ok(())
    }
}
