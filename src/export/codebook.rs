//! The codebook: one entry per export variable, with the question text in each language,
//! the question type, the value codes and their labels, the condition under which the
//! question is asked, whether it is typed text, and which survey versions asked it.
//! Written as CSV, Markdown or JSON; built from the stored versions (pure, see
//! [`entries`]).

use serde::Serialize;

use super::{ChunkSink, ChunkedCsv, ExportError, ExportSummary, survey_versions};
use crate::store::Store;
use crate::survey::model::{Page, Question};
use crate::survey::variables::{Part, Variable, merged_variables, variables};
use crate::survey::{Lang, Survey};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodebookFormat {
    Csv,
    Markdown,
    Json,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub variable: String,
    pub question: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// What the column holds: `value`, `option` (1/0), `row` (a matrix row's code),
    /// `rank`, or `other_text`.
    pub part: String,
    /// (language code, question text; for a matrix row or an option column, with it).
    pub text: Vec<(String, String)>,
    /// Codes and labels (in the survey's first language), e.g. `1 = Rozhodně nesouhlasím`.
    pub values: Vec<String>,
    /// When the question is asked: the page's and the question's `show_if`.
    pub condition: String,
    /// Typed text (may name people; left out without identifiers).
    pub free_text: bool,
    /// The versions that asked it, newest first.
    pub versions: Vec<String>,
}

impl Entry {
    /// The `code = label` pairs of [`Entry::values`], in codebook order.
    pub fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().filter_map(|v| v.split_once(" = "))
    }
}

/// The codebook of `versions` (newest first), in export column order.
pub fn entries(versions: &[Survey]) -> Vec<Entry> {
    let Some(newest) = versions.first() else {
        return Vec::new();
    };
    merged_variables(versions)
        .into_iter()
        .filter_map(|v| {
            // The question in every version that has it, newest first.
            let found: Vec<(&Page, &Question)> = versions
                .iter()
                .filter_map(|s| {
                    s.pages.iter().find_map(|p| {
                        p.questions
                            .iter()
                            .find(|q| q.id == v.question)
                            .map(|q| (p, q))
                    })
                })
                .collect();
            let (page, q) = *found.first()?;
            let asked_in = versions
                .iter()
                .filter(|s| variables(s).iter().any(|o| o.name == v.name))
                .map(|s| s.version.clone())
                .collect();
            let mut e = entry(&v, page, q, &newest.languages, asked_in);
            // Codes only older versions offered keep their labels (an R factor built from
            // the newest version alone would turn them into NA).
            for (page, older) in found.iter().skip(1) {
                for value in entry(&v, page, older, &newest.languages, Vec::new()).values {
                    if !e.values.contains(&value) {
                        e.values.push(value);
                    }
                }
            }
            Some(e)
        })
        .collect()
}

fn entry(v: &Variable, page: &Page, q: &Question, langs: &[Lang], versions: Vec<String>) -> Entry {
    let lang = langs[0];
    let part_text = |lang: Lang| match (&v.part, &q.kind) {
        (Part::Row(id) | Part::Points(id), kind) => {
            kind.part(id).map(|p| format!(": {}", p.text.get(lang)))
        }
        (Part::Option(code) | Part::Rank(code), _) => q
            .kind
            .options()
            .and_then(|l| l.get(code))
            .map(|o| format!(": {}", o.label.get(lang))),
        (Part::OtherText, _) => Some(": other (text)".into()),
        // A question's one value is described by its text alone.
        (Part::Value, _) => None,
    };
    let text = langs
        .iter()
        .map(|&l| {
            (
                l.code().to_string(),
                format!("{}{}", q.text.get(l), part_text(l).unwrap_or_default()),
            )
        })
        .collect();
    let values = match &v.part {
        Part::Option(_) => vec!["1 = chosen".into(), "0 = not chosen".into()],
        Part::Rank(_) => vec!["1 = first place".into()],
        Part::OtherText => Vec::new(),
        Part::Value | Part::Row(_) | Part::Points(_) => q.kind.rules().value_labels(lang),
    };
    let condition = [&page.show_if, &q.show_if]
        .into_iter()
        .flatten()
        .map(|c| c.source.clone())
        .collect::<Vec<_>>()
        .join(" and ");
    Entry {
        variable: v.name.clone(),
        question: q.id.clone(),
        kind: q.kind.question_type().name().to_string(),
        part: match v.part {
            Part::Value => "value",
            Part::Option(_) => "option",
            Part::Row(_) => "row",
            Part::Rank(_) => "rank",
            Part::Points(_) => "points",
            Part::OtherText => "other_text",
        }
        .to_string(),
        text,
        values,
        condition,
        free_text: v.free_text,
        versions,
    }
}

/// The codebook as a table (the CSV and the XLSX sheet): header and rows.
pub fn table(entries: &[Entry]) -> (Vec<String>, Vec<Vec<String>>) {
    let langs: Vec<&str> = entries
        .first()
        .map(|e| e.text.iter().map(|(l, _)| l.as_str()).collect())
        .unwrap_or_default();
    let header = ["variable", "question", "type", "part"]
        .iter()
        .map(|s| s.to_string())
        .chain(langs.iter().map(|l| format!("text.{l}")))
        .chain(["values", "condition", "free_text", "versions"].map(String::from))
        .collect();
    let rows = entries
        .iter()
        .map(|e| {
            [
                e.variable.clone(),
                e.question.clone(),
                e.kind.clone(),
                e.part.clone(),
            ]
            .into_iter()
            .chain(e.text.iter().map(|(_, t)| t.clone()))
            .chain([
                e.values.join("; "),
                e.condition.clone(),
                if e.free_text { "yes" } else { "no" }.into(),
                e.versions.join(" "),
            ])
            .collect()
        })
        .collect();
    (header, rows)
}

pub async fn write_codebook(
    store: &Store,
    survey_id: &str,
    format: CodebookFormat,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let versions = survey_versions(store, survey_id).await?;
    let entries = entries(&versions);
    match format {
        CodebookFormat::Csv => {
            let mut out = ChunkedCsv::new();
            let (header, rows) = table(&entries);
            out.write(&header, sink).await?;
            for row in &rows {
                out.write(row, sink).await?;
            }
            out.finish(sink).await?;
        }
        CodebookFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(&entries).map_err(std::io::Error::other)?;
            bytes.push(b'\n');
            sink.send(bytes).await?;
        }
        CodebookFormat::Markdown => {
            sink.send(markdown(&versions[0], &entries).into_bytes())
                .await?;
        }
    }
    Ok(ExportSummary {
        responses: entries.len() as u64,
        unit: "codebook variable(s)",
        report: None,
    })
}

/// Markdown table cells: no line breaks, no unescaped pipes.
fn md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn markdown(survey: &Survey, entries: &[Entry]) -> String {
    let lang = survey.default_language();
    let mut out = format!(
        "# Codebook: {}\n\nSurvey `{}`, {} variables. Versions, newest first: {}.\n\n",
        md(survey.title.get(lang)),
        survey.id,
        entries.len(),
        entries
            .iter()
            .flat_map(|e| e.versions.iter())
            .fold(Vec::<&String>::new(), |mut seen, v| {
                if !seen.contains(&v) {
                    seen.push(v);
                }
                seen
            })
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("| variable | type | question | values | asked if | versions |\n|---|---|---|---|---|---|\n");
    for e in entries {
        let text = e
            .text
            .iter()
            .map(|(l, t)| format!("{l}: {}", md(t)))
            .collect::<Vec<_>>()
            .join("<br>");
        out.push_str(&format!(
            "| `{}` | {}{} | {} | {} | {} | {} |\n",
            e.variable,
            e.kind,
            if e.free_text { " (text)" } else { "" },
            text,
            md(&e.values.join("; ")),
            md(&e.condition),
            e.versions.join(" ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::load_str;

    const V1: &str = r#"
id = "s"
title = { cs = "Dotazník", en = "Survey" }
languages = ["cs", "en"]
[choices.agree]
options = [ { value = "1", label = { cs = "Ne", en = "No" } }, { value = "2", label = { cs = "Ano", en = "Yes" } } ]
[[page]]
id = "p"
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Role", en = "Role" }
  options = [ { value = "mayor", label = { cs = "Starosta", en = "Mayor" } }, { value = "other", label = { cs = "Jiná", en = "Other" } } ]
  [[page.question]]
  id = "topics"
  type = "multi"
  text = { cs = "Témata", en = "Topics" }
  options = [ { value = "law", label = { cs = "Právo", en = "Law" } } ]
  show_if = "role == 'mayor'"
  [[page.question]]
  id = "old"
  type = "text"
  text = { cs = "Stará", en = "Old" }
"#;

    #[test]
    fn entries_carry_texts_codes_conditions_and_versions() {
        let v1 = load_str(Path::new("v1.toml"), V1).survey.unwrap();
        let v2_src = V1.replace(
            "  [[page.question]]\n  id = \"old\"\n  type = \"text\"\n  text = { cs = \"Stará\", en = \"Old\" }\n",
            "  [[page.question]]\n  id = \"useful\"\n  type = \"likert\"\n  choices = \"agree\"\n  text = { cs = \"Užitečné\", en = \"Useful\" }\n",
        );
        let v2 = load_str(Path::new("v2.toml"), &v2_src).survey.unwrap();
        let (n1, n2) = (v1.version.clone(), v2.version.clone());
        let e = entries(&[v2, v1]);
        let names: Vec<&str> = e.iter().map(|e| e.variable.as_str()).collect();
        assert_eq!(names, ["role", "topics.law", "useful", "old"]);
        assert_eq!(e[0].values, ["mayor = Starosta", "other = Jiná"]);
        assert_eq!(e[0].versions, [n2.clone(), n1.clone()]);
        assert_eq!(
            e[1].text,
            [
                ("cs".to_string(), "Témata: Právo".to_string()),
                ("en".to_string(), "Topics: Law".to_string())
            ]
        );
        assert_eq!(e[1].values, ["1 = chosen", "0 = not chosen"]);
        assert_eq!(e[1].condition, "role == 'mayor'");
        assert_eq!(
            (e[2].kind.as_str(), e[2].versions.clone()),
            ("likert", vec![n2])
        );
        assert_eq!((e[3].free_text, e[3].versions.clone()), (true, vec![n1]));
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        assert_eq!(md("a | b\nc"), "a \\| b c");
        assert_eq!(md("a\\|b"), "a\\\\\\|b");
    }
}
