//! Exports of complete responses. Each format streams: responses are read from the
//! database and written one at a time into a [`ChunkSink`] (a file, standard output, or
//! an HTTP response body), so memory does not grow with the data.

mod anonymized;
mod audit;
mod bundle;
mod codebook;
mod datapackage;
pub mod format;
pub mod formula;
mod interviews;
mod layouts;
pub mod native;
mod responses;
pub mod syntax;
mod xlsx;

use std::io::Write;
use std::path::Path;

pub use self::anonymized::{Anonymization, anonymize};
pub use self::audit::write_audit_csv;
pub use self::bundle::{companion_text, write_bundle};
pub use self::codebook::{CodebookFormat, Entry as CodebookEntry, write_codebook};
pub use self::format::{Companion, Format, Job};
pub use self::interviews::{InterviewFormat, write_interviews};
pub use self::layouts::Layout;
pub use self::responses::{write_csv, write_responses};
use crate::store::{Store, StoreError};
use crate::survey::{self, Survey};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no survey with id \"{0}\" has ever been served from this database")]
    UnknownSurvey(String),
    #[error(
        "version {version} of survey \"{survey}\" stored in the database cannot be read by this anketa: {reason}"
    )]
    UnreadableVersion {
        survey: String,
        version: String,
        reason: String,
    },
    #[error(
        "\"{0}\" is a questionnaire, not an interview guide: its responses export in the response formats (csv and the others), not as interview records"
    )]
    NotAnInterviewGuide(String),
    #[error(
        "\"{0}\" is an interview guide: it exports as csv (one row per interview), interviews-md, interviews-txt or interviews-csv"
    )]
    InterviewGuideLayout(String),
    #[error(
        "cannot filter on \"{0}\": use a choice question's id (town=kolin), QUESTION.ATTRIBUTE (town.region=Praha) or invitation.COLUMN"
    )]
    UnknownFilter(String),
    #[error("{}", .0.refusal())]
    NeedsSuppression(Box<crate::anonymize::Report>),
    #[error(
        "\"{survey}\" has {responses} response(s) to export, fewer than k = {k}: an anonymized export needs at least k"
    )]
    TooFewToAnonymize {
        survey: String,
        responses: u64,
        k: usize,
    },
    #[error(transparent)]
    Anonymize(#[from] crate::anonymize::AnonymizeError),
    #[error(
        "\"{0}\" is an interview guide: interview documents cannot be anonymized automatically (evaluators get them with interviewer pseudonyms)"
    )]
    InterviewNotAnonymizable(String),
    #[error(
        "an anonymized export cannot be limited to {0}: every anonymized export covers all complete responses (two exports of different subsets could be joined into groups smaller than k)"
    )]
    FilterWithAnonymize(Narrowing),
    #[error(
        "responses were deleted, flagged or changed while the anonymized export was written, so it may not be k-anonymous: run it again"
    )]
    ChangedDuringExport,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("writing the export failed: {0}")]
    Write(#[from] std::io::Error),
    #[error("writing the export failed: {0}")]
    Csv(#[from] csv::Error),
}

/// A way of limiting an export to part of the responses (refused for anonymized ones).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Narrowing {
    /// A status other than complete.
    Status,
    /// Responses submitted in a period.
    Period,
    /// One survey version.
    Version,
    /// Responses matching a filter.
    Filter,
}

impl std::fmt::Display for Narrowing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Narrowing::Status => "responses of another status than complete",
            Narrowing::Period => "a period",
            Narrowing::Version => "one survey version",
            Narrowing::Filter => "the responses matching a filter",
        })
    }
}

/// Which responses an export takes: complete ones by default; optionally in progress too,
/// a date range (inclusive days, UTC), one survey version, and `key = value` conditions on
/// answers, option attributes or invitation columns (see [`crate::response_filter`]).
#[derive(Debug, Clone)]
pub struct Selection {
    pub status: Option<crate::store::Status>,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    pub version: Option<String>,
    pub wheres: Vec<(String, String)>,
    /// Nothing submitted (or, in progress, changed) at or after this instant.
    pub cutoff: Option<time::OffsetDateTime>,
}

impl Default for Selection {
    fn default() -> Selection {
        Selection {
            status: Some(crate::store::Status::Complete),
            from: None,
            to: None,
            version: None,
            wheres: Vec::new(),
            cutoff: None,
        }
    }
}

impl Selection {
    /// The selection as the audit log records it.
    pub fn audit_details(&self) -> serde_json::Value {
        let status = match self.status {
            Some(s) => s.as_str(),
            None => "all",
        };
        serde_json::json!({
            "status": status,
            "from": self.from.map(|d| d.to_string()),
            "to": self.to.map(|d| d.to_string()),
            "survey_version": self.version,
            "where": self.wheres.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
        })
    }

    fn store_filter(&self) -> crate::store::ExportFilter {
        crate::store::ExportFilter {
            status: self.status,
            from: self.from.map(|d| d.midnight().assume_utc()),
            until: [
                self.to
                    .and_then(|d| d.next_day())
                    .map(|d| d.midnight().assume_utc()),
                self.cutoff,
            ]
            .into_iter()
            .flatten()
            .min(),
            version: self.version.clone(),
        }
    }
}

/// Which columns leave the building.
#[derive(Debug, Clone)]
pub enum Privacy {
    /// Everything: response ids, invitation columns (names, e-mails), typed text.
    Identified,
    /// Without what names people: response ids become row numbers, and invitation
    /// columns and typed text are left out. (The full anonymization with coarsening and
    /// k-anonymity is a separate, stronger mode.)
    WithoutIdentifiers,
    /// Anonymized as the survey's privacy model says, k-anonymous over its
    /// quasi-identifiers (planned by [`anonymize`]).
    Anonymized(std::sync::Arc<Anonymization>),
}

impl Privacy {
    pub fn is_identified(&self) -> bool {
        matches!(self, Privacy::Identified)
    }

    /// How the audit log and file names call it.
    pub fn name(&self) -> &'static str {
        match self {
            Privacy::Identified => "identified",
            Privacy::WithoutIdentifiers => "without-identifiers",
            Privacy::Anonymized(_) => "anonymized",
        }
    }
}

/// Where an export's bytes go, a chunk at a time.
#[async_trait::async_trait]
pub trait ChunkSink: Send {
    async fn send(&mut self, chunk: Vec<u8>) -> std::io::Result<()>;
}

/// A sink over a blocking writer (a file, standard output).
pub struct WriteSink<W>(pub W);

#[async_trait::async_trait]
impl<W: Write + Send> ChunkSink for WriteSink<W> {
    async fn send(&mut self, chunk: Vec<u8>) -> std::io::Result<()> {
        self.0.write_all(&chunk)?;
        self.0.flush()
    }
}

/// A sink feeding a streamed HTTP response body.
#[async_trait::async_trait]
impl ChunkSink for tokio::sync::mpsc::Sender<std::io::Result<Vec<u8>>> {
    async fn send(&mut self, chunk: Vec<u8>) -> std::io::Result<()> {
        tokio::sync::mpsc::Sender::send(self, Ok(chunk))
            .await
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the download was cancelled")
            })
    }
}

/// A temporary file collecting an export before it is handed on (anonymized exports,
/// whose last check comes after the last row).
pub(crate) struct Spool {
    file: std::fs::File,
}

impl Spool {
    pub(crate) fn new() -> std::io::Result<Spool> {
        Ok(Spool {
            file: tempfile::tempfile()?,
        })
    }

    /// Hand the collected bytes on, a chunk at a time.
    pub(crate) async fn copy_to(mut self, sink: &mut impl ChunkSink) -> std::io::Result<()> {
        use std::io::{Read, Seek};
        self.file.seek(std::io::SeekFrom::Start(0))?;
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = self.file.read(&mut chunk)?;
            if n == 0 {
                return Ok(());
            }
            sink.send(chunk[..n].to_vec()).await?;
        }
    }
}

#[async_trait::async_trait]
impl ChunkSink for Spool {
    async fn send(&mut self, chunk: Vec<u8>) -> std::io::Result<()> {
        self.file.write_all(&chunk)
    }
}

/// RFC 4180 CSV (UTF-8, CRLF) written into memory and handed to a [`ChunkSink`] about
/// every 64 KiB, so an export holds one chunk at a time whatever its size.
pub(crate) struct ChunkedCsv {
    builder: csv::WriterBuilder,
    writer: csv::Writer<Vec<u8>>,
    /// Line breaks inside fields become [`LINE_FEED`] and [`CARRIAGE_RETURN`] (for readers
    /// that take one record per line; the SPSS syntax turns them back).
    one_line: bool,
}

/// A line feed inside an answer, in a file read one record per line (a private-use
/// character no keyboard types; the SPSS syntax turns it back into a line feed).
pub const LINE_FEED: char = '\u{E000}';
/// A carriage return inside an answer, likewise.
pub const CARRIAGE_RETURN: char = '\u{E001}';

/// What Czech Excel expects of a CSV file it opens with a double click.
pub(crate) const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

impl ChunkedCsv {
    const CHUNK: usize = 64 * 1024;

    pub(crate) fn new() -> ChunkedCsv {
        let mut builder = csv::WriterBuilder::new();
        builder.terminator(csv::Terminator::CRLF);
        let writer = builder.from_writer(Vec::with_capacity(Self::CHUNK * 2));
        ChunkedCsv {
            builder,
            writer,
            one_line: false,
        }
    }

    /// Semicolons between fields, as Excel in a locale with a decimal comma expects.
    pub(crate) fn semicolons(mut self) -> ChunkedCsv {
        self.builder.delimiter(b';');
        self.writer = self
            .builder
            .from_writer(Vec::with_capacity(Self::CHUNK * 2));
        self
    }

    /// Write line breaks inside fields as [`LINE_FEED`] and [`CARRIAGE_RETURN`].
    pub(crate) fn one_line(mut self) -> ChunkedCsv {
        self.one_line = true;
        self
    }

    /// Write a record; pass the gathered bytes on once there is a chunk's worth.
    pub(crate) async fn write<I, T>(
        &mut self,
        record: I,
        sink: &mut impl ChunkSink,
    ) -> Result<(), ExportError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        // Never a formula when a spreadsheet opens the file (see [`formula`]); fields one
        // by one, so that only a neutralised one is copied.
        for field in record {
            let field = formula::neutralise(field.as_ref());
            if self.one_line && field.iter().any(|b| matches!(b, b'\r' | b'\n')) {
                let text = String::from_utf8_lossy(&field)
                    .replace('\n', LINE_FEED.encode_utf8(&mut [0; 4]))
                    .replace('\r', CARRIAGE_RETURN.encode_utf8(&mut [0; 4]));
                self.writer.write_field(text)?;
            } else {
                self.writer.write_field(field)?;
            }
        }
        self.writer.write_record(None::<&[u8]>)?;
        if self.writer.get_ref().len() >= Self::CHUNK {
            let fresh = self
                .builder
                .from_writer(Vec::with_capacity(Self::CHUNK * 2));
            let full = std::mem::replace(&mut self.writer, fresh);
            sink.send(full.into_inner().map_err(|e| e.into_error())?)
                .await?;
        }
        Ok(())
    }

    /// Pass on what is left.
    pub(crate) async fn finish(self, sink: &mut impl ChunkSink) -> Result<(), ExportError> {
        sink.send(self.writer.into_inner().map_err(|e| e.into_error())?)
            .await?;
        Ok(())
    }
}

/// The codebook of a survey as stored (every version).
pub async fn codebook_entries(
    store: &Store,
    survey_id: &str,
) -> Result<Vec<CodebookEntry>, ExportError> {
    Ok(codebook::entries(&survey_versions(store, survey_id).await?))
}

/// Every stored version of a survey, newest first, parsed from the database: exports
/// need no survey files, and responses are read against the form they were given on.
pub async fn survey_versions(store: &Store, survey_id: &str) -> Result<Vec<Survey>, ExportError> {
    let versions = store.survey_versions(survey_id).await?;
    if versions.is_empty() {
        return Err(ExportError::UnknownSurvey(survey_id.to_string()));
    }
    versions
        .into_iter()
        .map(|v| {
            let name = format!("{survey_id}@{}", v.version);
            let loaded = survey::load_str(Path::new(&name), &v.source);
            loaded.survey.ok_or_else(|| ExportError::UnreadableVersion {
                survey: survey_id.to_string(),
                version: v.version.clone(),
                reason: loaded
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(String::new, |d| d.message.clone()),
            })
        })
        .collect()
}

/// How many rows an export wrote.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub responses: u64,
    /// What was counted: "complete response(s)" or "finished interview(s)".
    pub unit: &'static str,
    /// For an anonymized export: what was done, to be written next to the data.
    pub report: Option<crate::anonymize::Report>,
}
