//! The privacy model of a survey, as declared in its TOML: how each question's answers
//! (and each invitation column) are treated by anonymized exports, how values are
//! coarsened, how large the smallest group of look-alike respondents must be (k), and what
//! the pseudonym that replaces the response id is computed from. Plain data; the
//! anonymizer in [`crate::anonymize`] applies it.

/// How a question's answers (or an invitation column) are treated by anonymized exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrivacyClass {
    /// Kept as is (after coarsening, if a rule names it). Typed text declared `none` is
    /// kept with e-mails, phone numbers, birth numbers and invited people's names redacted.
    None,
    /// Names a person (name, e-mail, phone): never in an anonymized export.
    Identifier,
    /// Identifies in combination (municipality, role, age): coarsened by the rules and
    /// checked for k-anonymity, with cells suppressed where a group is too small.
    QuasiIdentifier,
    /// Free text that may name people: dropped, or redacted with `--scrub-text`. The
    /// default for typed text and "other" answers.
    Sensitive,
}

impl PrivacyClass {
    pub const NAMES: [&'static str; 4] = ["none", "identifier", "quasi_identifier", "sensitive"];

    pub fn name(self) -> &'static str {
        match self {
            PrivacyClass::None => "none",
            PrivacyClass::Identifier => "identifier",
            PrivacyClass::QuasiIdentifier => "quasi_identifier",
            PrivacyClass::Sensitive => "sensitive",
        }
    }

    pub fn from_name(name: &str) -> Option<PrivacyClass> {
        Some(match name {
            "none" => PrivacyClass::None,
            "identifier" => PrivacyClass::Identifier,
            "quasi_identifier" => PrivacyClass::QuasiIdentifier,
            "sensitive" => PrivacyClass::Sensitive,
            _ => return None,
        })
    }
}

/// How a value is made less precise before the k-anonymity check.
#[derive(Debug, Clone, PartialEq)]
pub enum Coarsening {
    /// A choice becomes the value of one of its option attributes (municipality -> its
    /// regional office).
    Attribute(String),
    /// A date (or the submission time) becomes its month, `2024-03`.
    Month,
    /// ... or its year, `2024`.
    Year,
    /// A number becomes the band it falls in; the bounds are the bands' lower ends,
    /// strictly increasing: `[18, 30, 45]` gives `<18`, `18-29`, `30-44`, `45+` for whole
    /// numbers (`18-<30` and so on when the bounds or values are not whole).
    Bands(Vec<f64>),
}

impl Coarsening {
    /// How the rule reads in a report.
    pub fn describe(&self) -> String {
        match self {
            Coarsening::Attribute(a) => format!("replaced by the option attribute `{a}`"),
            Coarsening::Month => "dates reduced to the month".into(),
            Coarsening::Year => "dates reduced to the year".into(),
            Coarsening::Bands(b) => format!(
                "numbers grouped in bands starting at {}",
                b.iter()
                    .map(|x| crate::survey::answer::format_number(*x))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// What the pseudonym replacing the response id is computed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PseudonymSource {
    /// The response id: stable across exports of this survey, links nothing else.
    Response,
    /// An invitation column (e.g. the e-mail): the same person gets the same pseudonym in
    /// every survey whose export uses the same key, so pre/post surveys link.
    Invitation(String),
    /// An identifier question (e.g. a typed e-mail or participant code): links like an
    /// invitation column, for anonymous surveys.
    Question(String),
    /// Row numbers: links nothing and needs no key.
    RowNumber,
}

impl PseudonymSource {
    /// Whether it links records across surveys (and so needs a key to be computed).
    pub fn links_people(&self) -> bool {
        matches!(
            self,
            PseudonymSource::Invitation(_) | PseudonymSource::Question(_)
        )
    }

    pub fn describe(&self) -> String {
        match self {
            PseudonymSource::Response => {
                "keyed hash of the response id, different in every export".into()
            }
            PseudonymSource::Invitation(c) => format!("keyed hash of the invitation's `{c}`"),
            PseudonymSource::Question(q) => format!("keyed hash of the answer to `{q}`"),
            PseudonymSource::RowNumber => "row numbers".into(),
        }
    }
}

/// The survey-wide rules (`[privacy]`); every part has a default.
#[derive(Debug, Clone, PartialEq)]
pub struct PrivacyRules {
    /// The smallest group of respondents sharing their quasi-identifiers an anonymized
    /// export may contain. Default 5.
    pub k: usize,
    pub pseudonym: PseudonymSource,
    /// Coarsening per question id, or for `submitted_at`.
    pub coarsen: Vec<(String, Coarsening)>,
    /// Classes of invitation columns; a column not listed is an identifier.
    pub invitation: Vec<(String, PrivacyClass)>,
    /// Quasi-identifiers to keep in preference, most wanted first (question ids or
    /// `invitation.COLUMN`): the others are blanked first when k needs suppression.
    pub keep: Vec<String>,
}

impl Default for PrivacyRules {
    fn default() -> PrivacyRules {
        PrivacyRules {
            k: 5,
            pseudonym: PseudonymSource::Response,
            coarsen: Vec::new(),
            invitation: Vec::new(),
            keep: Vec::new(),
        }
    }
}

impl PrivacyRules {
    /// The coarsening rule for a question id (or `submitted_at`).
    pub fn coarsening(&self, target: &str) -> Option<&Coarsening> {
        self.coarsen
            .iter()
            .find(|(t, _)| t == target)
            .map(|(_, c)| c)
    }

    /// The class of an invitation column: identifier unless declared.
    pub fn invitation_class(&self, column: &str) -> PrivacyClass {
        self.invitation
            .iter()
            .find(|(c, _)| c == column)
            .map_or(PrivacyClass::Identifier, |(_, class)| *class)
    }
}

/// Why a question is likely a quasi-identifier.
pub enum Likely {
    /// An exact number: a year, an age, years of experience, a count of staff.
    Number,
    /// A date: a birthday, when a project or a job started.
    Date,
    /// A single choice whose options carry these attributes (municipality -> region):
    /// the options are places or organisations, so the answer says where someone is.
    Attributes(Vec<String>),
}

impl Likely {
    /// What the answer is, in a warning: "an exact number (a year, an age, a count)".
    pub fn what(&self) -> String {
        match self {
            Likely::Number => "an exact number (a year, an age, a count)".into(),
            Likely::Date => "a date".into(),
            Likely::Attributes(a) => format!(
                "a choice whose options carry {} ({})",
                if a.len() == 1 {
                    "an attribute"
                } else {
                    "attributes"
                },
                a.join(", ")
            ),
        }
    }

    /// An example coarsening rule for the question, and what it publishes.
    pub fn rule(&self, id: &str) -> String {
        match self {
            Likely::Number => {
                format!("{id} = [5, 10, 20] publishes the bands <5, 5-9, 10-19, 20+")
            }
            Likely::Date => format!("{id} = \"year\" publishes the year"),
            Likely::Attributes(a) => format!("{id} = \"{0}\" publishes the option's {0}", a[0]),
        }
    }
}

/// Which coarsening by value applies to a question's answer (an option attribute
/// applies to any question with options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueCoarsening {
    /// Months or years: dates.
    Dates,
    /// Bands of a list of lower ends: numbers and ratings.
    Bands,
}
