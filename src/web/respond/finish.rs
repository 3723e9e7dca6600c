//! The end of a survey: the review page, the final submit (every page that applies must
//! be complete), and the thank-you page.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

use super::persist::{Step, persist};
use super::{LangQuery, PageView, Respondent, done_url, page_url, redirect};
use crate::survey::flow;
use crate::survey::form::answers_to_input;
use crate::views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CheckedForm;
use crate::web::error::AppError;
use crate::web::extract::{AcceptLanguage, Query};

fn review_page(
    r: &Respondent,
    lang: crate::survey::Lang,
    csrf: &str,
    notice: Option<&str>,
) -> maud::Markup {
    let effective = flow::effective_answers(&r.survey, r.answers());
    let pages: Vec<usize> = (0..r.survey.pages.len())
        .filter(|&i| flow::page_applies(&r.survey, i, &effective))
        .collect();
    views::review::page(&views::review::Review {
        survey: &r.survey,
        lang,
        csrf,
        answers: &effective,
        pages: &pages,
        notice,
    })
}

pub(super) async fn review(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, AppError> {
    let mut r = Respondent::load(&state, &session, &survey_id).await?;
    if r.is_complete() {
        return Ok(redirect(&done_url(&r.survey)));
    }
    r.remember_language(&session, query.lang.as_deref()).await?;
    let lang = r.language(&accept);
    if let Some(closed) = r.closed_page(&state, lang).await? {
        return Ok(closed);
    }
    if !r.survey.review || r.current_index() < r.survey.pages.len() {
        return Ok(redirect(&r.current_url()));
    }
    let token = csrf::token(&session).await?;
    Ok(review_page(&r, lang, &token, None).into_response())
}

pub(super) async fn review_submit(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    let r = Respondent::load(&state, &session, &survey_id).await?;
    if r.is_complete() {
        return Ok(redirect(&done_url(&r.survey)));
    }
    let lang = r.language(&accept);
    if let Some(closed) = r.closed_page(&state, lang).await? {
        return Ok(closed);
    }
    if !r.survey.review || r.current_index() < r.survey.pages.len() {
        return Ok(redirect(&r.current_url()));
    }
    if !form_token.ok().await? {
        let token = csrf::token(&session).await?;
        let notice = crate::i18n::ui(lang).session_expired;
        return Ok((
            StatusCode::FORBIDDEN,
            review_page(&r, lang, &token, Some(notice)),
        )
            .into_response());
    }
    let survey = &r.survey;
    let answers = r.answers();
    if input.get("_action") == Some("back") {
        let last = (0..survey.pages.len())
            .rev()
            .find(|&i| flow::page_applies(survey, i, answers))
            .unwrap_or(0);
        return Ok(redirect(&page_url(survey, last)));
    }
    if let Some((invalid, errors)) = flow::first_invalid_page(survey, answers) {
        persist(&state, &r, None, Step::Page(invalid), lang).await?;
        let values = answers_to_input(&survey.pages[invalid], answers);
        let token = csrf::token(&session).await?;
        let view = PageView {
            survey,
            answers,
            index: invalid,
            lang,
            csrf: &token,
            values: &values,
            errors: &errors,
            notice: None,
            from_review: false,
        };
        return Ok(view.respond(StatusCode::UNPROCESSABLE_ENTITY));
    }
    persist(&state, &r, None, Step::Submit, lang).await?;
    Ok(redirect(&done_url(survey)))
}

/// The thank-you page, for a browser whose response is complete.
pub(super) async fn done(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
    Query(query): Query<LangQuery>,
) -> Result<Response, AppError> {
    let mut r = Respondent::load(&state, &session, &survey_id).await?;
    r.remember_language(&session, query.lang.as_deref()).await?;
    if !r.is_complete() {
        return Ok(redirect(&format!("/s/{}", r.survey.id)));
    }
    let submitted_at = r.response.as_ref().and_then(|resp| resp.submitted_at);
    Ok(views::thanks::page(&r.survey, r.language(&accept), submitted_at).into_response())
}
