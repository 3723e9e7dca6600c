//! Ways into a survey: its open link, a personal invitation link, a resume link or a
//! typed resume code; and the page that hands out a resume code.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions::Session;

use super::{Respondent, done_url, redirect};
use crate::survey::Survey;
use crate::survey::model::Access;
use crate::tokens;
use crate::views;
use crate::web::AppState;
use crate::web::csrf;
use crate::web::csrf::CheckedForm;
use crate::web::error::AppError;
use crate::web::extract::{AcceptLanguage, ClientIp, Query, base_url};
use crate::web::respondent;

/// How long a resume code works.
const RESUME_VALID: time::Duration = time::Duration::days(60);

/// `/s/{id}`: start a survey (remembering values from the link) or resume it.
#[tracing::instrument(skip_all, fields(survey_id = %survey_id))]
pub(super) async fn start(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let mut r = Respondent::load(&state, &session, &survey_id).await?;
    let lang = query
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.as_str());
    if let Some(lang) = respondent::requested_language(&r.survey, lang) {
        r.entry.language = Some(lang);
    }
    if r.response.is_none() && r.survey.access == Access::Anonymous {
        let prefill = respondent::prefill(
            &r.survey,
            query.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        if !prefill.is_empty() {
            r.entry.prefill = prefill;
        }
    }
    // Remember what the link said (values for hidden questions, a language); a visitor
    // without a session and with nothing to remember gets no session.
    let nothing_to_keep = r.entry.prefill.is_empty() && r.entry.language.is_none();
    if session.id().is_some() || !nothing_to_keep {
        respondent::save(&session, &survey_id, &r.entry).await?;
        csrf::move_into_session(&session).await?;
    }
    if r.is_complete() {
        return Ok(redirect(&done_url(&r.survey)));
    }
    if let Some(closed) = r.closed_page(&state, r.language(&accept)).await? {
        return Ok(closed);
    }
    Ok(redirect(&r.current_url()))
}

/// Bind this browser's session to a response of `survey` (from an invitation or a
/// resume code), with a fresh session id, then go to the survey.
async fn bind(
    session: &Session,
    survey: &Survey,
    response_id: String,
    invited: bool,
    prefill: Option<crate::survey::Answers>,
) -> Result<Response, AppError> {
    let mut entry = respondent::load(session, &survey.id).await?;
    entry.response_id = Some(response_id);
    entry.invited |= invited;
    if let Some(prefill) = prefill {
        entry.prefill = prefill;
    }
    session.cycle_id().await?;
    respondent::save(session, &survey.id, &entry).await?;
    Ok(redirect(&format!("/s/{}", survey.id)))
}

/// `/t/{token}`: a personal invitation link.
#[tracing::instrument(skip_all)]
pub(super) async fn invitation(
    State(state): State<AppState>,
    session: Session,
    ClientIp(peer): ClientIp,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    state.attempts().attempt(peer)?;
    let hash = tokens::hash(&token);
    let invitation = state
        .store()
        .invitation_by_token_hash(&hash)
        .await?
        .filter(|i| tokens::constant_time_eq(&i.token_hash, &hash));
    let Some(invitation) = invitation else {
        return Err(AppError::InvalidLink);
    };
    let survey = state
        .questionnaire(&invitation.survey_id)
        .ok_or(AppError::InvalidLink)?
        .clone();
    let prefill = respondent::prefill(
        &survey,
        invitation
            .attributes
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str())),
    );
    bind(
        &session,
        &survey,
        invitation.response_id,
        true,
        Some(prefill),
    )
    .await
}

/// `/r/{code}`: a resume link.
#[tracing::instrument(skip_all)]
pub(super) async fn resume_link(
    State(state): State<AppState>,
    session: Session,
    ClientIp(peer): ClientIp,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    state.attempts().attempt(peer)?;
    let (survey, response_id) = find_by_resume_code(&state, &code)
        .await?
        .ok_or(AppError::InvalidLink)?;
    bind(&session, &survey, response_id, false, None).await
}

/// The survey and response a resume code leads to.
async fn find_by_resume_code(
    state: &AppState,
    code: &str,
) -> Result<Option<(std::sync::Arc<Survey>, String)>, AppError> {
    let Some(code) = tokens::normalize_resume_code(code) else {
        return Ok(None);
    };
    let Some(response_id) = state
        .store()
        .response_for_resume_code(&tokens::hash(&code), OffsetDateTime::now_utc())
        .await?
    else {
        return Ok(None);
    };
    let Some(response) = state.store().response(&response_id).await? else {
        return Ok(None);
    };
    Ok(state
        .questionnaire(&response.survey_id)
        .map(|s| (s.clone(), response_id)))
}

pub(super) async fn resume_form(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
) -> Result<Response, AppError> {
    let survey = state
        .questionnaire(&survey_id)
        .ok_or(AppError::NotFound)?
        .clone();
    if survey.access != Access::Anonymous {
        return Ok(redirect(&format!("/s/{survey_id}")));
    }
    let entry = respondent::load(&session, &survey_id).await?;
    let lang = respondent::language(&survey, &entry, None, &accept);
    let token = csrf::token(&session).await?;
    Ok(views::resume::page(&survey, lang, &token, "", None).into_response())
}

pub(super) async fn resume_submit(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    ClientIp(peer): ClientIp,
    Path(survey_id): Path<String>,
    CheckedForm {
        input,
        token: form_token,
    }: CheckedForm,
) -> Result<Response, AppError> {
    let survey = state
        .questionnaire(&survey_id)
        .ok_or(AppError::NotFound)?
        .clone();
    let entry = respondent::load(&session, &survey_id).await?;
    let lang = respondent::language(&survey, &entry, None, &accept);
    let typed = input.get("code").unwrap_or_default().trim().to_string();
    let token = csrf::token(&session).await?;
    if !form_token.ok().await? {
        return Ok((
            StatusCode::FORBIDDEN,
            views::resume::page(&survey, lang, &token, &typed, None),
        )
            .into_response());
    }
    state.attempts().attempt(peer)?;
    match find_by_resume_code(&state, &typed).await? {
        Some((found, response_id)) if found.id == survey.id => {
            bind(&session, &survey, response_id, false, None).await
        }
        _ => {
            // A code of the wrong form says what is wrong with it; one of the right form
            // is unknown (or expired, or another survey's: the same words).
            let problem = crate::i18n::ui(lang).resume_problem(&tokens::read_resume_code(&typed));
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                views::resume::page(&survey, lang, &token, &typed, Some(&problem)),
            )
                .into_response())
        }
    }
}

/// A resume code just issued, kept in the session so the "saved" page can show it.
#[derive(Serialize, Deserialize)]
struct IssuedCode {
    code: String,
    expires: i64,
}

fn issued_key(survey_id: &str) -> String {
    format!("resume:{survey_id}")
}

/// After "Save and finish later": issue a resume code (anonymous surveys) and say where
/// to go; token surveys resume from their invitation link, so they stay on the page.
pub(super) async fn after_save_for_later(
    state: &AppState,
    session: &Session,
    r: &Respondent,
) -> Result<Option<String>, AppError> {
    if r.survey.access != Access::Anonymous {
        return Ok(None);
    }
    let code = tokens::new_resume_code();
    let now = OffsetDateTime::now_utc();
    let expires = now + RESUME_VALID;
    state
        .store()
        .replace_resume_code(&r.response_id, &tokens::hash(&code), now, expires)
        .await?;
    session
        .insert(
            &issued_key(&r.survey.id),
            IssuedCode {
                code,
                expires: expires.unix_timestamp(),
            },
        )
        .await?;
    Ok(Some(format!("/s/{}/saved", r.survey.id)))
}

/// The saved page: the resume link and code just issued.
pub(super) async fn saved(
    State(state): State<AppState>,
    session: Session,
    accept: AcceptLanguage,
    Path(survey_id): Path<String>,
) -> Result<Response, AppError> {
    let r = Respondent::load(&state, &session, &survey_id).await?;
    let Some(issued) = session.get::<IssuedCode>(&issued_key(&survey_id)).await? else {
        return Ok(redirect(&format!("/s/{survey_id}")));
    };
    let link = format!("{}/r/{}", base_url(&state), issued.code);
    let expires =
        OffsetDateTime::from_unix_timestamp(issued.expires).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let continue_url = r.current_url();
    let saved = views::saved::Saved {
        link: &link,
        code: &issued.code,
        expires,
        continue_url: &continue_url,
    };
    Ok(views::saved::page(&r.survey, r.language(&accept), &saved).into_response())
}
