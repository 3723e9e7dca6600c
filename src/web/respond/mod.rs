//! The respondent area: starting (open link, invitation link, resume code), pages of
//! questions, review, submission and the thank-you page. Handlers glue the session,
//! the survey core, the store and the views together; one file per group of screens.

mod entry;
mod finish;
mod pages;
mod persist;

use std::sync::Arc;

use crate::web::redirect;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::Markup;
use time::OffsetDateTime;
use tower_sessions::Session;

use super::error::AppError;
use super::extract::AcceptLanguage;
use super::respondent::{self, SurveySession};
use crate::store::{self, Response as Stored};
use crate::survey::flow;
use crate::survey::form::{FieldError, FormInput};
use crate::survey::model::{Access, Availability};
use crate::survey::{Answers, Lang, Survey};
use crate::views;
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/s/{survey_id}", get(entry::start))
        .route("/t/{token}", get(entry::invitation))
        .route("/r/{code}", get(entry::resume_link))
        .route(
            "/s/{survey_id}/resume",
            get(entry::resume_form).post(entry::resume_submit),
        )
        .route("/s/{survey_id}/saved", get(entry::saved))
        .route(
            "/s/{survey_id}/p/{page_id}",
            get(pages::show).post(pages::save),
        )
        .route(
            "/s/{survey_id}/review",
            get(finish::review).post(finish::review_submit),
        )
        .route("/s/{survey_id}/done", get(finish::done))
}

/// `current_page` of a response that has reached the review page (page ids cannot
/// start with `_`).
const REVIEW: &str = "_review";

fn page_url(survey: &Survey, index: usize) -> String {
    format!("/s/{}/p/{}", survey.id, survey.pages[index].id)
}

fn done_url(survey: &Survey) -> String {
    format!("/s/{}/done", survey.id)
}

fn redirect(url: &str) -> Response {
    redirect::to(url)
}

#[derive(serde::Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

/// A response id derived from a visitor's CSRF token (secret to the visitor's browser)
/// and the survey: the same for every request of that browser until it has a session.
fn reserved_id(csrf_token: &str, survey_id: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("response:{survey_id}:{csrf_token}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Everything a respondent request needs: the survey, the session entry, the response.
struct Respondent {
    survey: Arc<Survey>,
    entry: SurveySession,
    /// The response's id: reserved in the session before the response is first saved
    /// (so concurrent first saves meet on one primary key), or the invitation's.
    response_id: String,
    response: Option<Stored>,
    /// The response id is not in the session yet (a visitor without one): to be kept
    /// there once the first page is saved, not before (a failed first save, say on a
    /// full disk, must still show the page with its input).
    unsaved: bool,
}

impl Respondent {
    /// The respondent of this request. A visitor without a session gets none here
    /// (nothing is stored for looking): the page-save handler keeps the response id in
    /// the session once the first page is saved ([`Respondent::unsaved`]).
    async fn load(
        state: &AppState,
        session: &Session,
        survey_id: &str,
    ) -> Result<Respondent, AppError> {
        let survey = state
            .questionnaire(survey_id)
            .ok_or(AppError::NotFound)?
            .clone();
        let mut entry = respondent::load(session, survey_id).await?;
        if survey.access == Access::Token && !entry.invited {
            return Err(AppError::InvitationOnly);
        }
        let mut unsaved = false;
        let response_id = match &entry.response_id {
            Some(id) => id.clone(),
            None => {
                // Without a session, the id comes from the visitor's CSRF cookie: the page
                // shown and its first save (and a double submit of it) agree on it
                // without storing anything until there are answers.
                let id = if session.id().is_none() {
                    reserved_id(&super::csrf::token(session).await?, survey_id)
                } else {
                    uuid::Uuid::new_v4().to_string()
                };
                entry.response_id = Some(id.clone());
                if session.id().is_some() {
                    respondent::save(session, survey_id, &entry).await?;
                } else {
                    unsaved = true;
                }
                id
            }
        };
        let response = state
            .store()
            .response(&response_id)
            .await?
            .filter(|r| r.survey_id == survey.id);
        Ok(Respondent {
            survey,
            entry,
            response_id,
            response,
            unsaved,
        })
    }

    /// After a save: a visitor who had no session keeps the response id in one now (and
    /// the CSRF cookie it was derived from is renewed).
    async fn keep(&self, session: &Session) -> Result<(), AppError> {
        if self.unsaved {
            respondent::save(session, &self.survey.id, &self.entry).await?;
            super::csrf::move_into_session(session).await?;
        }
        Ok(())
    }

    fn answers(&self) -> &Answers {
        self.response
            .as_ref()
            .map_or(&self.entry.prefill, |r| &r.answers)
    }

    fn is_complete(&self) -> bool {
        self.response
            .as_ref()
            .is_some_and(|r| r.status == store::Status::Complete)
    }

    /// The furthest page the respondent may open: where they are now (all pages once
    /// they have reached the review).
    fn current_index(&self) -> usize {
        let current = self.response.as_ref().map(|r| r.current_page.as_str());
        match current {
            Some(REVIEW) => self.survey.pages.len(),
            Some(id) => self
                .survey
                .page_index(id)
                .unwrap_or_else(|| flow::first_page(&self.survey, self.answers())),
            None => flow::first_page(&self.survey, self.answers()),
        }
    }

    /// Where to send the respondent back to: their current page, or the review.
    fn current_url(&self) -> String {
        if self.current_index() >= self.survey.pages.len() {
            format!("/s/{}/review", self.survey.id)
        } else {
            page_url(&self.survey, self.current_index())
        }
    }

    /// Remember a language picked with `?lang=` for the rest of the survey.
    async fn remember_language(
        &mut self,
        session: &Session,
        requested: Option<&str>,
    ) -> Result<(), AppError> {
        if let Some(lang) = respondent::requested_language(&self.survey, requested) {
            self.entry.language = Some(lang);
            respondent::save(session, &self.survey.id, &self.entry).await?;
        }
        Ok(())
    }

    fn language(&self, accept: &AcceptLanguage) -> Lang {
        respondent::language(
            &self.survey,
            &self.entry,
            self.response.as_ref().map(|r| r.language),
            accept,
        )
    }

    /// The "closed" page when the survey does not take answers from this respondent now.
    async fn closed_page(
        &self,
        state: &AppState,
        lang: Lang,
    ) -> Result<Option<Response>, AppError> {
        let started = self.response.is_some();
        let complete = match (self.survey.schedule.quota, started) {
            (Some(_), false) => {
                state
                    .store()
                    .count_responses(&self.survey.id, store::Status::Complete)
                    .await?
            }
            _ => 0,
        };
        Ok(
            match self.survey.schedule.availability(
                OffsetDateTime::now_utc(),
                complete as u64,
                started,
            ) {
                Availability::Open => None,
                closed => Some(
                    (
                        StatusCode::FORBIDDEN,
                        views::closed::page(&self.survey, lang, closed),
                    )
                        .into_response(),
                ),
            },
        )
    }
}

/// The inputs of one rendered form page.
#[derive(Clone, Copy)]
struct PageView<'a> {
    survey: &'a Survey,
    /// The saved answers (they decide conditions and progress).
    answers: &'a Answers,
    index: usize,
    lang: Lang,
    csrf: &'a str,
    values: &'a FormInput,
    errors: &'a [FieldError],
    notice: Option<&'a str>,
    from_review: bool,
}

impl<'a> PageView<'a> {
    fn respond(&self, status: StatusCode) -> Response {
        (status, self.render()).into_response()
    }

    fn render(&self) -> Markup {
        let survey = self.survey;
        let answers = self.answers;
        views::form_page::render(&views::form_page::FormPage {
            survey,
            page_index: self.index,
            lang: self.lang,
            csrf: self.csrf,
            values: self.values,
            errors: self.errors,
            notice: self.notice,
            answers,
            progress: flow::progress(survey, self.index, answers),
            is_last: flow::next_page(survey, self.index, answers).is_none(),
            can_go_back: flow::previous_page(survey, self.index, answers).is_some(),
            from_review: self.from_review,
        })
    }
}
