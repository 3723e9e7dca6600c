//! A report laid out as a sequence of blocks (headings, notes, tables, charts) in the
//! report's language, written once here and rendered to Markdown or HTML by
//! [`super::render`].

mod sections;

use super::labels::{Labels, labels};
use super::model::{Report, Section};
use super::prose;
use crate::survey::Lang;
use sections::{correction_name, section_blocks};

pub enum Block {
    Title(String),
    /// The front matter: what the report describes, when, how many (label, value).
    Facts(Vec<(String, String)>),
    /// The table of contents: the report's headings, in order (the n-th heading's anchor
    /// is `section-n`, see [`heading_id`]).
    Contents {
        title: String,
        headings: Vec<String>,
    },
    Heading(String),
    Subheading(String),
    Note(String),
    /// A table; `caption` is "Tabulka N: what it shows" (numbered by [`layout`]).
    Table {
        caption: Option<String>,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// The chart of a section (index into [`super::charts::Charts::sections`]), or the
    /// timeline (`None`), with its numbered caption.
    Chart(Option<usize>, Option<String>),
}

/// The anchor of the `n`-th heading (from 1).
pub fn heading_id(n: usize) -> String {
    format!("section-{n}")
}

/// The group heading a section appears under.
fn group(section: &Section, l: &Labels) -> &'static str {
    match section {
        Section::Crosstab(_) => l.crosstabs,
        Section::Comparison(_) => l.comparisons,
        Section::Reliability(_) => l.reliability,
        Section::PrePost(_) => l.prepost,
        Section::Numeric { .. }
        | Section::Frequencies { .. }
        | Section::MultiChoice { .. }
        | Section::Scale { .. }
        | Section::Text { .. } => l.descriptives,
    }
}

pub fn layout(report: &Report, lang: Lang, charts: &super::charts::Charts) -> Vec<Block> {
    let l = labels(lang);
    let mut out = vec![
        Block::Title(report.title.clone()),
        Block::Facts(prose::front_matter(report, lang)),
    ];
    let summary = prose::summary(report, lang);
    if !summary.is_empty() {
        out.push(Block::Heading(l.summary.into()));
        out.extend(summary.into_iter().map(Block::Note));
    }
    if report.min_cell > 1 {
        out.push(Block::Note(l.suppression_note(report.min_cell)));
    }
    if report
        .timeline
        .as_ref()
        .is_some_and(|t| !t.points.is_empty())
    {
        out.push(Block::Heading(l.timeline.into()));
        out.push(Block::Chart(None, None));
    }
    let mut current = "";
    for (i, section) in report.sections.iter().enumerate() {
        let g = group(section, l);
        if g != current {
            out.push(Block::Heading(g.into()));
            current = g;
        }
        section_blocks(&mut out, section, i, lang);
    }
    out.push(Block::Heading(l.method.into()));
    for paragraph in prose::method(report, lang) {
        out.push(Block::Note(paragraph));
    }
    out.push(Block::Note(format!(
        "{} · {}",
        l.generated_by,
        correction_name(report.correction, l)
    )));
    // Only the charts there are (none for empty data), so figure numbers have no gaps.
    out.retain(|b| match b {
        Block::Chart(Some(i), _) => charts.sections.get(*i).is_some_and(Option::is_some),
        Block::Chart(None, _) => charts.timeline.is_some(),
        _ => true,
    });
    number(&mut out, l);
    // The contents after the front matter: every heading, in order.
    let headings: Vec<String> = out
        .iter()
        .filter_map(|b| match b {
            Block::Heading(h) => Some(h.clone()),
            _ => None,
        })
        .collect();
    if headings.len() > 1 {
        out.insert(
            2,
            Block::Contents {
                title: l.contents.into(),
                headings,
            },
        );
    }
    out
}

/// Number the tables and charts ("Tabulka 3: ..."), each captioned with what it shows:
/// the question or comparison it belongs to.
fn number(blocks: &mut [Block], l: &Labels) {
    let (mut tables, mut figures) = (0, 0);
    let mut subject = String::new();
    for b in blocks.iter_mut() {
        match b {
            Block::Heading(h) | Block::Subheading(h) => subject = h.clone(),
            Block::Table { caption, .. } => {
                tables += 1;
                *caption = Some(format!("{} {tables}: {subject}", l.table));
            }
            Block::Chart(_, caption) => {
                figures += 1;
                *caption = Some(format!("{} {figures}: {subject}", l.figure));
            }
            Block::Title(_) | Block::Facts(_) | Block::Contents { .. } | Block::Note(_) => {}
        }
    }
}
