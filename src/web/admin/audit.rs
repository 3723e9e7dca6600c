//! The audit log (admins only): a paginated view and a CSV export (itself audited).

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde_json::json;

use super::Staff;
use crate::views::admin as views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::error::AppError;
use crate::web::extract::{Query, page_number};

/// The audit log and its CSV.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/audit", get(list))
        .route("/admin/audit.csv", get(export))
}

const PER_PAGE: i64 = 100;

#[derive(serde::Deserialize)]
pub(super) struct PageQuery {
    page: Option<String>,
}

pub(super) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    if !staff.user.can_view_audit() {
        return Err(AppError::NotFound);
    }
    let page = page_number(q.page.as_deref()) as i64;
    let entries = state
        .store()
        .audit_page(PER_PAGE, (page - 1) * PER_PAGE)
        .await?;
    let total = state.store().count_audit().await?;
    let csrf = csrf::token(&staff.session).await?;
    Ok(views::audit::page(
        &staff.user,
        &csrf,
        &entries,
        page,
        (total + PER_PAGE - 1) / PER_PAGE,
    )
    .into_response())
}

pub(super) async fn export(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    if !staff.user.can_view_audit() {
        return Err(AppError::NotFound);
    }
    staff
        .actor()
        .audit(state.store(), "audit_exported", None, None, json!({}))
        .await?;
    let store = state.store().clone();
    Ok(super::download(
        "audit-log.csv",
        "text/csv; charset=utf-8",
        async move |mut sink| {
            crate::export::write_audit_csv(&store, &mut sink)
                .await
                .map(|_| ())
        },
    ))
}
