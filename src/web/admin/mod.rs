//! The staff area (`/admin`): sign-in, survey dashboards, responses, exports, accounts
//! and the audit log. Every handler takes a [`Staff`] (a signed-in, enabled account
//! whose session is still valid) and asks [`crate::staff::StaffUser`] what it may do;
//! objects that are not the user's to see answer 404.

mod attempts;
mod audit;
mod exports;
mod interviews;
mod login;
mod release_lease;
mod responses;
mod surveys;
mod two_factor;
mod users;

use crate::web::redirect;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

use super::error::AppError;
use super::extract::ClientIp;
use crate::accounts::Actor;
use crate::staff::StaffUser;
use crate::web::AppState;

/// The staff area: each area's module owns its routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(surveys::overview))
        .merge(login::routes())
        .merge(two_factor::routes())
        .merge(surveys::routes())
        .merge(exports::routes())
        .merge(responses::routes())
        .merge(users::routes())
        .merge(interviews::routes())
        .merge(audit::routes())
}

/// A staff sign-in, kept in the session.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct StaffSession {
    user_id: String,
    /// Unix milliseconds (compared with the account's `sessions_valid_after`, which
    /// "log out everywhere" moves forward).
    signed_in_ms: i64,
    /// Unix seconds.
    last_seen: i64,
}

const SESSION_KEY: &str = "staff";

/// Whether a staff sign-in still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Check {
    Valid,
    /// Idle or absolute timeout.
    TimedOut,
    /// The account is gone or disabled, or its sessions were ended after this sign-in.
    Ended,
}

impl StaffSession {
    fn check(&self, now: i64, account: Option<&crate::store::User>) -> Check {
        let usable = account.is_some_and(|u| {
            !u.disabled && unix_millis(u.sessions_valid_after) <= self.signed_in_ms
        });
        if !usable {
            Check::Ended
        } else if now - self.last_seen > IDLE || now - self.signed_in_ms.div_euclid(1000) > ABSOLUTE
        {
            Check::TimedOut
        } else {
            Check::Valid
        }
    }
}
/// Signed out after this long without a request...
const IDLE: i64 = 30 * 60;
/// ...and after this long in any case.
const ABSOLUTE: i64 = 12 * 60 * 60;

/// A signed-in staff member for this request.
pub struct Staff {
    pub user: StaffUser,
    pub session: Session,
    pub ip: std::net::IpAddr,
}

impl Staff {
    pub fn actor(&self) -> Actor {
        Actor::staff(&self.user, Some(self.ip.to_string()))
    }
}

/// Where an unauthenticated request goes: the sign-in page (back here afterwards, for GET).
fn to_login(parts: &Parts, reason: Option<&str>) -> Response {
    let mut url = String::from("/admin/login");
    let mut params = Vec::new();
    if parts.method == axum::http::Method::GET {
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/admin");
        params.push(format!("next={}", urlencode(next)));
    }
    if let Some(reason) = reason {
        params.push(format!("signed_out={reason}"));
    }
    if !params.is_empty() {
        url = format!("{url}?{}", params.join("&"));
    }
    redirect::to(&url)
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|e| e.trim_start_matches('=').to_string())
        .unwrap_or_default()
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Staff, Response> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let ClientIp(ip) = ClientIp::from_request_parts(parts, state)
            .await
            .map_err(|e| match e {})?;
        let signed_in: Option<StaffSession> = session
            .get(SESSION_KEY)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let Some(mut signed_in) = signed_in else {
            return Err(to_login(parts, None));
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let user = state
            .store()
            .user_by_id(&signed_in.user_id)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let user = match (signed_in.check(now, user.as_ref()), user) {
            (Check::Valid, Some(user)) => user,
            (check, _) => {
                let _ = session.remove::<StaffSession>(SESSION_KEY).await;
                let reason = if check == Check::TimedOut {
                    "timeout"
                } else {
                    "ended"
                };
                return Err(to_login(parts, Some(reason)));
            }
        };
        // Two-factor sign-in became required for the role (or was reset) after this
        // sign-in: sign in again, which sets it up.
        if state.settings().two_factor.required_for(user.role) && user.totp_secret.is_none() {
            let _ = session.remove::<StaffSession>(SESSION_KEY).await;
            return Err(to_login(parts, Some("two-factor")));
        }
        if now - signed_in.last_seen > 60 {
            signed_in.last_seen = now;
            session
                .insert(SESSION_KEY, &signed_in)
                .await
                .map_err(|e| AppError::from(e).into_response())?;
        }
        let grants = if user.role.needs_grants() {
            state
                .store()
                .grants_of(&user.id)
                .await
                .map_err(|e| AppError::from(e).into_response())?
        } else {
            Vec::new()
        };
        let user = StaffUser {
            id: user.id.clone(),
            email: user.email.clone(),
            role: user.role,
            grants,
        };
        Ok(Staff { user, session, ip })
    }
}

/// Sign `user_id` in on this session, with a fresh session id and CSRF token (no
/// fixation of either).
async fn sign_in(session: &Session, user_id: &str) -> Result<(), AppError> {
    session.cycle_id().await?;
    super::csrf::rotate(session).await?;
    let now = OffsetDateTime::now_utc();
    session
        .insert(
            SESSION_KEY,
            StaffSession {
                user_id: user_id.to_string(),
                signed_in_ms: unix_millis(now),
                last_seen: now.unix_timestamp(),
            },
        )
        .await?;
    Ok(())
}

/// A download produced by `write` in a background task, a chunk at a time, so a
/// large export needs no more memory than a small one. If writing fails half-way the
/// body ends with an error (the browser reports a failed download rather than saving a
/// truncated file that looks complete).
fn download<F, Fut>(filename: &str, content_type: &str, write: F) -> Response
where
    F: FnOnce(tokio::sync::mpsc::Sender<std::io::Result<Vec<u8>>>) -> Fut,
    Fut: Future<Output = Result<(), crate::export::ExportError>> + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::channel::<std::io::Result<Vec<u8>>>(4);
    let failed = tx.clone();
    let writing = write(tx);
    tokio::spawn(async move {
        if let Err(e) = writing.await {
            tracing::warn!(error = %e, "export stopped");
            let _ = failed.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    let body =
        axum::body::Body::from_stream(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)));
    let disposition = format!("attachment; filename=\"{filename}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, content_type.to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

fn unix_millis(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1_000_000) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::Role;
    use crate::store::User;

    const T0: i64 = 1_700_000_000;

    fn account(sessions_valid_after_ms: i64, disabled: bool) -> User {
        User {
            id: "u".into(),
            email: "a@example.cz".into(),
            role: Role::Researcher,
            password_hash: None,
            disabled,
            sessions_valid_after: OffsetDateTime::from_unix_timestamp_nanos(
                i128::from(sessions_valid_after_ms) * 1_000_000,
            )
            .unwrap(),
            created_at: OffsetDateTime::UNIX_EPOCH,
            totp_secret: None,
        }
    }

    fn signed_in(at: i64, last_seen: i64) -> StaffSession {
        StaffSession {
            user_id: "u".into(),
            signed_in_ms: at * 1000,
            last_seen,
        }
    }

    #[test]
    fn sessions_time_out_when_idle_and_after_twelve_hours_in_any_case() {
        let ok = account(0, false);
        let s = signed_in(T0, T0);
        assert_eq!(s.check(T0 + IDLE, Some(&ok)), Check::Valid);
        assert_eq!(s.check(T0 + IDLE + 1, Some(&ok)), Check::TimedOut);
        // Busy all day: still signed out after the absolute limit.
        let busy = signed_in(T0, T0 + ABSOLUTE);
        assert_eq!(busy.check(T0 + ABSOLUTE, Some(&ok)), Check::Valid);
        assert_eq!(busy.check(T0 + ABSOLUTE + 1, Some(&ok)), Check::TimedOut);
    }

    #[test]
    fn sessions_end_with_the_account_or_log_out_everywhere() {
        let s = signed_in(T0, T0);
        assert_eq!(s.check(T0, None), Check::Ended, "deleted account");
        assert_eq!(
            s.check(T0, Some(&account(0, true))),
            Check::Ended,
            "disabled"
        );
        // Log out everywhere moves sessions_valid_after past this sign-in, to the millisecond.
        assert_eq!(s.check(T0, Some(&account(T0 * 1000, false))), Check::Valid);
        assert_eq!(
            s.check(T0, Some(&account(T0 * 1000 + 1, false))),
            Check::Ended
        );
        // An ended session says "ended" even when it has also timed out.
        assert_eq!(
            s.check(T0 + ABSOLUTE * 2, Some(&account(0, true))),
            Check::Ended
        );
    }
}
