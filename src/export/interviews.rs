//! Interviews for qualitative analysis: every complete interview of a guide as one
//! document (Markdown or plain text, one after another in a single file) or as long CSV
//! rows `(interview, topic, field, text)` for coding software. Interviews are labelled
//! `R-001`, `R-002`, ... in the order they were finished; without identifiers the
//! interviewer becomes `I-1`, `I-2`, ... instead of an e-mail address.

use std::collections::HashMap;

use super::{ChunkSink, ChunkedCsv, ExportError, ExportSummary, Privacy, survey_versions};
use crate::interview::documents::{self, LONG_COLUMNS, Meta};
use crate::store::{InterviewFilter, Status, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewFormat {
    Markdown,
    Text,
    LongCsv,
}

impl InterviewFormat {
    pub fn extension(self) -> &'static str {
        match self {
            InterviewFormat::Markdown => "md",
            InterviewFormat::Text => "txt",
            InterviewFormat::LongCsv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            InterviewFormat::Markdown => "text/markdown; charset=utf-8",
            InterviewFormat::Text => "text/plain; charset=utf-8",
            InterviewFormat::LongCsv => "text/csv; charset=utf-8",
        }
    }
}

pub async fn write_interviews(
    store: &Store,
    survey_id: &str,
    format: InterviewFormat,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let versions = survey_versions(store, survey_id).await?;
    if !versions[0].is_interview() {
        return Err(ExportError::NotAnInterviewGuide(survey_id.to_string()));
    }
    let filter = InterviewFilter {
        survey_id: Some(survey_id),
        status: Some(Status::Complete),
        ..Default::default()
    };
    let mut interviews = store.list_interviews(&filter).await?;
    interviews.sort_by(|a, b| (a.finished_at, &a.id).cmp(&(b.finished_at, &b.id)));
    let emails: HashMap<String, String> = store
        .list_users()
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    let mut pseudonyms: HashMap<&str, String> = HashMap::new();
    let mut csv = (format == InterviewFormat::LongCsv).then(ChunkedCsv::new);
    if let Some(out) = &mut csv {
        out.write(LONG_COLUMNS, sink).await?;
    }
    for (n, interview) in interviews.iter().enumerate() {
        // Read each interview with the guide version it was recorded on.
        let survey = versions
            .iter()
            .find(|v| v.version == interview.survey_version)
            .unwrap_or(&versions[0]);
        let next = pseudonyms.len() + 1;
        let interviewer = match privacy {
            Privacy::Identified => emails
                .get(&interview.interviewer_id)
                .cloned()
                .unwrap_or_default(),
            Privacy::WithoutIdentifiers => pseudonyms
                .entry(&interview.interviewer_id)
                .or_insert_with(|| format!("I-{next}"))
                .clone(),
        };
        let label = format!("R-{:03}", n + 1);
        let meta = Meta {
            label: &label,
            interviewer: &interviewer,
            lang: survey.default_language(),
        };
        match (format, &mut csv) {
            (InterviewFormat::LongCsv, Some(out)) => {
                for row in documents::long_rows(survey, &interview.data, &meta) {
                    out.write(&row, sink).await?;
                }
            }
            (InterviewFormat::Markdown, _) => {
                let sep = if n == 0 { "" } else { "\n---\n\n" };
                let doc = documents::markdown(survey, &interview.data, &meta);
                sink.send(format!("{sep}{doc}").into_bytes()).await?;
            }
            _ => {
                // A form feed between interviews: a page break when printed.
                let sep = if n == 0 { "" } else { "\n\u{c}\n" };
                let doc = documents::plain_text(survey, &interview.data, &meta);
                sink.send(format!("{sep}{doc}").into_bytes()).await?;
            }
        }
    }
    if let Some(out) = csv {
        out.finish(sink).await?;
    }
    Ok(ExportSummary {
        responses: interviews.len() as u64,
    })
}
