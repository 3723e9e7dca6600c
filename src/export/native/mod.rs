//! Native files of the statistics packages: SPSS `.sav` ([`sav`]) and Stata `.dta`
//! format 118 ([`dta`]). Both writers take the same typed description of a dataset
//! (columns with labels, value labels and types; rows of typed values, with "not asked
//! because of skip logic" kept apart from "no answer"), so what a variable is, is decided
//! once, here, and each writer only encodes it.

mod build;
pub mod dta;
pub mod sav;

pub(crate) use build::NativeOut;

/// Which native file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Native {
    /// SPSS `.sav`.
    Sav,
    /// Stata `.dta`, format 118.
    Dta,
}

impl Native {
    /// The longest text a cell can hold, in UTF-8 bytes: SPSS strings end at 32,767
    /// (a longer answer is cut, with "…"; the CSV and JSON exports have it whole); Stata's
    /// strL has no practical limit.
    pub fn longest_text(self) -> usize {
        match self {
            Native::Sav => 32_767,
            Native::Dta => usize::MAX,
        }
    }
}

/// One variable of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// The export's column name (e.g. `q1`, `town.region`, `invitation.group`); each writer
    /// turns it into a valid, unique name for its format and keeps the original in the
    /// variable label when it had to change it.
    pub name: String,
    /// The variable label (the question text), any length, UTF-8; writers cut it to their
    /// format's limit at a character boundary.
    pub label: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Numbers (integers or decimals), with value labels (code, label) where the codes mean
    /// something (a Likert item, a choice, a tick). `not_asked` is the code written for
    /// "not asked" in formats without extended missing values (SPSS: a user-missing
    /// value); it never collides with a value of the column.
    Number {
        labels: Vec<(f64, String)>,
        not_asked: f64,
        /// Decimal places to display (0 when every value is a whole number); display
        /// only, values are written exactly.
        decimals: u8,
    },
    /// A calendar day.
    Date,
    /// An instant in UTC, kept to the millisecond.
    DateTime,
    /// Text; `width` is the longest value in UTF-8 bytes (at least 1).
    Text { width: usize },
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Number(f64),
    Date(time::Date),
    DateTime(time::OffsetDateTime),
    Text(&'a str),
    /// The question was asked (its page and condition applied) and left unanswered.
    NoAnswer,
    /// Skip logic did not ask the question (or the respondent's survey version had no
    /// such question).
    NotAsked,
}

/// The label of the "not asked" missing code, in the file's language-neutral form.
pub const NOT_ASKED_LABEL: &str = "not asked (skip logic) / nedotázáno";
