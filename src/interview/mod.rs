//! One interview as the interviewer records it (pure, no I/O): the header (interviewee
//! category, organisation, date, mode), the recorded consent, per topic the notes, the
//! probes covered, a skip reason and the time spent (paradata), and the answers to the
//! structured items. It is stored as one JSON document; [`crate::store`] keeps it with a
//! revision so two tabs cannot overwrite each other.

pub mod documents;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::survey::form::{self, FormInput, Strictness};
use crate::survey::model::{Guide, InterviewMode, SkipReason};
use crate::survey::{Answers, Survey};

/// Longest notes kept per topic, in characters (a long interview's notes fit easily).
pub const MAX_NOTES: usize = 50_000;
/// Time counted for one stretch on a topic at most: a laptop left open over lunch does
/// not turn into an hour of interview.
pub const MAX_STRETCH_SECONDS: i64 = 30 * 60;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    #[serde(default)]
    pub header: Header,
    #[serde(default)]
    pub consent: Option<Consent>,
    /// By topic id.
    #[serde(default)]
    pub topics: BTreeMap<String, TopicRecord>,
    /// Answers to the structured items, like a questionnaire response's.
    #[serde(default)]
    pub answers: Answers,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// A code from the guide's `categories`.
    pub category: Option<String>,
    /// A code from the guide's organisation list.
    pub organisation: Option<String>,
    pub date: Option<time::Date>,
    /// An [`InterviewMode`] code.
    pub mode: Option<String>,
}

/// Consent recorded by the interviewer after reading the script out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Consent {
    /// The [`Guide::consent_version`] that was read out.
    pub version: String,
    #[serde(with = "time::serde::rfc3339")]
    pub given_at: OffsetDateTime,
    /// The staff account that recorded it.
    pub recorded_by: String,
    /// Consent to an audio recording (only asked when the guide says so).
    pub recording: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TopicRecord {
    #[serde(default)]
    pub notes: String,
    /// Ids of the probes covered, in the guide's order.
    #[serde(default)]
    pub probes: Vec<String>,
    /// A [`SkipReason`] code.
    #[serde(default)]
    pub skipped: Option<String>,
    /// Time spent on the topic screen.
    #[serde(default)]
    pub seconds: i64,
    /// Unix seconds up to which time is counted (the last save).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counted_until: Option<i64>,
}

/// Where a topic stands, for the sidebar and the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TopicState {
    NotStarted,
    InProgress,
    Skipped(SkipReason),
}

/// A mistake in what the interviewer sent, by form field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

fn problem(field: &str, message: &str) -> Problem {
    Problem {
        field: field.to_string(),
        message: message.to_string(),
    }
}

impl Interview {
    /// Record the header and the consent. Every field is checked against the guide;
    /// nothing changes unless all are right.
    pub fn record_consent(
        &mut self,
        guide: &Guide,
        input: &FormInput,
        recorded_by: &str,
        now: OffsetDateTime,
    ) -> Result<(), Vec<Problem>> {
        let mut problems = Vec::new();
        let category = input.get("category").unwrap_or_default();
        if guide.categories.get(category).is_none() {
            problems.push(problem("category", "Choose who the interviewee is."));
        }
        let organisation = input.get("organisation").unwrap_or_default();
        if guide.organisation.get(organisation).is_none() {
            problems.push(problem(
                "organisation",
                "Choose the interviewee's organisation.",
            ));
        }
        let date = input
            .get("date")
            .and_then(|d| crate::survey::expr::parse_date_literal(d.trim()));
        if date.is_none() {
            problems.push(problem("date", "Enter the interview's date as YYYY-MM-DD."));
        }
        let mode = input.get("mode").and_then(InterviewMode::from_code);
        if mode.is_none() {
            problems.push(problem("mode", "Choose how the interview is held."));
        }
        if input.get("consent") != Some("yes") {
            problems.push(problem(
                "consent",
                "The interview can only begin once the interviewee has agreed.",
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        self.header = Header {
            category: Some(category.to_string()),
            organisation: Some(organisation.to_string()),
            date,
            mode: mode.map(|m| m.code().to_string()),
        };
        self.consent = Some(Consent {
            version: guide.consent_version.clone(),
            given_at: now,
            recorded_by: recorded_by.to_string(),
            recording: guide.recording && input.get("recording") == Some("yes"),
        });
        Ok(())
    }

    /// Content topics open only once consent is recorded.
    pub fn has_consent(&self) -> bool {
        self.consent.is_some()
    }

    /// Save a topic screen: notes, probes covered, skip reason, structured items, and the
    /// time since the screen was `opened` (unix seconds) or since the topic's last save,
    /// whichever is later, capped per stretch, so two saves of one stretch (a button and an
    /// autosave) count it once. Whatever is valid is kept even when something else is not:
    /// a half-typed number never costs the notes. The problems are returned (an unknown
    /// probe or skip reason, an item breaking a rule: "required" does not apply in
    /// interviews); `Err` only for a topic the guide does not have (nothing saved).
    pub fn save_topic(
        &mut self,
        survey: &Survey,
        topic_id: &str,
        input: &FormInput,
        opened: Option<i64>,
        now: i64,
    ) -> Result<Vec<Problem>, Problem> {
        let (Some(guide), Some(index)) = (survey.guide(), survey.page_index(topic_id)) else {
            return Err(problem("topic", "There is no such topic."));
        };
        let topic = &guide.topics[index];
        let mut problems = Vec::new();
        let probes: Vec<String> = topic
            .probes
            .iter()
            .filter(|p| input.all("probe").any(|v| v == p.id))
            .map(|p| p.id.clone())
            .collect();
        if input
            .all("probe")
            .any(|v| !topic.probes.iter().any(|p| p.id == v))
        {
            problems.push(problem(
                "probe",
                "A probe that this topic does not have was sent.",
            ));
        }
        let previous = self.topics.get(topic_id).cloned().unwrap_or_default();
        let skipped = match input.get("skipped").map(str::trim) {
            None | Some("") => None,
            Some(code) => match SkipReason::from_code(code) {
                Some(r) => Some(r.code().to_string()),
                None => {
                    problems.push(problem("skipped", "Choose a reason from the list."));
                    previous.skipped.clone()
                }
            },
        };
        let mut notes = input.get("notes").unwrap_or_default().replace("\r\n", "\n");
        if notes.chars().count() > MAX_NOTES {
            problems.push(problem(
                "notes",
                &format!("Notes may have at most {MAX_NOTES} characters; the rest was not kept."),
            ));
            notes = notes.chars().take(MAX_NOTES).collect();
        }
        // Every rule but "required" holds: topics are asked in any order, and a half-typed
        // number is reported rather than silently dropped. An item in error keeps its
        // previous answer.
        let page = &survey.pages[index];
        let decoded = form::decode_page(page, input, &self.answers, Strictness::Enforce);
        let ui = crate::i18n::ui(crate::survey::Lang::En);
        let mut kept = Vec::new();
        for e in decoded
            .errors
            .iter()
            .filter(|e| e.problem != form::Problem::Required)
        {
            problems.push(Problem {
                field: e.question.clone(),
                message: ui.problem(&e.problem),
            });
            if let Some(a) = self.answers.get(&e.question) {
                kept.push((e.question.clone(), a.clone()));
            }
        }
        decoded.apply_to(page, &mut self.answers);
        self.answers.extend(kept);
        let since = match (opened, previous.counted_until) {
            (Some(o), Some(c)) => Some(o.max(c)),
            (o, _) => o,
        };
        let record = self.topics.entry(topic_id.to_string()).or_default();
        record.notes = notes;
        record.probes = probes;
        record.skipped = skipped;
        if let Some(since) = since {
            record.seconds += (now - since).clamp(0, MAX_STRETCH_SECONDS);
        }
        record.counted_until = Some(now);
        Ok(problems)
    }

    pub fn topic_state(&self, topic_id: &str) -> TopicState {
        match self.topics.get(topic_id) {
            None => TopicState::NotStarted,
            Some(r) => match r.skipped.as_deref().and_then(SkipReason::from_code) {
                Some(reason) => TopicState::Skipped(reason),
                None => TopicState::InProgress,
            },
        }
    }

    /// Total time spent on topics.
    pub fn seconds(&self) -> i64 {
        self.topics.values().map(|t| t.seconds).sum()
    }
}
