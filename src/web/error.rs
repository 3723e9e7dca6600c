//! The web layer's error type: every failure becomes an HTML page with the right
//! status. Details go to the log, never to the respondent.

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
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
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
            AppError::Unavailable(e.to_string())
        } else {
            AppError::Internal(e.to_string())
        }
    }
}

impl From<crate::accounts::AccountError> for AppError {
    fn from(e: crate::accounts::AccountError) -> AppError {
        match e {
            crate::accounts::AccountError::Store(e) => e.into(),
            crate::accounts::AccountError::NotFound(_) => AppError::NotFound,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<tower_sessions::session::Error> for AppError {
    fn from(e: tower_sessions::session::Error) -> AppError {
        match e {
            // The session store is the database: failing to reach it is an outage.
            tower_sessions::session::Error::Store(e) => AppError::Unavailable(e.to_string()),
            other => AppError::Internal(other.to_string()),
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
            AppError::Internal(detail) => tracing::error!(%detail, "request failed"),
            AppError::Unavailable(detail) => tracing::warn!(%detail, "database unavailable"),
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
