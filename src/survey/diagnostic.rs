//! Diagnostics about survey files: what is wrong, where (file, line, column) and how to
//! fix it, rendered in the style of rustc with the source line and a caret.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A position in a source file, 1-based, columns counted in characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The full text of the line the problem starts on.
    pub source_line: String,
    /// How many characters of `source_line` to underline (at least 1).
    pub width: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    pub location: Option<Location>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A problem with a file as a whole (unreadable, duplicate survey id across files).
    pub fn file_error(path: &Path, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            path: path.to_path_buf(),
            location: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let path = self.path.display();
        match &self.location {
            None => writeln!(f, "{path}: {severity}: {}", self.message)?,
            Some(loc) => {
                writeln!(
                    f,
                    "{path}:{}:{}: {severity}: {}",
                    loc.line, loc.column, self.message
                )?;
                let gutter = loc.line.to_string().len();
                let pad = " ".repeat(gutter);
                writeln!(f, "{pad} |")?;
                writeln!(f, "{} | {}", loc.line, loc.source_line)?;
                // Tabs keep their width so the caret lines up under the source.
                let lead: String = loc
                    .source_line
                    .chars()
                    .take(loc.column - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                writeln!(f, "{pad} | {lead}{}", "^".repeat(loc.width))?;
            }
        }
        if let Some(help) = &self.help {
            let pad = match &self.location {
                Some(loc) => " ".repeat(loc.line.to_string().len()),
                None => String::new(),
            };
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// A survey file's text with a line index, turning byte spans into [`Location`]s.
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceFile {
            path: path.into(),
            text,
            line_starts,
        }
    }

    pub fn locate(&self, span: Range<usize>) -> Location {
        let start = floor_char_boundary(&self.text, span.start.min(self.text.len()));
        let line_idx = match self.line_starts.binary_search(&start) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let line_start = self.line_starts[line_idx];
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| line_start + i);
        let source_line = self.text[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let column = self.text[line_start..start].chars().count() + 1;
        let end = floor_char_boundary(&self.text, span.end.clamp(start, line_end));
        let width = self.text[start..end].chars().count().max(1);
        Location {
            line: line_idx + 1,
            column,
            source_line,
            width,
        }
    }

    pub fn diagnostic(
        &self,
        severity: Severity,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        Diagnostic {
            severity,
            path: self.path.clone(),
            location: Some(self.locate(span)),
            message: message.into(),
            help,
        }
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Suggest the closest of `candidates` to a misspelt `word`, if one is close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The help for a misspelt word: "did you mean X?" (X in `quote`s) when a candidate is
/// close, otherwise `fallback()` (typically the list of valid words).
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    quote: char,
    fallback: impl FnOnce() -> String,
) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean {quote}{s}{quote}?"),
        None => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_counts_lines_and_characters_not_bytes() {
        let src = SourceFile::new("x.toml", "a = 1\ntext = \"Příliš\" x\n");
        let start = src.text.rfind('x').unwrap();
        let loc = src.locate(start..start + 1);
        assert_eq!((loc.line, loc.column, loc.width), (2, 17, 1));
        assert_eq!(loc.source_line, "text = \"Příliš\" x");
    }

    #[test]
    fn rendering_shows_position_source_caret_and_help() {
        let src = SourceFile::new("surveys/x.toml", "[[page.question]]\n  type = \"likret\"\n");
        let start = src.text.find("\"likret\"").unwrap();
        let d = src.diagnostic(
            Severity::Error,
            start..start + 8,
            "unknown question type \"likret\"",
            Some("did you mean \"likert\"?".into()),
        );
        assert_eq!(
            d.to_string(),
            "surveys/x.toml:2:10: error: unknown question type \"likret\"\n  |\n2 |   type = \"likret\"\n  |          ^^^^^^^^\n  = help: did you mean \"likert\"?\n"
        );
    }

    #[test]
    fn spans_running_past_the_line_are_cut_at_its_end() {
        let src = SourceFile::new("x.toml", "ab\ncd");
        let loc = src.locate(1..5);
        assert_eq!((loc.line, loc.column, loc.width), (1, 2, 1));
        let eof = src.locate(5..5);
        assert_eq!((eof.line, eof.column), (2, 3));
    }

    #[test]
    fn did_you_mean_finds_near_misses_only() {
        let types = ["text", "likert", "matrix", "single"];
        assert_eq!(did_you_mean("likret", types), Some("likert"));
        assert_eq!(did_you_mean("zzz", types), None);
    }
}
