//! `anketa import`: responses collected on paper, typed into a CSV with the layout of
//! the wide export (`anketa export SURVEY --format csv`), read back into answers
//! ([`crate::survey::variables::cell`] in reverse) and checked against the survey the
//! way the web form checks them. Pure: bytes in, responses and problems out; the caller
//! checks ids against the database and stores the responses.
//!
//! Columns: `response_id` (empty: a new id), `survey_version` (ignored: responses are
//! stored against the survey file's current version), `submitted_at` (RFC 3339; empty:
//! the time of the import), `language` (empty: the survey's default), optionally
//! `response_status` (only `complete`) and `invitation.*` (must be empty), then one
//! column per variable. Missing variable columns count as empty; unknown ones are
//! errors. Rows whose cells are all empty are skipped.

mod cells;
mod checks;
#[cfg(test)]
mod tests;

use std::collections::{BTreeSet, HashMap};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use self::cells::{CellProblem, read_answer};
use crate::survey::diagnostic::suggest;
use crate::survey::variables::{Variable, variables};
use crate::survey::{Answers, Lang, Question, Survey, flow};

/// Something wrong with one cell (or, for the header, one column) of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// The data row: 1 is the first response; 0 is the header line.
    pub row: usize,
    /// The line of the file the row starts on (the header is line 1). Without line
    /// breaks inside cells, also the row number a spreadsheet shows.
    pub line: u64,
    /// The column's name in the header; `QUESTION.*` for a question spread over several
    /// columns (multi, matrix, ranking) as a whole.
    pub column: String,
    pub message: String,
    /// How to fix it, where that is not obvious from the message.
    pub hint: Option<String>,
}

/// A row without problems, ready to store as a complete response.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResponse {
    pub row: usize,
    pub line: u64,
    pub id: String,
    /// Whether `id` came from the file (else it is new).
    pub id_from_file: bool,
    pub language: Lang,
    pub submitted_at: OffsetDateTime,
    /// The last page that applies to the answers: where a respondent would submit.
    pub last_page: String,
    pub answers: Answers,
}

/// What a file holds: the good rows and every problem of the others.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Rows without problems, in file order.
    pub responses: Vec<ImportedResponse>,
    /// Every problem, by row (header first), then in column order.
    pub problems: Vec<Problem>,
    /// How many data rows the file has (all-empty rows not counted).
    pub rows: usize,
    /// (row, line, id) of every row with a usable `response_id`.
    given_ids: Vec<(usize, u64, String)>,
}

impl Outcome {
    /// Rows with at least one problem.
    pub fn skipped(&self) -> usize {
        self.problems
            .iter()
            .filter(|p| p.row > 0)
            .map(|p| p.row)
            .collect::<BTreeSet<_>>()
            .len()
    }

    /// Problems with the header: nothing can be imported until they are fixed.
    pub fn header_problems(&self) -> usize {
        self.problems.iter().filter(|p| p.row == 0).count()
    }

    /// (row, line, id) of every row whose `response_id` is filled in and usable.
    pub fn given_ids(&self) -> impl Iterator<Item = (usize, u64, &str)> {
        self.given_ids
            .iter()
            .map(|(r, l, id)| (*r, *l, id.as_str()))
    }

    /// Add a problem with a row's `response_id` found later (used twice, or known to the
    /// database already): the row is no longer imported, and the problem goes first
    /// among the row's.
    pub fn reject(&mut self, problem: Problem) {
        self.responses.retain(|r| r.row != problem.row);
        let at = self.problems.partition_point(|p| p.row < problem.row);
        self.problems.insert(at, problem);
    }
}

/// A file that cannot be read as a response CSV at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("\"{0}\" is an interview guide: only questionnaire responses can be imported")]
    InterviewGuide(String),
    #[error("the file is empty: it needs a header line naming the columns and a line per response")]
    Empty,
    #[error(
        "the first line does not name the columns of survey \"{0}\": it must be the header of the survey's CSV export (response_id, submitted_at, language, then one column per variable)"
    )]
    NoHeader(String),
    #[error("there are no responses in this file (only a header line)")]
    NoResponses,
    #[error("line {0}: a quote (\") opened here is never closed")]
    UnclosedQuote(u64),
    #[error("{0}")]
    Csv(String),
}

const RESPONSE_ID: &str = "response_id";
const SURVEY_VERSION: &str = "survey_version";
const SUBMITTED_AT: &str = "submitted_at";
const LANGUAGE: &str = "language";
const RESPONSE_STATUS: &str = "response_status";
const INVITATION: &str = "invitation.";

/// Read a response CSV for `survey`; `now` is the time of the import.
pub fn read(survey: &Survey, input: &[u8], now: OffsetDateTime) -> Result<Outcome, ImportError> {
    if survey.is_interview() {
        return Err(ImportError::InterviewGuide(survey.id.clone()));
    }
    let text = input.strip_prefix(b"\xef\xbb\xbf").unwrap_or(input);
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::Empty);
    }
    if let Some(line) = unclosed_quote(text) {
        return Err(ImportError::UnclosedQuote(line));
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(text);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| ImportError::Csv(csv_message(&e, text)))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut outcome = Outcome::default();
    let layout = Layout::new(survey, headers, &mut outcome.problems)?;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(ImportError::Csv(csv_message(&e, text))),
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        // Cells anketa's exports neutralised against spreadsheet formulas come back as
        // they were typed.
        if record.iter().any(|c| c.starts_with('\'')) {
            let position = record.position().cloned();
            record = record
                .iter()
                .map(|c| crate::export::formula::restore(c).into_owned())
                .collect();
            record.set_position(position);
        }
        outcome.rows += 1;
        let line = record.position().map_or(0, |p| line_at(text, p));
        layout.read_row(&record, outcome.rows, line, now, &mut outcome);
    }
    if outcome.rows == 0 {
        return Err(ImportError::NoResponses);
    }
    reject_duplicate_ids(&mut outcome);
    Ok(outcome)
}

/// Where each column of the file goes.
struct Layout<'s> {
    survey: &'s Survey,
    headers: Vec<String>,
    variables: Vec<Variable>,
    /// For each variable, the file's column holding it (`None`: not in the file).
    variable_columns: Vec<Option<usize>>,
    /// Questions with columns, each with the indices of its variables.
    questions: Vec<(&'s Question, Vec<usize>)>,
    id: Option<usize>,
    submitted_at: Option<usize>,
    language: Option<usize>,
    status: Option<usize>,
    invitation: Vec<usize>,
}

impl<'s> Layout<'s> {
    fn new(
        survey: &'s Survey,
        headers: Vec<String>,
        problems: &mut Vec<Problem>,
    ) -> Result<Layout<'s>, ImportError> {
        let variables = variables(survey);
        let mut layout = Layout {
            survey,
            variable_columns: vec![None; variables.len()],
            questions: survey
                .questions()
                .map(|q| {
                    let own = (0..variables.len()).filter(|&v| variables[v].question == q.id);
                    (q, own.collect::<Vec<_>>())
                })
                .filter(|(_, own)| !own.is_empty())
                .collect(),
            variables,
            id: None,
            submitted_at: None,
            language: None,
            status: None,
            invitation: Vec::new(),
            headers: Vec::new(),
        };
        let mut known = 0;
        let mut header_problem = |column: &str, message: String, hint: Option<String>| {
            problems.push(Problem {
                row: 0,
                line: 1,
                column: column.to_string(),
                message,
                hint,
            });
        };
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() {
                header_problem(
                    "",
                    format!("column {} has no name", i + 1),
                    Some("name it as the export does, or delete the column".into()),
                );
                continue;
            }
            if headers[..i].contains(h) {
                header_problem(h, "this column appears twice".into(), None);
                continue;
            }
            known += 1;
            match h.as_str() {
                RESPONSE_ID => layout.id = Some(i),
                SURVEY_VERSION => {}
                SUBMITTED_AT => layout.submitted_at = Some(i),
                LANGUAGE => layout.language = Some(i),
                RESPONSE_STATUS => layout.status = Some(i),
                _ if h.starts_with(INVITATION) => layout.invitation.push(i),
                _ => match layout.variables.iter().position(|v| v.name == *h) {
                    Some(v) => layout.variable_columns[v] = Some(i),
                    None => {
                        known -= 1;
                        let names = [RESPONSE_ID, SURVEY_VERSION, SUBMITTED_AT, LANGUAGE]
                            .into_iter()
                            .chain(layout.variables.iter().map(|v| v.name.as_str()));
                        let hint = suggest(h, names, '"', || {
                            "the columns are those of the survey's CSV export: remove this one"
                                .to_string()
                        });
                        header_problem(
                            h,
                            format!("survey \"{}\" has no such column", survey.id),
                            Some(hint),
                        );
                    }
                },
            }
        }
        if known == 0 {
            return Err(ImportError::NoHeader(survey.id.clone()));
        }
        layout.headers = headers;
        Ok(layout)
    }

    /// Read one data row into `outcome`: a response, or its problems.
    fn read_row(
        &self,
        record: &csv::StringRecord,
        row: usize,
        line: u64,
        now: OffsetDateTime,
        outcome: &mut Outcome,
    ) {
        let survey = self.survey;
        let cell = |i: Option<usize>| i.and_then(|i| record.get(i)).map_or("", str::trim);
        let mut problems: Vec<CellProblem> = Vec::new();
        let given_id = match cell(self.id) {
            "" => None,
            id if is_response_id(id) => Some(id.to_string()),
            id => {
                problems.push(
                    CellProblem::new(RESPONSE_ID, format!("\"{id}\" is not a usable response id"))
                        .hint("use letters, digits, - and _ (at most 64), or leave it empty for a new id"),
                );
                None
            }
        };
        if let Some(id) = &given_id {
            outcome.given_ids.push((row, line, id.clone()));
        }
        let submitted_at = match cell(self.submitted_at) {
            "" => Some(now),
            v => match OffsetDateTime::parse(v, &Rfc3339) {
                Ok(t) if t <= now => Some(t),
                Ok(_) => {
                    problems.push(CellProblem::new(
                        SUBMITTED_AT,
                        format!("\"{v}\" is in the future"),
                    ));
                    None
                }
                Err(_) => {
                    problems.push(
                        CellProblem::new(SUBMITTED_AT, format!("\"{v}\" is not a date and time"))
                            .hint("write RFC 3339, e.g. 2024-03-05T14:30:00+01:00, or leave it empty for the time of the import"),
                    );
                    None
                }
            },
        };
        let language = match cell(self.language) {
            "" => Some(survey.default_language()),
            v => match Lang::from_code(v).filter(|l| survey.languages.contains(l)) {
                Some(l) => Some(l),
                None => {
                    let codes: Vec<&str> = survey.languages.iter().map(|l| l.code()).collect();
                    problems.push(
                        CellProblem::new(
                            LANGUAGE,
                            format!("\"{v}\" is not a language of this survey"),
                        )
                        .hint(format!(
                            "use one of: {} (or leave it empty for {})",
                            codes.join(", "),
                            codes[0]
                        )),
                    );
                    None
                }
            },
        };
        match cell(self.status) {
            "" | "complete" => {}
            v => problems.push(
                CellProblem::new(
                    RESPONSE_STATUS,
                    format!("the status is \"{v}\": only complete responses can be imported"),
                )
                .hint("remove the rows of responses in progress"),
            ),
        }
        for &i in &self.invitation {
            if !cell(Some(i)).is_empty() {
                problems.push(
                    CellProblem::new(
                        &self.headers[i],
                        "imported responses cannot be linked to invitations",
                    )
                    .hint("clear the invitation.* columns or delete them"),
                );
            }
        }
        let mut raw = Answers::new();
        let mut broken = BTreeSet::new();
        for (q, own) in &self.questions {
            let cells: Vec<(&Variable, &str)> = own
                .iter()
                .map(|&v| (&self.variables[v], cell(self.variable_columns[v])))
                .collect();
            let before = problems.len();
            match read_answer(q, &cells, &mut problems) {
                Some(answer) => {
                    raw.insert(q.id.clone(), answer);
                }
                None if problems.len() > before => {
                    broken.insert(q.id.clone());
                }
                None => {}
            }
        }
        let filled = |question: &str| -> Vec<String> {
            self.questions
                .iter()
                .filter(|(q, _)| q.id == question)
                .flat_map(|(_, own)| own.iter())
                .filter(|&&v| !cell(self.variable_columns[v]).is_empty())
                .map(|&v| self.variables[v].name.clone())
                .collect()
        };
        let (answers, found) =
            checks::check_response(survey, &raw, &broken, filled, &self.variables);
        problems.extend(found);
        if !problems.is_empty() {
            problems.sort_by_key(|p| self.position(&p.column));
            outcome
                .problems
                .extend(problems.into_iter().map(|p| Problem {
                    row,
                    line,
                    column: p.column,
                    message: p.message,
                    hint: p.hint,
                }));
            return;
        }
        let (Some(submitted_at), Some(language)) = (submitted_at, language) else {
            return;
        };
        let last_page = (0..survey.pages.len())
            .rev()
            .find(|&i| flow::page_applies(survey, i, &answers))
            .map_or_else(String::new, |i| survey.pages[i].id.clone());
        outcome.responses.push(ImportedResponse {
            row,
            line,
            id_from_file: given_id.is_some(),
            id: given_id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string()),
            language,
            submitted_at,
            last_page,
            answers,
        });
    }

    /// Where a problem's column sorts: the file's order, then columns the file lacks in
    /// questionnaire order.
    fn position(&self, column: &str) -> usize {
        if let Some(i) = self.headers.iter().position(|h| h == column) {
            return i;
        }
        let question = column.strip_suffix(".*").unwrap_or(column);
        self.variables
            .iter()
            .position(|v| v.name == column || v.question == question)
            .map_or(usize::MAX, |v| match self.variable_columns[v] {
                Some(i) => i,
                None => self.headers.len() + v,
            })
    }
}

/// An id used by several rows makes each of them a problem.
fn reject_duplicate_ids(outcome: &mut Outcome) {
    let mut lines: HashMap<&str, Vec<u64>> = HashMap::new();
    for (_, line, id) in &outcome.given_ids {
        lines.entry(id).or_default().push(*line);
    }
    let duplicates: Vec<Problem> = outcome
        .given_ids
        .iter()
        .filter_map(|(row, line, id)| {
            let all = &lines[id.as_str()];
            (all.len() > 1).then(|| {
                let others: Vec<String> = all
                    .iter()
                    .filter(|l| *l != line)
                    .map(u64::to_string)
                    .collect();
                Problem {
                    row: *row,
                    line: *line,
                    column: RESPONSE_ID.into(),
                    message: format!(
                        "response id \"{id}\" is used on line {} too",
                        others.join(", ")
                    ),
                    hint: Some(
                        "each response needs its own id: leave it empty for a new one".into(),
                    ),
                }
            })
        })
        .collect();
    for problem in duplicates {
        outcome.reject(problem);
    }
}

/// Letters, digits, `-` and `_`, at most 64 characters (what exports write: UUIDs).
fn is_response_id(s: &str) -> bool {
    s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// The line a quote that is never closed opens on (the CSV reader would silently take
/// the rest of the file as one cell).
fn unclosed_quote(text: &[u8]) -> Option<u64> {
    let (mut line, mut opened, mut quoted) = (1, 1, false);
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'"' if quoted && text.get(i + 1) == Some(&b'"') => i += 1,
            b'"' => {
                quoted = !quoted;
                opened = line;
            }
            b'\n' => line += 1,
            _ => {}
        }
        i += 1;
    }
    quoted.then_some(opened)
}

/// The line a record starts on. The reader's own count lags a line behind in files
/// with CRLF line ends (what exports write): the record's byte offset can point at the
/// `\n` ending the line before.
fn line_at(text: &[u8], position: &csv::Position) -> u64 {
    let mut start = (position.byte() as usize).min(text.len());
    while matches!(text.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    1 + text[..start].iter().filter(|&&b| b == b'\n').count() as u64
}

fn csv_message(e: &csv::Error, text: &[u8]) -> String {
    let line = e
        .position()
        .map(|p| format!("line {}: ", line_at(text, p)))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!(
            "{line}this row has {len} fields but the header has {expected_len}; check for a missing or extra comma"
        ),
        csv::ErrorKind::Utf8 { .. } => {
            format!("{line}the file is not UTF-8; save it as \"CSV UTF-8\"")
        }
        _ => format!("{line}{e}"),
    }
}
