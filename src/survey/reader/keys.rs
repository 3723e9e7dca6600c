//! Helpers for the keys several question types share: choice lists (`options` or
//! `choices`), "other", `max_length`, a matrix's rows and a constant sum's items. Each
//! type reads its own keys in its module under `survey::types`.

use std::sync::Arc;

use super::choices::SharedList;
use super::{Ctx, Sp, Table};
use super::{choices, is_identifier};
use crate::survey::answer::OTHER;
use crate::survey::choice::{ChoiceList, MatrixRow};
use crate::survey::diagnostic::suggest;
use crate::survey::text::{Lang, Text};

pub(crate) fn max_length(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, default: usize) -> usize {
    match t.count(ctx, "max_length", "500") {
        Some(n) if n.value == 0 || n.value > 100_000 => {
            ctx.error(n.span, "`max_length` must be between 1 and 100000", None);
            default
        }
        Some(n) => n.value,
        None => default,
    }
}

/// Resolve `options = [...]` or `choices = "name"`; exactly one must be present unless
/// `optional`.
pub(crate) fn options(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    lists: &mut [SharedList],
    optional: bool,
) -> Option<Arc<ChoiceList>> {
    let by_name = t.string(ctx, "choices", "\"agree5\"");
    let inline = t.array(ctx, "options", "[ { value = \"1\", label = \"...\" } ]");
    match (by_name, inline) {
        (Some(name), Some(inline)) => {
            ctx.error(
                inline.span,
                "a question takes either `options` or `choices`, not both",
                Some(format!(
                    "remove `options` to use the shared list \"{}\"",
                    name.value
                )),
            );
            None
        }
        (Some(name), None) => match lists.iter_mut().find(|l| l.name.value == name.value) {
            Some(l) => {
                l.used = true;
                Some(l.list.clone())
            }
            None => {
                let names: Vec<&str> = lists.iter().map(|l| l.name.value.as_str()).collect();
                let help = suggest(&name.value, names.iter().copied(), '"', || {
                    match names.is_empty() {
                        true => {
                            "define it in a [choices.NAME] table with options = [...]".to_string()
                        }
                        false => format!("the defined lists are: {}", names.join(", ")),
                    }
                });
                ctx.error(
                    name.span,
                    format!("there is no choice list \"{}\"", name.value),
                    Some(help),
                );
                None
            }
        },
        (None, Some(inline)) => Some(choices::read_inline(ctx, inline)),
        (None, None) => {
            if !optional && !t.has("choices") && !t.has("options") {
                ctx.error(t.span.clone(), "this question has no options", Some("add options = [ { value = \"1\", label = \"...\" } ] or choices = \"name of a [choices] list\"".into()));
            }
            None
        }
    }
}

/// `other = true` (default label) or `other = "label"`: adds an "other" option with a text box.
pub(crate) fn other(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    options: &ChoiceList,
) -> Option<Text> {
    let v = t.get("other")?;
    let label = match v.get_ref() {
        toml::de::DeValue::Boolean(false) => return None,
        toml::de::DeValue::Boolean(true) => default_other_label(&ctx.languages),
        _ => ctx.text("other", v)?,
    };
    if options.get(OTHER).is_some() {
        ctx.error(
            v.span(),
            format!("the options already have the value \"{OTHER}\", which `other` would add"),
            Some("rename that option's value or remove `other`".to_string()),
        );
        return None;
    }
    Some(label)
}

fn default_other_label(languages: &[Lang]) -> Text {
    Text::PerLang(
        languages
            .iter()
            .map(|&l| {
                (
                    l,
                    match l {
                        Lang::Cs => "Jiné",
                        Lang::En => "Other",
                    }
                    .to_string(),
                )
            })
            .collect(),
    )
}

/// The parts a question is made of: a matrix's `rows`, a constant sum's `items`.
pub(crate) struct Parts {
    key: &'static str,
    /// "row": what one part is called in messages and ids.
    noun: &'static str,
    /// "matrix row": a part named with its question type.
    what: &'static str,
    /// "this matrix has no rows"
    empty: &'static str,
}

impl Parts {
    pub(crate) const ROWS: Parts = Parts {
        key: "rows",
        noun: "row",
        what: "matrix row",
        empty: "this matrix has no rows",
    };
    pub(crate) const ITEMS: Parts = Parts {
        key: "items",
        noun: "item",
        what: "constant sum item",
        empty: "this constant sum has no items to distribute the points over",
    };
}

pub(crate) fn parts(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, parts: Parts) -> Vec<MatrixRow> {
    let Parts {
        key,
        noun,
        what,
        empty,
    } = parts;
    let example = format!("{{ id = \"{noun}_id\", text = \"...\" }}");
    if !t.has(key) {
        t.missing(ctx, key, &format!("[ {example} ]"));
        return Vec::new();
    }
    let mut rows: Vec<(Sp<String>, MatrixRow)> = Vec::new();
    let tables = t.tables(ctx, key, what, &example);
    if tables.is_empty() {
        ctx.error(
            t.span.clone(),
            empty,
            Some(format!("add {key} = [ {example} ]")),
        );
    }
    for mut r in tables {
        let id = r.required_string(ctx, "id", &format!("\"{noun}_id\""));
        let text = r.required_text(ctx, "text");
        r.finish(ctx, &["id", "text"], |_| None);
        let (Some(id), Some(text)) = (id, text) else {
            continue;
        };
        if !is_identifier(&id.value) {
            ctx.error(id.span.clone(), format!("\"{}\" is not a valid {noun} id", id.value), Some(format!("{noun} ids become variable names (question.{noun}): use lower-case letters, digits and _")));
        } else if let Some((first, _)) = rows.iter().find(|(s, _)| s.value == id.value) {
            let line = ctx.src.locate(first.span.clone()).line;
            ctx.error(
                id.span.clone(),
                format!("duplicate {noun} id \"{}\"", id.value),
                Some(format!("it is already used on line {line}")),
            );
            continue;
        }
        rows.push((id.clone(), MatrixRow { id: id.value, text }));
    }
    rows.into_iter().map(|(_, r)| r).collect()
}
