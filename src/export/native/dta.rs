//! Stata `.dta` writer, format 118 (Stata 14 and later), little-endian.
//!
//! This module owns everything Stata-specific about an export: the file layout (header,
//! `<map>` of section offsets, variable descriptors, data, strLs, value labels), Stata's
//! missing-value codes, the mapping of [`Kind`]s to storage types and display formats,
//! valid unique variable names and the limits on label lengths. It writes the format
//! itself (no `.dta` crate): the layout follows Stata's "dta" help (format 118).
//!
//! Encoding, per kind:
//! - `Number` → `double`, `%10.0g` (or `%9.<decimals>f`); "no answer" is `.`, "not asked"
//!   is the extended missing value `.a`. Every number column gets a value-label set of its
//!   own name holding its whole-number codes and `.a` = [`NOT_ASKED_LABEL`].
//! - `Date` → `long` days since 1960-01-01, `%td`; `DateTime` → `double` milliseconds
//!   since 1960-01-01 00:00:00.000 UTC, `%tc`. Both: `.` for no answer, `.a` for not asked.
//! - `Text` → `str#` (1..=2045 bytes, fixed width) or `strL` when wider. Stata strings have
//!   no missing value, so "no answer" and "not asked" are both written as the empty string.
//!   Values are written byte for byte (UTF-8); a NUL byte inside a value ends it for readers.
//!
//! Labels are put on one line (line breaks become spaces) and cut at a character boundary,
//! ending in "…": variable and dataset labels to 80 characters, value labels to 32,000 bytes.
//! Names become valid unique Stata names; a renamed variable's label starts with its
//! export name ("town.region: …").
//!
//! Rows are streamed: the header says how many rows follow, each [`DtaWriter::row`] writes
//! one fixed-width record, and strL contents wait in an anonymous temporary file until
//! [`DtaWriter::finish`] copies them after the data and fills in the `<map>`.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use super::{Column, Kind, NOT_ASKED_LABEL, Value};

/// `.` and `.a` as doubles (`.a` = `.` + 2^40 in the bit pattern).
const DOUBLE_MISSING: u64 = 0x7FE0_0000_0000_0000;
const DOUBLE_MISSING_A: u64 = 0x7FE0_0100_0000_0000;
/// `.` and `.a` as longs; the largest non-missing long is 2,147,483,620.
const LONG_MISSING: i32 = 2_147_483_621;
const LONG_MISSING_A: i32 = 2_147_483_622;
const LONG_MIN: i32 = -2_147_483_647;
const LONG_MAX: i32 = 2_147_483_620;
const STR_MAX: usize = 2045;
const TYPE_STRL: u16 = 32768;
const TYPE_DOUBLE: u16 = 65526;
const TYPE_LONG: u16 = 65528;
/// Milliseconds from 1960-01-01 to 1970-01-01 (3,653 days).
const MS_1960_TO_1970: i128 = 3_653 * 86_400_000;
const STATA_EPOCH: time::Date = time::macros::date!(1960 - 01 - 01);
const VALUE_LABEL_MAX_BYTES: usize = 32_000;
/// Stata's reserved names (compared ignoring case); `str1`..`str2045` are checked apart.
const RESERVED: [&str; 20] = [
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n",
    "_N", "_pi", "_pred", "_rc", "_skip", "strL", "using", "with",
];

/// How one column is stored.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Number,
    Date,
    DateTime,
    Str(usize),
    StrL,
}

/// Streaming writer of one `.dta` file; see the module documentation.
pub struct DtaWriter<W: Write + Seek> {
    out: BufWriter<W>,
    /// Stream position of `<stata_dta>`; the map's offsets are relative to it.
    base: u64,
    map: [u64; 14],
    names: Vec<String>,
    slots: Vec<Slot>,
    /// Label set per column (number columns only): (code, text), sorted, `.a` last.
    label_sets: Vec<Option<Vec<(i32, String)>>>,
    n_rows: u64,
    written: u64,
    /// GSOs (strL contents) written so far, in (o,v) order, as readers expect.
    strls: Option<BufWriter<File>>,
    row_buf: Vec<u8>,
    gso_buf: Vec<u8>,
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// `text` in a NUL-padded field of `width` bytes (callers keep it shorter than `width`).
fn padded(text: &str, width: usize) -> Vec<u8> {
    let mut field = text.as_bytes().to_vec();
    field.resize(width, 0);
    field
}

impl<W: Write + Seek> DtaWriter<W> {
    /// Writes everything before the data. `n_rows` is the number of rows that will follow (exactly).
    pub fn new(
        out: W,
        dataset_label: &str,
        columns: &[Column],
        n_rows: u64,
    ) -> io::Result<DtaWriter<W>> {
        let k = u16::try_from(columns.len()).ok().filter(|&k| k <= 32_767);
        let k = k.ok_or_else(|| {
            invalid(format!(
                "{} columns: format 118 holds 32,767",
                columns.len()
            ))
        })?;
        let slots: Vec<Slot> = columns.iter().map(|c| slot(&c.kind)).collect();
        if slots.contains(&Slot::StrL) && n_rows >= 1 << 48 {
            return Err(invalid(format!(
                "{n_rows} rows: too many for strL references"
            )));
        }
        let names = stata_names(columns);
        let label_sets: Vec<_> = columns.iter().map(label_set).collect();
        let label = clean_label(dataset_label, 80, 320);
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[day] [month repr:short] [year] [hour]:[minute]"
            ))
            .map_err(io::Error::other)?;
        // Everything before the data is built in memory (its size grows with the columns only).
        let mut h = Vec::new();
        h.extend(b"<stata_dta><header><release>118</release><byteorder>LSF</byteorder><K>");
        h.extend(k.to_le_bytes());
        h.extend(b"</K><N>");
        h.extend(n_rows.to_le_bytes());
        h.extend(b"</N><label>");
        h.extend((label.len() as u16).to_le_bytes());
        h.extend(label.as_bytes());
        h.extend(b"</label><timestamp>");
        h.push(stamp.len() as u8);
        h.extend(stamp.as_bytes());
        h.extend(b"</timestamp></header>");
        let mut map = [0; 14];
        map[1] = h.len() as u64;
        h.extend(b"<map>");
        h.extend([0; 14 * 8]); // filled in by `finish`
        h.extend(b"</map>");
        let types = slots.iter().flat_map(|s| match s {
            Slot::Number | Slot::DateTime => TYPE_DOUBLE.to_le_bytes(),
            Slot::Date => TYPE_LONG.to_le_bytes(),
            Slot::Str(width) => (*width as u16).to_le_bytes(),
            Slot::StrL => TYPE_STRL.to_le_bytes(),
        });
        let varnames = names.iter().flat_map(|n| padded(n, 129));
        let formats = columns
            .iter()
            .flat_map(|c| padded(&display_format(&c.kind), 57));
        let label_names = label_sets
            .iter()
            .zip(&names)
            .flat_map(|(set, n)| match set {
                Some(_) => padded(n, 129),
                None => padded("", 129),
            });
        let variable_labels = columns.iter().zip(&names).flat_map(|(c, name)| {
            let text = match (*name == c.name, c.label.is_empty()) {
                (true, _) => c.label.clone(),
                (false, true) => c.name.clone(),
                (false, false) => format!("{}: {}", c.name, c.label),
            };
            padded(&clean_label(&text, 80, 320), 321)
        });
        let sections: [(&str, Vec<u8>); 7] = [
            ("variable_types", types.collect()),
            ("varnames", varnames.collect()),
            ("sortlist", vec![0; 2 * (columns.len() + 1)]),
            ("formats", formats.collect()),
            ("value_label_names", label_names.collect()),
            ("variable_labels", variable_labels.collect()),
            ("characteristics", Vec::new()),
        ];
        for (i, (tag, body)) in sections.into_iter().enumerate() {
            map[i + 2] = h.len() as u64;
            h.extend(format!("<{tag}>").as_bytes());
            h.extend(body);
            h.extend(format!("</{tag}>").as_bytes());
        }
        map[9] = h.len() as u64;
        h.extend(b"<data>");
        let mut out = BufWriter::new(out);
        let base = out.stream_position()?;
        out.write_all(&h)?;
        let (strls, row_buf, gso_buf) = (None, Vec::new(), Vec::new());
        Ok(DtaWriter {
            out,
            base,
            map,
            names,
            slots,
            label_sets,
            n_rows,
            written: 0,
            strls,
            row_buf,
            gso_buf,
        })
    }

    /// One observation; a Value that does not fit its column (e.g. Text in a Number column) or more rows than announced is an io::Error of kind InvalidInput, never a panic.
    pub fn row(&mut self, values: &[Value<'_>]) -> io::Result<()> {
        if self.written >= self.n_rows {
            return Err(invalid(format!(
                "more rows than the {} announced",
                self.n_rows
            )));
        }
        if values.len() != self.slots.len() {
            return Err(invalid(format!(
                "{} values for {} columns",
                values.len(),
                self.slots.len()
            )));
        }
        // Encode the whole row first, so a bad value leaves nothing half-written.
        self.row_buf.clear();
        self.gso_buf.clear();
        let obs = self.written + 1;
        for (i, value) in values.iter().enumerate() {
            let (slot, v) = (self.slots[i], i as u16 + 1); // at most 32,767 columns
            encode(slot, value, (v, obs), &mut self.row_buf, &mut self.gso_buf).map_err(
                |what| {
                    invalid(format!(
                        "column {}: {what} does not fit a {slot:?} column",
                        self.names[i]
                    ))
                },
            )?;
        }
        if !self.gso_buf.is_empty() {
            if self.strls.is_none() {
                self.strls = Some(BufWriter::new(tempfile::tempfile()?));
            }
            if let Some(strls) = self.strls.as_mut() {
                strls.write_all(&self.gso_buf)?;
            }
        }
        self.out.write_all(&self.row_buf)?;
        self.written += 1;
        Ok(())
    }

    /// Writes strLs, value labels, the map, and returns the writer; fewer rows than announced is an error.
    pub fn finish(mut self) -> io::Result<W> {
        if self.written != self.n_rows {
            return Err(invalid(format!(
                "{} rows written, {} announced",
                self.written, self.n_rows
            )));
        }
        self.out.write_all(b"</data>")?;
        self.map[10] = self.pos()?;
        self.out.write_all(b"<strls>")?;
        if let Some(strls) = self.strls.take() {
            let mut file = strls.into_inner().map_err(|e| e.into_error())?;
            file.seek(SeekFrom::Start(0))?;
            io::copy(&mut file, &mut self.out)?;
        }
        self.out.write_all(b"</strls>")?;
        self.map[11] = self.pos()?;
        let mut labels = b"<value_labels>".to_vec();
        for (set, name) in self.label_sets.iter().zip(&self.names) {
            let Some(entries) = set else { continue };
            let table = label_table(entries)
                .ok_or_else(|| invalid(format!("labels of {name} too long")))?;
            labels.extend(b"<lbl>");
            labels.extend((table.len() as i32).to_le_bytes());
            labels.extend(padded(name, 129 + 3)); // the name, then 3 bytes of padding
            labels.extend(table);
            labels.extend(b"</lbl>");
        }
        labels.extend(b"</value_labels>");
        self.map[12] = self.map[11] + labels.len() as u64;
        self.map[13] = self.map[12] + b"</stata_dta>".len() as u64;
        labels.extend(b"</stata_dta>");
        self.out.write_all(&labels)?;
        self.out
            .seek(SeekFrom::Start(self.base + self.map[1] + 5))?;
        let map: Vec<u8> = self.map.iter().flat_map(|o| o.to_le_bytes()).collect();
        self.out.write_all(&map)?;
        self.out.seek(SeekFrom::Start(self.base + self.map[13]))?;
        self.out.into_inner().map_err(|e| e.into_error())
    }

    fn pos(&mut self) -> io::Result<u64> {
        Ok(self.out.stream_position()? - self.base)
    }
}

/// Appends one value to the row (and its GSO, for a non-empty strL); on a misfit, says
/// what did not fit.
fn encode(
    slot: Slot,
    value: &Value<'_>,
    (v, o): (u16, u64),
    row: &mut Vec<u8>,
    gso: &mut Vec<u8>,
) -> Result<(), String> {
    match (slot, value) {
        (Slot::Number | Slot::DateTime, Value::NoAnswer) => {
            row.extend(DOUBLE_MISSING.to_le_bytes())
        }
        (Slot::Number | Slot::DateTime, Value::NotAsked) => {
            row.extend(DOUBLE_MISSING_A.to_le_bytes());
        }
        (Slot::Date, Value::NoAnswer) => row.extend(LONG_MISSING.to_le_bytes()),
        (Slot::Date, Value::NotAsked) => row.extend(LONG_MISSING_A.to_le_bytes()),
        // Doubles from 2^1023 up are Stata's missing values.
        (Slot::Number, Value::Number(x))
            if x.is_finite() && *x < f64::from_bits(DOUBLE_MISSING) =>
        {
            row.extend(x.to_le_bytes());
        }
        (Slot::Date, Value::Date(d)) => {
            row.extend(stata_days(*d).ok_or(format!("the date {d}"))?.to_le_bytes());
        }
        (Slot::DateTime, Value::DateTime(t)) => row.extend(stata_millis(*t).to_le_bytes()),
        // Strings have no missing values: no answer and not asked are both "".
        (Slot::Str(width), Value::NoAnswer | Value::NotAsked) => row.resize(row.len() + width, 0),
        (Slot::Str(width), Value::Text(s)) if s.len() <= width => {
            row.extend(s.as_bytes());
            row.resize(row.len() + width - s.len(), 0);
        }
        // (v,o) = (0,0) is the empty strL.
        (Slot::StrL, Value::NoAnswer | Value::NotAsked | Value::Text("")) => row.extend([0; 8]),
        (Slot::StrL, Value::Text(s)) => {
            let len = u32::try_from(s.len() + 1).map_err(|_| format!("{} bytes", s.len()))?;
            // (v,o) in the data: v in 2 bytes, o in 6 bytes.
            row.extend(v.to_le_bytes());
            row.extend(&o.to_le_bytes()[..6]);
            // GSO: v as u32, o as u64, type 130 (text, NUL-terminated), length with the NUL.
            gso.extend(b"GSO");
            gso.extend(u32::from(v).to_le_bytes());
            gso.extend(o.to_le_bytes());
            gso.push(130);
            gso.extend(len.to_le_bytes());
            gso.extend(s.as_bytes());
            gso.push(0);
        }
        (_, Value::Text(s)) => return Err(format!("a text of {} bytes", s.len())),
        _ => return Err(format!("{value:?}")),
    }
    Ok(())
}

fn slot(kind: &Kind) -> Slot {
    match kind {
        Kind::Number { .. } => Slot::Number,
        Kind::Date => Slot::Date,
        Kind::DateTime => Slot::DateTime,
        Kind::Text { width } if *width > STR_MAX => Slot::StrL,
        Kind::Text { width } => Slot::Str((*width).max(1)),
    }
}

fn display_format(kind: &Kind) -> String {
    match kind {
        Kind::Number { decimals: 0, .. } => "%10.0g".to_owned(),
        Kind::Number { decimals, .. } => {
            let d = (*decimals).min(16);
            format!("%{}.{d}f", (d + 2).max(9))
        }
        Kind::Date => "%td".to_owned(),
        Kind::DateTime => "%tc".to_owned(),
        Kind::Text { width } if *width > STR_MAX => "%9s".to_owned(),
        Kind::Text { width } => format!("%{}s", (*width).max(1)),
    }
}

/// Days since 1960-01-01, when within Stata's range of longs.
fn stata_days(date: time::Date) -> Option<i32> {
    let days = (date - STATA_EPOCH).whole_days();
    i32::try_from(days)
        .ok()
        .filter(|d| (LONG_MIN..=LONG_MAX).contains(d))
}

/// Milliseconds since 1960-01-01 00:00:00.000 UTC (sub-millisecond parts are floored).
fn stata_millis(t: time::OffsetDateTime) -> f64 {
    // Every `time` instant is within ±2^53 ms, so the conversion is exact.
    (t.unix_timestamp_nanos().div_euclid(1_000_000) + MS_1960_TO_1970) as f64
}

/// The value-label set of a number column: whole-number codes in range, each once, sorted,
/// then `.a` = NOT_ASKED_LABEL. Other columns have none.
fn label_set(column: &Column) -> Option<Vec<(i32, String)>> {
    let Kind::Number { labels, .. } = &column.kind else {
        return None;
    };
    let cut = |text: &str| clean_label(text, usize::MAX, VALUE_LABEL_MAX_BYTES);
    let in_range = f64::from(LONG_MIN)..=f64::from(LONG_MAX);
    let mut entries: Vec<(i32, String)> = Vec::new();
    for (code, text) in labels {
        let whole = code.fract() == 0.0 && in_range.contains(code);
        if whole && !entries.iter().any(|(c, _)| f64::from(*c) == *code) {
            entries.push((*code as i32, cut(text)));
        }
    }
    entries.sort_by_key(|(c, _)| *c);
    entries.push((LONG_MISSING_A, cut(NOT_ASKED_LABEL)));
    Some(entries)
}

/// value_label_table: n, txtlen, off[n], val[n], txt (NUL-terminated texts).
fn label_table(entries: &[(i32, String)]) -> Option<Vec<u8>> {
    let text_len: usize = entries.iter().map(|(_, t)| t.len() + 1).sum();
    let n = i32::try_from(entries.len()).ok()?;
    i32::try_from(8 + 8 * entries.len() + text_len).ok()?;
    let mut table = Vec::with_capacity(8 + 8 * entries.len() + text_len);
    table.extend(n.to_le_bytes());
    table.extend((text_len as i32).to_le_bytes());
    let mut offset = 0;
    for (_, text) in entries {
        table.extend((offset as i32).to_le_bytes());
        offset += text.len() + 1;
    }
    for (code, _) in entries {
        table.extend(code.to_le_bytes());
    }
    for (_, text) in entries {
        table.extend(text.as_bytes());
        table.push(0);
    }
    Some(table)
}

/// A label on one line without NULs, cut at a character boundary to at most `max_chars`
/// characters and `max_bytes` bytes, ending in "…" when cut.
fn clean_label(text: &str, max_chars: usize, max_bytes: usize) -> String {
    let flat = text
        .replace("\r\n", " ")
        .replace(['\r', '\n'], " ")
        .replace('\0', "");
    if flat.chars().count() <= max_chars && flat.len() <= max_bytes {
        return flat;
    }
    let mut cut = String::new();
    for (n, c) in flat.chars().enumerate() {
        if n + 1 >= max_chars || cut.len() + c.len_utf8() + '…'.len_utf8() > max_bytes {
            break;
        }
        cut.push(c);
    }
    cut.push('…');
    cut
}

/// Valid, unique Stata names: 1–32 ASCII characters `[A-Za-z_][A-Za-z0-9_]*`, Czech and
/// Slovak letters without their accents, not a reserved word, unique ignoring case.
fn stata_names(columns: &[Column]) -> Vec<String> {
    const FROM: &str = "áäčďéěëíĺľňóôöřŕšťúůüýžÁÄČĎÉĚËÍĹĽŇÓÔÖŘŔŠŤÚŮÜÝŽ";
    const TO: &str = "aacdeeeillnooorrstuuuyzAACDEEEILLNOOORRSTUUUYZ";
    let mut used = HashSet::new();
    let mut names = Vec::with_capacity(columns.len());
    for (i, column) in columns.iter().enumerate() {
        let mut base: String = column
            .name
            .chars()
            .map(|c| match FROM.chars().position(|f| f == c) {
                Some(p) => TO.chars().nth(p).unwrap_or('_'),
                None if c.is_ascii_alphanumeric() => c,
                None => '_',
            })
            .collect();
        if base.chars().all(|c| c == '_') {
            base = format!("v{}", i + 1);
        } else if base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert(0, 'v');
        }
        base.truncate(32);
        if is_reserved(&base) {
            base.truncate(31);
            base.push('_');
        }
        let mut name = base.clone();
        let mut n = 1;
        while !used.insert(name.to_ascii_lowercase()) {
            n += 1;
            let suffix = format!("_{n}");
            name = format!("{}{suffix}", &base[..base.len().min(32 - suffix.len())]);
        }
        names.push(name);
    }
    names
}

fn is_reserved(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(name))
        || (lower.len() > 3
            && lower.starts_with("str")
            && lower[3..].bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
#[path = "dta_tests.rs"]
mod tests;
