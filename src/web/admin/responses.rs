//! Individual responses (admins and researchers only): the filtered list, one response
//! against the survey version it was given on, and marking, deleting and erasing it.

use crate::web::redirect;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::TryStreamExt;
use serde_json::json;
use time::OffsetDateTime;

use super::Staff;
use crate::response_filter::{self, Filter};
use crate::store::{Flag, ListFilter, Status};
use crate::survey::Survey;
use crate::views::admin as views;
use crate::views::admin::responses::ListQuery;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CsrfForm;
use crate::web::error::AppError;
use crate::web::extract::{Query, page_number};

/// The response list and one response (marking, deleting, erasing).
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{survey_id}/responses", get(list))
        .route(
            "/admin/surveys/{survey_id}/responses/{response_id}",
            get(show).post(act),
        )
}

const PER_PAGE: usize = 50;

/// The survey, if this user may manage its responses; 404 otherwise.
fn managed_survey<'a>(
    state: &'a AppState,
    staff: &Staff,
    survey_id: &str,
) -> Result<&'a std::sync::Arc<Survey>, AppError> {
    state
        .survey(survey_id)
        .filter(|_| staff.user.can_manage_responses(survey_id))
        .ok_or(AppError::NotFound)
}

fn day(s: Option<&str>) -> Option<OffsetDateTime> {
    crate::survey::expr::parse_date_literal(s?.trim()).map(|d| d.midnight().assume_utc())
}

pub(super) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Path(survey_id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let survey = managed_survey(&state, &staff, &survey_id)?.clone();
    let status = match q.status.as_deref() {
        Some("complete") => Some(Status::Complete),
        Some("in_progress") => Some(Status::InProgress),
        _ => None,
    };
    let filter = ListFilter {
        status,
        from: day(q.from.as_deref()),
        until: day(q.to.as_deref()).map(|d| d + time::Duration::days(1)),
        include_deleted: q.deleted.as_deref() == Some("yes"),
    };
    let answer_filter = Filter::parse(
        &survey,
        q.question.as_deref().unwrap_or_default(),
        q.value.as_deref().unwrap_or_default(),
    );
    let invitation_columns = state.store().invitation_attribute_names(&survey.id).await?;
    let page = page_number(q.page.as_deref());
    let mut stream = state.store().list_responses(&survey.id, &filter);
    let (mut total, mut shown) = (0usize, Vec::new());
    while let Some(r) = stream.try_next().await? {
        if let Some(f) = &answer_filter
            && !f.matches(&survey, &r.answers, r.invitation.as_ref())
        {
            continue;
        }
        total += 1;
        if total > (page - 1) * PER_PAGE && shown.len() < PER_PAGE {
            shown.push(r);
        }
    }
    let csrf = csrf::token(&staff.session).await?;
    let view = views::responses::List {
        survey: &survey,
        responses: &shown,
        total,
        page,
        per_page: PER_PAGE,
        query: &q,
        filter_keys: &response_filter::keys(&survey, &invitation_columns),
    };
    Ok(views::responses::list(&staff.user, &csrf, &view).into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path((survey_id, response_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let survey = managed_survey(&state, &staff, &survey_id)?.clone();
    let response = state
        .store()
        .response(&response_id)
        .await?
        .filter(|r| r.survey_id == survey.id)
        .ok_or(AppError::NotFound)?;
    // Read it against the exact version it was given on.
    let versions = crate::export::survey_versions(state.store(), &survey.id).await?;
    let version = versions
        .iter()
        .find(|v| v.version == response.survey_version)
        .unwrap_or(&survey);
    staff
        .actor()
        .audit(
            state.store(),
            "response_viewed",
            Some(&survey.id),
            Some(&response.id),
            json!({"identified": true}),
        )
        .await?;
    let csrf = csrf::token(&staff.session).await?;
    Ok(views::responses::show(&staff.user, &csrf, &survey, version, &response).into_response())
}

/// Mark, unmark, delete or erase a response.
pub(super) async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path((survey_id, response_id)): Path<(String, String)>,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    let survey = managed_survey(&state, &staff, &survey_id)?.clone();
    let store = state.store();
    let exists = store
        .response(&response_id)
        .await?
        .is_some_and(|r| r.survey_id == survey.id);
    if !exists {
        return Err(AppError::NotFound);
    }
    let reason = input
        .get("reason")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| r.chars().take(500).collect::<String>());
    let actor = staff.actor();
    let here = format!("/admin/surveys/{}/responses/{response_id}", survey.id);
    // Each change is stored together with its audit entry (one transaction).
    let entry = |action: &str, details: serde_json::Value| {
        actor.entry(action, Some(&survey.id), Some(&response_id), details)
    };
    match input.get("action") {
        Some(flag @ ("test" | "excluded")) => {
            let audit = entry("response_flagged", json!({"flag": flag, "reason": reason}));
            store
                .set_flag(
                    &survey.id,
                    &response_id,
                    Flag::parse(flag),
                    reason.as_deref(),
                    &audit,
                )
                .await?;
        }
        Some("unflag") => {
            let audit = entry("response_unflagged", json!({}));
            store
                .set_flag(&survey.id, &response_id, None, None, &audit)
                .await?;
        }
        Some("delete") if input.get("confirm") == Some("yes") => {
            let audit = entry("response_deleted", json!({"reason": reason}));
            store
                .soft_delete(&survey.id, &response_id, OffsetDateTime::now_utc(), &audit)
                .await?;
        }
        Some("erase") if input.get("confirm").map(str::trim) == Some("ERASE") => {
            let audit = entry("response_erased", json!({"reason": reason}));
            store.erase(&survey.id, &response_id, &audit).await?;
            return Ok(redirect::to(&format!(
                "/admin/surveys/{}/responses?erased=1",
                survey.id
            )));
        }
        _ => return Err(AppError::BadRequest("unknown or unconfirmed action")),
    }
    Ok(redirect::to(&here))
}
