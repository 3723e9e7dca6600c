//! A question's same-page condition in words, for respondents without JavaScript: the
//! page shows every conditional question, so each says when it applies ("Odpovězte, jen
//! pokud jste u otázky „Role“ zvolili „Jiné“."). The common forms are put in words (a
//! choice equal to or among codes, a ticked option, a yes/no answer, `and` of those);
//! anything else gets a general sentence.

use super::answer::OTHER;
use super::expr::{BinOp, Expr, ExprKind, UnOp};
use super::model::{Page, QuestionKind};
use super::text::Lang;
use crate::survey::types;

/// When the question applies, as a sentence in `lang`.
pub fn applies_when(page: &Page, condition: &Expr, lang: Lang) -> String {
    match clauses(page, condition, lang) {
        Some(clauses) => match lang {
            Lang::Cs => format!("Odpovězte, jen pokud jste {}.", clauses.join(" a ")),
            Lang::En => format!("Answer only if you {}.", clauses.join(" and ")),
        },
        None => match lang {
            Lang::Cs => "Odpovězte, jen pokud se vás otázka týká podle odpovědí výše.".into(),
            Lang::En => "Answer only if it applies to you, given your answers above.".into(),
        },
    }
}

/// "u otázky „Role“ zvolili „Jiné“" for each part of an `and`; `None` when a part is
/// not a form put in words.
fn clauses(page: &Page, e: &Expr, lang: Lang) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::Binary {
            op: BinOp::And,
            lhs,
            rhs,
        } => {
            let mut out = clauses(page, lhs, lang)?;
            out.extend(clauses(page, rhs, lang)?);
            Some(out)
        }
        _ => Some(vec![clause(page, e, lang)?]),
    }
}

fn clause(page: &Page, e: &Expr, lang: Lang) -> Option<String> {
    let question = |name: &str| page.questions.iter().find(|q| q.id == name);
    let chose = |name: &str, codes: &[&str]| -> Option<String> {
        let q = question(name)?;
        let labels: Vec<String> = codes
            .iter()
            .map(|code| {
                let other = q.kind.other_label().filter(|_| *code == OTHER);
                match (other, q.kind.options().and_then(|l| l.get(code))) {
                    (Some(label), _) => label.get(lang).to_string(),
                    (None, Some(c)) => c.label.get(lang).to_string(),
                    (None, None) => code.to_string(),
                }
            })
            .collect();
        let text = q.text.get(lang).trim();
        Some(match lang {
            Lang::Cs => format!("u otázky „{text}“ zvolili „{}“", labels.join("“ nebo „")),
            Lang::En => format!("chose \"{}\" for \"{text}\"", labels.join("\" or \"")),
        })
    };
    let yes_no = |name: &str, yes: bool| -> Option<String> {
        let q = question(name)?;
        if !matches!(q.kind, QuestionKind::YesNo(types::YesNo)) {
            return None;
        }
        let text = q.text.get(lang).trim();
        Some(match (lang, yes) {
            (Lang::Cs, true) => format!("u otázky „{text}“ odpověděli „Ano“"),
            (Lang::Cs, false) => format!("u otázky „{text}“ odpověděli „Ne“"),
            (Lang::En, true) => format!("answered \"Yes\" to \"{text}\""),
            (Lang::En, false) => format!("answered \"No\" to \"{text}\""),
        })
    };
    match &e.kind {
        // role == 'other'
        ExprKind::Binary {
            op: BinOp::Eq,
            lhs,
            rhs,
        } => match (&lhs.kind, &rhs.kind) {
            (
                ExprKind::Ref {
                    question,
                    row: None,
                },
                ExprKind::Str(code),
            ) => chose(question, &[code]),
            _ => None,
        },
        ExprKind::Binary {
            op: BinOp::In,
            lhs,
            rhs,
        } => match (&lhs.kind, &rhs.kind) {
            // role in ['mas', 'other']
            (
                ExprKind::Ref {
                    question,
                    row: None,
                },
                ExprKind::List(items),
            ) => {
                let codes: Option<Vec<&str>> = items
                    .iter()
                    .map(|i| match &i.kind {
                        ExprKind::Str(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                chose(question, &codes?)
            }
            // 'law' in topics
            (
                ExprKind::Str(code),
                ExprKind::Ref {
                    question,
                    row: None,
                },
            ) => chose(question, &[code]),
            _ => None,
        },
        // field_work, not field_work
        ExprKind::Ref {
            question,
            row: None,
        } => yes_no(question, true),
        ExprKind::Unary {
            op: UnOp::Not,
            expr,
        } => match &expr.kind {
            ExprKind::Ref {
                question,
                row: None,
            } => yes_no(question, false),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::survey::load_str;

    const SRC: &str = r#"
id = "c"
title = "C"
languages = ["cs", "en"]
[[page]]
id = "p"
  [[page.question]]
  id = "role"
  type = "single"
  text = { cs = "Role", en = "Role" }
  options = [ { value = "mas", label = { cs = "MAS", en = "LAG" } }, { value = "town", label = { cs = "Obec", en = "Town" } } ]
  other = true
  [[page.question]]
  id = "field"
  type = "yesno"
  text = { cs = "Terén?", en = "Field work?" }
  [[page.question]]
  id = "topics"
  type = "multi"
  text = { cs = "Témata", en = "Topics" }
  options = [ { value = "law", label = { cs = "Právo", en = "Law" } } ]
  [[page.question]]
  id = "age"
  type = "number"
  text = { cs = "Věk", en = "Age" }
  [[page.question]]
  id = "q"
  type = "text"
  text = { cs = "Q", en = "Q" }
  show_if = "CONDITION"
"#;

    fn said(condition: &str, lang: Lang) -> String {
        let src = SRC.replace("CONDITION", condition);
        let loaded = load_str(Path::new("c.toml"), &src);
        let survey = loaded
            .survey
            .unwrap_or_else(|| panic!("{condition}: {:?}", loaded.diagnostics));
        let page = &survey.pages[0];
        let q = survey.question("q").unwrap();
        applies_when(page, &q.show_if.as_ref().unwrap().expr, lang)
    }

    #[test]
    fn the_common_conditions_are_put_in_words() {
        let cases = [
            (
                "role == 'other'",
                Lang::Cs,
                "Odpovězte, jen pokud jste u otázky „Role“ zvolili „Jiné“.",
            ),
            (
                "role in ['mas', 'town']",
                Lang::En,
                "Answer only if you chose \"LAG\" or \"Town\" for \"Role\".",
            ),
            (
                "'law' in topics and not field",
                Lang::Cs,
                "Odpovězte, jen pokud jste u otázky „Témata“ zvolili „Právo“ a u otázky „Terén?“ odpověděli „Ne“.",
            ),
            (
                "field",
                Lang::En,
                "Answer only if you answered \"Yes\" to \"Field work?\".",
            ),
            (
                "age > 30",
                Lang::Cs,
                "Odpovězte, jen pokud se vás otázka týká podle odpovědí výše.",
            ),
            (
                "role == 'mas' or field",
                Lang::En,
                "Answer only if it applies to you, given your answers above.",
            ),
        ];
        assert!(!cases.is_empty());
        for (condition, lang, want) in cases {
            assert_eq!(said(condition, lang), want, "{condition}");
        }
    }
}
