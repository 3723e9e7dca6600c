//! The question types: one module per type holding its settings (the struct a
//! survey file's keys load into) and everything the type must answer (the [`Rules`]
//! trait), and the registry below that lists each type once. [`QuestionKind`] (a
//! question's type with its settings), [`QuestionType`] (a type's name) and the
//! dispatch from one to the other are generated from that list, so a type added there
//! and nowhere else fails to compile until it implements every rule.

use std::sync::Arc;

use rand::rngs::StdRng;
use serde_json::Value as Json;

use crate::survey::answer::{Answer, OTHER, Part};
use crate::survey::cells::{Cell, CellProblem};
use crate::survey::choice::{ChoiceList, MatrixRow};
use crate::survey::expr::{ExprError, ValueType};
use crate::survey::input::{Decoded, FormInput, Problem};
use crate::survey::privacy::{Likely, PrivacyClass, ValueCoarsening};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::{Ctx, Sp, Table};

pub mod consent;
pub mod constant_sum;
pub mod date;
pub mod dropdown;
pub mod email;
pub mod hidden;
pub mod likert;
pub mod matrix;
pub mod multi;
pub mod note;
pub mod number;
pub mod ranking;
pub mod rating;
pub mod single;
pub mod text;
pub mod textarea;
pub mod yes_no;

/// What every question type answers. The methods with a default describe what most
/// types do not have (options, parts, an "other" option, a consent version); a type
/// that has one overrides it.
pub trait Rules: std::fmt::Debug {
    /// The answer to question `id` from a submitted page (its fields are named `id`,
    /// `id.part`, `id.other_text`): `Ok(None)` when left blank, or the part at fault and
    /// what is wrong with it.
    fn decode(&self, id: &str, input: &FormInput) -> Decoded;

    /// What is wrong with an answer as a whole though each of its parts parsed (a
    /// required matrix answered in part, a constant sum that does not add up). The
    /// answer is kept, so going back keeps it; moving on is refused.
    fn completeness(&self, required: bool, answer: &Answer) -> Option<Problem>;

    /// Whether answers are typed text (they may name people or places: free text,
    /// left out of exports without identifiers unless declared otherwise).
    fn typed_text(&self) -> bool;

    /// The export columns of an answer, in order: one [`Part::Value`], or one per
    /// option, row, rank or item (and the "other" text).
    fn columns(&self) -> Vec<Part>;

    /// How the page script reads the field of question `question` (or of its row or
    /// item `part`) to evaluate a condition in the browser; `None`: no field on the page.
    fn client_field(&self, question: &str, part: Option<&str>) -> Option<Json>;

    /// What a reference to the question yields in conditions and rules.
    fn value_type(&self) -> ValueType;

    /// What `question.part` yields in conditions and rules, for types made of parts (a
    /// matrix's rows, a constant sum's items); an error for every other type or an
    /// unknown part.
    fn part_value_type(&self, question: &str, part: &str) -> Result<ValueType, ExprError> {
        Err(ExprError::new(
            0..0,
            format!(
                "`{question}` is not a matrix or a constant sum, so `{question}.{part}` means nothing"
            ),
        )
        .with_help(format!("write just `{question}`")))
    }

    /// A plausible answer for demo data and benchmarks; `leaning` shifts every scale
    /// answer of one respondent the same way. `None`: left unanswered (notes, hidden
    /// fields, or settings no answer fits).
    fn sample_answer(&self, leaning: f64, rng: &mut StdRng) -> Option<Answer>;

    /// The answer in question `id`'s export cells (see [`crate::survey::cells`]), the
    /// reverse of writing them; `None` when none holds anything or one cannot be read,
    /// each such cell a problem in `problems`. A question with a value column whose
    /// cell is empty never gets here: it is unanswered.
    fn read_cells(
        &self,
        id: &str,
        cells: &[Cell<'_>],
        problems: &mut Vec<CellProblem>,
    ) -> Option<Answer>;

    /// How the codebook describes the values of the question's value column (or of a
    /// row or item): `1 = yes`, `1 to 10`, each code with its label in `lang`; empty for
    /// typed answers and dates.
    fn value_labels(&self, lang: crate::survey::text::Lang) -> Vec<String>;

    /// Which coarsening by value a `[privacy.coarsen]` rule may apply to the answer.
    fn value_coarsening(&self) -> Option<ValueCoarsening>;

    /// Why a question of this type without `privacy` is likely a quasi-identifier (the
    /// loader warns), if it is.
    fn likely_quasi_identifier(&self) -> Option<Likely>;

    /// The choice list a respondent picks from, if any.
    fn options(&self) -> Option<&Arc<ChoiceList>> {
        None
    }

    /// The parts an answer is made of, each its own variable `q.part`: a matrix's rows,
    /// a constant sum's items.
    fn parts(&self) -> Option<&[MatrixRow]> {
        None
    }

    /// The label of the "other" option (`other = ...`).
    fn other_label(&self) -> Option<&crate::survey::text::Text> {
        None
    }

    /// The version and tick-box label of a consent question.
    fn consent(&self) -> Option<(&str, Option<&crate::survey::text::Text>)> {
        None
    }
}

/// What questions of a type are, before any is read: what the loader checks the common
/// keys (`required`, `text`, `privacy`) against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nature {
    /// Respondents answer it (notes and hidden fields are not answered, so cannot be
    /// required or validated).
    pub answerable: bool,
    /// Always required (a consent): `required = false` is an error.
    pub always_required: bool,
    /// Shown to respondents, so it needs a `text` (hidden fields are not).
    pub shown: bool,
    /// Its answer can take a privacy class (a note has none; a consent is a record of
    /// agreement, not data about the respondent).
    pub classified: bool,
    /// One value per answer: only such a question can be a quasi-identifier.
    pub single_value: bool,
    /// The privacy class when the file declares none; `None`: the one that follows
    /// from the type (see `survey::privacy`).
    pub default_privacy: Option<PrivacyClass>,
}

impl Nature {
    /// A question respondents see and answer with one value.
    pub const ANSWERED: Nature = Nature {
        answerable: true,
        always_required: false,
        shown: true,
        classified: true,
        single_value: true,
        default_privacy: None,
    };
}

/// Reading a type's settings from its question table in a survey file.
pub trait Load: Sized {
    /// The keys this type takes besides those every question takes (`id`, `text`,
    /// `required`, ...).
    const KEYS: &'static [&'static str];

    /// What questions of this type are, before any is read (most are
    /// [`Nature::ANSWERED`]).
    const NATURE: Nature;

    /// The settings, from [`Load::KEYS`] in `t`; `None` when they have errors, each
    /// reported on its line through `ctx`. `lists` are the file's shared choice lists
    /// (`choices = "name"`), `id` the question's id.
    fn load(
        ctx: &mut Ctx<'_>,
        t: &mut Table<'_, '_>,
        lists: &mut [SharedList],
        id: Option<&Sp<String>>,
    ) -> Option<Self>;
}

/// `codes` with the "other" option's code after them, when the question has one.
fn with_other(mut codes: Vec<String>, other: bool) -> Vec<String> {
    if other {
        codes.push(OTHER.to_string());
    }
    codes
}

/// A choice whose options carry attributes (municipality -> region) says where someone
/// is: likely a quasi-identifier.
fn likely_from_attributes(list: &ChoiceList) -> Option<Likely> {
    (!list.attributes.is_empty()).then(|| Likely::Attributes(list.attributes.clone()))
}

/// Generates [`QuestionKind`], [`QuestionType`] and the dispatch between them from one
/// line per type: `Variant(module) = "name in survey files"`.
macro_rules! registry {
    ($($variant:ident($module:ident) = $name:literal,)*) => {
        $(pub use $module::$variant;)*

        /// A question's type with its settings.
        #[derive(Debug)]
        pub enum QuestionKind {
            $($variant($module::$variant),)*
        }

        /// The question types, as written in survey files.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum QuestionType {
            $($variant,)*
        }

        impl QuestionType {
            /// Every type, in the order the registry lists them.
            pub const ALL: [QuestionType; [$($name),*].len()] = [$(QuestionType::$variant),*];

            /// The type's name in survey files (`type = "rating"`).
            pub fn name(self) -> &'static str {
                match self {
                    $(QuestionType::$variant => $name,)*
                }
            }
        }

        impl QuestionType {
            /// The keys of this type besides the common ones.
            pub fn keys(self) -> &'static [&'static str] {
                match self {
                    $(QuestionType::$variant => <$module::$variant as Load>::KEYS,)*
                }
            }

            /// What questions of this type are (see [`Load::NATURE`]).
            pub fn nature(self) -> Nature {
                match self {
                    $(QuestionType::$variant => <$module::$variant as Load>::NATURE,)*
                }
            }

            /// A question of this type, its settings read from `t` (see [`Load::load`]).
            pub(crate) fn load(
                self,
                ctx: &mut Ctx<'_>,
                t: &mut Table<'_, '_>,
                lists: &mut [SharedList],
                id: Option<&Sp<String>>,
            ) -> Option<QuestionKind> {
                match self {
                    $(QuestionType::$variant => {
                        $module::$variant::load(ctx, t, lists, id).map(QuestionKind::$variant)
                    })*
                }
            }
        }

        impl QuestionKind {
            pub fn question_type(&self) -> QuestionType {
                match self {
                    $(QuestionKind::$variant(_) => QuestionType::$variant,)*
                }
            }

            /// This type's answers to the [`Rules`].
            pub fn rules(&self) -> &dyn Rules {
                match self {
                    $(QuestionKind::$variant(kind) => kind,)*
                }
            }
        }
    };
}

registry! {
    Text(text) = "text",
    Textarea(textarea) = "textarea",
    Email(email) = "email",
    Number(number) = "number",
    Single(single) = "single",
    Multi(multi) = "multi",
    Dropdown(dropdown) = "dropdown",
    Likert(likert) = "likert",
    Matrix(matrix) = "matrix",
    Rating(rating) = "rating",
    Date(date) = "date",
    YesNo(yes_no) = "yesno",
    Consent(consent) = "consent",
    Ranking(ranking) = "ranking",
    ConstantSum(constant_sum) = "constant_sum",
    Note(note) = "note",
    Hidden(hidden) = "hidden",
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row of docs/survey-format.md's type table that starts with `` `name` ``,
    /// split into its cells.
    fn documented(table: &str, name: &str) -> Option<Vec<String>> {
        let start = format!("| `{name}` |");
        let row = table.lines().find(|l| l.starts_with(&start))?;
        Some(row.split(" | ").map(str::to_string).collect())
    }

    #[test]
    fn every_type_and_each_of_its_keys_is_documented() {
        let docs = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/survey-format.md"),
        )
        .expect("docs/survey-format.md");
        let table = &docs[docs.find("### Types").expect("the type table")..];
        let mut missing = Vec::new();
        for qt in QuestionType::ALL {
            let Some(row) = documented(table, qt.name()) else {
                missing.push(format!("type {}", qt.name()));
                continue;
            };
            for key in qt.keys() {
                // `key` or `key = [ ... ]`
                if ![format!("`{key}`"), format!("`{key} =")]
                    .iter()
                    .any(|k| row[1].contains(k))
                {
                    missing.push(format!("key {key} of {}", qt.name()));
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new());
        // The check reads the table: a type that is not in it is missed.
        assert!(documented(table, "no_such_type").is_none());
        assert!(documented(table, "rating").is_some_and(|r| r[1].contains("`max`")));
    }

    #[test]
    fn names_are_unique_and_read_back() {
        for qt in QuestionType::ALL {
            assert_eq!(QuestionType::from_name(qt.name()), Some(qt));
        }
        let mut names: Vec<&str> = QuestionType::ALL.iter().map(|qt| qt.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), QuestionType::ALL.len());
    }
}
