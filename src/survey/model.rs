//! The validated survey model. Values of these types only come out of the loader,
//! so handlers, storage and exports can rely on every invariant the checker enforces
//! (unique ids, resolved choice lists, well-typed expressions, complete translations).

use std::collections::HashMap;
use std::sync::Arc;

pub use super::choice::{Choice, ChoiceList, MatrixRow};
use super::expr::Expr;
pub use super::privacy::{Coarsening, PrivacyClass, PrivacyRules, PseudonymSource};
use super::text::{Lang, Text};
pub use super::types::{QuestionKind, QuestionType};
use crate::survey::types;

#[derive(Debug)]
pub struct Survey {
    /// Stable, URL-safe id (`seminar-mas-2024`).
    pub id: String,
    /// Content hash of the TOML source: responses record the exact version they were given on.
    pub version: String,
    /// The TOML source this survey was loaded from (stored with every version).
    pub source: String,
    pub title: Text,
    /// Never empty; the first is the default.
    pub languages: Vec<Lang>,
    pub intro: Option<Text>,
    pub outro: Option<Text>,
    pub access: Access,
    /// When respondents may answer, and how many complete responses are wanted.
    pub schedule: Schedule,
    /// Show a review page listing every answer before submitting.
    pub review: bool,
    /// The time zone dates in the file are in, and times are shown in.
    pub timezone: jiff::tz::TimeZone,
    pub choice_lists: Vec<Arc<ChoiceList>>,
    /// A questionnaire's pages, or an interview guide's topics (in the guide's order, each
    /// with its structured items as questions; [`Guide::topics`] has the rest).
    pub pages: Vec<Page>,
    pub kind: SurveyKind,
    /// How anonymized exports treat the answers (`[privacy]`).
    pub privacy: PrivacyRules,
    /// What the invitation list's columns are called (`[invitation.columns]`).
    pub invitation_labels: Vec<(String, Text)>,
    /// Question id -> (page index, question index).
    index: HashMap<String, (usize, usize)>,
}

/// What a survey file describes.
#[derive(Debug)]
pub enum SurveyKind {
    /// Filled in by respondents, page by page.
    Questionnaire,
    /// A semi-structured interview guide, filled in by an interviewer in the staff area.
    Interview(Box<Guide>),
}

/// An interview guide: the survey (its topics are its pages) and the guide's own parts,
/// taken together once where a survey is known to be a guide ([`Survey::as_interview`]).
/// The interview screens, the demo interviews and the guide's documents take this, so
/// none of them has to ask again whether a survey is a guide.
#[derive(Debug, Clone, Copy)]
pub struct InterviewGuide<'a> {
    pub survey: &'a Survey,
    pub guide: &'a Guide,
}

/// The parts of an interview guide beyond its topics' structured items.
#[derive(Debug)]
pub struct Guide {
    /// Who the interviewee is (mayor, ORP representative, ...).
    pub categories: Arc<ChoiceList>,
    /// The shared choice list the interviewee's organisation comes from.
    pub organisation: Arc<ChoiceList>,
    /// Ask for consent to an audio recording.
    pub recording: bool,
    /// Read out before the interview.
    pub consent: Text,
    /// Content hash of the consent script in every language: a recorded consent stores it.
    pub consent_version: String,
    /// One per page, in the same order.
    pub topics: Vec<Topic>,
}

#[derive(Debug)]
pub struct Topic {
    /// The id of the page holding the topic's structured items.
    pub id: String,
    /// The opening question.
    pub opening: Text,
    /// Follow-up prompts the interviewer ticks off as covered.
    pub probes: Vec<Probe>,
}

#[derive(Debug)]
pub struct Probe {
    pub id: String,
    pub text: Text,
}

/// How the interview is held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterviewMode {
    InPerson,
    Phone,
    Video,
}

impl InterviewMode {
    pub const ALL: [InterviewMode; 3] = [
        InterviewMode::InPerson,
        InterviewMode::Phone,
        InterviewMode::Video,
    ];

    pub fn code(self) -> &'static str {
        match self {
            InterviewMode::InPerson => "in_person",
            InterviewMode::Phone => "phone",
            InterviewMode::Video => "video",
        }
    }

    pub fn from_code(code: &str) -> Option<InterviewMode> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// Why a topic of an interview was not covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    NotAsked,
    Declined,
    NotApplicable,
}

impl SkipReason {
    pub const ALL: [SkipReason; 3] = [
        SkipReason::NotAsked,
        SkipReason::Declined,
        SkipReason::NotApplicable,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SkipReason::NotAsked => "not_asked",
            SkipReason::Declined => "declined",
            SkipReason::NotApplicable => "not_applicable",
        }
    }

    pub fn from_code(code: &str) -> Option<SkipReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// An open link; a cookie keeps one respondent on one response.
    Anonymous,
    /// Personal invitation links (`anketa invite`): one response per token.
    Token,
}

/// When a survey takes answers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schedule {
    /// No answers before this instant.
    pub opens: Option<time::OffsetDateTime>,
    /// No answers from this instant on.
    pub closes: Option<time::OffsetDateTime>,
    /// No new respondents once this many responses are complete (those already under
    /// way may finish).
    pub quota: Option<u64>,
}

/// Whether a survey takes answers now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    Open,
    NotYetOpen {
        opens: time::OffsetDateTime,
    },
    Closed {
        closed: time::OffsetDateTime,
    },
    /// The quota is reached: closed to new respondents only.
    Full,
}

impl Schedule {
    /// The survey's state at `now`, with `complete` responses so far, for a respondent
    /// who has (`started`) or has not yet begun a response.
    pub fn availability(
        &self,
        now: time::OffsetDateTime,
        complete: u64,
        started: bool,
    ) -> Availability {
        match (self.opens, self.closes, self.quota) {
            (Some(opens), _, _) if now < opens => Availability::NotYetOpen { opens },
            (_, Some(closes), _) if now >= closes => Availability::Closed { closed: closes },
            (_, _, Some(quota)) if !started && complete >= quota => Availability::Full,
            _ => Availability::Open,
        }
    }
}

/// The survey-level settings, as the loader reads them.
pub(crate) struct SurveyHead {
    pub id: String,
    pub version: String,
    pub source: String,
    pub title: Text,
    pub languages: Vec<Lang>,
    pub intro: Option<Text>,
    pub outro: Option<Text>,
    pub access: Access,
    pub schedule: Schedule,
    pub review: bool,
    pub timezone: jiff::tz::TimeZone,
    pub kind: SurveyKind,
    pub privacy: PrivacyRules,
    pub invitation_labels: Vec<(String, Text)>,
}

#[derive(Debug)]
pub struct Page {
    pub id: String,
    pub title: Option<Text>,
    pub intro: Option<Text>,
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// A checked expression with the text the researcher wrote (for codebooks and logs).
#[derive(Debug, Clone)]
pub struct Condition {
    pub source: String,
    pub expr: Expr,
}

#[derive(Debug)]
pub struct Question {
    pub id: String,
    /// The question as shown; empty for hidden questions.
    pub text: Text,
    pub help: Option<Text>,
    pub required: bool,
    /// What to say when a required question is left blank (`required_message`); `None`:
    /// a message derived from its type and text.
    pub required_message: Option<Text>,
    pub show_if: Option<Condition>,
    pub validations: Vec<Validation>,
    pub kind: QuestionKind,
    /// As declared (`privacy = "..."`); `None`: the default for its kind.
    pub privacy: Option<PrivacyClass>,
}

#[derive(Debug)]
pub struct Validation {
    pub rule: Condition,
    pub message: Text,
}

impl QuestionType {
    pub fn from_name(name: &str) -> Option<QuestionType> {
        QuestionType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl QuestionKind {
    /// The choice list a respondent picks from, if any.
    pub fn options(&self) -> Option<&Arc<ChoiceList>> {
        self.rules().options()
    }

    /// The row of a matrix or the item of a constant sum called `id`.
    pub fn part(&self, id: &str) -> Option<&MatrixRow> {
        self.parts()?.iter().find(|p| p.id == id)
    }

    /// The label of the "other" option a single or multiple choice adds (`other = ...`).
    pub fn other_label(&self) -> Option<&Text> {
        self.rules().other_label()
    }

    /// The parts a question's answer is made of, each its own variable `q.part`: a
    /// matrix's rows, a constant sum's items; `None` for every other kind.
    pub fn parts(&self) -> Option<&[MatrixRow]> {
        self.rules().parts()
    }

    /// The version and tick-box label of a consent question; `None` for every other kind.
    /// A required consent's problem, its name in the review and its import cell depend
    /// on it.
    pub fn consent(&self) -> Option<(&str, Option<&Text>)> {
        self.rules().consent()
    }

    /// Whether a respondent can give an answer (notes and hidden fields cannot).
    pub fn is_answerable(&self) -> bool {
        self.question_type().nature().answerable
    }
}

impl Survey {
    pub(crate) fn new(
        head: SurveyHead,
        choice_lists: Vec<Arc<ChoiceList>>,
        pages: Vec<Page>,
    ) -> Survey {
        let SurveyHead {
            id,
            version,
            source,
            title,
            languages,
            intro,
            outro,
            access,
            schedule,
            review,
            timezone,
            kind,
            privacy,
            invitation_labels,
        } = head;
        let index = pages
            .iter()
            .enumerate()
            .flat_map(|(p, page)| {
                page.questions
                    .iter()
                    .enumerate()
                    .map(move |(q, question)| (question.id.clone(), (p, q)))
            })
            .collect();
        Survey {
            id,
            version,
            source,
            title,
            languages,
            intro,
            outro,
            access,
            schedule,
            review,
            timezone,
            choice_lists,
            pages,
            kind,
            privacy,
            invitation_labels,
            index,
        }
    }

    /// What reports and staff pages call an invitation column: its label from
    /// `[invitation.columns]`, or its name where the file gives none.
    pub fn invitation_label(&self, column: &str, lang: Lang) -> String {
        self.invitation_labels
            .iter()
            .find(|(c, _)| c == column)
            .map_or_else(|| column.to_string(), |(_, t)| t.get(lang).to_string())
    }

    /// The interview guide, if this is one.
    pub fn guide(&self) -> Option<&Guide> {
        match &self.kind {
            SurveyKind::Interview(g) => Some(g),
            SurveyKind::Questionnaire => None,
        }
    }

    /// The survey as an interview guide, if it is one.
    pub fn as_interview(&self) -> Option<InterviewGuide<'_>> {
        self.guide().map(|guide| InterviewGuide {
            survey: self,
            guide,
        })
    }

    pub fn is_interview(&self) -> bool {
        self.guide().is_some()
    }

    pub fn default_language(&self) -> Lang {
        self.languages[0]
    }

    /// The index of the page that asks question `id`.
    pub fn page_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).map(|&(page, _)| page)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.index
            .get(id)
            .map(|&(p, q)| &self.pages[p].questions[q])
    }

    /// Every question in questionnaire order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    pub fn page_index(&self, id: &str) -> Option<usize> {
        self.pages.iter().position(|p| p.id == id)
    }

    /// The hidden questions (values from the link or an invitation) with their settings.
    pub fn hidden_questions(&self) -> impl Iterator<Item = (&Question, &types::Hidden)> {
        self.questions().filter_map(|q| {
            let QuestionKind::Hidden(hidden) = &q.kind else {
                return None;
            };
            Some((q, hidden))
        })
    }
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn availability_follows_dates_and_quota() {
        let s = Schedule {
            opens: Some(datetime!(2024-01-16 8:00 UTC)),
            closes: Some(datetime!(2024-02-01 0:00 UTC)),
            quota: Some(2),
        };
        let during = datetime!(2024-01-20 12:00 UTC);
        assert_eq!(
            s.availability(datetime!(2024-01-16 7:59 UTC), 0, false),
            Availability::NotYetOpen {
                opens: datetime!(2024-01-16 8:00 UTC)
            }
        );
        assert_eq!(s.availability(during, 1, false), Availability::Open);
        assert_eq!(
            s.availability(during, 2, false),
            Availability::Full,
            "no new respondents once full"
        );
        assert_eq!(
            s.availability(during, 2, true),
            Availability::Open,
            "those under way may finish"
        );
        assert_eq!(
            s.availability(datetime!(2024-02-01 0:00 UTC), 0, true),
            Availability::Closed {
                closed: datetime!(2024-02-01 0:00 UTC)
            }
        );
        assert_eq!(
            Schedule::default().availability(during, 1_000_000, false),
            Availability::Open
        );
    }
}
