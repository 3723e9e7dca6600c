//! A laid-out report as a Word document (`.docx`, with docx-rs), because ministries edit
//! reports in Word: the title and Word's own heading styles (so Word's table of contents
//! works: the document carries one that Word fills in on opening), the front matter as a
//! two-column table, tables with numbered captions in Word's "Caption" style, and each
//! chart embedded as a PNG image with its caption; A4 with page numbers in the footer.

use docx_rs::{
    AlignmentType, Docx, Footer, LineSpacing, PageMargin, PageNum, Paragraph, Pic, Run, Style,
    StyleType, Table, TableCell, TableOfContents, TableRow, WidthType,
};

/// The width of the text between the margins of an A4 page, in twentieths of a point.
const TEXT_WIDTH: usize = 11_906 - 2 * 1134;

/// Column widths of a table of `columns`: the first (the answer or item labels, often
/// long) gets a wider share, the others (numbers) the rest equally. Word would fit them
/// to the content; LibreOffice and print previews share the width equally otherwise,
/// which breaks labels into one-word lines.
fn grid(columns: usize) -> Vec<usize> {
    match columns {
        0 | 1 => vec![TEXT_WIDTH; columns],
        2 | 3 => {
            let first = TEXT_WIDTH * 2 / 5;
            let mut g = vec![first];
            g.extend(std::iter::repeat_n(
                (TEXT_WIDTH - first) / (columns - 1),
                columns - 1,
            ));
            g
        }
        _ => {
            let first = TEXT_WIDTH * 3 / 10;
            let mut g = vec![first];
            g.extend(std::iter::repeat_n(
                (TEXT_WIDTH - first) / (columns - 1),
                columns - 1,
            ));
            g
        }
    }
}

use super::charts::Charts;
use super::document::Block;

/// EMU per pixel at 96 dpi.
const EMU_PER_PX: u32 = 9525;
/// The text width of an A4 page with 2 cm margins, in pixels at 96 dpi (17 cm).
const TEXT_WIDTH_PX: u32 = 642;

fn styles(docx: Docx) -> Docx {
    let heading = |id: &str, name: &str, level: usize, size: usize| {
        Style::new(id, StyleType::Paragraph)
            .name(name)
            .based_on("Normal")
            .next("Normal")
            .size(size)
            .bold()
            .line_spacing(LineSpacing::new().before(280).after(100))
            .outline_lvl(level)
    };
    // The title is no heading: Word's contents list the headings only.
    let title = Style::new("Title", StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next("Normal")
        .size(36)
        .bold();
    docx.add_style(title)
        .add_style(heading("Heading1", "Heading 1", 0, 30))
        .add_style(heading("Heading2", "Heading 2", 1, 26))
        // The contents' own title: styled like a heading, but no heading (it is not
        // listed in the contents).
        .add_style(
            Style::new("TOCHeading", StyleType::Paragraph)
                .name("TOC Heading")
                .based_on("Normal")
                .next("Normal")
                .size(30)
                .bold(),
        )
        .add_style(
            Style::new("Caption", StyleType::Paragraph)
                .name("Caption")
                .based_on("Normal")
                .size(20)
                .bold(),
        )
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s))
}

fn cell(s: &str, bold: bool) -> TableCell {
    let run = Run::new().add_text(s);
    TableCell::new().add_paragraph(Paragraph::new().add_run(if bold { run.bold() } else { run }))
}

/// A chart as a PNG image, with its size in pixels at 96 dpi.
pub struct Image {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The document of `blocks`; `png` turns a chart's SVG into an image (`None` leaves the
/// chart out: its caption and the tables still say it all).
pub fn document(
    blocks: &[Block],
    charts: &Charts,
    contents_title: &str,
    png: &dyn Fn(&str) -> Option<Image>,
) -> Docx {
    let a4_width = 11_906; // twentieths of a point
    let a4_height = 16_838;
    let mut docx = styles(Docx::new())
        .page_size(a4_width, a4_height)
        .page_margin(
            PageMargin::new()
                .top(1134)
                .bottom(1134)
                .left(1134)
                .right(1134),
        )
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_page_num(PageNum::new()),
            ),
        );
    for b in blocks {
        docx = match b {
            Block::Title(t) => docx.add_paragraph(text(t).style("Title")),
            Block::Facts(facts) => docx.add_table(Table::new(
                facts
                    .iter()
                    .map(|(label, value)| {
                        TableRow::new(vec![cell(label, true), cell(value, false)])
                    })
                    .collect(),
            )),
            // Word's own contents field, filled in from the heading styles when the file
            // opens (Word asks to update it; LibreOffice builds it on import).
            Block::Contents { .. } => docx.add_table_of_contents(
                TableOfContents::new()
                    .heading_styles_range(1, 2)
                    .alias(contents_title)
                    .add_before_paragraph(text(contents_title).style("TOCHeading"))
                    .dirty(),
            ),
            Block::Heading(t) => docx.add_paragraph(text(t).style("Heading1")),
            Block::Subheading(t) => docx.add_paragraph(text(t).style("Heading2")),
            Block::Note(t) => docx.add_paragraph(text(t)),
            Block::Table {
                caption,
                head,
                rows,
            } => {
                if let Some(c) = caption {
                    docx = docx.add_paragraph(text(c).style("Caption"));
                }
                let mut table_rows =
                    vec![TableRow::new(head.iter().map(|h| cell(h, true)).collect())];
                table_rows.extend(rows.iter().map(|r| {
                    TableRow::new(r.iter().enumerate().map(|(i, c)| cell(c, i == 0)).collect())
                }));
                docx.add_table(
                    Table::new(table_rows)
                        .set_grid(grid(head.len()))
                        .width(TEXT_WIDTH, WidthType::Dxa),
                )
                .add_paragraph(Paragraph::new())
            }
            Block::Chart(which, caption) => {
                let chart = match which {
                    None => charts.timeline.as_ref(),
                    Some(i) => charts.sections.get(*i).and_then(Option::as_ref),
                };
                if let Some(Image {
                    png: bytes,
                    width: w,
                    height: h,
                }) = chart.and_then(|c| png(&c.svg))
                {
                    // Scaled to the text width, keeping the proportions.
                    let width = w.min(TEXT_WIDTH_PX);
                    let height = (u64::from(h) * u64::from(width) / u64::from(w.max(1))) as u32;
                    let pic = Pic::new_with_dimensions(bytes, w, h)
                        .size(width * EMU_PER_PX, height * EMU_PER_PX);
                    docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_image(pic)));
                }
                // The caption stays with its number even if the image could not be drawn.
                match (chart, caption) {
                    (Some(_), Some(c)) => docx.add_paragraph(text(c).style("Caption")),
                    _ => docx,
                }
            }
        };
    }
    docx
}

/// The document as `.docx` bytes.
pub fn bytes(docx: Docx) -> std::io::Result<Vec<u8>> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(out.into_inner())
}
