//! A response as the rest of anketa sees it, whatever keeps it: the store writes and
//! reads it, reports, exports and the release rules read it.

use time::OffsetDateTime;

use super::{Answers, Lang};

/// Whether a response was submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    InProgress,
    Complete,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InProgress => "in_progress",
            Status::Complete => "complete",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        match s {
            "in_progress" => Some(Status::InProgress),
            "complete" => Some(Status::Complete),
            _ => None,
        }
    }
}

/// A response as recorded: its answers and what is known about it (when, in which
/// language, by which invitation, flagged or deleted by staff).
#[derive(Debug, Clone)]
pub struct Response {
    pub id: String,
    pub survey_id: String,
    pub survey_version: String,
    pub status: Status,
    pub language: Lang,
    pub current_page: String,
    pub answers: Answers,
    /// Incremented by every write; writers pass the revision they read (optimistic locking).
    pub revision: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    pub submitted_at: Option<OffsetDateTime>,
    /// The invitation row (column -> value) of a response to a token survey.
    pub invitation: Option<std::collections::BTreeMap<String, String>>,
    /// Marked by staff: `test` or `excluded` (such responses leave exports and counts).
    pub flag: Option<String>,
    pub flag_reason: Option<String>,
    /// Deleted by staff (kept for the audit trail, gone from everything else).
    pub deleted_at: Option<OffsetDateTime>,
}
