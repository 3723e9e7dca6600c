//! The pure computations behind the staff dashboards: how complete responses break
//! down by a choice question (grouped by an attribute of its options, listing options
//! nobody chose, e.g. municipalities that have not answered), the completion funnel per
//! page, and a per-day series with the empty days filled in.

use std::collections::BTreeMap;

use crate::survey::model::{ChoiceList, Question, QuestionKind, Survey};
use crate::survey::types;
use crate::survey::{Answer, Answers, Text};

/// Complete responses per option of one choice question.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    pub question_id: String,
    pub question_text: Text,
    /// The attribute the options are grouped by (e.g. `region`), if the list has one.
    pub attribute: Option<String>,
    pub groups: Vec<Group>,
    /// Responses that did not answer the question.
    pub unanswered: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The attribute value (e.g. `Praha`), or `None` when not grouped.
    pub value: Option<String>,
    pub rows: Vec<Row>,
}

impl Group {
    pub fn total(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub code: String,
    pub label: Text,
    pub count: u64,
}

/// The single-choice questions a dashboard breaks responses down by: those whose choice
/// list carries attributes (municipality with its regional office, ...).
pub fn breakdown_questions(survey: &Survey) -> Vec<&Question> {
    survey
        .questions()
        .filter(|q| single_choice_list(q).is_some_and(|l| !l.attributes.is_empty()))
        .collect()
}

fn single_choice_list(q: &Question) -> Option<&ChoiceList> {
    match &q.kind {
        QuestionKind::Single(types::Single { options, .. })
        | QuestionKind::Dropdown(types::Dropdown { options })
        | QuestionKind::Likert(types::Likert { options }) => Some(options),
        QuestionKind::Hidden(types::Hidden {
            options: Some(options),
            ..
        }) => Some(options),
        // Several answers per respondent (or rows of them), or no list at all.
        QuestionKind::Hidden(types::Hidden { options: None, .. })
        | QuestionKind::Text(_)
        | QuestionKind::Textarea(_)
        | QuestionKind::Email(types::Email)
        | QuestionKind::Number(_)
        | QuestionKind::Multi(_)
        | QuestionKind::Matrix(_)
        | QuestionKind::Rating(_)
        | QuestionKind::Date(_)
        | QuestionKind::YesNo(types::YesNo)
        | QuestionKind::Consent(_)
        | QuestionKind::Ranking(_)
        | QuestionKind::ConstantSum(_)
        | QuestionKind::Note(types::Note) => None,
    }
}

/// Counts answers to one question, response by response.
pub struct BreakdownCounter<'a> {
    question: &'a Question,
    list: &'a ChoiceList,
    counts: BTreeMap<String, u64>,
    unanswered: u64,
}

impl<'a> BreakdownCounter<'a> {
    /// `None` if the question is not a single choice.
    pub fn new(question: &'a Question) -> Option<BreakdownCounter<'a>> {
        Some(BreakdownCounter {
            question,
            list: single_choice_list(question)?,
            counts: BTreeMap::new(),
            unanswered: 0,
        })
    }

    pub fn add(&mut self, answers: &Answers) {
        match answers.get(&self.question.id) {
            Some(Answer::Choice { value, .. }) => {
                *self.counts.entry(value.clone()).or_default() += 1
            }
            _ => self.unanswered += 1,
        }
    }

    /// Every option with its count (zero included), grouped by the list's first attribute
    /// in the order values first appear.
    pub fn finish(self) -> Breakdown {
        let attribute = self.list.attributes.first().cloned();
        let mut groups: Vec<Group> = Vec::new();
        for option in &self.list.options {
            let value = attribute.as_ref().and_then(|a| {
                option
                    .attributes
                    .iter()
                    .find(|(k, _)| k == a)
                    .map(|(_, v)| v.clone())
            });
            let row = Row {
                code: option.value.clone(),
                label: option.label.clone(),
                count: self.counts.get(&option.value).copied().unwrap_or(0),
            };
            match groups.iter_mut().find(|g| g.value == value) {
                Some(g) => g.rows.push(row),
                None => groups.push(Group {
                    value,
                    rows: vec![row],
                }),
            }
        }
        Breakdown {
            question_id: self.question.id.clone(),
            question_text: self.question.text.clone(),
            attribute,
            groups,
            unanswered: self.unanswered,
        }
    }
}

/// One page's step of the completion funnel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelStep {
    pub page_id: String,
    /// Responses that got to this page or further (complete ones got everywhere).
    pub reached: i64,
    /// Responses in progress that are on this page now (where people stop).
    pub here: i64,
}

/// The funnel from the number of complete responses and in-progress responses per
/// current page id (pages no longer in the survey are ignored).
pub fn funnel(
    survey: &Survey,
    complete: i64,
    in_progress_by_page: &[(String, i64)],
) -> Vec<FunnelStep> {
    let here: Vec<i64> = survey
        .pages
        .iter()
        .map(|p| {
            in_progress_by_page
                .iter()
                .filter(|(id, _)| *id == p.id)
                .map(|(_, n)| n)
                .sum()
        })
        .collect();
    // Responses at the review count as having reached every page.
    let at_review: i64 = in_progress_by_page
        .iter()
        .filter(|(id, _)| id.starts_with('_'))
        .map(|(_, n)| n)
        .sum();
    (0..survey.pages.len())
        .map(|i| FunnelStep {
            page_id: survey.pages[i].id.clone(),
            reached: complete + at_review + here[i..].iter().sum::<i64>(),
            here: here[i],
        })
        .collect()
}

/// Per-day counts from `first` to `last` day (days since 1970-01-01) with the days
/// without any filled in with zero.
pub fn daily_series(counts: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let (Some(first), Some(last)) = (
        counts.iter().map(|c| c.0).min(),
        counts.iter().map(|c| c.0).max(),
    ) else {
        return Vec::new();
    };
    (first..=last)
        .map(|day| (day, counts.iter().filter(|c| c.0 == day).map(|c| c.1).sum()))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::load_str;

    const SRC: &str = r#"
id = "obce"
title = "Obce"
[choices.town]
attributes = ["region"]
options = [
  { value = "kolin", label = "Kolín", region = "Hradec Králové" },
  { value = "most", label = "Most", region = "Praha" },
  { value = "chrudim", label = "Chrudim", region = "Hradec Králové" },
]
[[page]]
id = "a"
  [[page.question]]
  id = "town"
  type = "dropdown"
  text = "Obec"
  choices = "town"
  [[page.question]]
  id = "other"
  type = "single"
  text = "Jiné"
  options = [ { value = "x", label = "X" } ]
[[page]]
id = "b"
  [[page.question]]
  id = "c"
  type = "text"
  text = "C"
[[page]]
id = "c"
  [[page.question]]
  id = "d"
  type = "text"
  text = "D"
"#;

    fn survey() -> Survey {
        load_str(Path::new("o.toml"), SRC).survey.unwrap()
    }

    fn town(code: &str) -> Answers {
        [(
            "town".to_string(),
            Answer::Choice {
                value: code.into(),
                other: None,
            },
        )]
        .into()
    }

    #[test]
    fn breakdowns_group_by_attribute_and_keep_options_nobody_chose() {
        let s = survey();
        let qs = breakdown_questions(&s);
        assert_eq!(
            qs.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
            ["town"],
            "only lists with attributes"
        );
        let mut c = BreakdownCounter::new(qs[0]).unwrap();
        for a in [town("kolin"), town("kolin"), town("most"), Answers::new()] {
            c.add(&a);
        }
        let b = c.finish();
        assert_eq!(b.attribute.as_deref(), Some("region"));
        assert_eq!(b.unanswered, 1);
        type Group<'a> = (Option<&'a str>, Vec<(&'a str, u64)>);
        let summary: Vec<Group> = b
            .groups
            .iter()
            .map(|g| {
                (
                    g.value.as_deref(),
                    g.rows.iter().map(|r| (r.code.as_str(), r.count)).collect(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (Some("Hradec Králové"), vec![("kolin", 2), ("chrudim", 0)]),
                (Some("Praha"), vec![("most", 1)])
            ]
        );
        assert_eq!(b.groups[0].total(), 2);
    }

    #[test]
    fn the_funnel_counts_who_reached_each_page() {
        let s = survey();
        let steps = funnel(
            &s,
            10,
            &[
                ("a".into(), 3),
                ("c".into(), 2),
                ("_review".into(), 1),
                ("gone".into(), 7),
            ],
        );
        let got: Vec<(&str, i64, i64)> = steps
            .iter()
            .map(|f| (f.page_id.as_str(), f.reached, f.here))
            .collect();
        assert_eq!(got, [("a", 16, 3), ("b", 13, 0), ("c", 13, 2)]);
    }

    #[test]
    fn daily_series_fills_empty_days() {
        assert_eq!(
            daily_series(&[(10, 2), (13, 1)]),
            [(10, 2), (11, 0), (12, 0), (13, 1)]
        );
        assert_eq!(daily_series(&[]), []);
    }
}
