//! Interviews for qualitative analysis (pure): one document per interview, in Markdown or
//! plain text, and long rows `(interview, topic, field, text)` for coding software.
//! Interviews are named by a label chosen by the caller (a pseudonym or a sequence
//! number), never by the interviewee's name.

use crate::survey::model::{Guide, InterviewMode, SkipReason};
use crate::survey::{Answer, Lang, Question, Survey};

use super::Interview;

/// What a document says about the interview besides its content.
pub struct Meta<'a> {
    /// How the interview is named in the data set (e.g. `R-007`).
    pub label: &'a str,
    /// How the interviewer is named (e.g. an account e-mail or initials).
    pub interviewer: &'a str,
    pub lang: Lang,
}

/// The long CSV's header.
pub const LONG_COLUMNS: [&str; 4] = ["interview", "topic", "field", "text"];

/// Every recorded field as a row; topics in the guide's order, then their fields.
pub fn long_rows(survey: &Survey, interview: &Interview, meta: &Meta) -> Vec<[String; 4]> {
    let Some(guide) = survey.guide() else {
        return Vec::new();
    };
    let mut rows = Vec::new();
    let mut row = |topic: &str, field: &str, text: String| {
        rows.push([
            meta.label.to_string(),
            topic.to_string(),
            field.to_string(),
            text,
        ]);
    };
    for (field, value) in header_fields(guide, interview, meta) {
        row("", field, value);
    }
    for (page, topic) in survey.pages.iter().zip(&guide.topics) {
        let Some(record) = interview.topics.get(&topic.id) else {
            continue;
        };
        if let Some(reason) = record.skipped.as_deref().and_then(SkipReason::from_code) {
            row(&topic.id, "skipped", skip_text(reason).to_string());
        }
        let covered: Vec<&str> = topic
            .probes
            .iter()
            .filter(|p| record.probes.contains(&p.id))
            .map(|p| p.text.get(meta.lang))
            .collect();
        if !covered.is_empty() {
            row(&topic.id, "probes_covered", covered.join("; "));
        }
        for q in &page.questions {
            if let Some(a) = interview.answers.get(&q.id) {
                row(&topic.id, &q.id, answer_text(q, a, meta.lang));
            }
        }
        row(&topic.id, "seconds", record.seconds.to_string());
        if !record.notes.trim().is_empty() {
            row(&topic.id, "notes", record.notes.clone());
        }
    }
    rows
}

fn header_fields(guide: &Guide, interview: &Interview, meta: &Meta) -> Vec<(&'static str, String)> {
    let h = &interview.header;
    let label = |list: &crate::survey::model::ChoiceList, code: &Option<String>| {
        code.as_deref()
            .map(|c| {
                list.get(c)
                    .map_or(c, |o| o.label.get(meta.lang))
                    .to_string()
            })
            .unwrap_or_default()
    };
    let mut fields = vec![
        ("category", label(&guide.categories, &h.category)),
        ("organisation", label(&guide.organisation, &h.organisation)),
        ("date", h.date.map(|d| d.to_string()).unwrap_or_default()),
        (
            "mode",
            h.mode
                .as_deref()
                .and_then(InterviewMode::from_code)
                .map(mode_text)
                .unwrap_or_default()
                .to_string(),
        ),
        ("interviewer", meta.interviewer.to_string()),
    ];
    if let Some(c) = &interview.consent {
        fields.push(("consent_version", c.version.clone()));
        if guide.recording {
            fields.push(("recording", if c.recording { "yes" } else { "no" }.into()));
        }
    }
    fields
}

fn mode_text(m: InterviewMode) -> &'static str {
    match m {
        InterviewMode::InPerson => "in person",
        InterviewMode::Phone => "phone",
        InterviewMode::Video => "video",
    }
}

fn skip_text(r: SkipReason) -> &'static str {
    match r {
        SkipReason::NotAsked => "not asked",
        SkipReason::Declined => "declined",
        SkipReason::NotApplicable => "not applicable",
    }
}

/// An answer as readable text, with option labels.
fn answer_text(q: &Question, a: &Answer, lang: Lang) -> String {
    let label = |code: &str| {
        q.kind
            .options()
            .and_then(|l| l.get(code))
            .map_or(code, |o| o.label.get(lang))
            .to_string()
    };
    // A matrix row's or constant sum item's text.
    let part = |id: &str| q.kind.part(id).map_or(id, |p| p.text.get(lang)).to_string();
    match a {
        Answer::Text(t) => t.clone(),
        Answer::Number(n) => n.to_string(),
        Answer::Choice { value, other } => match other {
            Some(o) => format!("{}: {o}", label(value)),
            None => label(value),
        },
        Answer::Choices { values, .. } | Answer::Ranking(values) => values
            .iter()
            .map(|v| label(v))
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Matrix(rows) => rows
            .iter()
            .map(|(row, v)| format!("{}: {}", part(row), label(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Points(points) => points
            .iter()
            .map(|(item, n)| format!("{}: {n}", part(item)))
            .collect::<Vec<_>>()
            .join("; "),
        Answer::Date(d) => d.to_string(),
        Answer::Bool(b) => match (b, lang) {
            (true, Lang::Cs) => "ano".into(),
            (false, Lang::Cs) => "ne".into(),
            (true, _) => "yes".into(),
            (false, _) => "no".into(),
        },
        Answer::Consent { version } => format!("agreed (version {version})"),
    }
}

/// The interview as a Markdown document.
pub fn markdown(survey: &Survey, interview: &Interview, meta: &Meta) -> String {
    document(survey, interview, meta, true)
}

/// The interview as plain text.
pub fn plain_text(survey: &Survey, interview: &Interview, meta: &Meta) -> String {
    document(survey, interview, meta, false)
}

fn document(survey: &Survey, interview: &Interview, meta: &Meta, markdown: bool) -> String {
    let Some(guide) = survey.guide() else {
        return String::new();
    };
    let mut out = String::new();
    let title = format!("{}: {}", survey.title.get(meta.lang), meta.label);
    if markdown {
        out.push_str(&format!("# {title}\n\n"));
    } else {
        out.push_str(&format!(
            "{title}\n{}\n\n",
            "=".repeat(title.chars().count())
        ));
    }
    for (field, value) in header_fields(guide, interview, meta) {
        if !value.is_empty() {
            out.push_str(&if markdown {
                format!("- **{field}**: {value}\n")
            } else {
                format!("{field}: {value}\n")
            });
        }
    }
    for (n, (page, topic)) in survey.pages.iter().zip(&guide.topics).enumerate() {
        let heading = page
            .title
            .as_ref()
            .map_or(topic.id.as_str(), |t| t.get(meta.lang));
        let heading = format!("{}. {heading}", n + 1);
        if markdown {
            out.push_str(&format!(
                "\n## {heading}\n\n_{}_\n\n",
                topic.opening.get(meta.lang)
            ));
        } else {
            out.push_str(&format!(
                "\n{heading}\n{}\n{}\n\n",
                "-".repeat(heading.chars().count()),
                topic.opening.get(meta.lang)
            ));
        }
        let Some(record) = interview.topics.get(&topic.id) else {
            out.push_str("(not reached)\n");
            continue;
        };
        if let Some(reason) = record.skipped.as_deref().and_then(SkipReason::from_code) {
            out.push_str(&format!("Skipped: {}.\n\n", skip_text(reason)));
        }
        if !topic.probes.is_empty() {
            out.push_str(&format!(
                "Probes covered: {} of {}\n",
                record.probes.len(),
                topic.probes.len()
            ));
            for p in &topic.probes {
                let covered = record.probes.contains(&p.id);
                let mark = match (markdown, covered) {
                    (true, true) => "- [x]",
                    (true, false) => "- [ ]",
                    (false, true) => "  [covered]",
                    (false, false) => "  [ ]",
                };
                out.push_str(&format!("{mark} {}\n", p.text.get(meta.lang)));
            }
            out.push('\n');
        }
        for q in &page.questions {
            if let Some(a) = interview.answers.get(&q.id) {
                out.push_str(&format!(
                    "{}: {}\n",
                    q.text.get(meta.lang),
                    answer_text(q, a, meta.lang)
                ));
            }
        }
        out.push_str(&format!("Time: {} min\n", (record.seconds + 30) / 60));
        if !record.notes.trim().is_empty() {
            out.push('\n');
            for line in record.notes.lines() {
                out.push_str(&if markdown {
                    format!("> {line}\n")
                } else {
                    format!("    {line}\n")
                });
            }
        }
    }
    out
}
