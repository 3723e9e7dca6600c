//! Filtering the staff response list by an answer or an attribute (pure): a choice
//! question's code (`town = kolin`), an attribute of the chosen option (`town.region =
//! Praha`, so "all municipalities of one regional office"), or a column of the
//! invitation list (`invitation.group = pilot`).

use std::collections::BTreeMap;

use crate::survey::{Answer, Answers, Survey};

/// What the list can be filtered by: `(key, description)` for the filter's drop-down.
pub fn keys(survey: &Survey, invitation_columns: &[String]) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    for q in survey.questions() {
        let Some(list) = q.kind.options() else {
            continue;
        };
        keys.push((q.id.clone(), format!("{} (code)", q.id)));
        for attribute in &list.attributes {
            keys.push((
                format!("{}.{attribute}", q.id),
                format!("{}: {attribute}", q.id),
            ));
        }
    }
    for column in invitation_columns {
        keys.push((
            format!("invitation.{column}"),
            format!("invitation: {column}"),
        ));
    }
    keys
}

/// One filter, checked against a response's answers and invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    Answer {
        question: String,
        code: String,
    },
    OptionAttribute {
        question: String,
        attribute: String,
        value: String,
    },
    Invitation {
        column: String,
        value: String,
    },
}

impl Filter {
    /// The filter for `key = value`, or `None` when the key names nothing filterable
    /// (an unknown key is no filter, not an error) or the value is empty.
    pub fn parse(survey: &Survey, key: &str, value: &str) -> Option<Filter> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        if let Some(column) = key.strip_prefix("invitation.") {
            return Some(Filter::Invitation {
                column: column.to_string(),
                value: value.to_string(),
            });
        }
        let (question_id, attribute) = match key.split_once('.') {
            Some((q, a)) => (q, Some(a)),
            None => (key, None),
        };
        let question = survey.question(question_id)?;
        let list = question.kind.options()?;
        match attribute {
            None => Some(Filter::Answer {
                question: question.id.clone(),
                code: value.to_string(),
            }),
            Some(a) if list.attributes.iter().any(|known| known == a) => {
                Some(Filter::OptionAttribute {
                    question: question.id.clone(),
                    attribute: a.to_string(),
                    value: value.to_string(),
                })
            }
            Some(_) => None,
        }
    }

    pub fn matches(
        &self,
        survey: &Survey,
        answers: &Answers,
        invitation: Option<&BTreeMap<String, String>>,
    ) -> bool {
        match self {
            Filter::Answer { question, code } => chosen(answers, question).any(|c| c == code),
            Filter::OptionAttribute {
                question,
                attribute,
                value,
            } => {
                let Some(list) = survey.question(question).and_then(|q| q.kind.options()) else {
                    return false;
                };
                chosen(answers, question).any(|code| {
                    list.get(code).is_some_and(|choice| {
                        choice
                            .attributes
                            .iter()
                            .any(|(k, v)| k == attribute && v == value)
                    })
                })
            }
            Filter::Invitation { column, value } => {
                invitation.and_then(|i| i.get(column)) == Some(value)
            }
        }
    }
}

/// The codes chosen in answer to `question`.
fn chosen<'a>(answers: &'a Answers, question: &str) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    match answers.get(question) {
        Some(Answer::Choice { value, .. }) => Box::new(std::iter::once(value.as_str())),
        Some(Answer::Choices { values, .. }) => Box::new(values.iter().map(String::as_str)),
        _ => Box::new(std::iter::empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        let toml = r#"
id = "s"
title = "S"
[choices.town]
attributes = ["region"]
options = [
  { value = "kolin", label = "Kolín", region = "Hradec Králové" },
  { value = "most", label = "Most", region = "Praha" },
  { value = "pisek", label = "Písek", region = "Praha" },
]
[[page]]
id = "p"
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = "Obec"
  choices = "town"
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Témata"
  options = [ { value = "law", label = "Právo" }, { value = "debt", label = "Dluhy" } ]
  [[page.question]]
  id = "note"
  type = "text"
  text = "Poznámka"
"#;
        crate::survey::load_str(std::path::Path::new("s.toml"), toml)
            .survey
            .expect("valid survey")
    }

    fn answers(town: &str, topics: &[&str]) -> Answers {
        [
            (
                "town".to_string(),
                Answer::Choice {
                    value: town.into(),
                    other: None,
                },
            ),
            (
                "topics".to_string(),
                Answer::Choices {
                    values: topics.iter().map(|t| t.to_string()).collect(),
                    other: None,
                },
            ),
        ]
        .into()
    }

    #[test]
    fn keys_offer_choice_questions_their_attributes_and_invitation_columns() {
        let keys: Vec<String> = keys(&survey(), &["group".into()])
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(keys, ["town", "town.region", "topics", "invitation.group"]);
    }

    #[test]
    fn filters_match_codes_option_attributes_and_invitation_columns() {
        let s = survey();
        let most = answers("most", &["debt"]);
        let kolin = answers("kolin", &["law", "debt"]);
        let by = |k: &str, v: &str| Filter::parse(&s, k, v).expect("a filter");
        assert!(by("town", "most").matches(&s, &most, None));
        assert!(!by("town", "most").matches(&s, &kolin, None));
        assert!(
            by("topics", "law").matches(&s, &kolin, None),
            "any of several"
        );
        assert!(!by("topics", "law").matches(&s, &most, None));
        let praha = by("town.region", "Praha");
        assert!(praha.matches(&s, &most, None));
        assert!(!praha.matches(&s, &kolin, None));
        assert!(!praha.matches(&s, &Answers::new(), None), "unanswered");
        let group: BTreeMap<String, String> = [("group".to_string(), "pilot".to_string())].into();
        assert!(by("invitation.group", "pilot").matches(&s, &most, Some(&group)));
        assert!(!by("invitation.group", "pilot").matches(&s, &most, None));
        assert!(!by("invitation.group", "other").matches(&s, &most, Some(&group)));
    }

    #[test]
    fn unknown_keys_and_empty_values_are_no_filter() {
        let s = survey();
        assert_eq!(Filter::parse(&s, "town", "  "), None);
        assert_eq!(
            Filter::parse(&s, "note", "x"),
            None,
            "not a choice question"
        );
        assert_eq!(Filter::parse(&s, "nope", "x"), None);
        assert_eq!(Filter::parse(&s, "town.population", "x"), None);
        assert_eq!(Filter::parse(&s, "' OR '1'='1", "x"), None);
    }
}
