//! Application start-up and shared state: load and check the surveys, connect and
//! migrate the database, record survey versions, then serve HTTP until shutdown.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use time::OffsetDateTime;
use tokio::net::TcpListener;

use crate::store::{Store, StoreError};
use crate::web::AttemptLimiter;

/// Invitation links and resume codes one IP address may try per minute.
const ATTEMPTS_PER_MINUTE: u32 = 30;
use crate::survey::{self, Diagnostic, Survey};

/// Everything `serve` needs, usually from the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub surveys_dir: PathBuf,
    /// Analysis plans for the report pages (`analysis/plans`); a missing directory means
    /// every survey gets the default plan.
    pub plans_dir: PathBuf,
    /// Mark cookies `Secure` (on unless explicitly serving plain HTTP).
    pub secure_cookies: bool,
    /// Largest accepted request body, in bytes.
    pub body_limit: usize,
    /// The address respondents reach anketa at (for resume links); taken from the
    /// request's Host header when not set.
    pub base_url: Option<String>,
    /// Behind a reverse proxy: take the client's address from the last entry of
    /// `X-Forwarded-For` (for rate limits and the audit log).
    pub behind_proxy: bool,
    /// The secret for keyed pseudonyms in anonymized exports (without it, pseudonyms
    /// are row numbers and surveys whose pseudonyms link people cannot be exported).
    pub pseudonym_key: Option<crate::anonymize::PseudonymKey>,
}

impl Settings {
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
}

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the surveys or analysis plans have errors")]
    InvalidSurveys(Vec<Diagnostic>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Shared by every request; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    store: Store,
    surveys: Vec<Arc<Survey>>,
    by_id: HashMap<String, Arc<Survey>>,
    plans: Vec<crate::report::plan::Plan>,
    settings: Settings,
    attempts: AttemptLimiter,
}

impl AppState {
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn survey(&self, id: &str) -> Option<&Arc<Survey>> {
        self.inner.by_id.get(id)
    }

    /// A questionnaire respondents may open (interview guides are only for staff).
    pub fn questionnaire(&self, id: &str) -> Option<&Arc<Survey>> {
        self.survey(id).filter(|s| !s.is_interview())
    }

    /// The surveys in file-name order.
    pub fn surveys(&self) -> &[Arc<Survey>] {
        &self.inner.surveys
    }

    /// The analysis plan of a survey (its file, or the default).
    pub fn plan_for(&self, survey: &Survey) -> crate::report::plan::Plan {
        crate::report::plan_load::plan_for(&self.inner.plans, survey)
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// Limits guessing of invitation links and resume codes, per IP address.
    pub fn attempts(&self) -> &AttemptLimiter {
        &self.inner.attempts
    }
}

/// Load surveys (refusing any with errors), connect, migrate and record versions.
/// Warnings are returned for the caller to print.
pub async fn prepare(settings: Settings) -> Result<(AppState, Vec<Diagnostic>), StartError> {
    let catalog = survey::load_paths(std::slice::from_ref(&settings.surveys_dir));
    if catalog.has_errors() {
        return Err(StartError::InvalidSurveys(catalog.diagnostics));
    }
    let plans = crate::report::plan_load::load_dir(&settings.plans_dir, &catalog.surveys);
    if plans.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(StartError::InvalidSurveys(plans.diagnostics));
    }
    let store = Store::connect(&settings.database_url).await?;
    store.migrate().await?;
    let now = OffsetDateTime::now_utc();
    for s in &catalog.surveys {
        store
            .record_survey_version(&s.id, &s.version, &s.source, now)
            .await?;
    }
    let surveys: Vec<Arc<Survey>> = catalog.surveys.into_iter().map(Arc::new).collect();
    let by_id = surveys.iter().map(|s| (s.id.clone(), s.clone())).collect();
    tracing::info!(
        surveys = surveys.len(),
        database = store.backend_name(),
        "ready"
    );
    let state = AppState {
        inner: Arc::new(Inner {
            store,
            surveys,
            by_id,
            plans: plans.plans,
            settings,
            attempts: AttemptLimiter::new(ATTEMPTS_PER_MINUTE),
        }),
    };
    Ok((state, catalog.diagnostics))
}

/// Serve on an already bound listener until `shutdown` resolves, then finish the
/// requests in flight.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(crate::web::housekeeping(state.clone()));
    let app =
        crate::web::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    let result = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    housekeeping.abort();
    result
}
