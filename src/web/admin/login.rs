//! Signing in and out, "log out everywhere", and one-time set-password links. Sign-in
//! attempts are throttled per account and per address, counted in the database before
//! each check (so several instances behind a load balancer share the count, and
//! guesses sent at the same moment are counted too).

use crate::web::redirect;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;
use time::OffsetDateTime;
use tower_sessions::Session;

use super::attempts::Attempt;
use super::{Staff, sign_in};
use crate::accounts::{self, Actor};
use crate::staff;
use crate::tokens;
use crate::views::admin as views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::{CheckedForm, CsrfForm};
use crate::web::error::AppError;
use crate::web::extract::{ClientIp, Query};

/// Signing in and out, the account page, set-password links.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/login", get(form).post(submit))
        .route("/admin/logout", post(logout))
        .route("/admin/account", get(account))
        .route("/admin/logout-everywhere", post(logout_everywhere))
        .route(
            "/admin/set-password/{token}",
            get(set_password_form).post(set_password),
        )
}

#[derive(serde::Deserialize)]
pub(super) struct LoginQuery {
    next: Option<String>,
    signed_out: Option<String>,
    password_set: Option<String>,
}

/// Only local paths in the staff area: never an open redirect.
pub(super) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/admin")
                && !n.starts_with("//")
                && !n.contains("://")
                && !n.contains('\\') =>
        {
            n.to_string()
        }
        _ => "/admin".to_string(),
    }
}

pub(super) async fn form(
    session: Session,
    Query(q): Query<LoginQuery>,
) -> Result<Response, AppError> {
    let token = csrf::token(&session).await?;
    let notice = match (q.signed_out.as_deref(), q.password_set.is_some()) {
        (_, true) => Some("Your password is set. Sign in with it."),
        (Some("timeout"), _) => {
            Some("You were signed out after a period without activity. Please sign in again.")
        }
        (Some("two-factor"), _) => {
            Some("Your account now needs two-factor sign-in. Sign in again to set it up.")
        }
        (Some(_), _) => Some("Your session has ended. Please sign in again."),
        _ => None,
    };
    let next = safe_next(q.next.as_deref());
    Ok(views::login::page(&token, "", &next, notice, None).into_response())
}

pub(super) async fn submit(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    let typed = input
        .get("email")
        .unwrap_or_default()
        .trim()
        .chars()
        .take(254)
        .collect::<String>();
    let next = safe_next(input.get("next"));
    let token = csrf::token(&session).await?;
    if !form_token.ok().await? {
        let page = views::login::page(
            &token,
            &typed,
            &next,
            None,
            Some("The form expired. Please sign in again."),
        );
        return Ok((StatusCode::FORBIDDEN, page).into_response());
    }
    let email = staff::lookup_email(&typed);
    let store = state.store();
    let Some(attempt) = Attempt::begin(store, &email, &ip.to_string()).await? else {
        let page = views::login::page(
            &token,
            &typed,
            &next,
            None,
            Some("Too many failed sign-ins. Wait 15 minutes and try again."),
        );
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    };
    let user = store.user_by_email(&email).await?;
    let password = input.get("password").unwrap_or_default().to_string();
    let matches = crate::passwords::verify(
        password,
        user.as_ref().and_then(|u| u.password_hash.clone()),
    )
    .await;
    let Some(user) = user.filter(|u| matches && !u.disabled) else {
        attempt.failed(store, json!({})).await?;
        let page = views::login::page(
            &token,
            &typed,
            &next,
            None,
            Some("The e-mail address or the password is not right."),
        );
        return Ok((StatusCode::UNAUTHORIZED, page).into_response());
    };
    attempt.succeeded(store).await?;
    // With two-factor sign-in on (or required for the role), the password only leads
    // to the second step.
    if user.totp_secret.is_some() || state.settings().two_factor.required_for(user.role) {
        let to = super::two_factor::password_accepted(&session, &user, &next).await?;
        return Ok(redirect::to(to));
    }
    sign_in(&session, &user.id).await?;
    Actor::account(&user.id, &user.email, Some(ip.to_string()))
        .audit(store, "login", None, None, json!({}))
        .await?;
    Ok(redirect::to(&next))
}

pub(super) async fn logout(
    State(state): State<AppState>,
    staff: Staff,
    _: CsrfForm,
) -> Result<Response, AppError> {
    staff
        .actor()
        .audit(state.store(), "logout", None, None, json!({}))
        .await?;
    staff.session.flush().await?;
    Ok(redirect::to("/admin/login"))
}

pub(super) async fn account(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let token = csrf::token(&staff.session).await?;
    let store = state.store();
    let account = store
        .user_by_id(&staff.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let two_factor = match account.totp_secret {
        Some(_) => Some(store.recovery_codes_left(&account.id).await?),
        None => None,
    };
    Ok(views::account::page(&staff.user, &token, two_factor).into_response())
}

pub(super) async fn logout_everywhere(
    State(state): State<AppState>,
    staff: Staff,
    _: CsrfForm,
) -> Result<Response, AppError> {
    let user = state
        .store()
        .user_by_id(&staff.user.id)
        .await?
        .ok_or(AppError::NotFound)?;
    accounts::end_sessions(state.store(), &staff.actor(), &user).await?;
    staff.session.flush().await?;
    Ok(redirect::to("/admin/login?signed_out=ended"))
}

pub(super) async fn set_password_form(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    state.attempts().attempt(ip)?;
    let user_id = state
        .store()
        .password_token_user(&tokens::hash(&token), OffsetDateTime::now_utc())
        .await?
        .ok_or(AppError::InvalidLink)?;
    let user = state
        .store()
        .user_by_id(&user_id)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let csrf = csrf::token(&session).await?;
    Ok(views::login::set_password(&csrf, &user.email, None).into_response())
}

pub(super) async fn set_password(
    State(state): State<AppState>,
    session: Session,
    ClientIp(ip): ClientIp,
    Path(token): Path<String>,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    state.attempts().attempt(ip)?;
    let store = state.store();
    let hash = tokens::hash(&token);
    let user_id = store
        .password_token_user(&hash, OffsetDateTime::now_utc())
        .await?
        .ok_or(AppError::InvalidLink)?;
    let user = store
        .user_by_id(&user_id)
        .await?
        .ok_or(AppError::InvalidLink)?;
    let csrf = csrf::token(&session).await?;
    if !form_token.ok().await? {
        return Ok((
            StatusCode::FORBIDDEN,
            views::login::set_password(
                &csrf,
                &user.email,
                Some("The form expired. Please try again."),
            ),
        )
            .into_response());
    }
    let password = input.get("password").unwrap_or_default();
    if password != input.get("confirm").unwrap_or_default() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::login::set_password(&csrf, &user.email, Some("The two passwords differ.")),
        )
            .into_response());
    }
    if let Some(problem) = staff::password_problem(password, &user.email) {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            views::login::set_password(&csrf, &user.email, Some(&capitalize(&problem))),
        )
            .into_response());
    }
    // Use the link up first: it works once, even if two submits race.
    if store
        .take_password_token(&hash, OffsetDateTime::now_utc())
        .await?
        .is_none()
    {
        return Err(AppError::InvalidLink);
    }
    let actor = Actor::account(&user.id, &user.email, Some(ip.to_string()));
    accounts::set_password(store, &actor, &user, password).await?;
    Ok(redirect::to("/admin/login?password_set=1"))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect::<String>() + ".")
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn sign_in_redirects_only_within_the_staff_area() {
        assert_eq!(
            safe_next(Some("/admin/surveys/obce")),
            "/admin/surveys/obce"
        );
        for evil in [
            "https://evil.example",
            "//evil.example",
            "/admin\\@evil",
            "/s/x",
            "/admin/../x?u=http://evil",
        ] {
            let got = safe_next(Some(evil));
            assert!(
                got == "/admin" || (got.starts_with("/admin") && !got.contains("://")),
                "{evil} -> {got}"
            );
        }
        assert_eq!(safe_next(None), "/admin");
    }
}
