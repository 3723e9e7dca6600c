//! Application start-up: load and check the surveys, connect and migrate the database,
//! record survey versions, then serve HTTP until shutdown. The state every request
//! shares, and the settings, are the web layer's ([`crate::web::AppState`]); this
//! module builds them and runs the accept loop, so it depends on `web`, never the
//! other way round.

use std::future::Future;
use std::sync::Arc;

use time::OffsetDateTime;
use tokio::net::TcpListener;

use crate::store::{Store, StoreError};
use crate::survey::{self, Diagnostic, Survey};
pub use crate::web::{AppState, Settings};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("the surveys or analysis plans have errors")]
    InvalidSurveys(Vec<Diagnostic>),
    #[error(transparent)]
    Store(#[from] StoreError),
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
    tracing::info!(
        surveys = surveys.len(),
        database = store.backend_name(),
        "ready"
    );
    let state = AppState::new(store, surveys, plans.plans, settings);
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
