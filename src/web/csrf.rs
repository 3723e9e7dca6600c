//! CSRF protection with the synchronizer-token pattern: one random token per session,
//! embedded in every form and compared in constant time on every POST.

use tower_sessions::Session;

use super::error::AppError;
use crate::tokens;

const KEY: &str = "csrf";
/// The hidden form field carrying the token.
pub const FIELD: &str = "_csrf";

/// The session's token, created on first use.
pub async fn token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = session.get::<String>(KEY).await? {
        return Ok(t);
    }
    let t = tokens::new_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Replace the session's token (at sign-in: a token seen before signing in, say on a
/// shared computer, is no use afterwards).
pub async fn rotate(session: &Session) -> Result<String, AppError> {
    let t = tokens::new_token();
    session.insert(KEY, &t).await?;
    Ok(t)
}

/// Whether `submitted` is this session's token.
pub async fn verify(session: &Session, submitted: Option<&str>) -> Result<bool, AppError> {
    let (Some(expected), Some(submitted)) = (session.get::<String>(KEY).await?, submitted) else {
        return Ok(false);
    };
    Ok(tokens::constant_time_eq(&expected, submitted))
}
