//! The web layer's error type: every failure becomes an HTML page with the right
//! status. Details go to the log (with their whole chain of causes), never to the
//! respondent. A database that cannot be reached is a 503 from whichever layer noticed it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::store::StoreError;
use crate::views;
use crate::views::error::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("unknown or expired invitation link or resume code")]
    InvalidLink,
    #[error("the survey needs an invitation")]
    InvitationOnly,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A state-changing request without this session's CSRF token: nothing was changed.
    #[error("missing or wrong CSRF token")]
    FormExpired,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Displayed with its cause: whoever logs the error logs why.
    #[error("service unavailable: {0}")]
    Unavailable(#[source] BoxError),
    #[error("internal error: {0}")]
    Internal(#[source] BoxError),
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl AppError {
    /// A failure that is a bug or a broken invariant (500), described in words.
    pub fn internal(what: impl Into<String>) -> AppError {
        AppError::Internal(what.into().into())
    }

    /// A failure that is a bug or a broken invariant (500), keeping its cause.
    pub fn internal_from(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
        AppError::Internal(Box::new(e))
    }
}

/// An error and its causes, outermost first, for the log (a cause whose text its
/// wrapper already shows is not repeated).
fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !out.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        source = s.source();
    }
    out
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::InvalidLink => StatusCode::NOT_FOUND,
            AppError::InvitationOnly | AppError::FormExpired => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        if e.is_unavailable() {
            AppError::Unavailable(Box::new(e))
        } else {
            AppError::Internal(Box::new(e))
        }
    }
}

/// An export's storage failure keeps its class (an outage is a 503); anything else that
/// reaches a handler unhandled is a bug.
impl From<crate::export::ExportError> for AppError {
    fn from(e: crate::export::ExportError) -> AppError {
        match e {
            crate::export::ExportError::Store(e) => e.into(),
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<crate::accounts::AccountError> for AppError {
    fn from(e: crate::accounts::AccountError) -> AppError {
        match e {
            crate::accounts::AccountError::Store(e) => e.into(),
            crate::accounts::AccountError::NotFound(_) => AppError::NotFound,
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> AppError {
        match e {
            // The session store is the database: failing to reach it is an outage.
            tower_sessions::session::Error::Store(e) => AppError::Unavailable(Box::new(e)),
            other => AppError::Internal(Box::new(other)),
        }
    }
}

impl AppError {
    fn page(&self) -> ErrorPage {
        match self {
            AppError::NotFound => ErrorPage::NotFound,
            AppError::InvalidLink => ErrorPage::InvalidLink,
            AppError::InvitationOnly => ErrorPage::InvitationOnly,
            AppError::TooManyAttempts => ErrorPage::TooManyAttempts,
            AppError::PayloadTooLarge => ErrorPage::TooLarge,
            AppError::FormExpired => ErrorPage::FormExpired,
            AppError::BadRequest(_) | AppError::UnsupportedMediaType => ErrorPage::BadRequest,
            AppError::Unavailable(_) => ErrorPage::Unavailable,
            AppError::Internal(_) => ErrorPage::Internal,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        match &self {
            AppError::Internal(e) => tracing::error!(error = chain(e.as_ref()), "request failed"),
            AppError::Unavailable(e) => {
                tracing::warn!(error = chain(e.as_ref()), "database unavailable");
            }
            _ => tracing::debug!(error = %self, "request rejected"),
        }
        let mut response = (status, views::error::page(self.page(), status)).into_response();
        if let AppError::TooManyAttempts = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("60"),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outage() -> StoreError {
        StoreError::from(sqlx::Error::PoolClosed)
    }

    #[test]
    fn an_outage_is_a_503_through_every_layer_that_wraps_it() {
        assert!(outage().is_unavailable(), "the premise");
        let through_store = AppError::from(outage());
        let through_export = AppError::from(crate::export::ExportError::Store(outage()));
        let through_accounts = AppError::from(crate::accounts::AccountError::Store(outage()));
        for e in [through_store, through_export, through_accounts] {
            assert_eq!(e.status(), StatusCode::SERVICE_UNAVAILABLE, "{e:?}");
        }
    }

    #[test]
    fn internal_errors_keep_their_cause_for_the_log() {
        let e = AppError::from(crate::export::ExportError::UnknownFilter("x".into()));
        assert_eq!(e.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let logged = chain(&e);
        assert!(logged.starts_with("internal error: "), "{logged}");
        assert!(logged.contains("cannot filter on \"x\""), "{logged}");
        let e = AppError::from(StoreError::Corrupt("bad json".into()));
        assert_eq!(
            chain(&e),
            "internal error: stored data is invalid: bad json"
        );
        // Whoever logs an outage with `%e` logs its cause too.
        let e = AppError::from(StoreError::Unavailable("database or disk is full".into()));
        assert_eq!(
            e.to_string(),
            "service unavailable: the database is unavailable: database or disk is full"
        );
    }
}
