//! The writers of a response export's layouts: each takes the header once, then the
//! records one at a time (strings, as the CSV has them, with the column kinds and which
//! cells skip logic did not ask), and hands bytes to the sink as it goes.

use super::codebook::Entry;
use super::native::NativeOut;
use super::xlsx::{ColumnKind, XlsxOut};
use super::{ChunkSink, ChunkedCsv, ExportError, UTF8_BOM};

/// The long layout's header.
pub const LONG_COLUMNS: [&str; 3] = ["response_id", "variable", "value"];

/// How responses are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Wide,
    /// The wide layout with the line breaks inside answers written as private-use
    /// characters (the SPSS syntax turns them back): SPSS and PSPP read one case per line (a quoted line break would start a new case, and let
    /// a respondent add rows).
    WideOneLine,
    /// The wide layout for Excel in a Czech locale: a UTF-8 byte order mark, semicolons
    /// between fields and decimal commas in numbers.
    WideExcel,
    Long,
    JsonLines,
    /// An XLSX workbook: the wide layout as a data sheet, plus the codebook; with
    /// `labels`, answer labels instead of codes.
    Xlsx {
        labels: bool,
    },
    /// A native statistics file (SPSS `.sav`, Stata `.dta`).
    Native(super::native::Native),
}

/// A layout's writer, between the header and the last record.
pub(super) enum Out {
    /// Wide CSV; `decimal_comma` for the Excel variant.
    Wide {
        csv: ChunkedCsv,
        decimal_comma: bool,
    },
    Long(ChunkedCsv),
    JsonLines(Vec<u8>),
    Xlsx(Box<XlsxOut>),
    Native(Box<NativeOut>),
}

impl Out {
    /// Start the layout: `header` names the columns, `kinds` says what they hold.
    pub async fn start(
        layout: Layout,
        label: &str,
        header: &[String],
        kinds: &[ColumnKind],
        entries: &[Entry],
        first_column: &str,
        sink: &mut impl ChunkSink,
    ) -> Result<Out, ExportError> {
        Ok(match layout {
            Layout::Wide | Layout::WideOneLine | Layout::WideExcel => {
                let mut csv = ChunkedCsv::new();
                if layout == Layout::WideOneLine {
                    csv = csv.one_line();
                }
                if layout == Layout::WideExcel {
                    csv = csv.semicolons();
                    sink.send(UTF8_BOM.to_vec()).await?;
                }
                csv.write(header, sink).await?;
                Out::Wide {
                    csv,
                    decimal_comma: layout == Layout::WideExcel,
                }
            }
            Layout::Long => {
                let mut csv = ChunkedCsv::new();
                csv.write([first_column, LONG_COLUMNS[1], LONG_COLUMNS[2]], sink)
                    .await?;
                Out::Long(csv)
            }
            Layout::JsonLines => Out::JsonLines(Vec::with_capacity(64 * 1024)),
            Layout::Xlsx { labels } => {
                let value_labels = labels.then(|| {
                    header
                        .iter()
                        .map(|c| {
                            let e = entries.iter().find(|e| &e.variable == c)?;
                            let pairs: std::collections::HashMap<String, String> = e
                                .pairs()
                                .map(|(c, l)| (c.to_string(), l.to_string()))
                                .collect();
                            (!pairs.is_empty() && !e.free_text).then_some(pairs)
                        })
                        .collect()
                });
                Out::Xlsx(Box::new(XlsxOut::new(
                    header,
                    kinds.to_vec(),
                    value_labels,
                )?))
            }
            Layout::Native(format) => Out::Native(Box::new(NativeOut::new(
                format, label, header, kinds, entries,
            )?)),
        })
    }

    /// One record; `asked[i]` is false where skip logic did not ask column `i`.
    pub async fn record(
        &mut self,
        header: &[String],
        kinds: &[ColumnKind],
        record: &[String],
        asked: &[bool],
        sink: &mut impl ChunkSink,
    ) -> Result<(), ExportError> {
        match self {
            Out::Wide {
                csv,
                decimal_comma: false,
            } => csv.write(record, sink).await,
            Out::Wide {
                csv,
                decimal_comma: true,
            } => {
                let cells = record.iter().zip(kinds).map(|(value, kind)| {
                    if *kind == ColumnKind::Number {
                        value.replace('.', ",")
                    } else {
                        value.clone()
                    }
                });
                csv.write(cells, sink).await
            }
            Out::Long(csv) => {
                for (name, value) in header.iter().zip(record).skip(1) {
                    if !value.is_empty() {
                        csv.write([record[0].as_str(), name, value], sink).await?;
                    }
                }
                Ok(())
            }
            Out::JsonLines(json) => {
                let object: serde_json::Map<String, serde_json::Value> = header
                    .iter()
                    .zip(record)
                    .zip(kinds)
                    .filter(|((_, value), _)| !value.is_empty())
                    .map(|((name, value), &kind)| {
                        let v = match value.parse::<f64>() {
                            Ok(n) if kind == ColumnKind::Number => serde_json::json!(n),
                            _ => serde_json::Value::String(value.clone()),
                        };
                        (name.clone(), v)
                    })
                    .collect();
                serde_json::to_writer(&mut *json, &object).map_err(std::io::Error::other)?;
                json.push(b'\n');
                if json.len() >= 64 * 1024 {
                    sink.send(std::mem::take(json)).await?;
                }
                Ok(())
            }
            Out::Xlsx(x) => x.row(record),
            Out::Native(n) => n.row(record, asked),
        }
    }

    /// Write what is left (the codebook sheet, the native file) into `sink`.
    pub async fn finish(
        self,
        entries: &[Entry],
        sink: &mut impl ChunkSink,
    ) -> Result<(), ExportError> {
        match self {
            Out::Wide { csv, .. } | Out::Long(csv) => csv.finish(sink).await,
            Out::JsonLines(json) => Ok(sink.send(json).await?),
            Out::Xlsx(x) => x.finish(entries, sink).await,
            Out::Native(n) => n.finish(sink).await,
        }
    }

    /// Whether records need the not-asked mask (computing it costs an evaluation of the
    /// survey's conditions per response).
    pub fn wants_asked(&self) -> bool {
        matches!(self, Out::Native(_))
    }
}
