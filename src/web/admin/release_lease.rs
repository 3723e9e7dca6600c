//! Publishing to people who may not see identified data, one request at a time per
//! survey: what may be released is decided against the earlier releases and the new one
//! recorded while holding the survey's lease in the database (so across instances too).
//! Two downloads or report views at the same moment are then planned one after the
//! other, and the second sees the first.

use std::time::{Duration, Instant};

use time::OffsetDateTime;

use crate::store::Store;
use crate::web::error::AppError;

/// Longer than any request may take (the request timeout is 30 s): a lease of a stopped
/// instance frees itself.
const LEASE: time::Duration = time::Duration::seconds(60);
/// How long a request waits for another's decision before answering 503 (a report view
/// holds the lease while its report is computed: up to a few seconds on large surveys).
const WAIT: Duration = Duration::from_secs(20);

/// The survey's release lease, held until dropped (given back then, on every path out
/// of the handler, errors included).
pub(super) struct ReleaseLease {
    store: Store,
    survey_id: String,
    holder: String,
}

impl ReleaseLease {
    /// Wait for the lease (a 503 after 20 s).
    pub(super) async fn take(store: &Store, survey_id: &str) -> Result<ReleaseLease, AppError> {
        let holder = uuid::Uuid::new_v4().to_string();
        let deadline = Instant::now() + WAIT;
        loop {
            let now = OffsetDateTime::now_utc();
            if store
                .take_release_lease(survey_id, &holder, now, now + LEASE)
                .await?
            {
                return Ok(ReleaseLease {
                    store: store.clone(),
                    survey_id: survey_id.to_string(),
                    holder,
                });
            }
            if Instant::now() > deadline {
                return Err(AppError::Unavailable(
                    format!(
                        "the release lease of {survey_id} was not free within {} s",
                        WAIT.as_secs()
                    )
                    .into(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

impl Drop for ReleaseLease {
    fn drop(&mut self) {
        let (store, survey_id, holder) = (
            self.store.clone(),
            std::mem::take(&mut self.survey_id),
            std::mem::take(&mut self.holder),
        );
        // Outside a runtime (never in a request) the lease simply expires.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                if let Err(e) = store.end_release_lease(&survey_id, &holder).await {
                    tracing::warn!(error = %e, survey_id, "could not give the release lease back (it expires)");
                }
            });
        }
    }
}
