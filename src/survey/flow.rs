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
    /// With the later pages that are not decided yet: their condition reads a question
    /// on this page or after it that has no answer yet (whatever the condition says now:
    /// `answered(q)` is false until it is true). Pages whose condition reads only pages
    /// already passed are decided.
    pub at_most: usize,
}

pub fn progress(survey: &Survey, index: usize, answers: &Answers) -> Progress {
    let (mut total, mut undecided, mut current) = (0, 0, 1);
    for i in 0..survey.pages.len() {
        if i == index {
            total += 1;
            current = total;
        } else if i > index && undecided_page(survey, i, index, answers) {
            undecided += 1;
        } else if page_applies(survey, i, answers) {
            total += 1;
        }
    }
    Progress {
        current,
        total,
        at_most: total + undecided,
    }
}

/// Whether page `i`'s condition reads a question on page `from` or later that has no
/// answer yet (so it may still change).
fn undecided_page(survey: &Survey, i: usize, from: usize, answers: &Answers) -> bool {
    let Some(condition) = &survey.pages[i].show_if else {
        return false;
    };
    condition.expr.references().iter().any(|(question, _, _)| {
        !answers.contains_key(*question)
            && survey.page_of(question).is_some_and(|page| page >= from)
    })
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
        if let (QuestionKind::Hidden(_), Some(a)) = (&q.kind, answers.get(&q.id)) {
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
    fn progress_does_not_jump_on_conditions_that_are_never_unknown() {
        // answered() is false, not unknown, before x is answered: the page it guards is
        // still undecided on x's page, and decided after it.
        let src = r#"
id = "a"
title = "A"
[[page]]
id = "one"
  [[page.question]]
  id = "x"
  type = "text"
  text = "X"
[[page]]
id = "follow_up"
show_if = "answered(x)"
  [[page.question]]
  id = "y"
  type = "text"
  text = "Y"
[[page]]
id = "last"
  [[page.question]]
  id = "z"
  type = "text"
  text = "Z"
"#;
        let s = load_str(Path::new("a.toml"), src).survey.expect("valid");
        let step = |index: usize, a: &Answers| {
            let p = progress(&s, index, a);
            (p.current, p.total, p.at_most)
        };
        assert_eq!(step(0, &Answers::new()), (1, 2, 3));
        let mut a = Answers::new();
        a.insert("x".into(), Answer::Text("ano".into()));
        assert_eq!(step(0, &a), (1, 3, 3), "answered: the page applies");
        assert_eq!(step(1, &a), (2, 3, 3));
        assert_eq!(step(2, &Answers::new()), (2, 2, 2), "x left blank: decided");
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
