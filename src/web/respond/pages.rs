//! Showing a page of questions and saving it: Continue (validated), Back, Save and
//! finish later, and the language switch (all three keep what was typed).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tower_sessions::Session;

use super::persist::{Step, persist};
use super::{PageView, Respondent, done_url, page_url, redirect};
use crate::i18n;
use crate::survey::form::{self, FormInput, Strictness};
use crate::survey::model::{Page, QuestionKind};
use crate::survey::{Answer, Answers, Lang, flow};
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CheckedForm;
use crate::web::error::AppError;
use crate::web::extract::{AcceptLanguage, Query};
use crate::web::respondent;

#[derive(serde::Deserialize)]
pub(super) struct PageQuery {
    lang: Option<String>,
    /// Opened from the review page: Continue goes back there.
    review: Option<String>,
}

impl PageQuery {
    fn opened_from_review(&self) -> bool {
        self.review.is_some()
    }
}

/// The form fields showing saved answers, with numbers written the respondent's way.
fn saved_values(page: &Page, answers: &Answers, lang: Lang) -> FormInput {
    let mut input = form::answers_to_input(page, answers);
    for q in &page.questions {
        if let (QuestionKind::Number(_), Some(Answer::Number(n))) = (&q.kind, answers.get(&q.id)) {
            input.set(&q.id, i18n::number(lang, *n));
        }
    }
    input
}

/// Show one page, filled with the answers saved so far.
#[tracing::instrument(skip_all, fields(survey_id = %survey_id, page_id = %page_id))]
pub(super) async fn show(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path((survey_id, page_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
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
    let current = r.current_index();
    let Some(index) = r
        .survey
        .page_index(&page_id)
        .filter(|&i| i <= current && flow::page_applies(&r.survey, i, r.answers()))
    else {
        return Ok(redirect(&r.current_url()));
    };
    let values = saved_values(&r.survey.pages[index], r.answers(), lang);
    let csrf = csrf::token(&session).await?;
    let view = PageView {
        survey: &r.survey,
        answers: r.answers(),
        index,
        lang,
        csrf: &csrf,
        values: &values,
        errors: &[],
        notice: None,
        from_review: query.opened_from_review(),
    };
    Ok(view.respond(StatusCode::OK))
}

/// What the respondent pressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Next,
    Back,
    SaveForLater,
    Language(Lang),
}

impl Action {
    fn from_input(input: &FormInput) -> Action {
        match input.get("_action") {
            Some("back") => Action::Back,
            Some("save") => Action::SaveForLater,
            Some(other) => match other.strip_prefix("lang-").and_then(Lang::from_code) {
                Some(lang) => Action::Language(lang),
                None => Action::Next,
            },
            None => Action::Next,
        }
    }
}

/// Save a page and act on the button pressed.
#[tracing::instrument(skip_all, fields(survey_id = %survey_id, page_id = %page_id))]
pub(super) async fn save(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path((survey_id, page_id)): Path<(String, String)>,
    Query(query): Query<PageQuery>,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    // The token the form came with, to show the page again if the session cannot be read.
    let submitted_token = input.get(csrf::FIELD).unwrap_or_default().to_string();
    let from_review = query.opened_from_review();
    let r = match Respondent::load(&state, &session, &survey_id).await {
        Ok(r) => r,
        Err(AppError::Unavailable(detail)) => {
            tracing::warn!(error = %detail, "database unavailable while saving a page; showing it again with the input kept");
            let survey = state.questionnaire(&survey_id).ok_or(AppError::NotFound)?;
            let index = survey
                .page_index(&page_id)
                .ok_or(AppError::Unavailable(detail))?;
            let lang = accept.pick(&survey.languages);
            let empty = Answers::new();
            let view = PageView {
                survey,
                answers: &empty,
                index,
                lang,
                csrf: &submitted_token,
                values: &input,
                errors: &[],
                notice: Some(i18n::ui(lang).unavailable_saving),
                from_review,
            };
            return Ok(view.respond(StatusCode::SERVICE_UNAVAILABLE));
        }
        Err(e) => return Err(e),
    };
    if r.is_complete() {
        // A double click or a replayed POST after submitting: nothing more to do.
        return Ok(redirect(&done_url(&r.survey)));
    }
    let Some(index) = r
        .survey
        .page_index(&page_id)
        .filter(|&i| flow::page_applies(&r.survey, i, r.answers()))
    else {
        return Ok(redirect(&r.current_url()));
    };
    let lang = r.language(&accept);
    let ui = i18n::ui(lang);
    if let Some(closed) = r.closed_page(&state, lang).await? {
        return Ok(closed);
    }
    let again = PageView {
        survey: &r.survey,
        answers: r.answers(),
        index,
        lang,
        csrf: &submitted_token,
        values: &input,
        errors: &[],
        notice: None,
        from_review,
    };
    if !form_token.ok().await? {
        let token = csrf::token(&session).await?;
        return Ok(PageView {
            csrf: &token,
            notice: Some(ui.session_expired),
            ..again
        }
        .respond(StatusCode::FORBIDDEN));
    }
    let action = Action::from_input(&input);
    let strictness = if action == Action::Next {
        Strictness::Enforce
    } else {
        Strictness::Lenient
    };
    let survey = &r.survey;
    let page = &survey.pages[index];
    let decoded = form::decode_page(page, &input, r.answers(), strictness);
    if !decoded.errors.is_empty() {
        return Ok(PageView {
            errors: &decoded.errors,
            ..again
        }
        .respond(StatusCode::UNPROCESSABLE_ENTITY));
    }
    let page_answers = decoded.answers.clone();
    let mut merged = r.answers().clone();
    decoded.apply_to(page, &mut merged);
    let step = match action {
        Action::Back => Step::Page(flow::previous_page(survey, index, &merged).unwrap_or(index)),
        Action::SaveForLater | Action::Language(_) => Step::Page(index),
        Action::Next if from_review && survey.review => Step::Review,
        Action::Next => match flow::next_page(survey, index, &merged) {
            Some(next) => Step::Page(next),
            None if survey.review => Step::Review,
            None => Step::Submit,
        },
    };
    // Before submitting, every page that applies must be complete (skip logic may have
    // brought in pages the respondent has not seen).
    if let Step::Submit = step
        && let Some((invalid, errors)) = flow::first_invalid_page(survey, &merged)
    {
        persist(
            &state,
            &r,
            Some((page, &page_answers)),
            Step::Page(invalid),
            lang,
        )
        .await?;
        r.keep(&session).await?;
        let values = saved_values(&survey.pages[invalid], &merged, lang);
        let view = PageView {
            answers: &merged,
            index: invalid,
            values: &values,
            errors: &errors,
            ..again
        };
        return Ok(view.respond(StatusCode::UNPROCESSABLE_ENTITY));
    }
    match persist(&state, &r, Some((page, &page_answers)), step, lang).await {
        Ok(()) => {}
        Err(e @ AppError::Unavailable(_)) => {
            tracing::warn!(error = %e, "could not save a page; showing it again with the input kept");
            return Ok(PageView {
                notice: Some(ui.unavailable_saving),
                ..again
            }
            .respond(StatusCode::SERVICE_UNAVAILABLE));
        }
        Err(e) => return Err(e),
    }
    r.keep(&session).await?;
    let same_page = url_with_review(&page_url(survey, index), from_review);
    Ok(match (action, step) {
        (Action::Language(lang), _) => {
            let mut entry = r.entry.clone();
            entry.language = Some(lang);
            respondent::save(&session, &survey.id, &entry).await?;
            redirect(&same_page)
        }
        (Action::SaveForLater, _) => super::entry::after_save_for_later(&state, &session, &r)
            .await
            .map(|url| redirect(&url.unwrap_or(same_page)))?,
        (_, Step::Page(i)) => redirect(&page_url(survey, i)),
        (_, Step::Review) => redirect(&format!("/s/{}/review", survey.id)),
        (_, Step::Submit) => redirect(&done_url(survey)),
    })
}

pub(super) fn url_with_review(url: &str, from_review: bool) -> String {
    if from_review {
        format!("{url}?review=1")
    } else {
        url.to_string()
    }
}
