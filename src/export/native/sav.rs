//! SPSS system file (`.sav`) writer.
//!
//! Owns the byte layout of the file: it turns the shared [`Column`]/[`Value`] model into an
//! uncompressed, little-endian system file as documented in the PSPP manual ("System File
//! Format"): header, variable records (strings longer than 255 bytes as "very long strings"
//! made of 255-byte segments), value labels, the extension records SPSS and PSPP expect
//! (machine integer and floating point info, display parameters, long names, very long
//! strings, character encoding UTF-8), the dictionary terminator and the cases.
//!
//! What is decided here (and nowhere else):
//! - Names become valid, unique SPSS names (ASCII, ≤ 64 bytes, not a reserved word); a
//!   renamed column keeps its original name in the variable label (`original: label`).
//! - Number columns: `not_asked` is a discrete user-missing value labelled
//!   [`NOT_ASKED_LABEL`]; `NoAnswer` is system-missing.
//! - Date, DateTime and Text columns have no user-missing value: `NoAnswer` and `NotAsked`
//!   are both system-missing (dates) or the empty string (text).
//! - Dates are `DATE11`, instants `DATETIME24.3` (24, not 23: PSPP allows 3 decimals only
//!   from width 24), both seconds since 1582-10-14 00:00:00, instants in UTC with their
//!   milliseconds as the fraction.
//! - Text is written as UTF-8 and padded with spaces to the column width. Readers (SPSS,
//!   PSPP, ReadStat) strip trailing spaces, so a value's own trailing spaces are lost;
//!   everything else (line breaks, quotes, leading spaces, `=`, any Unicode) comes back
//!   byte for byte.

use std::collections::HashSet;
use std::io::{self, Write};

use super::{Column, Kind, NOT_ASKED_LABEL, Value};

const SYSMIS: f64 = -f64::MAX;
const MAX_TEXT_WIDTH: usize = 32_767;
const NAME_MAX: usize = 64;
const VAR_LABEL_MAX: usize = 255;
const VALUE_LABEL_MAX: usize = 120;
const RESERVED: [&str; 13] = [
    "ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH",
];
const PRODUCT: &str = "@(#) SPSS DATA FILE anketa";
// Format types (print/write format = type << 16 | width << 8 | decimals).
const FMT_A: u32 = 1;
const FMT_F: u32 = 5;
const FMT_DATE: u32 = 20;
const FMT_DATETIME: u32 = 22;
const DATETIME_WIDTH: usize = 24;
/// Lower-case letters folded to ASCII in names, char by char (upper case likewise);
/// anything else that is not `[A-Za-z0-9_.]` becomes `_`.
const FOLD_FROM: &str = "áàâäãåāăąčćçďđéèêëěēęėíìîïīľĺłňńñóòôöõőøōřŕšśşßťţúùûüůűūýÿžźż";
const FOLD_TO: &str = "aaaaaaaaacccddeeeeeeeeiiiiilllnnnoooooooorrssssttuuuuuuuyyzzz";

/// How one column's cells are encoded.
enum Cell {
    Number { not_asked: f64 },
    Date,
    DateTime,
    Text { width: usize },
}

struct Col {
    /// The export's name, for error messages.
    name: String,
    cell: Cell,
    /// Widths of the column's variable records: 0 for a number, else the string width of
    /// each segment (one segment unless the text is longer than 255 bytes).
    segments: Vec<usize>,
}

/// Writes one `.sav` file: the dictionary in [`SavWriter::new`], then one case per
/// [`SavWriter::row`].
pub struct SavWriter<W: Write> {
    out: W,
    cols: Vec<Col>,
    case: Vec<u8>,
    n_rows: u64,
    written: u64,
}

impl<W: Write> SavWriter<W> {
    /// Writes the dictionary. `n_rows` is the number of rows that will follow.
    pub fn new(
        mut out: W,
        file_label: &str,
        columns: &[Column],
        n_rows: u64,
    ) -> io::Result<SavWriter<W>> {
        let mut cols = Vec::with_capacity(columns.len());
        for c in columns {
            let (cell, segments) = match &c.kind {
                Kind::Number { not_asked, .. } => (
                    Cell::Number {
                        not_asked: *not_asked,
                    },
                    vec![0],
                ),
                Kind::Date => (Cell::Date, vec![0]),
                Kind::DateTime => (Cell::DateTime, vec![0]),
                Kind::Text { width } => {
                    // Capped at the SPSS maximum; a longer value is refused in `row`.
                    let width = (*width).clamp(1, MAX_TEXT_WIDTH);
                    (Cell::Text { width }, segment_widths(width))
                }
            };
            cols.push(Col {
                name: c.name.clone(),
                cell,
                segments,
            });
        }
        let names = unique_names(columns.iter().map(|c| c.name.as_str()));
        let seg_counts: Vec<usize> = cols.iter().map(|c| c.segments.len()).collect();
        let shorts = short_names(&names, &seg_counts);
        let dict = dictionary(file_label, columns, &cols, &names, &shorts, n_rows)?;
        out.write_all(&dict)?;
        Ok(SavWriter {
            out,
            cols,
            case: Vec::new(),
            n_rows,
            written: 0,
        })
    }

    /// One case; `values.len() == columns.len()`. A value that does not fit its column
    /// (wrong kind, text longer than the column's width, a non-finite number) is an error
    /// of kind `InvalidInput` and nothing of the row is written.
    pub fn row(&mut self, values: &[Value<'_>]) -> io::Result<()> {
        if values.len() != self.cols.len() {
            return Err(invalid(format!(
                "row has {} values, the file has {} columns",
                values.len(),
                self.cols.len()
            )));
        }
        if self.written >= self.n_rows {
            return Err(invalid(format!(
                "more rows than the {} announced",
                self.n_rows
            )));
        }
        self.case.clear();
        for (col, value) in self.cols.iter().zip(values) {
            encode(col, value, &mut self.case)?;
        }
        self.out.write_all(&self.case)?;
        self.written += 1;
        Ok(())
    }

    /// Checks that all announced rows were written, flushes and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if self.written != self.n_rows {
            return Err(invalid(format!(
                "{} rows written, {} announced in the header",
                self.written, self.n_rows
            )));
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

fn encode(col: &Col, value: &Value<'_>, out: &mut Vec<u8>) -> io::Result<()> {
    let number = match (&col.cell, value) {
        (Cell::Number { .. }, Value::Number(x)) if x.is_finite() => *x,
        (Cell::Number { not_asked }, Value::NotAsked) => *not_asked,
        (Cell::Number { .. } | Cell::Date | Cell::DateTime, Value::NoAnswer | Value::NotAsked) => {
            SYSMIS
        }
        (Cell::Date, Value::Date(d)) => date_seconds(*d) as f64,
        (Cell::DateTime, Value::DateTime(t)) => datetime_seconds(*t),
        (Cell::Text { width }, Value::Text(s)) if s.len() <= *width => {
            put_text(s.as_bytes(), &col.segments, out);
            return Ok(());
        }
        (Cell::Text { .. }, Value::NoAnswer | Value::NotAsked) => {
            put_text(b"", &col.segments, out);
            return Ok(());
        }
        (cell, value) => {
            let kind = match cell {
                Cell::Number { .. } => "number",
                Cell::Date => "date",
                Cell::DateTime => "date-time",
                Cell::Text { width } if *width == MAX_TEXT_WIDTH => {
                    "32767-byte (SPSS maximum) text"
                }
                Cell::Text { width } => &format!("{width}-byte text"),
            };
            let what = match value {
                Value::Number(x) => format!("the number {x}"),
                Value::Date(_) => "a date".into(),
                Value::DateTime(_) => "a date-time".into(),
                Value::Text(s) => format!("a text of {} bytes", s.len()),
                Value::NoAnswer | Value::NotAsked => "a missing value".into(),
            };
            return Err(invalid(format!(
                "column {}: {what} does not fit a {kind} column",
                col.name
            )));
        }
    };
    out.extend_from_slice(&number.to_le_bytes());
    Ok(())
}

/// Stores text in the column's segments: 255 bytes of data per segment (the last byte of a
/// full segment's 256 is padding), each segment padded with spaces to its 8-byte slots.
fn put_text(bytes: &[u8], segments: &[usize], out: &mut Vec<u8>) {
    for (i, &width) in segments.iter().enumerate() {
        let chunk = bytes.get(i * 255..).unwrap_or_default();
        let chunk = &chunk[..chunk.len().min(255)];
        out.extend_from_slice(chunk);
        out.resize(out.len() + slots(width) * 8 - chunk.len(), b' ');
    }
}

/// Segment widths of a string of `width` bytes: one segment up to 255 bytes, else one per
/// 252 bytes (rounded up), all 255 wide but the last (PSPP manual, "Very Long String Record").
fn segment_widths(width: usize) -> Vec<usize> {
    if width <= 255 {
        return vec![width];
    }
    let n = width.div_ceil(252);
    (0..n)
        .map(|i| {
            if i + 1 < n {
                255
            } else {
                width - (n - 1) * 252
            }
        })
        .collect()
}

/// 8-byte units taken by a variable record of this width (0 = number).
fn slots(width: usize) -> usize {
    if width == 0 { 1 } else { width.div_ceil(8) }
}

/// Days from 1582-10-14 (the SPSS epoch) to `date`, in seconds.
fn date_seconds(date: time::Date) -> i64 {
    let epoch = time::macros::date!(1582 - 10 - 14);
    i64::from(date.to_julian_day() - epoch.to_julian_day()) * 86_400
}

/// Seconds since the SPSS epoch (UTC), rounded to the millisecond.
fn datetime_seconds(t: time::OffsetDateTime) -> f64 {
    let epoch_ms = i128::from(date_seconds(time::macros::date!(1970 - 01 - 01))) * 1000;
    let ms = (t.unix_timestamp_nanos() + 500_000).div_euclid(1_000_000);
    (ms + epoch_ms) as f64 / 1000.0
}

/// Line breaks become spaces; longer than `max` bytes is cut at a character boundary and
/// ends with "…".
fn label_text(s: &str, max: usize) -> String {
    let s = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
    if s.len() <= max {
        return s;
    }
    format!("{}…", cut(&s, max - '…'.len_utf8()))
}

/// The longest prefix of `s` of at most `max` bytes that ends at a character boundary.
fn cut(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// `č` → `c`, `Ř` → `R`; `None` for characters without a folding.
fn fold(c: char) -> Option<char> {
    let lower = c.to_lowercase().next()?;
    let a = FOLD_TO
        .chars()
        .nth(FOLD_FROM.chars().position(|f| f == lower)?)?;
    Some(if c.is_uppercase() {
        a.to_ascii_uppercase()
    } else {
        a
    })
}

fn is_reserved(name: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// A valid SPSS name for `name`: ASCII letters (diacritics folded), digits, `_` and `.`,
/// starting with a letter, not ending with `.`, at most 64 bytes, not a reserved word.
fn valid_name(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            s.push(c);
        } else if let Some(a) = fold(c) {
            s.push(a);
        } else {
            s.push('_');
        }
    }
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        s.insert(0, 'v');
    }
    s.truncate(NAME_MAX);
    s.truncate(s.trim_end_matches('.').len());
    if is_reserved(&s) {
        s.push('_');
    }
    s
}

/// Valid names, unique ignoring case (a clash gets `_2`, `_3`, …).
fn unique_names<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut used = HashSet::new();
    names
        .map(|name| {
            let base = valid_name(name);
            let mut candidate = base.clone();
            let mut n = 1;
            while !used.insert(candidate.to_ascii_uppercase()) {
                n += 1;
                let suffix = format!("_{n}");
                candidate = format!("{}{suffix}", cut(&base, NAME_MAX - suffix.len()));
            }
            candidate
        })
        .collect()
}

/// Short (8-byte, upper case) names for every segment of every column, unique, and never
/// equal to another column's long name (PSPP renames to long names one at a time).
fn short_names(names: &[String], segment_counts: &[usize]) -> Vec<Vec<String>> {
    let longs: HashSet<String> = names.iter().map(|n| n.to_ascii_uppercase()).collect();
    let mut used = HashSet::new();
    names
        .iter()
        .zip(segment_counts)
        .map(|(name, &count)| {
            let own = name.to_ascii_uppercase();
            let base = cut(&own, 8).trim_end_matches('.').to_owned();
            (0..count)
                .map(|_| {
                    let mut candidate = base.clone();
                    let mut n = 0;
                    while used.contains(&candidate)
                        || is_reserved(&candidate)
                        || (candidate != own && longs.contains(&candidate))
                    {
                        n += 1;
                        let suffix = format!("_{n}");
                        candidate = format!(
                            "{}{suffix}",
                            cut(&base, 8usize.saturating_sub(suffix.len()))
                        );
                    }
                    used.insert(candidate.clone());
                    candidate
                })
                .collect()
        })
        .collect()
}

fn put_i32(d: &mut Vec<u8>, v: i32) {
    d.extend_from_slice(&v.to_le_bytes());
}

fn put_f64(d: &mut Vec<u8>, v: f64) {
    d.extend_from_slice(&v.to_le_bytes());
}

/// `bytes` padded with `pad` to a multiple of `unit` bytes.
fn put_padded(d: &mut Vec<u8>, bytes: &[u8], unit: usize, pad: u8) {
    d.extend_from_slice(bytes);
    d.resize(d.len() + (unit - bytes.len() % unit) % unit, pad);
}

fn put_extension(d: &mut Vec<u8>, subtype: i32, size: i32, data: &[u8]) {
    for v in [7, subtype, size, (data.len() / size as usize) as i32] {
        put_i32(d, v);
    }
    d.extend_from_slice(data);
}

fn format(kind: u32, width: usize, decimals: u8) -> i32 {
    ((kind << 16) | ((width as u32) << 8) | u32::from(decimals)) as i32
}

fn too_big(what: &str) -> io::Error {
    invalid(format!("{what} too large for an SPSS system file"))
}

/// The dictionary: everything before the cases (header, variables, value labels and the
/// extension records PSPP and SPSS read for names, widths and the encoding).
fn dictionary(
    file_label: &str,
    columns: &[Column],
    cols: &[Col],
    names: &[String],
    shorts: &[Vec<String>],
    n_rows: u64,
) -> io::Result<Vec<u8>> {
    let mut d = Vec::new();
    let case_slots: usize = cols
        .iter()
        .flat_map(|c| &c.segments)
        .map(|&w| slots(w))
        .sum();
    header_record(&mut d, file_label, case_slots, n_rows)?;
    let first_slot = variable_records(&mut d, columns, cols, names, shorts);
    value_label_records(&mut d, columns, &first_slot)?;
    extension_records(&mut d, columns, cols, names, shorts);
    put_extension(&mut d, 20, 1, b"UTF-8");
    put_i32(&mut d, 999);
    put_i32(&mut d, 0);
    Ok(d)
}

/// The header record: product, case size, row count, creation time, file label.
fn header_record(
    d: &mut Vec<u8>,
    file_label: &str,
    case_slots: usize,
    n_rows: u64,
) -> io::Result<()> {
    d.extend_from_slice(b"$FL2");
    put_padded(d, PRODUCT.as_bytes(), 60, b' ');
    put_i32(d, 2); // layout code
    put_i32(d, i32::try_from(case_slots).map_err(|_| too_big("case"))?);
    put_i32(d, 0); // no compression
    put_i32(d, 0); // no weight variable
    put_i32(d, i32::try_from(n_rows).unwrap_or(-1)); // -1: unknown
    put_f64(d, 100.0); // compression bias
    let now = time::OffsetDateTime::now_utc();
    let month = &"JanFebMarAprMayJunJulAugSepOctNovDec"[(now.month() as usize - 1) * 3..][..3];
    let stamp = format!(
        "{:02} {month} {:02}{:02}:{:02}:{:02}",
        now.day(),
        now.year().rem_euclid(100),
        now.hour(),
        now.minute(),
        now.second()
    );
    d.extend_from_slice(stamp.as_bytes());
    let file_label = file_label.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let file_label = cut(&file_label, 64).as_bytes();
    d.extend_from_slice(file_label);
    d.resize(d.len() + 64 - file_label.len(), b' '); // bytes, not chars
    d.extend_from_slice(&[0; 3]);

    Ok(())
}

/// One variable record per 8-byte segment of each column, with its label and "not
/// asked" missing value; returns each column's 1-based dictionary index.
fn variable_records(
    d: &mut Vec<u8>,
    columns: &[Column],
    cols: &[Col],
    names: &[String],
    shorts: &[Vec<String>],
) -> Vec<usize> {
    // Variable records; `first_slot` is each column's 1-based dictionary index.
    let mut first_slot = Vec::with_capacity(cols.len());
    let mut slot = 1;
    for (i, (col, column)) in cols.iter().zip(columns).enumerate() {
        first_slot.push(slot);
        let label = if names[i] == column.name {
            column.label.clone()
        } else if column.label.is_empty() {
            column.name.clone()
        } else {
            format!("{}: {}", column.name, column.label)
        };
        let label = label_text(&label, VAR_LABEL_MAX);
        let (fmt, missing) = match (&col.cell, &column.kind) {
            (Cell::Number { not_asked }, Kind::Number { decimals, .. }) => {
                let dec = (*decimals).min(16);
                (format(FMT_F, 8 + usize::from(dec), dec), Some(*not_asked))
            }
            (Cell::Date, _) => (format(FMT_DATE, 11, 0), None),
            (Cell::DateTime, _) => (format(FMT_DATETIME, DATETIME_WIDTH, 3), None),
            _ => (0, None), // text: per segment below
        };
        for (s, &width) in col.segments.iter().enumerate() {
            let first = s == 0;
            let fmt = if width == 0 {
                fmt
            } else {
                format(FMT_A, width, 0)
            };
            put_i32(d, 2);
            put_i32(d, width as i32);
            put_i32(d, i32::from(first && !label.is_empty()));
            put_i32(d, i32::from(first && missing.is_some()));
            put_i32(d, fmt);
            put_i32(d, fmt);
            put_padded(d, shorts[i][s].as_bytes(), 8, b' ');
            if first && !label.is_empty() {
                put_i32(d, label.len() as i32);
                put_padded(d, label.as_bytes(), 4, b' ');
            }
            if let (true, Some(m)) = (first, missing) {
                put_f64(d, m);
            }
            for _ in 1..slots(width) {
                for v in [2, -1, 0, 0, 0, 0] {
                    put_i32(d, v);
                }
                d.extend_from_slice(b"        ");
            }
            slot += slots(width);
        }
    }

    first_slot
}

/// Value labels: each number column's own labels plus "not asked" on its missing code.
fn value_label_records(
    d: &mut Vec<u8>,
    columns: &[Column],
    first_slot: &[usize],
) -> io::Result<()> {
    // Value labels: each number column's own labels plus "not asked" on its missing code.
    for (i, column) in columns.iter().enumerate() {
        let Kind::Number {
            labels, not_asked, ..
        } = &column.kind
        else {
            continue;
        };
        let mut set: Vec<(f64, &str)> = Vec::new();
        let all = labels.iter().map(|(v, l)| (*v, l.as_str()));
        for (value, label) in all.chain([(*not_asked, NOT_ASKED_LABEL)]) {
            if !value.is_nan() && !set.iter().any(|(v, _)| *v == value) {
                set.push((value, label));
            }
        }
        put_i32(d, 3);
        put_i32(d, set.len() as i32);
        for (value, label) in set {
            let label = label_text(label, VALUE_LABEL_MAX);
            put_f64(d, value);
            let mut bytes = vec![label.len() as u8];
            bytes.extend_from_slice(label.as_bytes());
            put_padded(d, &bytes, 8, b' ');
        }
        for v in [
            4,
            1,
            i32::try_from(first_slot[i]).map_err(|_| too_big("dictionary"))?,
        ] {
            put_i32(d, v);
        }
    }

    Ok(())
}

/// The extension records: machine info, display parameters, long names, very long
/// strings.
fn extension_records(
    d: &mut Vec<u8>,
    columns: &[Column],
    cols: &[Col],
    names: &[String],
    shorts: &[Vec<String>],
) {
    // Machine integer info: version 1.0.0, machine -1, IEEE 754, compression 1,
    // little-endian, code page 65001 (UTF-8).
    let mut data = Vec::new();
    for v in [1, 0, 0, -1, 1, 1, 2, 65001] {
        put_i32(&mut data, v);
    }
    put_extension(d, 3, 4, &data);
    // Machine floating point info: system-missing, highest, lowest.
    let mut data = Vec::new();
    for v in [SYSMIS, f64::MAX, f64::from_bits(0xffef_ffff_ffff_fffe)] {
        put_f64(&mut data, v);
    }
    put_extension(d, 4, 8, &data);
    // Variable display parameters, one (measure, width, alignment) per segment:
    // measure 1 nominal, 3 scale; alignment 0 left, 1 right.
    let mut data = Vec::new();
    for (col, column) in cols.iter().zip(columns) {
        let params = match &column.kind {
            Kind::Number {
                labels, decimals, ..
            } => [
                if labels.is_empty() { 3 } else { 1 },
                8 + i32::from((*decimals).min(16)),
                1,
            ],
            Kind::Date => [3, 11, 1],
            Kind::DateTime => [3, DATETIME_WIDTH as i32, 1],
            Kind::Text { width } => [1, (*width).clamp(1, 50) as i32, 0],
        };
        for _ in &col.segments {
            for v in params {
                put_i32(&mut data, v);
            }
        }
    }
    if !cols.is_empty() {
        put_extension(d, 11, 4, &data);
    }
    // Long variable names: SHORT=long, tab-separated.
    let pairs: Vec<String> = names
        .iter()
        .zip(shorts)
        .map(|(n, s)| format!("{}={n}", s[0]))
        .collect();
    if !pairs.is_empty() {
        put_extension(d, 13, 1, pairs.join("\t").as_bytes());
    }
    // Very long strings: SHORT=00000-width, NUL, tab.
    let mut data = Vec::new();
    for (col, short) in cols.iter().zip(shorts) {
        match col.cell {
            Cell::Text { width } if col.segments.len() > 1 => {
                data.extend_from_slice(format!("{}={width:05}\0\t", short[0]).as_bytes());
            }
            _ => {}
        }
    }
    if !data.is_empty() {
        put_extension(d, 14, 1, &data);
    }
}

#[cfg(test)]
#[path = "sav_tests.rs"]
mod tests;
