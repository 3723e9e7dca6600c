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
    /// The address people reach anketa at, for the links it makes (resume links,
    /// set-password links). Never taken from a request: its Host header is the sender's.
    pub base_url: String,
    /// How long a connection may take to send a request's headers (also the time an
    /// idle connection is kept): slow or half-sent requests cannot hold sockets.
    pub header_timeout: std::time::Duration,
    /// Who must sign in with a second factor.
    pub two_factor: crate::staff::TwoFactorPolicy,
    /// Behind a reverse proxy: take the client's address from the last entry of
    /// `X-Forwarded-For` (for rate limits and the audit log).
    pub behind_proxy: bool,
    /// The secret for keyed pseudonyms in anonymized exports (without it, pseudonyms
    /// are row numbers and surveys whose pseudonyms link people cannot be exported).
    pub pseudonym_key: Option<crate::anonymize::PseudonymKey>,
}

impl Settings {
    pub const DEFAULT_BODY_LIMIT: usize = 256 * 1024;
    pub const DEFAULT_HEADER_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);
    /// Connections served at once; more wait in the listen backlog (file descriptors
    /// stay below the usual limit of 65,536 with room for the database's).
    pub const MAX_CONNECTIONS: usize = 8192;
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
///
/// HTTP/1.1 through hyper with a timer, so a connection that does not send complete
/// request headers within [`Settings::header_timeout`] is closed (`axum::serve` has no
/// such timeout: half-sent headers would hold their sockets for ever), and at most
/// [`Settings::MAX_CONNECTIONS`] connections are served at once.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::server::graceful::GracefulShutdown;
    use tower::ServiceExt;

    let housekeeping = tokio::spawn(crate::web::housekeeping(state.clone()));
    let header_timeout = state.settings().header_timeout;
    let header_lines = crate::web::parse_errors::header_lines(state.settings().secure_cookies);
    let app = crate::web::router(state);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .keep_alive(true);
    let graceful = GracefulShutdown::new();
    let slots = Arc::new(tokio::sync::Semaphore::new(Settings::MAX_CONNECTIONS));
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before accept:
                    // wait a moment rather than spin.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let service = hyper::service::service_fn(
            move |mut request: hyper::Request<hyper::body::Incoming>| {
                request
                    .extensions_mut()
                    .insert(axum::extract::ConnectInfo(remote));
                app.clone().oneshot(request.map(axum::body::Body::new))
            },
        );
        let io = crate::web::parse_errors::WithSecurityHeaders::new(
            TokioIo::new(stream),
            header_lines.clone(),
        );
        let connection = graceful.watch(http.serve_connection(io, service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    // Requests in flight finish (at most the request timeout of 30 s, and a little).
    let _ = tokio::time::timeout(std::time::Duration::from_secs(35), graceful.shutdown()).await;
    housekeeping.abort();
    Ok(())
}
