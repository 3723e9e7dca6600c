//! What a respondent's session remembers per survey (their response, values from the
//! link for hidden questions, their language) and how the page language is chosen.

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::error::AppError;
use super::extract::AcceptLanguage;
use crate::survey::{Answer, Answers, Lang, Survey};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SurveySession {
    /// The response this browser is filling in (created when the first page is saved).
    pub response_id: Option<String>,
    /// Values for hidden questions taken from the link, until the response exists.
    #[serde(default)]
    pub prefill: Answers,
    /// A language chosen explicitly (`?lang=en`).
    pub language: Option<Lang>,
    /// Came in through a personal invitation link (token surveys need one).
    #[serde(default)]
    pub invited: bool,
}

fn key(survey_id: &str) -> String {
    format!("survey:{survey_id}")
}

pub async fn load(session: &Session, survey_id: &str) -> Result<SurveySession, AppError> {
    Ok(session.get(&key(survey_id)).await?.unwrap_or_default())
}

pub async fn save(
    session: &Session,
    survey_id: &str,
    entry: &SurveySession,
) -> Result<(), AppError> {
    session.insert(&key(survey_id), entry).await?;
    Ok(())
}

/// A language offered by the survey, from a `?lang=` value.
pub fn requested_language(survey: &Survey, code: Option<&str>) -> Option<Lang> {
    code.and_then(Lang::from_code)
        .filter(|l| survey.languages.contains(l))
}

/// The page language: an explicit choice, else the response's language, else the
/// browser's preference among the survey's languages, else the survey's default.
pub fn language(
    survey: &Survey,
    entry: &SurveySession,
    response_language: Option<Lang>,
    accept: &AcceptLanguage,
) -> Lang {
    entry
        .language
        .or(response_language)
        .filter(|l| survey.languages.contains(l))
        .unwrap_or_else(|| accept.pick(&survey.languages))
}

/// Values for hidden questions from name/value pairs: a link's query parameters or an
/// invitation's columns. Values outside a question's choice list are ignored (and
/// logged), never stored.
pub fn prefill<'a>(
    survey: &Survey,
    pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Answers {
    let mut out = Answers::new();
    for (q, hidden) in survey.hidden_questions() {
        let param = hidden.param.as_str();
        let Some((_, value)) = pairs.clone().into_iter().find(|(k, _)| *k == param) else {
            continue;
        };
        let value = value.trim();
        if value.is_empty() || value.chars().count() > 200 {
            continue;
        }
        let answer = match &hidden.options {
            Some(list) => match list.get(value) {
                Some(c) => Answer::Choice {
                    value: c.value.clone(),
                    other: None,
                },
                None => {
                    tracing::info!(survey = %survey.id, param, "ignored a link value that is not an option");
                    continue;
                }
            },
            None => Answer::Text(value.to_string()),
        };
        out.insert(q.id.clone(), answer);
    }
    out
}
