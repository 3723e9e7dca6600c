//! Rendering a laid-out report: Markdown (charts linked as files), a stand-alone HTML
//! page, and the HTML fragment the staff area embeds. Charts are inline SVG made by
//! `analysis::charts`, which XML-escapes every text it draws (tested there); that is the
//! only markup inserted without maud's escaping.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::charts::{Chart, Charts};
use super::document::Block;
use crate::survey::Lang;

fn chart<'c>(charts: &'c Charts, which: &Option<usize>) -> Option<&'c Chart> {
    match which {
        None => charts.timeline.as_ref(),
        Some(i) => charts.sections.get(*i).and_then(Option::as_ref),
    }
}

/// Text for Markdown: one line, every character Markdown (or HTML inside it) would
/// interpret backslash-escaped, so labels and notes print as written.
fn md_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Markdown with charts as `charts/SLUG.svg` (the files `anketa analyze -o` writes).
pub fn markdown(blocks: &[Block], charts: &Charts) -> String {
    let mut out = String::new();
    for b in blocks {
        match b {
            Block::Title(t) => out.push_str(&format!("# {}\n\n", md_cell(t))),
            Block::Heading(t) => out.push_str(&format!("## {}\n\n", md_cell(t))),
            Block::Subheading(t) => out.push_str(&format!("### {}\n\n", md_cell(t))),
            Block::Note(t) => out.push_str(&format!("{}\n\n", md_cell(t))),
            Block::Table { head, rows } => {
                let line = |cells: &[String]| {
                    format!(
                        "| {} |\n",
                        cells
                            .iter()
                            .map(|c| md_cell(c))
                            .collect::<Vec<_>>()
                            .join(" | ")
                    )
                };
                out.push_str(&line(head));
                out.push_str(&format!("|{}\n", "---|".repeat(head.len())));
                for r in rows {
                    out.push_str(&line(r));
                }
                out.push('\n');
            }
            Block::Chart(which) => {
                if let Some(c) = chart(charts, which) {
                    out.push_str(&format!(
                        "![{}](charts/{}.svg)\n\n",
                        md_cell(&c.title.replace(['[', ']'], "")),
                        c.slug
                    ));
                }
            }
        }
    }
    out
}

/// The report body (headings, tables, inline charts) for a page.
pub fn fragment(blocks: &[Block], charts: &Charts) -> Markup {
    html! {
        @for b in blocks {
            @match b {
                Block::Title(t) => h1 { (t) },
                Block::Heading(t) => h2 { (t) },
                Block::Subheading(t) => h3 { (t) },
                Block::Note(t) => p.note { (t) },
                Block::Table { head, rows } => {
                    div.table-scroll {
                        table {
                            thead { tr { @for h in head { th scope="col" { (h) } } } }
                            tbody {
                                @for r in rows {
                                    tr {
                                        @for (i, c) in r.iter().enumerate() {
                                            @if i == 0 { th scope="row" { (c) } } @else { td { (c) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                Block::Chart(which) => {
                    @if let Some(c) = chart(charts, which) {
                        // Generated SVG: every text in it went through escape_xml.
                        figure.chart { (PreEscaped(&c.svg)) }
                    }
                }
            }
        }
    }
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right;vertical-align:top}\
th[scope=row],thead th:first-child{text-align:left}thead th{background:#eee}.note{color:#444}.table-scroll{overflow-x:auto}\
figure.chart{margin:0 0 1.5rem}figure.chart svg{max-width:100%;height:auto}h2{border-bottom:2px solid #333;margin-top:2.5rem}";

/// A stand-alone HTML page (inline style and charts: one file to send or print).
pub fn page(blocks: &[Block], charts: &Charts, title: &str, lang: Lang) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main { (fragment(blocks, charts)) } }
        }
    }
    .into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_prints_labels_as_written() {
        let blocks = vec![
            Block::Heading("# <b>Praha</b> & [x](y)".into()),
            Block::Table {
                head: vec!["a|b".into()],
                rows: vec![vec!["*1*\nřádek".into()]],
            },
        ];
        let charts = Charts {
            timeline: None,
            sections: Vec::new(),
        };
        let md = markdown(&blocks, &charts);
        assert!(
            md.starts_with("## \\# \\<b\\>Praha\\</b\\> \\& \\[x\\](y)\n"),
            "{md}"
        );
        assert!(md.contains("| a\\|b |\n|---|\n| \\*1\\* řádek |\n"), "{md}");
    }
}
