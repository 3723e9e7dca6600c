//! Rendering a laid-out report: Markdown (charts linked as files), a stand-alone HTML
//! page, and the HTML fragment the staff area embeds. Charts are inline SVG made by
//! `analysis::charts`, which XML-escapes every text it draws (tested there); that is the
//! only markup inserted without maud's escaping.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::charts::{Chart, Charts};
use super::document::{Block, heading_id};
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
            Block::Facts(facts) => {
                for (label, value) in facts {
                    out.push_str(&format!("- **{}:** {}\n", md_cell(label), md_cell(value)));
                }
                out.push('\n');
            }
            Block::Contents { title, headings } => {
                out.push_str(&format!("**{}**\n\n", md_cell(title)));
                for (i, h) in headings.iter().enumerate() {
                    out.push_str(&format!("{}. {}\n", i + 1, md_cell(h)));
                }
                out.push('\n');
            }
            Block::Heading(t) => out.push_str(&format!("## {}\n\n", md_cell(t))),
            Block::Subheading(t) => out.push_str(&format!("### {}\n\n", md_cell(t))),
            Block::Note(t) => out.push_str(&format!("{}\n\n", md_cell(t))),
            Block::Table {
                caption,
                head,
                rows,
            } => {
                if let Some(c) = caption {
                    out.push_str(&format!("*{}*\n\n", md_cell(c)));
                }
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
            Block::Chart(which, caption) => {
                if let Some(c) = chart(charts, which) {
                    out.push_str(&format!(
                        "![{}](charts/{}.svg)\n\n",
                        md_cell(&c.title.replace(['[', ']'], "")),
                        c.slug
                    ));
                    if let Some(caption) = caption {
                        out.push_str(&format!("*{}*\n\n", md_cell(caption)));
                    }
                }
            }
        }
    }
    out
}

/// The report body (headings, tables, inline charts) for a page.
pub fn fragment(blocks: &[Block], charts: &Charts) -> Markup {
    let mut heading = 0;
    html! {
        @for b in blocks {
            @match b {
                Block::Title(t) => h1 { (t) },
                Block::Facts(facts) => {
                    dl.front {
                        @for (label, value) in facts {
                            div { dt { (label) } dd { (value) } }
                        }
                    }
                },
                Block::Contents { title, headings } => {
                    nav.contents aria-labelledby="contents-title" {
                        h2 #contents-title { (title) }
                        ol {
                            @for (i, h) in headings.iter().enumerate() {
                                li { a href={ "#" (heading_id(i + 1)) } { (h) } }
                            }
                        }
                    }
                },
                Block::Heading(t) => {
                    ({ heading += 1; html! {} })
                    h2 id=(heading_id(heading)) { (t) }
                },
                Block::Subheading(t) => h3 { (t) },
                Block::Note(t) => p.note { (t) },
                Block::Table { caption, head, rows } => {
                    // A wide table scrolls: keyboard users reach it (a named, focusable region).
                    div.table-scroll role="region" tabindex="0" aria-label=(caption.as_deref().unwrap_or_default()) {
                        table {
                            @if let Some(c) = caption { caption { (c) } }
                            thead {
                                tr {
                                    @for h in head {
                                        // An empty corner is no header.
                                        @if h.is_empty() { td {} } @else { th scope="col" { (h) } }
                                    }
                                }
                            }
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
                Block::Chart(which, caption) => {
                    @if let Some(c) = chart(charts, which) {
                        // Generated SVG: every text in it went through escape_xml.
                        figure.chart {
                            (PreEscaped(&c.svg))
                            @if let Some(caption) = caption { figcaption { (caption) } }
                        }
                    }
                }
            }
        }
    }
}

const STYLE: &str = "body{font-family:'DejaVu Sans',Verdana,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.45}\
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #bbb;padding:.25rem .5rem;text-align:right;vertical-align:top}\
th[scope=row],thead th:first-child{text-align:left}thead th{background:#eee}.note{color:#444}.table-scroll{overflow-x:auto}\
figure.chart{margin:0 0 1.5rem}figure.chart svg{max-width:100%;height:auto}h2{border-bottom:2px solid #333;margin-top:2.5rem}\
caption,figcaption{caption-side:top;text-align:left;font-weight:bold;padding:.25rem 0}\
dl.front{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dl.front div{display:contents}dl.front dt{font-weight:bold}dl.front dd{margin:0}\
nav.contents ol{columns:2}nav.contents h2{border:0;margin-top:1.5rem}\
@page{size:A4;margin:18mm 15mm 20mm;@bottom-center{content:counter(page) ' / ' counter(pages);font-size:9pt}}\
@media print{body{max-width:none;margin:0;font-size:10pt}.table-scroll{overflow:visible}table{font-size:9pt;page-break-inside:auto}\
thead{display:table-header-group}tr,figure.chart,caption{break-inside:avoid}h2,h3{break-after:avoid}nav.contents a{color:inherit;text-decoration:none}}";

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
                caption: Some("Tabulka 1: <b>x</b>".into()),
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
        assert!(md.contains("*Tabulka 1: \\<b\\>x\\</b\\>*\n"), "{md}");
        let html = fragment(&blocks, &charts).into_string();
        assert!(
            html.contains("<h2 id=\"section-1\">")
                && html.contains("<caption>Tabulka 1: &lt;b&gt;x&lt;/b&gt;</caption>"),
            "{html}"
        );
    }
}
