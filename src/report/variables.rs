//! Analysis variables: how a survey's questions become typed columns of an
//! [`analysis::table::Table`] (built by [`super::dataset`]). Names
//! follow the exports: `q` for a question, `q.row` for a matrix row, `q.attribute` for an
//! option attribute of a choice (`municipality.region`), `invitation.column` for an
//! invitation column that is not an identifier. Pure: no I/O.
//!
//! The survey's privacy model applies before anything is computed, exactly as in the
//! anonymized export: identifier questions have no variable; a question a
//! `[privacy.coarsen]` rule names is published only coarsened (a number in its bands, a
//! choice as the attribute the rule names, with its other attributes left out, since they
//! may be finer); typed text is only ever counted.

use std::collections::BTreeSet;

use analysis::table::Category;

use crate::anonymize::coarsen::band_labels;
use crate::survey::answer::OTHER;
use crate::survey::model::{ChoiceList, Coarsening, PrivacyClass, Question, QuestionKind};
use crate::survey::types;
use crate::survey::{Lang, Survey};

/// What kind of column a variable is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Numeric,
    /// Categories without an order (single choice, yes/no, attributes).
    Nominal,
    /// An ordered scale (Likert items, matrix rows): also scored 1..=k.
    Ordered,
    Multi,
    Text,
}

impl Kind {
    /// Whether the variable has a numeric score (means, t-tests, scales).
    pub fn is_scored(self) -> bool {
        matches!(self, Kind::Numeric | Kind::Ordered)
    }

    /// Whether the variable splits respondents into groups (crosstabs, comparisons).
    pub fn is_categorical(self) -> bool {
        matches!(self, Kind::Nominal | Kind::Ordered)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Kind::Numeric => "a number",
            Kind::Nominal => "a choice",
            Kind::Ordered => "a scale item",
            Kind::Multi => "a multiple choice",
            Kind::Text => "typed text",
        }
    }
}

impl Spec {
    /// What the variable is, for messages.
    pub fn describe(&self) -> &'static str {
        match self.source {
            Source::Bands { .. } => "a number published in bands",
            Source::Value
            | Source::Row(_)
            | Source::Item(_)
            | Source::Attribute(_)
            | Source::Invitation(_) => self.kind.describe(),
        }
    }
}

/// One variable a survey offers.
#[derive(Debug, Clone)]
pub struct Spec {
    pub name: String,
    /// The question it comes from (`invitation` for invitation columns).
    pub question: String,
    pub label: String,
    pub kind: Kind,
    /// The categories of a choice, in option order; the scale of an ordered item.
    pub categories: Vec<Category>,
    pub(super) source: Source,
}

#[derive(Debug, Clone)]
pub(super) enum Source {
    Value,
    Row(String),
    /// The points of one item of a constant sum.
    Item(String),
    Attribute(String),
    /// A number published in the bands of its coarsening rule (categories: band labels).
    Bands {
        bounds: Vec<f64>,
        whole: bool,
    },
    Invitation(String),
}

/// Every variable of a survey, in questionnaire order, labelled in `lang`. Invitation
/// columns come last; only those the privacy model does not class as identifiers (and
/// only those listed in `invitation_columns`, the columns the survey's invitations have).
pub fn specs(survey: &Survey, lang: Lang, invitation_columns: &[String]) -> Vec<Spec> {
    let mut out = Vec::new();
    let labels = |list: &ChoiceList| -> Vec<Category> {
        list.options
            .iter()
            .map(|c| Category::new(&c.value, c.label.get(lang)))
            .collect()
    };
    for q in survey.questions() {
        if q.privacy == Some(PrivacyClass::Identifier) {
            continue;
        }
        let coarsening = survey.privacy.coarsening(&q.id);
        let text = q.text.get(lang);
        let spec = |name: String, label: String, kind: Kind, categories, source| Spec {
            name,
            question: q.id.clone(),
            label,
            kind,
            categories,
            source,
        };
        match &q.kind {
            QuestionKind::Number(_) | QuestionKind::Rating(_) if coarsening.is_some() => {
                // Only bands can coarsen a number (`anketa check` refuses other rules).
                if let Some(Coarsening::Bands(bounds)) = coarsening {
                    out.push(band_spec(q, text, bounds));
                }
            }
            QuestionKind::Number(_) | QuestionKind::Rating(_) => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Numeric,
                Vec::new(),
                Source::Value,
            )),
            QuestionKind::Text(_) | QuestionKind::Textarea(_) => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Text,
                Vec::new(),
                Source::Value,
            )),
            QuestionKind::Likert(types::Likert { options }) => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Ordered,
                labels(options),
                Source::Value,
            )),
            QuestionKind::YesNo(types::YesNo) => {
                let ui = crate::i18n::ui(lang);
                out.push(spec(
                    q.id.clone(),
                    text.into(),
                    Kind::Nominal,
                    vec![Category::new("1", ui.yes), Category::new("0", ui.no)],
                    Source::Value,
                ));
            }
            QuestionKind::Multi(types::Multi { options, other, .. }) => {
                let mut cats = labels(options);
                if let Some(o) = other {
                    cats.push(Category::new(OTHER, o.get(lang)));
                }
                out.push(spec(
                    q.id.clone(),
                    text.into(),
                    Kind::Multi,
                    cats,
                    Source::Value,
                ));
            }
            QuestionKind::Matrix(types::Matrix { rows, options }) => {
                for r in rows {
                    out.push(spec(
                        format!("{}.{}", q.id, r.id),
                        r.text.get(lang).into(),
                        Kind::Ordered,
                        labels(options),
                        Source::Row(r.id.clone()),
                    ));
                }
            }
            QuestionKind::ConstantSum(types::ConstantSum { items, .. }) => {
                for item in items {
                    out.push(spec(
                        format!("{}.{}", q.id, item.id),
                        item.text.get(lang).into(),
                        Kind::Numeric,
                        Vec::new(),
                        Source::Item(item.id.clone()),
                    ));
                }
            }
            QuestionKind::Single(types::Single { options, .. })
            | QuestionKind::Dropdown(types::Dropdown { options })
            | QuestionKind::Hidden(types::Hidden {
                options: Some(options),
                ..
            }) => {
                let mut cats = labels(options);
                if let QuestionKind::Single(types::Single { other: Some(o), .. }) = &q.kind {
                    cats.push(Category::new(OTHER, o.get(lang)));
                }
                let label = if text.is_empty() {
                    q.id.clone()
                } else {
                    text.into()
                };
                choice_specs(q, label, cats, options, coarsening, &mut out);
            }
            // Dates, consents, rankings, notes and free hidden values are not analysed, nor
            // e-mail addresses (declared other than identifiers, they are still one per person).
            QuestionKind::Email(types::Email)
            | QuestionKind::Date(_)
            | QuestionKind::Consent(_)
            | QuestionKind::Ranking(_)
            | QuestionKind::Note(types::Note)
            | QuestionKind::Hidden(types::Hidden { options: None, .. }) => {}
        }
    }
    for column in invitation_columns {
        if survey.privacy.invitation_class(column) == PrivacyClass::Identifier {
            continue;
        }
        out.push(Spec {
            name: format!("invitation.{column}"),
            question: "invitation".into(),
            label: survey.invitation_label(column, lang),
            kind: Kind::Nominal,
            categories: Vec::new(),
            source: Source::Invitation(column.clone()),
        });
    }
    out
}

/// Why a question id (or a `question.attribute` name) is not a variable of published
/// reports although the question exists, with what to use instead.
pub fn withheld(survey: &Survey, name: &str) -> Option<String> {
    let (id, attribute) = name.split_once('.').unwrap_or((name, ""));
    let q = survey.question(id)?;
    if q.privacy == Some(PrivacyClass::Identifier) {
        return Some(format!(
            "\"{id}\" is an identifier in the survey's privacy model: reports never publish it"
        ));
    }
    match survey.privacy.coarsening(id) {
        Some(Coarsening::Attribute(a)) if attribute != a => Some(format!(
            "\"{id}\" is published only as its \"{a}\" ([privacy.coarsen]): use \"{id}.{a}\""
        )),
        _ => None,
    }
}

pub(super) fn attribute_of<'a>(
    choice: &'a crate::survey::model::Choice,
    attribute: &str,
) -> Option<&'a str> {
    choice
        .attributes
        .iter()
        .find(|(a, _)| a == attribute)
        .map(|(_, v)| v.as_str())
}

/// A number published in the bands of its coarsening rule: a choice among the bands.
fn band_spec(q: &Question, text: &str, bounds: &[f64]) -> Spec {
    let whole = matches!(
        q.kind,
        QuestionKind::Number(types::Number { integer: true, .. }) | QuestionKind::Rating(_)
    );
    let labels = band_labels(bounds, whole);
    Spec {
        name: q.id.clone(),
        question: q.id.clone(),
        label: text.into(),
        kind: Kind::Nominal,
        categories: labels.iter().map(|l| Category::new(l, l)).collect(),
        source: Source::Bands {
            bounds: bounds.to_vec(),
            whole,
        },
    }
}

/// The variables of a single choice (a dropdown, a hidden value with a list): its codes,
/// and a variable per attribute of its options. Coarsened to an attribute, that
/// attribute only (what the export publishes).
fn choice_specs(
    q: &Question,
    label: String,
    categories: Vec<Category>,
    options: &ChoiceList,
    coarsening: Option<&Coarsening>,
    out: &mut Vec<Spec>,
) {
    let spec = |name: String, label: String, categories, source| Spec {
        name,
        question: q.id.clone(),
        label,
        kind: Kind::Nominal,
        categories,
        source,
    };
    let published_attribute = match coarsening {
        Some(Coarsening::Attribute(a)) => Some(a.as_str()),
        Some(Coarsening::Bands(_) | Coarsening::Month | Coarsening::Year) | None => None,
    };
    if published_attribute.is_none() {
        out.push(spec(q.id.clone(), label.clone(), categories, Source::Value));
    }
    for attribute in &options.attributes {
        if published_attribute.is_some_and(|a| a != attribute) {
            continue;
        }
        let values: BTreeSet<&str> = options
            .options
            .iter()
            .filter_map(|c| attribute_of(c, attribute))
            .collect();
        out.push(spec(
            format!("{}.{attribute}", q.id),
            format!("{label} ({attribute})"),
            values.into_iter().map(|v| Category::new(v, v)).collect(),
            Source::Attribute(attribute.clone()),
        ));
    }
}

/// The variables a plan name stands for: the variable of that name, or, for a question
/// id, every variable of that question except its option attributes (a matrix: its
/// rows; a constant sum: its items). Empty when the name is unknown.
pub fn resolve<'a>(specs: &'a [Spec], name: &str) -> Vec<&'a Spec> {
    if let Some(spec) = specs.iter().find(|s| s.name == name) {
        return vec![spec];
    }
    specs
        .iter()
        .filter(|s| s.question == name && matches!(s.source, Source::Row(_) | Source::Item(_)))
        .collect()
}

/// The invitation columns a survey's privacy model declares (the columns plans may name
/// before any invitation exists).
pub fn declared_invitation_columns(survey: &Survey) -> Vec<String> {
    survey
        .privacy
        .invitation
        .iter()
        .map(|(c, _)| c.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use time::OffsetDateTime;

    use super::*;
    use crate::survey::answer::{Answer, Answers};
    use crate::survey::response::{Response, Status};

    fn response(id: &str, points: &[(&str, u32)]) -> Response {
        let mut answers = Answers::new();
        if !points.is_empty() {
            answers.insert(
                "time".into(),
                Answer::Points(points.iter().map(|(k, v)| (k.to_string(), *v)).collect()),
            );
        }
        Response {
            id: id.into(),
            survey_id: "split".into(),
            survey_version: "1".into(),
            status: Status::Complete,
            language: Lang::Cs,
            current_page: "p".into(),
            answers,
            revision: 1,
            created_at: OffsetDateTime::UNIX_EPOCH,
            updated_at: OffsetDateTime::UNIX_EPOCH,
            submitted_at: Some(OffsetDateTime::UNIX_EPOCH),
            invitation: None,
            flag: None,
            flag_reason: None,
            deleted_at: None,
        }
    }

    #[test]
    fn each_item_of_a_constant_sum_is_a_numeric_variable_of_its_points() {
        let src = include_str!("../../tests/fixtures/constant_sum.toml");
        let survey = crate::survey::load_str(Path::new("s.toml"), src)
            .survey
            .expect("valid");
        let specs = specs(&survey, Lang::Cs, &[]);
        let named: Vec<(&str, &str, Kind)> = specs
            .iter()
            .map(|s| (s.name.as_str(), s.label.as_str(), s.kind))
            .collect();
        assert_eq!(
            named,
            [
                ("time.cases", "Klienti", Kind::Numeric),
                ("time.admin", "Administrativa", Kind::Numeric),
                ("time.network", "Síť", Kind::Numeric),
                ("why", "Proč tolik administrativy?", Kind::Text),
                ("note", "Kolik činností?", Kind::Text),
            ]
        );
        assert_eq!(
            resolve(&specs, "time").len(),
            3,
            "the question stands for its items"
        );
        let responses = [
            response("r1", &[("cases", 70), ("admin", 30)]),
            response("r2", &[("cases", 0), ("admin", 100)]),
            response("r3", &[]),
        ];
        let table = super::super::dataset::table(&survey, &specs, &responses);
        let values = |name: &str| match &table.get(name).expect(name).values {
            analysis::table::Values::Numeric(v) => v.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(values("time.cases"), [Some(70.0), Some(0.0), None]);
        assert_eq!(values("time.admin"), [Some(30.0), Some(100.0), None]);
    }
}
