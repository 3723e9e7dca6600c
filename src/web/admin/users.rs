//! Accounts (admins only): the list, creating an account with a one-time set-password
//! link, and per account: grants, disabling, a new link, ending its sessions.

use crate::web::redirect;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::Staff;
use crate::accounts::{self, AccountError};
use crate::staff::Role;
use crate::views::admin as views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CsrfForm;
use crate::web::error::AppError;
use crate::web::extract::base_url;

/// Accounts (admins only).
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/{user_id}", get(show).post(act))
}

fn require_admin(staff: &Staff) -> Result<(), AppError> {
    if staff.user.can_manage_users() {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn list_page(
    state: &AppState,
    staff: &Staff,
    message: Option<&str>,
    link: Option<&str>,
) -> Result<maud::Markup, AppError> {
    let users = state.store().list_users().await?;
    let mut rows = Vec::new();
    for u in users {
        let grants = state.store().grants_of(&u.id).await?;
        rows.push((u, grants));
    }
    let csrf = csrf::token(&staff.session).await?;
    let surveys: Vec<&str> = state.surveys().iter().map(|s| s.id.as_str()).collect();
    Ok(views::users::list(
        &staff.user,
        &csrf,
        &rows,
        &surveys,
        message,
        link,
    ))
}

pub(super) async fn list(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    require_admin(&staff)?;
    Ok(list_page(&state, &staff, None, None).await?.into_response())
}

pub(super) async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    require_admin(&staff)?;
    let role: Result<Role, _> = input.get("role").unwrap_or_default().parse();
    let grants: Vec<String> = input
        .all("grant")
        .filter(|g| state.survey(g).is_some())
        .map(str::to_string)
        .collect();
    let created = match role {
        Ok(role) => {
            accounts::create(
                state.store(),
                &staff.actor(),
                input.get("email").unwrap_or_default(),
                role,
                &grants,
            )
            .await
        }
        Err(e) => Err(AccountError::Invalid(e)),
    };
    match created {
        Ok(user) => {
            let link =
                accounts::password_link(state.store(), &staff.actor(), &user, base_url(&state))
                    .await?;
            let message = format!(
                "Created {} ({}). Send them this link to set a password (valid 7 days, once):",
                user.email, user.role
            );
            Ok(list_page(&state, &staff, Some(&message), Some(&link))
                .await?
                .into_response())
        }
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            list_page(&state, &staff, Some(&e.to_string()), None).await?,
        )
            .into_response()),
    }
}

async fn show_page(
    state: &AppState,
    staff: &Staff,
    user_id: &str,
    message: Option<&str>,
    link: Option<&str>,
) -> Result<maud::Markup, AppError> {
    let user = state
        .store()
        .user_by_id(user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants = state.store().grants_of(&user.id).await?;
    let csrf = csrf::token(&staff.session).await?;
    let surveys: Vec<&str> = state.surveys().iter().map(|s| s.id.as_str()).collect();
    Ok(views::users::show(
        &staff.user,
        &csrf,
        &user,
        &grants,
        &surveys,
        message,
        link,
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(user_id): Path<String>,
) -> Result<Response, AppError> {
    require_admin(&staff)?;
    Ok(show_page(&state, &staff, &user_id, None, None)
        .await?
        .into_response())
}

pub(super) async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(user_id): Path<String>,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    require_admin(&staff)?;
    let store = state.store();
    let user = store
        .user_by_id(&user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let actor = staff.actor();
    let here = format!("/admin/users/{}", user.id);
    let result = match input.get("action") {
        Some("grant") => match input.get("survey").filter(|s| state.survey(s).is_some()) {
            Some(survey) if user.role.needs_grants() => {
                accounts::grant(store, &actor, &user.id, &user.email, survey).await
            }
            _ => Err(AccountError::Invalid(
                "choose a survey; grants are for evaluators and interviewers".into(),
            )),
        },
        Some("revoke") => {
            accounts::revoke(
                store,
                &actor,
                &user,
                input.get("survey").unwrap_or_default(),
            )
            .await
        }
        Some("disable") if user.id == staff.user.id => Err(AccountError::Invalid(
            "you cannot disable your own account".into(),
        )),
        Some("disable") => accounts::set_disabled(store, &actor, &user, true).await,
        Some("enable") => accounts::set_disabled(store, &actor, &user, false).await,
        Some("end_sessions") => accounts::end_sessions(store, &actor, &user).await,
        Some("password_link") => {
            let link = accounts::password_link(store, &actor, &user, base_url(&state)).await?;
            let message = format!(
                "A new link for {} to set a password (valid 7 days, once):",
                user.email
            );
            return Ok(
                show_page(&state, &staff, &user.id, Some(&message), Some(&link))
                    .await?
                    .into_response(),
            );
        }
        _ => return Err(AppError::BadRequest("unknown action")),
    };
    match result {
        Ok(()) => Ok(redirect::to(&here)),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            show_page(&state, &staff, &user.id, Some(&e.to_string()), None).await?,
        )
            .into_response()),
    }
}
