//! CSRF protection. With a session, the synchronizer-token pattern: one random token per
//! session, embedded in every form and compared in constant time on every POST. Without
//! one (a first visit to a survey or the sign-in page), a double-submit cookie: the token
//! goes into the form and into a cookie of its own (`HttpOnly`, `SameSite=Lax`, and
//! `__Host-` with `Secure` when cookies are secure), and a POST must carry both. So merely
//! opening a page stores nothing on the server (no session row per visitor).
//!
//! The cookie travels through [`layer`], which hands each request's cookie to [`token`]
//! and the check (a task-local: handlers run in the request's task) and sets a new one on
//! the response when a token was issued.
//!
//! A handler reads a form only through [`CsrfForm`] (refused with 403 before the handler
//! runs) or [`CheckedForm`] (for the forms that show what was typed again with a notice
//! rather than a bare 403). There is no other form extractor, so no POST handler can read
//! a body without the check.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_sessions::Session;

use super::error::AppError;
use crate::survey::form::FormInput;
use crate::tokens;
use crate::web::AppState;

const KEY: &str = "csrf";
/// The hidden form field carrying the token.
pub const FIELD: &str = "_csrf";
const COOKIE: &str = "anketa_csrf";
const SECURE_COOKIE: &str = "__Host-anketa_csrf";

/// The request's CSRF cookie, and the token issued for the response (if any).
#[derive(Clone, Default)]
struct Seed {
    cookie: Option<String>,
    issued: Arc<Mutex<Option<String>>>,
}

tokio::task_local! {
    static SEED: Seed;
}

fn cookie_name(secure: bool) -> &'static str {
    if secure { SECURE_COOKIE } else { COOKIE }
}

/// Middleware: read the CSRF cookie for the handlers, set a new one if they issued one.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let name = cookie_name(state.settings().secure_cookies);
    let cookie = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let seed = Seed {
        cookie,
        issued: Arc::default(),
    };
    let issued = seed.issued.clone();
    let mut response = SEED.scope(seed, next.run(request)).await;
    let token = issued.lock().map(|t| t.clone()).unwrap_or_default();
    if let Some(token) = token {
        let secure = if state.settings().secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The token for the forms of this response: the session's, if the visitor has a session;
/// otherwise the CSRF cookie's (issued now if the visitor has none), so that nothing is
/// stored on the server for a visitor who only looks.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    if session.id().is_none()
        && let Ok(Some(t)) = SEED.try_with(|s| {
            s.cookie.clone().or_else(|| {
                let mut issued = s.issued.lock().ok()?;
                Some(issued.get_or_insert_with(tokens::new_token).clone())
            })
        })
    {
        return Ok(t);
    }
    let t = tokens::new_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// When a visitor's first save creates their session: the cookie's token becomes the
/// session's (forms already shown stay valid) and the cookie gets a new value, so that
/// the old one (from which the response id was derived) leads nobody else anywhere, say
/// the next person at a shared computer once this session has ended.
pub async fn move_into_session(session: &Session) -> Result<(), AppError> {
    if session.get::<String>(KEY).await?.is_some() {
        return Ok(());
    }
    let current = SEED
        .try_with(|s| {
            let issued = s.issued.lock().ok().and_then(|i| i.clone());
            let current = issued.or_else(|| s.cookie.clone());
            if let Ok(mut i) = s.issued.lock() {
                *i = Some(tokens::new_token());
            }
            current
        })
        .ok()
        .flatten();
    if let Some(t) = current {
        session.insert(KEY, &t).await?;
    }
    Ok(())
}

/// Replace the session's token (at sign-in: a token seen before signing in, say on a
/// shared computer, is no use afterwards).
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let t = tokens::new_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Whether `submitted` is this session's token; for a session without one, the token of
/// the request's CSRF cookie (a form shown before the visitor had a session). Once the
/// session has a token of its own (every sign-in rotates it in), the cookie's is refused.
async fn verify(session: &Session, submitted: Option<&str>) -> Result<bool, AppError> {
    let Some(submitted) = submitted else {
        return Ok(false);
    };
    let expected = match session.get::<String>(KEY).await? {
        Some(t) => Some(t),
        None => SEED.try_with(|s| s.cookie.clone()).ok().flatten(),
    };
    Ok(expected.is_some_and(|e| tokens::constant_time_eq(&e, submitted)))
}

/// A URL-encoded form posted with this visitor's CSRF token. A form without it (or with
/// another session's) is refused with the "form expired" page (403): nothing changes.
pub struct CsrfForm(pub FormInput);

/// A URL-encoded form and its CSRF token, to check with [`TokenCheck::ok`] where the
/// handler is ready to answer a wrong one by showing the page again with what was typed
/// (sign-in, a survey page, ...). The check reads the session: a handler that first
/// reads the session itself (a survey page, which keeps the input through an outage)
/// checks the token after that, as before.
pub struct CheckedForm {
    pub input: FormInput,
    pub token: TokenCheck,
}

/// The token a form came with, and the session to check it against.
pub struct TokenCheck {
    session: Session,
    submitted: Option<String>,
}

impl TokenCheck {
    /// Whether the form came with this visitor's token.
    pub async fn ok(&self) -> Result<bool, AppError> {
        verify(&self.session, self.submitted.as_deref()).await
    }
}

impl<S: Send + Sync> FromRequest<S> for CheckedForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<CheckedForm, AppError> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, state)
            .await
            .map_err(|(_, why)| AppError::internal(why))?;
        let input = read_form(Request::from_parts(parts, body), state).await?;
        let submitted = input.get(FIELD).map(str::to_string);
        Ok(CheckedForm {
            input,
            token: TokenCheck { session, submitted },
        })
    }
}

impl<S: Send + Sync> FromRequest<S> for CsrfForm {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<CsrfForm, AppError> {
        let CheckedForm { input, token } = CheckedForm::from_request(req, state).await?;
        if token.ok().await? {
            Ok(CsrfForm(input))
        } else {
            Err(AppError::FormExpired)
        }
    }
}

/// The body as ordered fields: `application/x-www-form-urlencoded` only (415 otherwise),
/// within the body limit (413), valid URL encoding (400).
async fn read_form<S: Send + Sync>(req: Request, state: &S) -> Result<FormInput, AppError> {
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|m| {
                m.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !is_form {
        return Err(AppError::UnsupportedMediaType);
    }
    let bytes = Bytes::from_request(req, state).await.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(_) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            AppError::PayloadTooLarge
        }
        _ => AppError::BadRequest("the form could not be read"),
    })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| AppError::BadRequest("the form is not valid URL-encoded data"))?;
    // NUL cannot be typed into a form, and PostgreSQL cannot store it in text.
    let fields = fields
        .into_iter()
        .map(|(k, v)| (k.replace('\0', ""), v.replace('\0', "")))
        .collect();
    Ok(FormInput::new(fields))
}
