//! Export variables: how questions become columns (`role`, `blocks.a`, `topics.law`)
//! and how an answer becomes a cell. Shared by every export format.

pub use super::answer::Part;
use super::answer::{Answer, Answers, write_number};
use super::model::Survey;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Column name: the question id, or `question.part`.
    pub name: String,
    pub question: String,
    pub part: Part,
    /// Text the respondent typed (may name people or places): left out of exports
    /// without identifiers.
    pub free_text: bool,
}

/// The variables of one survey version, in questionnaire order.
pub fn variables(survey: &Survey) -> Vec<Variable> {
    let mut out = Vec::new();
    for q in survey.questions() {
        // Typed text (free text: sensitive unless declared otherwise).
        let typed = q.kind.rules().typed_text();
        for part in q.kind.rules().columns() {
            out.push(Variable {
                name: match part.suffix() {
                    Some(s) => format!("{}.{s}", q.id),
                    None => q.id.clone(),
                },
                question: q.id.clone(),
                free_text: typed || part == Part::OtherText,
                part,
            });
        }
    }
    out
}

/// Variables of several versions of one survey merged by name: the newest version's
/// order first, then variables only older versions had.
pub fn merged_variables<'a>(versions: impl IntoIterator<Item = &'a Survey>) -> Vec<Variable> {
    let mut out: Vec<Variable> = Vec::new();
    for survey in versions {
        for v in variables(survey) {
            match out.iter_mut().find(|o| o.name == v.name) {
                // Typed text in any version makes the column free text: a question that
                // was a text box once must not leak its old answers into exports without
                // identifiers after it became a choice.
                Some(o) => o.free_text |= v.free_text,
                None => out.push(v),
            }
        }
    }
    out
}

/// The cell for `var` in a response: codes, numbers as written, dates as `YYYY-MM-DD`,
/// yes/no as 1/0; empty when unanswered.
pub fn cell(var: &Variable, answers: &Answers) -> String {
    let mut out = String::new();
    write_cell(var, answers.get(&var.question), &mut out);
    out
}

/// [`cell`] of `answer`, the response's answer to `var.question`, appended to `out`
/// (exports reuse one buffer per column and look up each question once).
pub fn write_cell(var: &Variable, answer: Option<&Answer>, out: &mut String) {
    use std::fmt::Write;
    let Some(answer) = answer else {
        return;
    };
    match (&var.part, answer) {
        (Part::Value, Answer::Text(s)) => out.push_str(s),
        (Part::Value, Answer::Number(n)) => write_number(*n, out),
        (Part::Value, Answer::Choice { value, .. }) => out.push_str(value),
        (Part::Value, Answer::Date(d)) => {
            let _ = write!(out, "{d}");
        }
        (Part::Value, Answer::Bool(b)) => out.push_str(if *b { "1" } else { "0" }),
        (Part::Value, Answer::Consent { version }) => out.push_str(version),
        (Part::Option(code), Answer::Choices { values, .. }) => {
            out.push_str(if values.contains(code) { "1" } else { "0" })
        }
        (Part::Row(row), Answer::Matrix(rows)) => {
            if let Some(value) = rows.get(row) {
                out.push_str(value);
            }
        }
        (Part::Rank(code), Answer::Ranking(items)) => {
            if let Some(p) = items.iter().position(|c| c == code) {
                let _ = write!(out, "{}", p + 1);
            }
        }
        (Part::Points(item), Answer::Points(points)) => {
            if let Some(n) = points.get(item) {
                let _ = write!(out, "{n}");
            }
        }
        (Part::OtherText, Answer::Choice { other, .. } | Answer::Choices { other, .. }) => {
            if let Some(other) = other {
                out.push_str(other);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::load_str;

    const SRC: &str = r#"
id = "vars"
title = "V"
[[page]]
id = "p"
  [[page.question]]
  id = "intro"
  type = "note"
  text = "Vítejte"
  [[page.question]]
  id = "role"
  type = "single"
  text = "Role"
  options = [ { value = "mas", label = "MAS" } ]
  other = true
  [[page.question]]
  id = "topics"
  type = "multi"
  text = "Témata"
  options = [ { value = "law", label = "Právo" }, { value = "debt", label = "Dluhy" } ]
  other = true
  [[page.question]]
  id = "often"
  type = "matrix"
  text = "Jak často"
  rows = [ { id = "a", text = "A" }, { id = "b", text = "B" } ]
  options = [ { value = "1", label = "Zřídka" }, { value = "2", label = "Často" } ]
  [[page.question]]
  id = "rank"
  type = "ranking"
  text = "Pořadí"
  options = [ { value = "x", label = "X" }, { value = "y", label = "Y" } ]
  [[page.question]]
  id = "ok"
  type = "yesno"
  text = "OK?"
  [[page.question]]
  id = "n"
  type = "number"
  text = "N"
"#;

    #[test]
    fn questions_expand_into_named_variables_in_order() {
        let s = load_str(Path::new("v.toml"), SRC).survey.unwrap();
        let names: Vec<_> = variables(&s).into_iter().map(|v| v.name).collect();
        assert_eq!(
            names,
            [
                "role",
                "role.other_text",
                "topics.law",
                "topics.debt",
                "topics.other",
                "topics.other_text",
                "often.a",
                "often.b",
                "rank.x",
                "rank.y",
                "ok",
                "n"
            ]
        );
    }

    #[test]
    fn cells_hold_codes_flags_ranks_and_blanks() {
        let s = load_str(Path::new("v.toml"), SRC).survey.unwrap();
        let mut a = Answers::new();
        a.insert(
            "role".into(),
            Answer::Choice {
                value: "other".into(),
                other: Some("starosta".into()),
            },
        );
        a.insert(
            "topics".into(),
            Answer::Choices {
                values: vec!["debt".into(), "other".into()],
                other: Some("bydlení".into()),
            },
        );
        a.insert(
            "often".into(),
            Answer::Matrix([("b".to_string(), "2".to_string())].into()),
        );
        a.insert("rank".into(), Answer::Ranking(vec!["y".into(), "x".into()]));
        a.insert("ok".into(), Answer::Bool(false));
        let cells: Vec<_> = variables(&s).iter().map(|v| cell(v, &a)).collect();
        assert_eq!(
            cells,
            [
                "other", "starosta", "0", "1", "1", "bydlení", "", "2", "2", "1", "0", ""
            ]
        );
    }

    #[test]
    fn merged_variables_keep_newest_order_then_old_only_ones() {
        let new = load_str(Path::new("v.toml"), SRC).survey.unwrap();
        let old_src = SRC.replace("id = \"n\"", "id = \"legacy\"");
        let old = load_str(Path::new("v.toml"), &old_src).survey.unwrap();
        let names: Vec<_> = merged_variables([&new, &old])
            .into_iter()
            .map(|v| v.name)
            .collect();
        assert_eq!(names.last().map(String::as_str), Some("legacy"));
        assert_eq!(names[names.len() - 2], "n");
    }

    #[test]
    fn a_column_that_was_typed_text_in_any_version_stays_free_text() {
        let typed = "id = \"s\"\ntitle = \"S\"\n[[page]]\nid = \"p\"\n  [[page.question]]\n  id = \"src\"\n  type = \"text\"\n  text = \"Odkud\"\n";
        let choice = typed.replace(
            "type = \"text\"",
            "type = \"single\"\n  options = [ { value = \"web\", label = \"Web\" } ]",
        );
        let old = load_str(Path::new("v1.toml"), typed).survey.unwrap();
        let new = load_str(Path::new("v2.toml"), &choice).survey.unwrap();
        assert!(!variables(&new)[0].free_text);
        let merged = merged_variables([&new, &old]);
        assert_eq!(merged.len(), 1);
        assert!(
            merged[0].free_text,
            "old answers are typed text: not without identifiers"
        );
    }
}
