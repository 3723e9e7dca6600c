//! Page flow: which pages apply to a response's answers, where Next and Back go,
//! progress, and which answers count once skip logic is applied.

use super::answer::Answers;
use super::expr::eval_condition;
use super::form::{FieldError, Strictness, answers_to_input, decode_page, is_shown};
use super::model::{QuestionKind, Survey};

/// Whether page `index` applies given the answers so far.
pub fn page_applies(survey: &Survey, index: usize, answers: &Answers) -> bool {
    survey.pages[index]
        .show_if
        .as_ref()
        .is_none_or(|c| eval_condition(&c.expr, answers) == Some(true))
}

pub fn first_page(survey: &Survey, answers: &Answers) -> usize {
    (0..survey.pages.len())
        .find(|&i| page_applies(survey, i, answers))
        .unwrap_or(0)
}

/// The next page that applies after `index`; `None` when `index` is the last one.
pub fn next_page(survey: &Survey, index: usize, answers: &Answers) -> Option<usize> {
    (index + 1..survey.pages.len()).find(|&i| page_applies(survey, i, answers))
}

pub fn previous_page(survey: &Survey, index: usize, answers: &Answers) -> Option<usize> {
    (0..index).rev().find(|&i| page_applies(survey, i, answers))
}

/// Position of a page among the pages that apply: "step `current` of `total`", or of
/// `total` to `at_most` while later pages depend on answers not given yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub current: usize,
    /// The pages that apply for certain (this one included).
    pub total: usize,
    /// With the later pages that may still apply: their condition is unknown because it
    /// reads a question on this page or after it, not answered yet. Pages whose
    /// condition reads only earlier pages are decided (unknown there hides the page).
    pub at_most: usize,
}

pub fn progress(survey: &Survey, index: usize, answers: &Answers) -> Progress {
    let applicable: Vec<usize> = (0..survey.pages.len())
        .filter(|&i| i == index || page_applies(survey, i, answers))
        .collect();
    let current = applicable
        .iter()
        .position(|&i| i == index)
        .map_or(1, |p| p + 1);
    let undecided = (index + 1..survey.pages.len())
        .filter(|&i| may_still_apply(survey, i, index, answers))
        .count();
    Progress {
        current,
        total: applicable.len(),
        at_most: applicable.len() + undecided,
    }
}

/// Whether page `i`'s condition is unknown only because it reads a question on page
/// `from` or later (one the respondent has yet to answer).
fn may_still_apply(survey: &Survey, i: usize, from: usize, answers: &Answers) -> bool {
    let Some(condition) = &survey.pages[i].show_if else {
        return false;
    };
    eval_condition(&condition.expr, answers).is_none()
        && condition
            .expr
            .references()
            .iter()
            .any(|(question, _, _)| survey.page_of(question).is_some_and(|page| page >= from))
}

/// The first page that applies but is not complete (a required answer missing, a rule
/// broken), with its problems: checked before submitting, since answers changed on one
/// page can bring in pages the respondent has not seen.
pub fn first_invalid_page(survey: &Survey, answers: &Answers) -> Option<(usize, Vec<FieldError>)> {
    let effective = effective_answers(survey, answers);
    (0..survey.pages.len())
        .filter(|&i| page_applies(survey, i, &effective))
        .find_map(|i| {
            let page = &survey.pages[i];
            let checked = decode_page(
                page,
                &answers_to_input(page, &effective),
                &effective,
                Strictness::Enforce,
            );
            (!checked.errors.is_empty()).then_some((i, checked.errors))
        })
}

/// The answers that count: those to questions on pages that apply and that are shown,
/// decided in questionnaire order (so a condition only sees answers that count).
/// Values of `hidden` questions come from the link and are always kept.
pub fn effective_answers(survey: &Survey, answers: &Answers) -> Answers {
    let mut kept = Answers::new();
    for q in survey.questions() {
        if let (QuestionKind::Hidden { .. }, Some(a)) = (&q.kind, answers.get(&q.id)) {
            kept.insert(q.id.clone(), a.clone());
        }
    }
    for (i, page) in survey.pages.iter().enumerate() {
        if !page_applies(survey, i, &kept) {
            continue;
        }
        for q in &page.questions {
            if let Some(a) = answers.get(&q.id)
                && is_shown(q, &kept)
            {
                kept.insert(q.id.clone(), a.clone());
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::answer::Answer;
    use crate::survey::load_str;

    const SRC: &str = r#"
id = "flow"
title = "Flow"
[[page]]
id = "start"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" }, { value = "town", label = "Obec" } ]
  [[page.question]]
  id = "why"
  type = "text"
  text = "Proč?"
  show_if = "role == 'town'"
[[page]]
id = "mas_only"
show_if = "role == 'mas'"
  [[page.question]]
  id = "project"
  type = "yesno"
  text = "Projekt?"
[[page]]
id = "project_details"
show_if = "project"
  [[page.question]]
  id = "details"
  type = "text"
  text = "Detaily"
[[page]]
id = "end"
  [[page.question]]
  id = "comment"
  type = "textarea"
  text = "Komentář"
"#;

    fn survey() -> Survey {
        load_str(Path::new("flow.toml"), SRC).survey.expect("valid")
    }

    fn choice(v: &str) -> Answer {
        Answer::Choice {
            value: v.into(),
            other: None,
        }
    }

    #[test]
    fn skip_logic_decides_next_and_previous() {
        let s = survey();
        let mut a = Answers::new();
        a.insert("role".into(), choice("town"));
        assert_eq!(next_page(&s, 0, &a), Some(3), "a town skips both MAS pages");
        assert_eq!(previous_page(&s, 3, &a), Some(0));
        a.insert("role".into(), choice("mas"));
        assert_eq!(next_page(&s, 0, &a), Some(1));
        a.insert("project".into(), Answer::Bool(true));
        assert_eq!(next_page(&s, 1, &a), Some(2));
        assert_eq!(next_page(&s, 3, &a), None);
    }

    #[test]
    fn progress_counts_only_pages_that_apply() {
        let s = survey();
        let step = |index: usize, a: &Answers| {
            let p = progress(&s, index, a);
            (p.current, p.total, p.at_most)
        };
        let mut a = Answers::new();
        a.insert("role".into(), choice("town"));
        assert_eq!(step(3, &a), (2, 2, 2));
        a.insert("role".into(), choice("mas"));
        a.insert("project".into(), Answer::Bool(false));
        assert_eq!(step(1, &a), (2, 3, 3));
        // Nothing answered yet: the MAS page and the project page may apply.
        assert_eq!(step(0, &Answers::new()), (1, 2, 4));
        // The project question left blank: its page is decided once passed (an unknown
        // condition hides it), so the count does not wait for it.
        a.remove("project");
        assert_eq!(step(1, &a), (2, 3, 4), "on the project's own page: it may");
        assert_eq!(step(3, &a), (3, 3, 3), "after it: it does not");
    }

    #[test]
    fn effective_answers_drop_what_skip_logic_hid() {
        let s = survey();
        let mut a = Answers::new();
        a.insert("role".into(), choice("mas"));
        a.insert("why".into(), Answer::Text("stale".into()));
        a.insert("project".into(), Answer::Bool(true));
        a.insert("details".into(), Answer::Text("d".into()));
        a.insert("comment".into(), Answer::Text("c".into()));
        let kept = effective_answers(&s, &a);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            vec!["comment", "details", "project", "role"]
        );
        // changing role to town hides the MAS pages, and with them the details page
        a.insert("role".into(), choice("town"));
        let kept = effective_answers(&s, &a);
        assert_eq!(
            kept.keys().collect::<Vec<_>>(),
            vec!["comment", "role", "why"]
        );
    }
}
