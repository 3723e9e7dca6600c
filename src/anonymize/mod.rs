//! Anonymization of exported records, as the survey's privacy model declares (see
//! [`crate::survey::privacy`]): which columns are dropped, which are coarsened, which
//! typed text is redacted, what replaces the response id, and which columns are the
//! quasi-identifiers the k-anonymity plan ([`kanon`]) works on. Pure: it turns the
//! identified record an export would write into the anonymized one; the export module
//! does the reading and the two passes over the data.

pub mod coarsen;
pub mod interviews;
pub mod kanon;
pub mod pseudonym;
mod report;
pub mod scrub;

use std::sync::Arc;

pub use self::kanon::{Outcome, Plan, Tuple};
pub use self::pseudonym::PseudonymKey;
pub use self::report::Report;
pub use self::scrub::{Redactions, Scrubber};
use crate::survey::Survey;
use crate::survey::model::{ChoiceList, Coarsening, PrivacyClass, PseudonymSource, QuestionKind};
use crate::survey::types;
use crate::survey::variables::{Part, Variable};

/// What the evaluator asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Overrides the survey's `k`.
    pub k: Option<usize>,
    /// The secret for keyed pseudonyms; without it pseudonyms are row numbers (a survey
    /// whose pseudonyms link people across surveys then refuses to export).
    pub key: Option<PseudonymKey>,
    /// Keep sensitive text, redacted, instead of dropping it.
    pub scrub_text: bool,
    /// Publish even if cells must be blanked or records left out to reach k.
    pub accept_suppression: bool,
    /// Mixed into pseudonyms of response ids, so two exports of the same responses
    /// cannot be joined by them (a fresh random value per export; linking pseudonyms
    /// from invitation columns or questions do not use it).
    pub export_salt: String,
    /// The survey as its file reads now: its privacy model wins over the stored
    /// versions' (a researcher may tighten the rules after responses came in).
    pub survey: Option<Arc<Survey>>,
}

/// Where a column of the identified record comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// `response_id`, `survey_version`, `submitted_at`, `language`, `response_status`.
    Fixed(&'a str),
    /// An invitation column (without the `invitation.` prefix).
    Invitation(&'a str),
    Variable(&'a Variable),
}

#[derive(Debug, Clone)]
enum Treatment {
    Pseudonym,
    Keep,
    Coarsen {
        rule: Coarsening,
        options: Option<Arc<ChoiceList>>,
        whole: bool,
    },
    Scrub,
    /// A survey version (a hash of its file) becomes the number of its question set:
    /// versions that changed only wording are one value, so a reworded file does not
    /// leave its next respondents alone with a new version.
    QuestionSet(std::collections::HashMap<String, String>),
}

/// The question sets of `versions` (newest first): each version's hash mapped to the
/// number, in order of first use, of its variables and answer codes.
pub fn question_sets(versions: &[Survey]) -> std::collections::HashMap<String, String> {
    let fingerprint = |s: &Survey| -> String {
        let mut out = String::new();
        for v in crate::survey::variables::variables(s) {
            out.push_str(&v.name);
            out.push('\n');
        }
        for q in s.questions() {
            for c in q.kind.options().iter().flat_map(|l| &l.options) {
                out.push_str(&format!("{}={}\n", q.id, c.value));
            }
        }
        out
    };
    let mut seen: Vec<String> = Vec::new();
    let mut out = std::collections::HashMap::new();
    for s in versions.iter().rev() {
        let f = fingerprint(s);
        let number = match seen.iter().position(|x| *x == f) {
            Some(i) => i + 1,
            None => {
                seen.push(f);
                seen.len()
            }
        };
        out.insert(s.version.clone(), number.to_string());
    }
    out
}

/// The consent scripts of an interview guide's `versions` (newest first): each script's
/// hash mapped to its number in order of first use, so that anonymized interview records
/// do not carry a hash that dates them.
pub fn consent_scripts(versions: &[Survey]) -> std::collections::HashMap<String, String> {
    let mut out = std::collections::HashMap::new();
    for guide in versions.iter().rev().filter_map(|s| s.guide()) {
        let next = (out.len() + 1).to_string();
        out.entry(guide.consent_version.clone()).or_insert(next);
    }
    out
}

#[derive(Debug, Clone)]
struct Column {
    /// Index in the identified record.
    from: usize,
    name: String,
    treatment: Treatment,
    quasi: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnonymizeError {
    #[error(
        "the survey's pseudonyms link people across surveys ({0}), which needs the secret pseudonym key, and none was given"
    )]
    NeedsKey(String),
    #[error("the pseudonym comes from \"{0}\", which no stored response or invitation has")]
    NoPseudonymColumn(String),
}

/// Turns identified records into anonymized ones for one export.
#[derive(Debug, Clone)]
pub struct Anonymizer {
    columns: Vec<Column>,
    /// Columns left out, with why.
    dropped: Vec<(String, &'static str)>,
    /// Index in the identified record of what the pseudonym is computed from.
    pseudonym_from: Option<usize>,
    pseudonym: PseudonymSource,
    export_salt: String,
    keep: Vec<String>,
    key: Option<PseudonymKey>,
    scrubber: Scrubber,
    pub k: usize,
    pub accept_suppression: bool,
}

/// How one answer variable leaves an anonymized export: with its treatment and whether
/// it is a quasi-identifier, or dropped for the reason given. `declared`: the strictest
/// class any version gave its question.
fn variable_treatment(
    v: &Variable,
    q: Option<&crate::survey::model::Question>,
    declared: Option<PrivacyClass>,
    rules: &crate::survey::model::PrivacyRules,
    scrub_text: bool,
) -> Result<(Treatment, bool), &'static str> {
    let class = match (&v.part, declared) {
        (_, Some(PrivacyClass::Identifier)) => PrivacyClass::Identifier,
        // The text typed for "other" is free text whatever the choice is, and
        // for a quasi-identifier it would undo its suppression: never kept.
        (Part::OtherText, Some(PrivacyClass::QuasiIdentifier)) => PrivacyClass::Identifier,
        (Part::OtherText, Some(PrivacyClass::None)) => PrivacyClass::None,
        (Part::OtherText, _) => PrivacyClass::Sensitive,
        (_, Some(c)) => c,
        (_, None) if v.free_text => PrivacyClass::Sensitive,
        (_, None) => PrivacyClass::None,
    };
    let coarsening = (v.part == Part::Value)
        .then(|| rules.coarsening(&v.question))
        .flatten();
    let value_treatment = || match coarsening {
        Some(rule) => Treatment::Coarsen {
            rule: rule.clone(),
            options: q.and_then(|q| q.kind.options()).cloned(),
            whole: q.is_some_and(|q| {
                matches!(
                    q.kind,
                    QuestionKind::Number(types::Number { integer: true, .. })
                        | QuestionKind::Rating(_)
                )
            }),
        },
        None if v.free_text => Treatment::Scrub,
        None => Treatment::Keep,
    };
    match class {
        PrivacyClass::Identifier if v.part == Part::OtherText => {
            Err("text typed for \"other\" of a quasi-identifier")
        }
        PrivacyClass::Identifier => Err("identifier"),
        PrivacyClass::Sensitive if scrub_text => Ok((Treatment::Scrub, false)),
        PrivacyClass::Sensitive => {
            Err("sensitive free text (researchers can publish it redacted: the scrub-text option)")
        }
        PrivacyClass::QuasiIdentifier => Ok((value_treatment(), true)),
        PrivacyClass::None => Ok((value_treatment(), false)),
    }
}

impl Anonymizer {
    /// `versions`: the survey's stored versions, newest first; `sources`: the identified
    /// record's columns; `people`: values of the invitation list's identifier columns.
    pub fn new(
        versions: &[Survey],
        sources: &[Source<'_>],
        options: &Options,
        people: &[String],
    ) -> Result<Anonymizer, AnonymizeError> {
        let current = options.survey.as_deref();
        let rules = &current.unwrap_or(&versions[0]).privacy;
        let question = |id: &str| {
            current
                .and_then(|s| s.question(id))
                .or_else(|| versions.iter().find_map(|s| s.question(id)))
        };
        // The strictest class any version (or the current file) declared: loosening a
        // declaration later must not publish the answers given under the strict one.
        let declared_class = |id: &str| {
            current
                .into_iter()
                .chain(versions)
                .filter_map(|s| s.question(id).and_then(|q| q.privacy))
                .max_by_key(|c| strictness(*c))
        };
        let mut columns = Vec::new();
        let mut dropped = Vec::new();
        let mut pseudonym_from = None;
        for (from, source) in sources.iter().enumerate() {
            let mut keep = |name: String, treatment: Treatment, quasi: bool| {
                columns.push(Column {
                    from,
                    name,
                    treatment,
                    quasi,
                })
            };
            match *source {
                Source::Fixed("response_id") => {
                    if rules.pseudonym == PseudonymSource::Response {
                        pseudonym_from = Some(from);
                    }
                    keep("pseudonym".into(), Treatment::Pseudonym, false);
                }
                // The submission time is published only when a rule coarsens it, and then
                // as a quasi-identifier (whoever saw a response arrive knows it).
                Source::Fixed("submitted_at") => match rules.coarsening("submitted_at") {
                    Some(rule) => keep(
                        "submitted_at".into(),
                        Treatment::Coarsen {
                            rule: rule.clone(),
                            options: None,
                            whole: false,
                        },
                        true,
                    ),
                    None => dropped.push((
                        "submitted_at".to_string(),
                        "the submission time (publish it coarsened with [privacy.coarsen] submitted_at = \"month\")",
                    )),
                },
                Source::Fixed("language") => dropped.push((
                    "language".to_string(),
                    "the language answered in can single out a respondent",
                )),
                // Whoever saw the survey file change knows who answered after it: the
                // version is a quasi-identifier, as its question set.
                Source::Fixed("survey_version") => keep(
                    "survey_version".into(),
                    Treatment::QuestionSet(question_sets(versions)),
                    true,
                ),
                Source::Fixed(name) => keep(name.into(), Treatment::Keep, false),
                Source::Invitation(column) => {
                    let name = format!("invitation.{column}");
                    if rules.pseudonym == PseudonymSource::Invitation(column.to_string()) {
                        pseudonym_from = Some(from);
                    }
                    match rules.invitation_class(column) {
                        PrivacyClass::QuasiIdentifier => keep(name, Treatment::Keep, true),
                        PrivacyClass::None => keep(name, Treatment::Keep, false),
                        _ => dropped.push((name, "invitation column (an identifier unless [privacy.invitation] says otherwise)")),
                    }
                }
                Source::Variable(v) => {
                    let q = question(&v.question);
                    let declared = declared_class(&v.question);
                    if rules.pseudonym == PseudonymSource::Question(v.question.clone())
                        && v.part == Part::Value
                    {
                        pseudonym_from = Some(from);
                    }
                    match variable_treatment(v, q, declared, rules, options.scrub_text) {
                        Ok((treatment, quasi)) => keep(v.name.clone(), treatment, quasi),
                        Err(reason) => dropped.push((v.name.clone(), reason)),
                    }
                }
            }
        }
        let key = match (&options.key, &rules.pseudonym) {
            (None, p) if p.links_people() => {
                return Err(AnonymizeError::NeedsKey(p.describe()));
            }
            (key, _) => key.clone(),
        };
        match (&rules.pseudonym, pseudonym_from) {
            (PseudonymSource::Invitation(column), None) => {
                return Err(AnonymizeError::NoPseudonymColumn(format!(
                    "invitation.{column}"
                )));
            }
            (PseudonymSource::Question(id), None) => {
                return Err(AnonymizeError::NoPseudonymColumn(id.clone()));
            }
            _ => {}
        }
        if rules.pseudonym == PseudonymSource::RowNumber {
            pseudonym_from = None;
        }
        Ok(Anonymizer {
            columns,
            dropped,
            pseudonym_from,
            pseudonym: rules.pseudonym.clone(),
            export_salt: options.export_salt.clone(),
            keep: rules.keep.clone(),
            key,
            scrubber: Scrubber::new(people.iter().map(String::as_str)),
            k: options.k.unwrap_or(rules.k),
            accept_suppression: options.accept_suppression,
        })
    }

    /// The anonymized header.
    pub fn header(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.name.clone()).collect()
    }

    /// For each published column, the identified column it comes from.
    pub fn origins(&self) -> Vec<usize> {
        self.columns.iter().map(|c| c.from).collect()
    }

    /// Whether the column `name` is published exactly as answered: not a quasi-identifier,
    /// not coarsened, redacted or dropped.
    pub fn publishes_plainly(&self, name: &str) -> bool {
        self.columns
            .iter()
            .any(|c| c.name == name && !c.quasi && matches!(c.treatment, Treatment::Keep))
    }

    /// Whether a published column is coarsened (its values are no longer the codebook's).
    pub fn is_coarsened(&self, published: usize) -> bool {
        matches!(self.columns[published].treatment, Treatment::Coarsen { .. })
    }

    /// For a published column that is coarsened: the rule, and the values it can
    /// produce where they are known in advance (option attributes, bands).
    pub fn coarse_values(&self, published: usize) -> Option<(String, Vec<String>)> {
        let Treatment::Coarsen {
            rule,
            options,
            whole,
        } = &self.columns[published].treatment
        else {
            return None;
        };
        let values = match rule {
            Coarsening::Attribute(a) => {
                let mut out: Vec<String> = Vec::new();
                for c in options.iter().flat_map(|l| &l.options) {
                    if let Some((_, v)) = c.attributes.iter().find(|(name, _)| name == a)
                        && !out.contains(v)
                    {
                        out.push(v.clone());
                    }
                }
                out
            }
            Coarsening::Bands(bounds) => coarsen::band_labels(bounds, *whole),
            Coarsening::Month | Coarsening::Year => Vec::new(),
        };
        Some((rule.describe(), values))
    }

    /// The quasi-identifiers, in column order.
    pub fn quasi_identifiers(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.quasi)
            .map(|c| c.name.clone())
            .collect()
    }

    /// The rank of each quasi-identifier for the planner: the survey's `keep` list, most
    /// wanted first, ranks highest; the others are 0.
    pub fn keep_ranks(&self) -> Vec<usize> {
        self.quasi_identifiers()
            .iter()
            .map(|name| {
                self.keep
                    .iter()
                    .position(|k| k == name)
                    .map_or(0, |i| self.keep.len() - i)
            })
            .collect()
    }

    /// A record's quasi-identifier values after coarsening.
    pub fn quasi_tuple(&self, record: &[String]) -> Tuple {
        self.columns
            .iter()
            .filter(|c| c.quasi)
            .map(|c| self.value(c, record))
            .collect()
    }

    fn value(&self, c: &Column, record: &[String]) -> String {
        let raw = &record[c.from];
        match &c.treatment {
            Treatment::Coarsen {
                rule,
                options,
                whole,
            } => coarsen::coarsen(raw, rule, options.as_deref(), *whole),
            Treatment::QuestionSet(sets) => sets.get(raw).cloned().unwrap_or_default(),
            Treatment::Pseudonym | Treatment::Keep | Treatment::Scrub => raw.clone(),
        }
    }

    /// The anonymized record: `published` is the record's quasi-identifier tuple after
    /// the plan (blanked cells empty), `row` its 1-based position in the export.
    pub fn transform(
        &self,
        record: &[String],
        published: &[String],
        row: u64,
    ) -> (Vec<String>, Redactions) {
        let mut redactions = Redactions::default();
        let mut quasi = published.iter();
        let out = self
            .columns
            .iter()
            .map(|c| {
                if c.quasi {
                    return quasi.next().cloned().unwrap_or_default();
                }
                match &c.treatment {
                    Treatment::Pseudonym => self.pseudonym_of(record, row),
                    Treatment::Scrub => {
                        let (text, n) = self.scrubber.scrub(&record[c.from]);
                        redactions.add(n);
                        text
                    }
                    _ => self.value(c, record),
                }
            })
            .collect();
        (out, redactions)
    }

    fn pseudonym_of(&self, record: &[String], row: u64) -> String {
        let (Some(key), Some(from)) = (&self.key, self.pseudonym_from) else {
            return row.to_string();
        };
        let unlinked = || key.pseudonym(&format!("response:{}:{}", self.export_salt, record[0]));
        if self.pseudonym == PseudonymSource::Response {
            return unlinked();
        }
        match record[from].trim() {
            // No e-mail or code given: a keyed hash of the response id links nothing.
            "" => unlinked(),
            id => key.pseudonym(id),
        }
    }

    /// The report on an export made with this anonymizer and `plan`.
    pub fn report(&self, survey_id: &str, outcome: Outcome, redactions: Redactions) -> Report {
        Report {
            survey_id: survey_id.to_string(),
            k: self.k,
            outcome,
            quasi_identifiers: self.quasi_identifiers(),
            coarsened: self
                .columns
                .iter()
                .filter_map(|c| match &c.treatment {
                    Treatment::Coarsen { rule, .. } => Some((c.name.clone(), rule.describe())),
                    _ => None,
                })
                .collect(),
            scrubbed: self
                .columns
                .iter()
                .filter(|c| matches!(c.treatment, Treatment::Scrub))
                .map(|c| c.name.clone())
                .collect(),
            dropped: self.dropped.clone(),
            pseudonyms: match (&self.key, &self.pseudonym) {
                (None, _) | (_, PseudonymSource::RowNumber) => {
                    "row numbers (no pseudonym key was given, so nothing links)".into()
                }
                (Some(_), p) => format!(
                    "{} (HMAC-SHA-256 with a key kept outside the export)",
                    p.describe()
                ),
            },
            redactions,
        }
    }
}

/// How strict a class is: identifier > sensitive > quasi-identifier > none.
fn strictness(class: PrivacyClass) -> u8 {
    match class {
        PrivacyClass::None => 0,
        PrivacyClass::QuasiIdentifier => 1,
        PrivacyClass::Sensitive => 2,
        PrivacyClass::Identifier => 3,
    }
}

#[cfg(test)]
mod tests;
