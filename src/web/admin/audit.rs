//! The audit log (admins only): a paginated view and a CSV export (itself audited).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use futures_util::TryStreamExt;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use super::Staff;
use crate::app::AppState;
use crate::views::admin as views;
use crate::web::csrf;
use crate::web::error::AppError;
use crate::web::extract::{Query, page_number};

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
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let csv_err = |e: csv::Error| AppError::Internal(e.to_string());
    w.write_record([
        "at",
        "actor_id",
        "actor_email",
        "action",
        "survey_id",
        "target",
        "details",
        "ip",
    ])
    .map_err(csv_err)?;
    let mut entries = state.store().audit_all();
    while let Some(e) = entries.try_next().await? {
        let at = e.at.format(&Rfc3339).unwrap_or_default();
        let details = e.details.to_string();
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        w.write_record([
            at,
            opt(&e.actor_id),
            opt(&e.actor_email),
            e.action,
            opt(&e.survey_id),
            opt(&e.target),
            details,
            opt(&e.ip),
        ])
        .map_err(csv_err)?;
    }
    let body = w
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"audit-log.csv\"",
            ),
        ],
        body,
    )
        .into_response())
}
