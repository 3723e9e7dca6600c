//! Writing a respondent's progress: create the response on its first save, otherwise
//! update it guarded by its revision, re-reading and retrying when another request
//! (a second tab, a double click) wrote first.

use time::OffsetDateTime;

use super::{REVIEW, Respondent};
use crate::store::{NewResponse, Progress, StoreError, WriteOutcome};
use crate::survey::form::PageAnswers;
use crate::survey::model::Page;
use crate::survey::{Answers, Lang, flow};
use crate::web::AppState;
use crate::web::error::AppError;

/// Where the respondent goes after this save.
#[derive(Debug, Clone, Copy)]
pub enum Step {
    /// To a page (the next, the previous, or the same one).
    Page(usize),
    /// To the review page.
    Review,
    /// Submit the response.
    Submit,
}

/// Save `page_answers` (the answers of `page`, if a page was submitted) and move on.
pub async fn persist(
    state: &AppState,
    r: &Respondent,
    page: Option<(&Page, &Answers)>,
    step: Step,
    lang: Lang,
) -> Result<(), AppError> {
    let store = state.store();
    let survey = &r.survey;
    let current_page = match step {
        Step::Page(i) => survey.pages[i].id.as_str(),
        Step::Review => REVIEW,
        Step::Submit => r
            .response
            .as_ref()
            .map_or(REVIEW, |resp| resp.current_page.as_str()),
    };
    let id = r.response_id.as_str();
    let mut latest = r.response.clone();
    for _ in 0..5 {
        let now = OffsetDateTime::now_utc();
        let mut answers = latest
            .as_ref()
            .map_or_else(|| r.entry.prefill.clone(), |l| l.answers.clone());
        if let Some((page, page_answers)) = page {
            PageAnswers {
                answers: page_answers.clone(),
                errors: Vec::new(),
            }
            .apply_to(page, &mut answers);
        }
        if let Step::Submit = step {
            answers = flow::effective_answers(survey, &answers);
        }
        let progress = Progress {
            survey_version: &survey.version,
            language: lang,
            current_page,
            answers: &answers,
        };
        let revision = match &latest {
            Some(l) => l.revision,
            None => {
                let new = NewResponse {
                    id,
                    survey_id: &survey.id,
                    survey_version: &survey.version,
                    language: lang,
                    current_page,
                    answers: &answers,
                };
                match store.create_response(&new, now).await {
                    Ok(()) if !matches!(step, Step::Submit) => return Ok(()),
                    Ok(()) => 1,
                    Err(StoreError::Duplicate) => {
                        // Another request created it first: update it like any other.
                        latest = store.response(id).await?;
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
        };
        let outcome = match step {
            Step::Page(_) | Step::Review => {
                store.save_progress(id, revision, &progress, now).await?
            }
            Step::Submit => store.submit(id, revision, &progress, now).await?,
        };
        match outcome {
            WriteOutcome::Written | WriteOutcome::AlreadySubmitted => return Ok(()),
            WriteOutcome::Conflict => latest = store.response(id).await?,
            WriteOutcome::NotFound => latest = None,
        }
    }
    Err(AppError::Unavailable(
        "the response kept changing while saving; gave up after 5 attempts".into(),
    ))
}
