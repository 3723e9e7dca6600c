//! Analysis variables: how a survey's questions become typed columns of an
//! [`analysis::table::Table`], and building that table from complete responses. Names
//! follow the exports: `q` for a question, `q.row` for a matrix row, `q.attribute` for an
//! option attribute of a choice (`municipality.region`), `invitation.column` for an
//! invitation column that is not an identifier. Pure: no I/O.

use std::collections::BTreeSet;

use analysis::table::{Category, Table, Values, Variable};

use crate::store::Response;
use crate::survey::answer::{Answer, OTHER};
use crate::survey::model::{ChoiceList, PrivacyClass, QuestionKind};
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
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Value,
    Row(String),
    Attribute(String),
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
            QuestionKind::Number { .. } | QuestionKind::Rating { .. } => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Numeric,
                Vec::new(),
                Source::Value,
            )),
            QuestionKind::Text { .. } | QuestionKind::Textarea { .. } => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Text,
                Vec::new(),
                Source::Value,
            )),
            QuestionKind::Likert { options } => out.push(spec(
                q.id.clone(),
                text.into(),
                Kind::Ordered,
                labels(options),
                Source::Value,
            )),
            QuestionKind::YesNo => {
                let ui = crate::i18n::ui(lang);
                out.push(spec(
                    q.id.clone(),
                    text.into(),
                    Kind::Nominal,
                    vec![Category::new("1", ui.yes), Category::new("0", ui.no)],
                    Source::Value,
                ));
            }
            QuestionKind::Multi { options, other, .. } => {
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
            QuestionKind::Matrix { rows, options } => {
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
            QuestionKind::Single { options, .. }
            | QuestionKind::Dropdown { options }
            | QuestionKind::Hidden {
                options: Some(options),
                ..
            } => {
                let mut cats = labels(options);
                if let QuestionKind::Single { other: Some(o), .. } = &q.kind {
                    cats.push(Category::new(OTHER, o.get(lang)));
                }
                let label = if text.is_empty() {
                    q.id.clone()
                } else {
                    text.into()
                };
                out.push(spec(
                    q.id.clone(),
                    label.clone(),
                    Kind::Nominal,
                    cats,
                    Source::Value,
                ));
                for attribute in &options.attributes {
                    let values: BTreeSet<&str> = options
                        .options
                        .iter()
                        .filter_map(|c| attribute_of(c, attribute))
                        .collect();
                    out.push(spec(
                        format!("{}.{attribute}", q.id),
                        format!("{label} ({attribute})"),
                        Kind::Nominal,
                        values.into_iter().map(|v| Category::new(v, v)).collect(),
                        Source::Attribute(attribute.clone()),
                    ));
                }
            }
            // Dates, consents, rankings, notes and free hidden values are not analysed.
            _ => {}
        }
    }
    for column in invitation_columns {
        if survey.privacy.invitation_class(column) == PrivacyClass::Identifier {
            continue;
        }
        out.push(Spec {
            name: format!("invitation.{column}"),
            question: "invitation".into(),
            label: column.clone(),
            kind: Kind::Nominal,
            categories: Vec::new(),
            source: Source::Invitation(column.clone()),
        });
    }
    out
}

fn attribute_of<'a>(choice: &'a crate::survey::model::Choice, attribute: &str) -> Option<&'a str> {
    choice
        .attributes
        .iter()
        .find(|(a, _)| a == attribute)
        .map(|(_, v)| v.as_str())
}

/// The table of the given responses (complete ones, in any order) with one column per
/// spec. Codes a response's version had but the current survey lacks count as missing.
pub fn table(survey: &Survey, specs: &[Spec], responses: &[Response]) -> Table {
    let mut table = Table::new(responses.len());
    for spec in specs {
        let values = column(survey, spec, responses);
        table
            .push(Variable {
                name: spec.name.clone(),
                label: spec.label.clone(),
                values,
            })
            .expect("one value per response");
    }
    table
}

fn column<'a>(survey: &Survey, spec: &Spec, responses: &'a [Response]) -> Values {
    let index = |cats: &[Category], code: &str| cats.iter().position(|c| c.code == code);
    let answer = |r: &'a Response| r.answers.get(&spec.question);
    match (&spec.kind, &spec.source) {
        (Kind::Numeric, _) => Values::Numeric(
            responses
                .iter()
                .map(|r| match answer(r) {
                    Some(Answer::Number(n)) => Some(*n),
                    _ => None,
                })
                .collect(),
        ),
        (Kind::Text, _) => Values::Text(
            responses
                .iter()
                .map(|r| match answer(r) {
                    Some(Answer::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
                    _ => None,
                })
                .collect(),
        ),
        (Kind::Multi, _) => Values::MultiChoice {
            options: spec.categories.clone(),
            selected: responses
                .iter()
                .map(|r| match answer(r) {
                    Some(Answer::Choices { values, .. }) => Some(
                        values
                            .iter()
                            .filter_map(|v| index(&spec.categories, v))
                            .collect(),
                    ),
                    _ => None,
                })
                .collect(),
        },
        (_, Source::Invitation(column)) => {
            let seen: BTreeSet<&str> = responses
                .iter()
                .filter_map(|r| r.invitation.as_ref()?.get(column).map(String::as_str))
                .filter(|v| !v.is_empty())
                .collect();
            let categories: Vec<Category> = seen.into_iter().map(|v| Category::new(v, v)).collect();
            let codes = responses
                .iter()
                .map(|r| index(&categories, r.invitation.as_ref()?.get(column)?))
                .collect();
            Values::Categorical {
                categories,
                ordered: false,
                codes,
            }
        }
        (kind, source) => {
            let list = survey
                .question(&spec.question)
                .and_then(|q| q.kind.options());
            let codes = responses
                .iter()
                .map(|r| {
                    let code: &str = match (answer(r)?, source) {
                        (Answer::Choice { value, .. }, Source::Value) => value,
                        (Answer::Bool(b), Source::Value) => {
                            if *b {
                                "1"
                            } else {
                                "0"
                            }
                        }
                        (Answer::Matrix(rows), Source::Row(row)) => rows.get(row)?,
                        (Answer::Choice { value, .. }, Source::Attribute(attribute)) => {
                            attribute_of(list?.get(value)?, attribute)?
                        }
                        _ => return None,
                    };
                    index(&spec.categories, code)
                })
                .collect();
            Values::Categorical {
                categories: spec.categories.clone(),
                ordered: *kind == Kind::Ordered,
                codes,
            }
        }
    }
}

/// The variables a plan name stands for: the variable of that name, or, for a question
/// id, every variable of that question except its option attributes (a matrix: its
/// rows). Empty when the name is unknown.
pub fn resolve<'a>(specs: &'a [Spec], name: &str) -> Vec<&'a Spec> {
    if let Some(spec) = specs.iter().find(|s| s.name == name) {
        return vec![spec];
    }
    specs
        .iter()
        .filter(|s| s.question == name && matches!(s.source, Source::Row(_)))
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
