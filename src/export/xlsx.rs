//! The XLSX workbook (rust_xlsxwriter): a `data` sheet written row by row in constant
//! memory (numbers as numbers, dates and times as Excel dates, a bold frozen header) and a
//! `codebook` sheet. The finished file is built in a temporary file and then streamed to
//! the sink, so a large export never sits in memory whole.

use std::io::Read;

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::codebook::Entry;
use super::{ChunkSink, ExportError};

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Number,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339, UTC.
    DateTime,
}

impl From<XlsxError> for ExportError {
    fn from(e: XlsxError) -> ExportError {
        ExportError::Write(std::io::Error::other(e.to_string()))
    }
}

pub struct XlsxOut {
    workbook: Workbook,
    kinds: Vec<ColumnKind>,
    /// With labels instead of codes: each coded column's code -> label.
    labels: Option<Vec<Option<std::collections::HashMap<String, String>>>>,
    row: u32,
    date: Format,
    datetime: Format,
}

/// An Excel date for an ISO date or an RFC 3339 time; `None` if it is neither.
fn excel_datetime(kind: ColumnKind, text: &str) -> Option<ExcelDateTime> {
    match kind {
        ColumnKind::Date => {
            let d = crate::survey::expr::parse_date_literal(text)?;
            ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day()).ok()
        }
        ColumnKind::DateTime => {
            let t =
                time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
                    .ok()?
                    .to_offset(time::UtcOffset::UTC);
            ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day())
                .ok()?
                .and_hms_milli(u16::from(t.hour()), t.minute(), t.second(), t.millisecond())
                .ok()
        }
        _ => None,
    }
}

/// The most characters an Excel cell holds; a longer answer is cut, with "…" (the CSV and
/// JSON exports have it whole).
const EXCEL_CELL_CHARS: usize = 32_767;

fn cut_chars(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let end = text
                .char_indices()
                .nth(max - 1)
                .map_or(text.len(), |(i, _)| i);
            std::borrow::Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

impl XlsxOut {
    /// With `labels` (a code -> label map per column, `None` for uncoded columns), coded
    /// cells hold their labels instead of their codes.
    pub fn new(
        header: &[String],
        kinds: Vec<ColumnKind>,
        labels: Option<Vec<Option<std::collections::HashMap<String, String>>>>,
    ) -> Result<XlsxOut, ExportError> {
        let mut workbook = Workbook::new();
        workbook.set_tempdir(std::env::temp_dir())?;
        let bold = Format::new().set_bold();
        let sheet = workbook.add_worksheet_with_constant_memory();
        sheet.set_name("data")?;
        for (col, name) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, name, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        Ok(XlsxOut {
            workbook,
            kinds,
            labels,
            row: 1,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss.000"),
        })
    }

    fn data(&mut self) -> Result<&mut Worksheet, XlsxError> {
        self.workbook.worksheet_from_index(0)
    }

    pub fn row(&mut self, record: &[String]) -> Result<(), ExportError> {
        let row = self.row;
        let (kinds, date, datetime) =
            (self.kinds.clone(), self.date.clone(), self.datetime.clone());
        let labels = self.labels.take();
        let sheet = self.data()?;
        for (col, (value, kind)) in record.iter().zip(kinds).enumerate() {
            if value.is_empty() {
                continue;
            }
            let label = labels
                .as_ref()
                .and_then(|l| l.get(col)?.as_ref()?.get(value));
            let col = col as u16;
            if let Some(label) = label {
                sheet.write_string(row, col, label)?;
                continue;
            }
            match (kind, value.parse::<f64>()) {
                (ColumnKind::Number, Ok(n)) => {
                    sheet.write_number(row, col, n)?;
                }
                (ColumnKind::Date | ColumnKind::DateTime, _) => {
                    let format = if kind == ColumnKind::Date {
                        &date
                    } else {
                        &datetime
                    };
                    match excel_datetime(kind, value) {
                        Some(d) => sheet.write_datetime_with_format(row, col, &d, format)?,
                        None => sheet.write_string(row, col, value)?,
                    };
                }
                _ => {
                    sheet.write_string(row, col, cut_chars(value, EXCEL_CELL_CHARS).as_ref())?;
                }
            }
        }
        self.labels = labels;
        self.row += 1;
        Ok(())
    }

    /// Add the codebook sheet, build the file and stream it to `sink`.
    pub async fn finish(
        mut self,
        codebook: &[Entry],
        sink: &mut impl ChunkSink,
    ) -> Result<(), ExportError> {
        let bold = Format::new().set_bold();
        let sheet = self.workbook.add_worksheet();
        sheet.set_name("codebook")?;
        let (header, rows) = super::codebook::table(codebook);
        for (col, name) in header.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, name, &bold)?;
        }
        sheet.set_freeze_panes(1, 0)?;
        for (i, cells) in rows.iter().enumerate() {
            for (col, cell) in cells.iter().enumerate() {
                sheet.write_string(i as u32 + 1, col as u16, cell)?;
            }
        }
        let file = tempfile::NamedTempFile::new()?;
        self.workbook.save(file.path())?;
        let mut reader = std::fs::File::open(file.path())?;
        loop {
            let mut chunk = vec![0; 64 * 1024];
            let n = reader.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            chunk.truncate(n);
            sink.send(chunk).await?;
        }
        Ok(())
    }
}
