//! Routes outside any survey: the list of open surveys, the health check, and the
//! stylesheet and script (embedded in the binary).

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;

use super::error::AppError;
use super::extract::{AcceptLanguage, Query};
use crate::store::Status;
use crate::survey::Lang;
use crate::survey::model::{Access, Availability};
use crate::views;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(healthz))
        .route(
            "/static/app.css",
            get(|| asset("text/css; charset=utf-8", views::layout::CSS)),
        )
        .route(
            "/static/app.js",
            get(|| asset("text/javascript; charset=utf-8", views::layout::JS)),
        )
        .route(
            "/static/interview.js",
            get(|| {
                asset(
                    "text/javascript; charset=utf-8",
                    views::layout::INTERVIEW_JS,
                )
            }),
        )
}

#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// The surveys anyone may answer now (invitation-only and closed ones are not listed).
async fn index(
    State(state): State<AppState>,
    accept: AcceptLanguage,
    Query(q): Query<LangQuery>,
) -> Result<Response, AppError> {
    let lang = q
        .lang
        .as_deref()
        .and_then(Lang::from_code)
        .unwrap_or_else(|| accept.pick(&Lang::ALL));
    let now = OffsetDateTime::now_utc();
    let mut open = Vec::new();
    for s in state
        .surveys()
        .iter()
        .filter(|s| s.access == Access::Anonymous && !s.is_interview())
    {
        let complete = match s.schedule.quota {
            Some(_) => {
                state
                    .store()
                    .count_responses(&s.id, Status::Complete)
                    .await? as u64
            }
            None => 0,
        };
        if s.schedule.availability(now, complete, false) == Availability::Open {
            open.push(s.as_ref());
        }
    }
    Ok(views::home::page(&open, lang).into_response())
}

/// 200 when the database answers, 503 otherwise (for load balancers and monitoring).
async fn healthz(State(state): State<AppState>) -> Response {
    match state.store().ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// A static file: its URL carries a content hash, so it may be cached forever.
async fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}
