//! Interviews in the staff area: the list and starting one from a guide, the consent
//! step, topic screens, and the summary with "finish". Every save goes to the server at
//! once (moving to another topic saves first), so closing the laptop loses at most what
//! was typed since the last button press.

use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

use crate::web::redirect;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use time::OffsetDateTime;

use super::Staff;
use crate::interview::{Interview, Problem};
use crate::store::{AuditEntry, InterviewFilter, Status, StoredInterview, WriteOutcome};
use crate::survey::Survey;
use crate::survey::form::{FormInput, answers_to_input};
use crate::survey::model::InterviewGuide;
use crate::views::admin::interviews as views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CsrfForm;
use crate::web::error::AppError;

/// Interviews: the list, starting one, consent, topics, summary and finishing.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/interviews", get(list).post(start))
        .route("/admin/interviews/{id}", get(show))
        .route("/admin/interviews/{id}/consent", post(consent))
        .route(
            "/admin/interviews/{id}/t/{topic_id}",
            get(topic).post(save_topic),
        )
        .route("/admin/interviews/{id}/summary", get(summary))
        .route("/admin/interviews/{id}/finish", post(finish))
}

/// The guides this user may run, in file order.
fn guides<'a>(state: &'a AppState, staff: &Staff) -> Vec<&'a Arc<Survey>> {
    state
        .surveys()
        .iter()
        .filter(|s| s.is_interview() && staff.user.can_run_interviews(&s.id))
        .collect()
}

pub(super) async fn list(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    if staff.user.role == crate::staff::Role::Evaluator {
        return Err(AppError::NotFound);
    }
    let own = InterviewFilter {
        interviewer_id: Some(&staff.user.id),
        ..Default::default()
    };
    let filter = if staff.user.can_open_interview("") {
        InterviewFilter::default()
    } else {
        own
    };
    let interviews = state.store().list_interviews(&filter).await?;
    let users = state.store().list_users().await?;
    let rows: Vec<views::ListRow<'_>> = interviews
        .iter()
        .map(|i| {
            let survey = state.survey(&i.survey_id);
            let organisation = survey
                .and_then(|s| s.guide())
                .zip(i.data.header.organisation.as_deref())
                .and_then(|(g, code)| g.organisation.get(code))
                .map(|o| o.label.get(crate::survey::Lang::Cs).to_string())
                .unwrap_or_default();
            views::ListRow {
                interview: i,
                guide_title: survey.map_or(i.survey_id.as_str(), |s| {
                    s.title.get(crate::survey::Lang::Cs)
                }),
                organisation,
                interviewer: users
                    .iter()
                    .find(|u| u.id == i.interviewer_id)
                    .map_or("", |u| u.email.as_str()),
            }
        })
        .collect();
    let csrf = csrf::token(&staff.session).await?;
    let guides: Vec<&Survey> = guides(&state, &staff)
        .into_iter()
        .map(|s| s.as_ref())
        .collect();
    Ok(views::list(&staff.user, &csrf, &rows, &guides).into_response())
}

pub(super) async fn start(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    let guide = state
        .survey(input.get("guide").unwrap_or_default())
        .filter(|s| s.is_interview() && staff.user.can_run_interviews(&s.id))
        .ok_or(AppError::NotFound)?
        .clone();
    let id = uuid::Uuid::new_v4().to_string();
    let now = OffsetDateTime::now_utc();
    let audit = staff
        .actor()
        .entry("interview_started", Some(&guide.id), Some(&id), json!({}));
    state
        .store()
        .create_interview(
            &id,
            &guide.id,
            &guide.version,
            &staff.user.id,
            now,
            Some(&audit),
        )
        .await?;
    Ok(redirect::to(&format!("/admin/interviews/{id}")))
}

/// The interview and its guide, if this user may open it; 404 otherwise.
async fn open<'a>(
    state: &'a AppState,
    staff: &Staff,
    id: &str,
) -> Result<(StoredInterview, InterviewGuide<'a>), AppError> {
    let interview = state
        .store()
        .interview(id)
        .await?
        .filter(|i| staff.user.can_open_interview(&i.interviewer_id))
        .ok_or(AppError::NotFound)?;
    let guide = state
        .survey(&interview.survey_id)
        .and_then(|s| s.as_interview())
        .ok_or(AppError::NotFound)?;
    Ok((interview, guide))
}

/// Apply `change` to the newest stored version and save it, retrying when another save
/// (a second tab, an autosave) came in between: a topic's save only touches that topic,
/// so re-applying it to the newer record keeps both. `change` returns the problems to
/// report with a successful save, or `Err` to save nothing. The record moves to the
/// guide `version` in use, so exports read it with the topics it now has. A change that
/// changes nothing (consent sent twice, finishing a complete interview) saves nothing;
/// `audit` is written with the save, in its transaction.
async fn update(
    state: &AppState,
    id: &str,
    version: &str,
    finish: bool,
    audit: Option<&AuditEntry>,
    change: impl Fn(&mut Interview) -> Result<Vec<Problem>, Vec<Problem>>,
) -> Result<Result<Vec<Problem>, Vec<Problem>>, AppError> {
    for _ in 0..5 {
        let fresh = state
            .store()
            .interview(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut data = fresh.data.clone();
        let problems = match change(&mut data) {
            Ok(problems) => problems,
            Err(problems) => return Ok(Err(problems)),
        };
        let finished_already = fresh.status == Status::Complete;
        if data == fresh.data && fresh.survey_version == version && (!finish || finished_already) {
            return Ok(Ok(problems));
        }
        // The audited event is the change itself (consent recorded, the interview
        // finished), not a save that only moves the record to the guide in use.
        let audit = audit.filter(|_| {
            if finish {
                !finished_already
            } else {
                data != fresh.data
            }
        });
        let now = OffsetDateTime::now_utc();
        match state
            .store()
            .save_interview(id, fresh.revision, version, &data, finish, now, audit)
            .await?
        {
            WriteOutcome::Written => return Ok(Ok(problems)),
            WriteOutcome::NotFound => return Err(AppError::NotFound),
            WriteOutcome::Conflict | WriteOutcome::AlreadySubmitted => continue,
        }
    }
    Err(AppError::Unavailable(
        "the interview is being saved from elsewhere; try again".into(),
    ))
}

pub(super) async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (interview, guide) = open(&state, &staff, &id).await?;
    if interview.data.has_consent() {
        let next = guide
            .guide
            .topics
            .iter()
            .find(|t| !interview.data.topics.contains_key(&t.id))
            .or_else(|| guide.guide.topics.first());
        let to = match next {
            Some(t) => format!("/admin/interviews/{id}/t/{}", t.id),
            None => format!("/admin/interviews/{id}/summary"),
        };
        return Ok(redirect::to(&to));
    }
    let csrf = csrf::token(&staff.session).await?;
    Ok(views::consent(&staff.user, &csrf, guide, &id, &FormInput::default(), &[]).into_response())
}

pub(super) async fn consent(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    let (interview, guide) = open(&state, &staff, &id).await?;
    let now = OffsetDateTime::now_utc();
    if interview.data.has_consent() {
        // Sent twice (a double click, the back button): recorded already.
        return Ok(redirect::to(&format!("/admin/interviews/{id}")));
    }
    let audit = staff.actor().entry(
        "interview_consent",
        Some(&guide.survey.id),
        Some(&id),
        json!({"version": guide.guide.consent_version}),
    );
    let version = &guide.survey.version;
    let recorded = update(&state, &id, version, false, Some(&audit), |data| {
        if data.has_consent() {
            return Ok(Vec::new());
        }
        data.record_consent(guide.guide, &input, &staff.user.id, now)
            .map(|()| Vec::new())
    })
    .await?;
    match recorded {
        Ok(_) => Ok(redirect::to(&format!("/admin/interviews/{id}"))),
        Err(problems) => {
            let csrf = csrf::token(&staff.session).await?;
            let page = views::consent(&staff.user, &csrf, guide, &id, &input, &problems);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

/// The form fields showing what is stored for a topic.
fn stored_values(survey: &Survey, interview: &Interview, index: usize) -> FormInput {
    let topic_id = &survey.pages[index].id;
    let mut values = answers_to_input(&survey.pages[index], &interview.answers);
    if let Some(r) = interview.topics.get(topic_id) {
        values.push("notes".into(), r.notes.clone());
        for p in &r.probes {
            values.push("probe".into(), p.clone());
        }
        if let Some(s) = &r.skipped {
            values.push("skipped".into(), s.clone());
        }
    }
    values
}

async fn topic_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    topic_id: &str,
    sent: Option<(&FormInput, &[Problem])>,
) -> Result<Response, AppError> {
    let (interview, guide) = open(state, staff, id).await?;
    if !interview.data.has_consent() {
        return Ok(redirect::to(&format!("/admin/interviews/{id}")));
    }
    let index = guide
        .survey
        .page_index(topic_id)
        .ok_or(AppError::NotFound)?;
    let stored = stored_values(guide.survey, &interview.data, index);
    let (values, problems) = sent.unwrap_or((&stored, &[]));
    let csrf = csrf::token(&staff.session).await?;
    let screen = views::TopicScreen {
        guide,
        interview: &interview,
        topic_index: index,
        values,
        problems,
        opened: OffsetDateTime::now_utc().unix_timestamp(),
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, views::topic(&staff.user, &csrf, &screen)).into_response())
}

pub(super) async fn topic(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, topic_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    topic_page(&state, &staff, &id, &topic_id, None).await
}

pub(super) async fn save_topic(
    State(state): State<AppState>,
    staff: Staff,
    headers: axum::http::HeaderMap,
    Path((id, topic_id)): Path<(String, String)>,
    CsrfForm(input): CsrfForm,
) -> Result<Response, AppError> {
    // The autosave script: answer 204 and the new start of the time stretch.
    let autosave = headers.contains_key("x-autosave");
    let (interview, guide) = open(&state, &staff, &id).await?;
    if !interview.data.has_consent() {
        return Ok(redirect::to(&format!("/admin/interviews/{id}")));
    }
    let survey = guide.survey;
    let index = survey.page_index(&topic_id).ok_or(AppError::NotFound)?;
    let now = OffsetDateTime::now_utc().unix_timestamp();
    let opened = input
        .get("opened")
        .and_then(|o| o.parse::<i64>().ok())
        .filter(|&o| o > 0);
    let saved = update(&state, &id, &survey.version, false, None, |data| {
        data.save_topic(survey, &topic_id, &input, opened, now)
            .map_err(|p| vec![p])
    })
    .await?;
    let problems = match saved {
        Ok(problems) => problems,
        // Only a topic the guide does not have is refused outright (checked above).
        Err(_) => return Err(AppError::NotFound),
    };
    if !problems.is_empty() {
        if autosave {
            // Saved, except what is listed: the page shows the problems on the next save.
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                [("x-opened", now.to_string())],
            )
                .into_response());
        }
        return topic_page(&state, &staff, &id, &topic_id, Some((&input, &problems))).await;
    }
    if autosave {
        return Ok((StatusCode::NO_CONTENT, [("x-opened", now.to_string())]).into_response());
    }
    let to = match input.get("go").unwrap_or("@stay") {
        "@summary" => format!("/admin/interviews/{id}/summary"),
        "@next" => match guide.guide.topics.get(index + 1) {
            Some(t) => format!("/admin/interviews/{id}/t/{}", t.id),
            None => format!("/admin/interviews/{id}/summary"),
        },
        other => match survey.page_index(other) {
            Some(_) => format!("/admin/interviews/{id}/t/{other}"),
            None => format!("/admin/interviews/{id}/t/{topic_id}"),
        },
    };
    Ok(redirect::to(&to))
}

pub(super) async fn summary(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (interview, guide) = open(&state, &staff, &id).await?;
    if !interview.data.has_consent() {
        return Ok(redirect::to(&format!("/admin/interviews/{id}")));
    }
    let csrf = csrf::token(&staff.session).await?;
    Ok(views::summary(&staff.user, &csrf, guide, &interview).into_response())
}

pub(super) async fn finish(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    _: CsrfForm,
) -> Result<Response, AppError> {
    let (interview, guide) = open(&state, &staff, &id).await?;
    if !interview.data.has_consent() {
        return Err(AppError::BadRequest(
            "an interview without consent cannot be finished",
        ));
    }
    let audit = staff.actor().entry(
        "interview_finished",
        Some(&guide.survey.id),
        Some(&id),
        json!({}),
    );
    let _ = update(
        &state,
        &id,
        &guide.survey.version,
        true,
        Some(&audit),
        |_| Ok(Vec::new()),
    )
    .await?;
    Ok(redirect::to("/admin/interviews"))
}
