//! The HTTP layer: routes per area, merged here, and the middleware every response
//! goes through (security headers, body limit, timeout, tracing, error pages).

mod admin;
mod csrf;
pub(crate) mod error;
mod extract;
mod home;
mod limits;
pub(crate) mod parse_errors;
mod redirect;
mod respond;
mod respondent;
mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

pub use self::error::AppError;
pub use self::limits::AttemptLimiter;
pub use self::state::{AppState, Settings};
use crate::views;
use crate::views::error::ErrorPage;

/// Scripts and styles only from our own files (no inline code), no framing, forms post
/// only to us, and scripts may only talk to us (the interview autosave).
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

pub fn router(state: AppState) -> Router {
    let settings = state.settings();
    let sessions = SessionManagerLayer::new(state.store().session_backend())
        .with_name("anketa_session")
        .with_secure(settings.secure_cookies)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_expiry(Expiry::OnInactivity(time::Duration::days(30)));
    // Respondent and staff pages hold personal data: never cache them.
    let with_sessions = respond::router()
        .merge(admin::router())
        .layer(sessions)
        .layer(axum::middleware::from_fn(session_store_failures))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            csrf::layer,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    let mut app = Router::new()
        .merge(home::router())
        .merge(with_sessions)
        .fallback(|| async { AppError::NotFound })
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .layer(axum::middleware::from_fn(error_pages_for_bare_errors))
        .layer(axum::middleware::from_fn(no_nul_in_address))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ));
    for (name, value) in security_headers(settings.secure_cookies) {
        app = app.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    app.layer(
        TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            // The route, not the path: paths carry invitation tokens, resume codes and
            // set-password links, and query strings carry answers.
            let route = req
                .extensions()
                .get::<axum::extract::MatchedPath>()
                .map_or("(no route)", axum::extract::MatchedPath::as_str);
            tracing::info_span!("http", method = %req.method(), route)
        }),
    )
    .with_state(state)
}

/// The headers every response carries, ours and hyper's own answers to requests it
/// cannot parse ([`parse_errors`]): a strict CSP, no framing, no sniffing, no referrer,
/// no opener, no powerful features; with secure cookies (served over HTTPS) also HSTS.
pub(crate) fn security_headers(secure: bool) -> Vec<(HeaderName, &'static str)> {
    let mut headers = vec![
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=(), payment=()",
        ),
    ];
    if secure {
        headers.push((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"));
    }
    headers
}

/// A bare 500 straight from the session layer means the session could not be saved:
/// the session store is the database, so the database is down, locked or full. Say
/// so (503, "try again shortly") instead of "internal error"; tower-sessions has logged
/// the cause. Our handlers' own errors always carry a page, so they pass unchanged.
async fn session_store_failures(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR
        && !response.headers().contains_key(header::CONTENT_TYPE)
    {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    response
}

/// Errors produced outside our handlers carry no body (a failed session save, a
/// timeout) or axum's plain-text message (a path segment that is not UTF-8, an unknown
/// method): give them the same HTML error page as everything else. `/healthz` keeps its
/// plain answer for load balancers.
async fn error_pages_for_bare_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let is_health_check = request.uri().path() == "/healthz";
    let response = next.run(request).await;
    let status = response.status();
    let bare = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.as_bytes().starts_with(b"text/plain"));
    if (status.is_client_error() || status.is_server_error()) && bare && !is_health_check {
        let allow = response.headers().get(header::ALLOW).cloned();
        let mut page = (
            status,
            views::error::page(ErrorPage::from_status(status), status),
        )
            .into_response();
        if let Some(allow) = allow {
            page.headers_mut().insert(header::ALLOW, allow);
        }
        return page;
    }
    response
}

/// An address with an encoded NUL names nothing anketa has (ids, codes and survey ids
/// never hold one) and cannot reach PostgreSQL, which refuses NUL in text: a 404 for
/// the path, a 400 for the query string, before any handler runs.
async fn no_nul_in_address(
    request: Request<axum::body::Body>,
    next: axum::middleware::Next,
) -> Response {
    let uri = request.uri();
    if uri.path().contains("%00") {
        return AppError::NotFound.into_response();
    }
    if uri.query().is_some_and(|q| q.contains("%00")) {
        return AppError::BadRequest("the address has a parameter that is not valid")
            .into_response();
    }
    next.run(request).await
}

/// Background upkeep while serving: delete expired sessions and forget idle entries of
/// the attempt limiter, every ten minutes.
pub async fn housekeeping(state: AppState) {
    use tower_sessions::session_store::ExpiredDeletion;
    let sessions = state.store().session_backend();
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        if let Err(e) = sessions.delete_expired().await {
            tracing::warn!(error = %e, "could not delete expired sessions");
        }
        state.attempts().forget_idle();
        let before = time::OffsetDateTime::now_utc() - time::Duration::hours(1);
        if let Err(e) = state.store().forget_login_attempts(before).await {
            tracing::warn!(error = %e, "could not delete old sign-in attempts");
        }
    }
}
