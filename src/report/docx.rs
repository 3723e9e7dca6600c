//! A laid-out report as a Word document (`.docx`, with docx-rs), because ministries edit
//! reports in Word: the title and Word's own heading styles (so Word's table of contents
//! works: the document carries one that Word fills in on opening), the front matter as a
//! two-column table, tables with numbered captions in Word's "Caption" style, and each
//! chart embedded as a PNG image with its caption; A4 with page numbers in the footer.

use docx_rs::{
    AlignmentType, Docx, Footer, PageMargin, PageNum, Paragraph, Pic, Run, Style, StyleType, Table,
    TableCell, TableOfContents, TableRow,
};

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
            // Word's own contents, filled in from the heading styles when the file opens.
            Block::Contents { .. } => docx.add_table_of_contents(
                TableOfContents::new()
                    .heading_styles_range(1, 2)
                    .alias(contents_title)
                    .auto()
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
                docx.add_table(Table::new(table_rows))
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
