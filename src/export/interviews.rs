//! Interviews for qualitative analysis: every complete interview of a guide as one
//! document (Markdown or plain text, one after another in a single file) or as long CSV
//! rows `(interview, topic, field, text)` for coding software; and for statistics a wide
//! CSV like a questionnaire's (one row per interview: header, structured items, and the
//! paradata of each topic: seconds, probes covered, skip reason). Interviews are labelled
//! `R-001`, `R-002`, ... in the order they were finished; without identifiers the
//! interviewer becomes `I-1`, `I-2`, ... instead of an e-mail address.

use std::collections::HashMap;

use super::{ChunkSink, ChunkedCsv, ExportError, ExportSummary, Privacy, survey_versions};
use crate::interview::documents::{self, LONG_COLUMNS, Meta};
use crate::store::{InterviewFilter, Status, Store};
use crate::survey::model::InterviewGuide;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewFormat {
    Markdown,
    Text,
    LongCsv,
    /// One row per interview, for statistics (what `--format csv` gives for a guide).
    WideCsv,
}

impl InterviewFormat {
    pub fn extension(self) -> &'static str {
        match self {
            InterviewFormat::Markdown => "md",
            InterviewFormat::Text => "txt",
            InterviewFormat::LongCsv | InterviewFormat::WideCsv => "csv",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            InterviewFormat::Markdown => "text/markdown; charset=utf-8",
            InterviewFormat::Text => "text/plain; charset=utf-8",
            InterviewFormat::LongCsv | InterviewFormat::WideCsv => "text/csv; charset=utf-8",
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
    let Some(guide) = versions[0].guide() else {
        return Err(ExportError::NotAnInterviewGuide(survey_id.to_string()));
    };
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
    // Evaluators get records without the organisation (or coarsened), the date, and
    // names of places or people in the notes.
    let newest = &versions[0];
    let scrubber = (!privacy.is_identified())
        .then(|| crate::anonymize::interviews::scrubber(guide, &newest.languages));
    let wide = WideColumns::new(&versions, &privacy);
    // Versions and consent scripts as numbers in anonymized records (a hash of a file
    // changed after an interview would single it out).
    let question_sets = crate::anonymize::question_sets(&versions);
    let consent_scripts = crate::anonymize::consent_scripts(&versions);
    let mut csv =
        matches!(format, InterviewFormat::LongCsv | InterviewFormat::WideCsv).then(ChunkedCsv::new);
    if let Some(out) = &mut csv {
        match format {
            InterviewFormat::WideCsv => out.write(wide.header(), sink).await?,
            _ => out.write(LONG_COLUMNS, sink).await?,
        }
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
            Privacy::WithoutIdentifiers | Privacy::Anonymized(_) => pseudonyms
                .entry(&interview.interviewer_id)
                .or_insert_with(|| format!("I-{next}"))
                .clone(),
        };
        let label = format!("R-{:03}", n + 1);
        let anonymized = scrubber.as_ref().map(|s| {
            let mut data = crate::anonymize::interviews::anonymize(
                &interview.data,
                InterviewGuide {
                    survey: newest,
                    guide,
                },
                newest.privacy.coarsening("organisation"),
                s,
            )
            .0;
            // The consent script's hash would date the interview: its number instead.
            if let Some(c) = &mut data.consent {
                c.version = consent_scripts.get(&c.version).cloned().unwrap_or_default();
            }
            data
        });
        let data = anonymized.as_ref().unwrap_or(&interview.data);
        let meta = Meta {
            label: &label,
            interviewer: &interviewer,
            lang: survey.default_language(),
        };
        match (format, &mut csv) {
            (InterviewFormat::LongCsv, Some(out)) => {
                for row in documents::long_rows(survey, data, &meta) {
                    out.write(&row, sink).await?;
                }
            }
            (InterviewFormat::WideCsv, Some(out)) => {
                let id = match privacy {
                    Privacy::Identified => interview.id.clone(),
                    Privacy::WithoutIdentifiers | Privacy::Anonymized(_) => label.clone(),
                };
                let mut row = wide.row(&id, interview, data, anonymized.is_some(), &interviewer);
                if anonymized.is_some() {
                    row[1] = question_sets
                        .get(&interview.survey_version)
                        .cloned()
                        .unwrap_or_default();
                }
                out.write(row, sink).await?;
            }
            (InterviewFormat::Markdown, _) => {
                let sep = if n == 0 { "" } else { "\n---\n\n" };
                let doc = documents::markdown(survey, data, &meta);
                sink.send(format!("{sep}{doc}").into_bytes()).await?;
            }
            _ => {
                // A form feed between interviews: a page break when printed.
                let sep = if n == 0 { "" } else { "\n\u{c}\n" };
                let doc = documents::plain_text(survey, data, &meta);
                sink.send(format!("{sep}{doc}").into_bytes()).await?;
            }
        }
    }
    if let Some(out) = csv {
        out.finish(sink).await?;
    }
    Ok(ExportSummary {
        responses: interviews.len() as u64,
        unit: "finished interview(s)",
        report: None,
    })
}

/// The columns of the wide interview CSV: fixed header columns, the structured items (as
/// variables, merged across guide versions like questionnaire exports), then per topic
/// `TOPIC.seconds`, `TOPIC.probes` (how many covered) and `TOPIC.skipped`.
struct WideColumns {
    variables: Vec<crate::survey::variables::Variable>,
    topics: Vec<String>,
}

const WIDE_FIXED: [&str; 8] = [
    "interview_id",
    "survey_version",
    "finished_at",
    "interviewer",
    "category",
    "organisation",
    "date",
    "mode",
];

impl WideColumns {
    fn new(versions: &[crate::survey::Survey], privacy: &Privacy) -> WideColumns {
        let variables = crate::survey::variables::merged_variables(versions)
            .into_iter()
            .filter(|v| privacy.is_identified() || !v.free_text)
            .collect();
        let mut topics: Vec<String> = Vec::new();
        for v in versions {
            for t in v.guide().map_or(&[][..], |g| &g.topics) {
                if !topics.contains(&t.id) {
                    topics.push(t.id.clone());
                }
            }
        }
        WideColumns { variables, topics }
    }

    fn header(&self) -> Vec<String> {
        WIDE_FIXED
            .iter()
            .map(|c| c.to_string())
            .chain(self.variables.iter().map(|v| v.name.clone()))
            .chain(
                self.topics
                    .iter()
                    .flat_map(|t| ["seconds", "probes", "skipped"].map(|p| format!("{t}.{p}"))),
            )
            .collect()
    }

    /// A row of `i`, with `data` (its record as this export shows it).
    fn row(
        &self,
        id: &str,
        i: &crate::store::StoredInterview,
        data: &crate::interview::Interview,
        anonymized: bool,
        interviewer: &str,
    ) -> Vec<String> {
        let h = &data.header;
        let mut finished = i
            .finished_at
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .unwrap_or_default();
        if anonymized {
            // The month is enough; the day would date the interview.
            finished.truncate(7);
        }
        let mut row = vec![
            id.to_string(),
            i.survey_version.clone(),
            finished,
            interviewer.to_string(),
            h.category.clone().unwrap_or_default(),
            h.organisation.clone().unwrap_or_default(),
            h.date.map(|d| d.to_string()).unwrap_or_default(),
            h.mode.clone().unwrap_or_default(),
        ];
        row.extend(
            self.variables
                .iter()
                .map(|v| crate::survey::variables::cell(v, &data.answers)),
        );
        for t in &self.topics {
            match data.topics.get(t) {
                Some(r) => row.extend([
                    r.seconds.to_string(),
                    r.probes.len().to_string(),
                    r.skipped.clone().unwrap_or_default(),
                ]),
                None => row.extend([String::new(), String::new(), String::new()]),
            }
        }
        row
    }
}
