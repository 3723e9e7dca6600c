//! The second step of signing in, and enrolment. After a right password, an account
//! with two-factor sign-in is asked for a code (TOTP, or a recovery code); an account
//! whose role requires it but has none sets it up first. Until then the session holds
//! only a pending sign-in, which opens nothing else. Codes are throttled like
//! passwords ([`super::attempts::Attempt`]), each TOTP code works once, and every step is audited.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use serde_json::json;
use time::OffsetDateTime;
use tower_sessions::Session;

use super::attempts::Attempt;
use super::{Staff, sign_in};
use crate::accounts::Actor;
use crate::store::User;
use crate::two_factor;
use crate::views::admin::two_factor as views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::{CheckedForm, CsrfForm};
use crate::web::error::AppError;
use crate::web::extract::ClientIp;
use crate::web::redirect;

/// The second step of signing in, setting two-factor sign-in up, and changing it.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/login/code", get(code_form).post(code_submit))
        .route("/admin/two-factor", get(enrol_form).post(enrol_submit))
        .route(
            "/admin/account/two-factor",
            get(account_form).post(account_submit),
        )
}

const PENDING_KEY: &str = "pending_sign_in";
/// The secret shown to a signed-in account setting up (not yet confirmed).
const SECRET_KEY: &str = "two_factor_secret";
/// How long the second step may take after the password.
const PENDING_FOR: i64 = 10 * 60;

/// A sign-in whose password was right, waiting for its second step.
#[derive(Debug, Serialize, Deserialize)]
struct Pending {
    user_id: String,
    next: String,
    /// Unix milliseconds (compared with the account's `sessions_valid_after`: a new
    /// password or `reset-2fa` ends pending sign-ins too).
    since_ms: i64,
    /// The secret shown for enrolment, until confirmed.
    secret: Option<String>,
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// The password was right: keep a pending sign-in (on a fresh session id and CSRF
/// token) and say where its second step is.
pub(super) async fn password_accepted(
    session: &Session,
    user: &User,
    next: &str,
) -> Result<&'static str, AppError> {
    session.cycle_id().await?;
    csrf::rotate(session).await?;
    let pending = Pending {
        user_id: user.id.clone(),
        next: next.to_string(),
        since_ms: super::unix_millis(now()),
        secret: None,
    };
    session.insert(PENDING_KEY, &pending).await?;
    Ok(if user.totp_secret.is_some() {
        "/admin/login/code"
    } else {
        "/admin/two-factor"
    })
}

/// The pending sign-in and its (enabled) account, if it has not expired.
async fn pending(state: &AppState, session: &Session) -> Result<Option<(Pending, User)>, AppError> {
    let Some(p) = session.get::<Pending>(PENDING_KEY).await? else {
        return Ok(None);
    };
    if super::unix_millis(now()) - p.since_ms > PENDING_FOR * 1000 {
        session.remove::<Pending>(PENDING_KEY).await?;
        return Ok(None);
    }
    let user = state.store().user_by_id(&p.user_id).await?;
    // Disabled, or its sessions ended (a new password, `reset-2fa`, "log out everywhere")
    // since the password was accepted: the pending sign-in ends with them.
    let valid = |u: &User| !u.disabled && super::unix_millis(u.sessions_valid_after) <= p.since_ms;
    match user.filter(valid) {
        Some(u) => Ok(Some((p, u))),
        None => {
            session.remove::<Pending>(PENDING_KEY).await?;
            Ok(None)
        }
    }
}

fn back_to_sign_in() -> Response {
    redirect::to("/admin/login?signed_out=timeout")
}

fn actor(user: &User, ip: std::net::IpAddr) -> Actor {
    Actor::account(&user.id, &user.email, Some(ip.to_string()))
}

pub(super) async fn code_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let Some((_, user)) = pending(&state, &session).await? else {
        return Ok(back_to_sign_in());
    };
    if user.totp_secret.is_none() {
        return Ok(redirect::to("/admin/two-factor"));
    }
    let token = csrf::token(&session).await?;
    Ok(views::code_page(&token, &user.email, None).into_response())
}

pub(super) async fn code_submit(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    let Some((p, user)) = pending(&state, &session).await? else {
        return Ok(back_to_sign_in());
    };
    let Some(secret) = user.totp_secret.clone() else {
        return Ok(redirect::to("/admin/two-factor"));
    };
    let token = csrf::token(&session).await?;
    if !form_token.ok().await? {
        let page = views::code_page(
            &token,
            &user.email,
            Some("The form expired. Please try again."),
        );
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let store = state.store();
    let Some(attempt) = Attempt::begin(store, &user.email, &ip.to_string()).await? else {
        let page = views::code_page(
            &token,
            &user.email,
            Some("Too many failed sign-ins. Wait 15 minutes and try again."),
        );
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    };
    let how = check_code(store, &user.id, &secret, input.get("code")).await?;
    let Some(how) = how else {
        attempt
            .failed(store, json!({"step": "second_factor"}))
            .await?;
        let page = views::code_page(
            &token,
            &user.email,
            Some(
                "That code is not right, or was used already. Wait for the app to show a new one and try again.",
            ),
        );
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    attempt.succeeded(store).await?;
    session.remove::<Pending>(PENDING_KEY).await?;
    sign_in(&session, &user.id).await?;
    let mut details = json!({"second_factor": how});
    if how == "recovery_code" {
        details["recovery_codes_left"] = store.recovery_codes_left(&user.id).await?.into();
    }
    actor(&user, ip)
        .audit(store, "login", None, None, details)
        .await?;
    Ok(redirect::to(&p.next))
}

/// Whether `typed` is a code of the account's `secret` not used before (spent now), or
/// one of its recovery codes (spent now): how, or `None`.
async fn check_code(
    store: &crate::store::Store,
    user_id: &str,
    secret: &str,
    typed: Option<&str>,
) -> Result<Option<&'static str>, AppError> {
    let typed = typed.unwrap_or_default();
    let unix = u64::try_from(now().unix_timestamp()).unwrap_or(0);
    Ok(match two_factor::matching_step(secret, typed, unix) {
        Some(step) => store
            .accept_totp_step(user_id, step)
            .await?
            .then_some("totp"),
        None => match two_factor::recovery_hash(typed) {
            Some(hash) => store
                .use_recovery_code(user_id, &hash)
                .await?
                .then_some("recovery_code"),
            None => None,
        },
    })
}

/// Enrolment half-way through signing in (the role requires it, or the account has it
/// and lost it to a reset).
pub(super) async fn enrol_form(
    State(state): State<AppState>,
    session: Session,
) -> Result<Response, AppError> {
    let Some((mut p, user)) = pending(&state, &session).await? else {
        return Ok(back_to_sign_in());
    };
    // An account that has two-factor sign-in proves it with a code; it cannot set up a
    // new secret with the password alone.
    if user.totp_secret.is_some() {
        return Ok(redirect::to("/admin/login/code"));
    }
    let secret = match &p.secret {
        Some(s) => s.clone(),
        None => {
            let s = two_factor::new_secret();
            p.secret = Some(s.clone());
            session.insert(PENDING_KEY, &p).await?;
            s
        }
    };
    let token = csrf::token(&session).await?;
    let required = state.settings().two_factor.required_for(user.role);
    enrol_page(
        &pending_enrolment(&user, required),
        &token,
        &secret,
        None,
        StatusCode::OK,
    )
}

fn pending_enrolment(user: &User, required: bool) -> views::Enrolment<'_> {
    views::Enrolment {
        action: "/admin/two-factor",
        user: None,
        email: &user.email,
        required,
        replacing: false,
    }
}

fn enrol_page(
    e: &views::Enrolment<'_>,
    csrf: &str,
    secret: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let svg = two_factor::qr_svg(secret, e.email)
        .ok_or_else(|| AppError::internal("cannot draw the QR code"))?;
    let page = views::enrol_page(e, csrf, &svg, &two_factor::grouped(secret), error);
    Ok((status, page).into_response())
}

pub(super) async fn enrol_submit(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    let Some((p, user)) = pending(&state, &session).await? else {
        return Ok(back_to_sign_in());
    };
    if user.totp_secret.is_some() {
        return Ok(redirect::to("/admin/login/code"));
    }
    let Some(secret) = p.secret.clone() else {
        return Ok(redirect::to("/admin/two-factor"));
    };
    let required = state.settings().two_factor.required_for(user.role);
    let e = pending_enrolment(&user, required);
    let token = csrf::token(&session).await?;
    if !form_token.ok().await? {
        return enrol_page(
            &e,
            &token,
            &secret,
            Some("The form expired. Please try again."),
            StatusCode::FORBIDDEN,
        );
    }
    let codes = match confirm(&state, &user, &secret, input.get("code"), ip).await? {
        Ok(codes) => codes,
        Err(why) => return refused(&e, &token, &secret, why),
    };
    session.remove::<Pending>(PENDING_KEY).await?;
    sign_in(&session, &user.id).await?;
    actor(&user, ip)
        .audit(
            state.store(),
            "login",
            None,
            None,
            json!({"second_factor": "totp", "enrolled": true}),
        )
        .await?;
    let staff = staff_user(&user);
    let token = csrf::token(&session).await?;
    Ok(views::recovery_codes_page(Some((&staff, &token)), &codes, &p.next).into_response())
}

/// Why a first code was not accepted.
enum Refused {
    WrongCode,
    /// Setting it up again: the code of the app in use now was not right.
    WrongCurrentCode,
    Throttled,
}

/// The enrolment page again, saying why.
fn refused(
    e: &views::Enrolment<'_>,
    csrf: &str,
    secret: &str,
    why: Refused,
) -> Result<Response, AppError> {
    let (message, status) = match why {
        Refused::WrongCode => (
            "That code is not right. Check that the app shows the account you just added, wait for a new code and type it.",
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Refused::WrongCurrentCode => (
            "The code from the app you use now (or the recovery code) is not right, or was used already.",
            StatusCode::UNAUTHORIZED,
        ),
        Refused::Throttled => (
            "Too many failed attempts. Wait 15 minutes and try again.",
            StatusCode::TOO_MANY_REQUESTS,
        ),
    };
    enrol_page(e, csrf, secret, Some(message), status)
}

/// Check the first code of a new secret (throttled like sign-ins); if right, turn
/// two-factor sign-in on with new recovery codes, audited, and return the codes.
async fn confirm(
    state: &AppState,
    user: &User,
    secret: &str,
    typed: Option<&str>,
    ip: std::net::IpAddr,
) -> Result<Result<Vec<String>, Refused>, AppError> {
    let store = state.store();
    let Some(attempt) = Attempt::begin(store, &user.email, &ip.to_string()).await? else {
        return Ok(Err(Refused::Throttled));
    };
    let unix = u64::try_from(now().unix_timestamp()).unwrap_or(0);
    let Some(step) = two_factor::matching_step(secret, typed.unwrap_or_default(), unix) else {
        attempt
            .failed(store, json!({"step": "two_factor_setup"}))
            .await?;
        return Ok(Err(Refused::WrongCode));
    };
    attempt.succeeded(store).await?;
    let codes = two_factor::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .filter_map(|c| two_factor::recovery_hash(c))
        .collect();
    let entry = actor(user, ip).entry("two_factor_enabled", None, Some(&user.email), json!({}));
    store
        .enable_two_factor(&user.id, secret, step, &hashes, &entry)
        .await?;
    Ok(Ok(codes))
}

fn staff_user(user: &User) -> crate::staff::StaffUser {
    crate::staff::StaffUser {
        id: user.id.clone(),
        email: user.email.clone(),
        role: user.role,
        grants: Vec::new(),
    }
}

/// A signed-in account turns two-factor sign-in on (or sets it up again: a new phone,
/// new recovery codes), from its account page.
pub(super) async fn account_form(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let secret = match staff.session.get::<String>(SECRET_KEY).await? {
        Some(s) => s,
        None => {
            let s = two_factor::new_secret();
            staff.session.insert(SECRET_KEY, &s).await?;
            s
        }
    };
    let token = csrf::token(&staff.session).await?;
    let replacing = state
        .store()
        .user_by_id(&staff.user.id)
        .await?
        .is_some_and(|u| u.totp_secret.is_some());
    let e = account_enrolment(&state, &staff, &token, replacing);
    enrol_page(&e, &token, &secret, None, StatusCode::OK)
}

fn account_enrolment<'a>(
    state: &AppState,
    staff: &'a Staff,
    token: &'a str,
    replacing: bool,
) -> views::Enrolment<'a> {
    views::Enrolment {
        action: "/admin/account/two-factor",
        user: Some((&staff.user, token)),
        email: &staff.user.email,
        required: state.settings().two_factor.required_for(staff.user.role),
        replacing,
    }
}

pub(super) async fn account_submit(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    let Some(secret) = staff.session.get::<String>(SECRET_KEY).await? else {
        return Ok(redirect::to("/admin/account/two-factor"));
    };
    let user = state
        .store()
        .user_by_id(&staff.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let token = csrf::token(&staff.session).await?;
    let e = account_enrolment(&state, &staff, &token, user.totp_secret.is_some());
    // Replacing the app in use needs a code from it (or a recovery code): a session
    // left open somewhere is not enough to take over the second factor. The new app's
    // code is looked at first, so a mistyped one does not spend a recovery code.
    let unix = u64::try_from(now().unix_timestamp()).unwrap_or(0);
    if user.totp_secret.is_some()
        && two_factor::matching_step(&secret, input.get("code").unwrap_or_default(), unix).is_none()
    {
        return refused(&e, &token, &secret, Refused::WrongCode);
    }
    if let Some(current) = &user.totp_secret {
        let store = state.store();
        let Some(attempt) = Attempt::begin(store, &user.email, &staff.ip.to_string()).await? else {
            return refused(&e, &token, &secret, Refused::Throttled);
        };
        if check_code(store, &user.id, current, input.get("current"))
            .await?
            .is_none()
        {
            attempt
                .failed(store, json!({"step": "two_factor_setup_again"}))
                .await?;
            return refused(&e, &token, &secret, Refused::WrongCurrentCode);
        }
        attempt.succeeded(store).await?;
    }
    let codes = match confirm(&state, &user, &secret, input.get("code"), staff.ip).await? {
        Ok(codes) => codes,
        Err(why) => return refused(&e, &token, &secret, why),
    };
    staff.session.remove::<String>(SECRET_KEY).await?;
    Ok(
        views::recovery_codes_page(Some((&staff.user, &token)), &codes, "/admin/account")
            .into_response(),
    )
}
