//! From export records to a native statistics file. The rows of a response export are
//! strings (what the CSV holds); a `.sav` or `.dta` file needs to know before its first
//! row how many rows follow, how long each text column's longest value is, and what type
//! and labels each column has. So the rows are spooled to a temporary file first (pass
//! one learns the widths), then read back and written typed (pass two).
//!
//! What a column becomes is decided from the codebook: codes that are numbers (a Likert
//! item, a rating, ticks, yes/no) stay those numbers with value labels; text codes (a
//! municipality `kolin`) become 1, 2, 3... in codebook order with the option texts as
//! labels; dates and times become dates; everything else is text. A value that does not
//! fit its column's plan turns the column into text, so nothing is ever lost.

use std::collections::HashMap;
use std::io::{BufWriter, Seek, SeekFrom};

use super::{Column, Kind, Native, Value};
use crate::export::codebook::Entry;
use crate::export::xlsx::ColumnKind;
use crate::export::{ChunkSink, ExportError, Spool};

/// How a column's strings are turned into values.
#[derive(Debug, Clone)]
enum Plan {
    /// Numbers, with value labels where the codebook has them.
    Number(Vec<(f64, String)>),
    /// Text codes, written as their 1-based position in `codes`.
    Coded(Vec<(String, String)>),
    Date,
    DateTime,
    Text,
}

/// What pass one learns about a column.
#[derive(Debug, Clone)]
struct Seen {
    plan: Plan,
    /// Longest value, UTF-8 bytes.
    width: usize,
    /// Every number is whole.
    whole: bool,
    /// The smallest number (for a "not asked" code below every value).
    min: f64,
}

fn plan(kind: ColumnKind, entry: Option<&Entry>) -> Plan {
    let labelled: Vec<(String, String)> = entry
        .map(|e| {
            e.pairs()
                .map(|(c, l)| (c.to_string(), l.to_string()))
                .collect()
        })
        .unwrap_or_default();
    match kind {
        ColumnKind::Date => Plan::Date,
        ColumnKind::DateTime => Plan::DateTime,
        ColumnKind::Number => Plan::Number(
            labelled
                .into_iter()
                .filter_map(|(c, l)| Some((c.parse::<f64>().ok()?, l)))
                .collect(),
        ),
        // Typed text has no codes; coded text (choices, coarsened bands) does.
        ColumnKind::Text if !labelled.is_empty() && !entry.is_some_and(|e| e.free_text) => {
            Plan::Coded(labelled)
        }
        ColumnKind::Text => Plan::Text,
    }
}

/// Collects the rows of a native export and writes the file at the end.
pub(crate) struct NativeOut {
    format: Native,
    label: String,
    header: Vec<String>,
    labels: Vec<String>,
    seen: Vec<Seen>,
    rows: u64,
    spool: csv::Writer<BufWriter<std::fs::File>>,
}

/// In the spooled rows, the last field marks each column: `n` for not asked, `.` else.
const NOT_ASKED: u8 = b'n';

impl NativeOut {
    pub fn new(
        format: Native,
        label: &str,
        header: &[String],
        kinds: &[ColumnKind],
        entries: &[Entry],
    ) -> std::io::Result<NativeOut> {
        let entry = |c: &str| entries.iter().find(|e| e.variable == c);
        let seen = header
            .iter()
            .zip(kinds)
            .map(|(c, &k)| Seen {
                plan: plan(k, entry(c)),
                width: 1,
                whole: true,
                min: f64::INFINITY,
            })
            .collect();
        let labels = header
            .iter()
            .map(|c| {
                entry(c)
                    .and_then(|e| e.text.first())
                    .map_or_else(|| c.clone(), |(_, t)| t.clone())
            })
            .collect();
        Ok(NativeOut {
            format,
            label: label.to_string(),
            header: header.to_vec(),
            labels,
            seen,
            rows: 0,
            spool: csv::Writer::from_writer(BufWriter::new(tempfile::tempfile()?)),
        })
    }

    /// One row; `asked[i]` is false where skip logic did not ask column `i`'s question.
    pub fn row(&mut self, record: &[String], asked: &[bool]) -> Result<(), ExportError> {
        let mut mask = Vec::with_capacity(record.len());
        for (i, (value, seen)) in record.iter().zip(&mut self.seen).enumerate() {
            let not_asked = value.is_empty() && !asked.get(i).copied().unwrap_or(true);
            mask.push(if not_asked { NOT_ASKED } else { b'.' });
            if value.is_empty() {
                continue;
            }
            seen.width = seen.width.max(value.len());
            let fits = match &seen.plan {
                Plan::Number(_) => match value.parse::<f64>() {
                    Ok(n) if n.is_finite() => {
                        seen.whole &= n.fract() == 0.0;
                        seen.min = seen.min.min(n);
                        true
                    }
                    _ => false,
                },
                Plan::Coded(codes) => codes.iter().any(|(c, _)| c == value),
                Plan::Date => crate::survey::expr::parse_date_literal(value).is_some(),
                Plan::DateTime => datetime(value).is_some(),
                Plan::Text => true,
            };
            if !fits {
                seen.plan = Plan::Text;
            }
        }
        self.spool
            .write_record(record.iter().map(String::as_bytes).chain([&mask[..]]))?;
        self.rows += 1;
        Ok(())
    }

    fn columns(&self) -> Vec<Column> {
        self.header
            .iter()
            .zip(&self.labels)
            .zip(&self.seen)
            .map(|((name, label), seen)| {
                // Below every value and every labelled code, -9 where that is free (the
                // usual survey convention).
                let lowest_label = match &seen.plan {
                    Plan::Number(labels) => {
                        labels.iter().map(|(c, _)| *c).fold(f64::INFINITY, f64::min)
                    }
                    _ => f64::INFINITY,
                };
                let lowest = seen.min.min(lowest_label);
                let mut not_asked = (lowest.floor() - 1.0).min(-9.0);
                if not_asked >= lowest {
                    // Beyond 2^53 one less is the same number.
                    not_asked = -1e300;
                }
                let kind = match &seen.plan {
                    Plan::Number(labels) => Kind::Number {
                        labels: labels.clone(),
                        not_asked,
                        decimals: if seen.whole { 0 } else { 4 },
                    },
                    Plan::Coded(codes) => Kind::Number {
                        labels: codes
                            .iter()
                            .enumerate()
                            .map(|(i, (_, l))| ((i + 1) as f64, l.clone()))
                            .collect(),
                        not_asked,
                        decimals: 0,
                    },
                    Plan::Date => Kind::Date,
                    Plan::DateTime => Kind::DateTime,
                    Plan::Text => Kind::Text {
                        width: seen.width.min(self.format.longest_text()),
                    },
                };
                Column {
                    name: name.clone(),
                    label: label.clone(),
                    kind,
                }
            })
            .collect()
    }

    /// Write the file and hand it to `sink`.
    pub async fn finish(self, sink: &mut impl ChunkSink) -> Result<(), ExportError> {
        // Reading the spool back and writing the file is blocking work: off the async
        // workers.
        let file = tokio::task::spawn_blocking(move || self.write_file())
            .await
            .map_err(|e| ExportError::Write(std::io::Error::other(e.to_string())))??;
        Spool { file }.copy_to(sink).await?;
        Ok(())
    }

    /// Pass two: the spooled rows, typed, into a native file (a temporary file).
    fn write_file(self) -> Result<std::fs::File, ExportError> {
        let columns = self.columns();
        let mut file = self
            .spool
            .into_inner()
            .map_err(|e| e.into_error())?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(std::io::BufReader::new(file));
        let out = BufWriter::new(tempfile::tempfile()?);
        let coded: Vec<Option<HashMap<&str, f64>>> = self
            .seen
            .iter()
            .map(|s| match &s.plan {
                Plan::Coded(codes) => Some(
                    codes
                        .iter()
                        .enumerate()
                        .map(|(i, (c, _))| (c.as_str(), (i + 1) as f64))
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        let plans: Vec<&Plan> = self.seen.iter().map(|s| &s.plan).collect();
        let longest = self.format.longest_text();
        let mut rows = |write: &mut dyn FnMut(&[Value<'_>]) -> std::io::Result<()>| {
            let mut record = csv::StringRecord::new();
            while reader.read_record(&mut record)? {
                let mask = record.get(columns.len()).unwrap_or("").as_bytes();
                let cells: Vec<std::borrow::Cow<'_, str>> = (0..columns.len())
                    .map(|i| cut(&record[i], longest))
                    .collect();
                let values: Vec<Value<'_>> = (0..columns.len())
                    .map(|i| {
                        let not_asked = mask.get(i) == Some(&NOT_ASKED);
                        value(plans[i], coded[i].as_ref(), &cells[i], not_asked)
                    })
                    .collect();
                write(&values)?;
            }
            Ok::<_, ExportError>(())
        };
        let file = match self.format {
            Native::Sav => {
                let mut w = super::sav::SavWriter::new(out, &self.label, &columns, self.rows)?;
                rows(&mut |v| w.row(v))?;
                w.finish()?
            }
            Native::Dta => {
                let mut w = super::dta::DtaWriter::new(out, &self.label, &columns, self.rows)?;
                rows(&mut |v| w.row(v))?;
                w.finish()?
            }
        };
        Ok(file.into_inner().map_err(|e| e.into_error())?)
    }
}

/// `text` cut to at most `max` bytes at a character boundary, ending with "…" when cut.
pub(crate) fn cut(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    std::borrow::Cow::Owned(format!("{}…", &text[..end]))
}

/// A spooled cell as a typed value.
fn value<'a>(
    plan: &Plan,
    codes: Option<&HashMap<&str, f64>>,
    cell: &'a str,
    not_asked: bool,
) -> Value<'a> {
    if cell.is_empty() {
        return if not_asked {
            Value::NotAsked
        } else {
            Value::NoAnswer
        };
    }
    match (plan, codes.and_then(|c| c.get(cell))) {
        (Plan::Coded(_), Some(&code)) => Value::Number(code),
        (Plan::Number(_), _) => cell.parse().map_or(Value::Text(cell), Value::Number),
        (Plan::Date, _) => {
            crate::survey::expr::parse_date_literal(cell).map_or(Value::Text(cell), Value::Date)
        }
        (Plan::DateTime, _) => datetime(cell).map_or(Value::Text(cell), Value::DateTime),
        (Plan::Coded(_) | Plan::Text, _) => Value::Text(cell),
    }
}

/// An RFC 3339 time as exports write it.
fn datetime(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_cut_at_a_character_boundary_with_a_mark() {
        assert_eq!(cut("krátký", 100), "krátký");
        let long = "ž".repeat(20); // 40 bytes
        let c = cut(&long, 10);
        assert!(
            c.len() <= 10 && c.ends_with('…') && c.starts_with("žž"),
            "{c}"
        );
        assert_eq!(c.chars().filter(|&ch| ch == 'ž').count(), 3);
    }

    /// An answer longer than SPSS strings hold is cut, not a failed export; Stata keeps it.
    #[test]
    fn answers_longer_than_a_format_holds_do_not_fail_the_file() {
        let header = vec!["comment".to_string()];
        let long = "Dlouhá odpověď 🐎 ".repeat(3000); // about 60,000 bytes
        for format in [Native::Sav, Native::Dta] {
            let mut out = NativeOut::new(format, "t", &header, &[ColumnKind::Text], &[]).unwrap();
            out.row(std::slice::from_ref(&long), &[true]).unwrap();
            let columns = out.columns();
            let Kind::Text { width } = columns[0].kind else {
                panic!("{columns:?}")
            };
            assert_eq!(width, long.len().min(format.longest_text()));
            let file = out.write_file().unwrap();
            let size = file.metadata().unwrap().len();
            match format {
                // The dictionary of a 32,767-byte string alone is large: only "written".
                Native::Sav => assert!(size > 32_767, "{size}"),
                Native::Dta => assert!(size > long.len() as u64, "{size}"),
            }
        }
    }
}
