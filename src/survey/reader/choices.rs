//! Reading choice lists: shared `[choices.name]` tables and inline `options`.

use std::sync::Arc;

use toml::Spanned;
use toml::de::{DeArray, DeValue};

use super::{Ctx, Sp, Table, describe};
use super::{is_code, is_identifier};
use crate::survey::choice::{Choice, ChoiceList};

/// A shared list with where it was defined and whether any question uses it.
pub struct SharedList {
    pub name: Sp<String>,
    pub list: Arc<ChoiceList>,
    pub used: bool,
}

const OPTION_EXAMPLE: &str = "{ value = \"1\", label = \"...\" }";

/// Read `[choices.*]`: each entry is a table with `options` and optional `attributes`.
pub fn read_shared_lists(ctx: &mut Ctx<'_>, mut table: Table<'_, '_>) -> Vec<SharedList> {
    let mut lists: Vec<SharedList> = Vec::new();
    for (name, value) in table.entries() {
        if !is_identifier(name.value) {
            ctx.error(
                name.span.clone(),
                format!("`{}` is not a valid choice list name", name.value),
                Some(
                    "use lower-case letters, digits and _, starting with a letter, e.g. agree5"
                        .into(),
                ),
            );
        }
        let Some(mut t) = Table::from_value(
            ctx,
            value,
            "choice list",
            "[choices.name] with options = [...]",
        ) else {
            continue;
        };
        let attributes: Vec<Sp<String>> = t
            .string_list(ctx, "attributes", "[\"region\"]")
            .unwrap_or_default();
        for (i, a) in attributes.iter().enumerate() {
            if !is_identifier(&a.value) {
                ctx.error(
                    a.span.clone(),
                    format!("`{}` is not a valid attribute name", a.value),
                    Some("use lower-case letters, digits and _".into()),
                );
            } else if ["value", "label"].contains(&a.value.as_str()) {
                ctx.error(
                    a.span.clone(),
                    format!("`{}` is reserved and cannot be an attribute", a.value),
                    None,
                );
            } else if attributes[..i].iter().any(|b| b.value == a.value) {
                ctx.error(
                    a.span.clone(),
                    format!("attribute `{}` is declared twice", a.value),
                    None,
                );
            }
        }
        let options = match t.array(ctx, "options", &format!("[ {OPTION_EXAMPLE}, ... ]")) {
            Some(arr) => read_options(ctx, arr, &attributes),
            None => {
                if !t.has("options") {
                    t.missing(ctx, "options", &format!("[ {OPTION_EXAMPLE}, ... ]"));
                }
                Vec::new()
            }
        };
        t.finish(ctx, &["options", "attributes"], |_| None);
        let list = ChoiceList {
            name: Some(name.value.to_string()),
            attributes: attributes.into_iter().map(|a| a.value).collect(),
            options,
        };
        lists.push(SharedList {
            name: Sp {
                value: name.value.to_string(),
                span: name.span,
            },
            list: Arc::new(list),
            used: false,
        });
    }
    lists
}

/// Read inline `options = [...]` of a question (no attributes).
pub fn read_inline(ctx: &mut Ctx<'_>, arr: Sp<&DeArray<'_>>) -> Arc<ChoiceList> {
    let options = read_options(ctx, arr, &[]);
    Arc::new(ChoiceList {
        name: None,
        attributes: Vec::new(),
        options,
    })
}

fn read_options(
    ctx: &mut Ctx<'_>,
    arr: Sp<&DeArray<'_>>,
    attributes: &[Sp<String>],
) -> Vec<Choice> {
    if arr.value.is_empty() {
        ctx.error(
            arr.span.clone(),
            "the list of options is empty",
            Some(format!("add options such as {OPTION_EXAMPLE}")),
        );
    }
    let mut seen: Vec<Sp<String>> = Vec::new();
    let mut out = Vec::new();
    for item in arr.value.iter() {
        let Some(mut t) = Table::from_value(ctx, item, "option", OPTION_EXAMPLE) else {
            continue;
        };
        let value = read_value(ctx, &mut t);
        let label = t.required_text(ctx, "label");
        let mut attrs = Vec::new();
        for a in attributes {
            match t.string(ctx, &a.value, "\"Praha\"") {
                Some(v) => attrs.push((a.value.clone(), v.value)),
                None if !t.has(&a.value) => t.missing(ctx, &a.value, "\"...\""),
                None => {}
            }
        }
        let known: Vec<&str> = ["value", "label"]
            .into_iter()
            .chain(attributes.iter().map(|a| a.value.as_str()))
            .collect();
        let shared = !attributes.is_empty();
        t.finish(ctx, &known, |key| {
            (!shared && !["value", "label"].contains(&key) && crate::survey::diagnostic::did_you_mean(key, known.iter().copied()).is_none())
                .then(|| "options carry attributes only in a shared list: [choices.name] with attributes = [\"...\"]".to_string())
        });
        if let Some(value) = value {
            if let Some(first) = seen.iter().find(|s| s.value == value.value) {
                let line = ctx.src.locate(first.span.clone()).line;
                ctx.error(
                    value.span.clone(),
                    format!("duplicate option value \"{}\"", value.value),
                    Some(format!(
                        "it is already used on line {line}; each value must be unique in its list"
                    )),
                );
            } else if let Some(label) = label {
                out.push(Choice {
                    value: value.value.clone(),
                    label,
                    attributes: attrs,
                });
            }
            seen.push(value);
        }
    }
    out
}

fn read_value(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<Sp<String>> {
    let Some(v) = t.get("value") else {
        t.missing(ctx, "value", "\"code\"");
        return None;
    };
    let value = match v.get_ref() {
        DeValue::String(s) => s.to_string(),
        DeValue::Integer(i) => i.as_str().to_string(),
        other => {
            ctx.error(
                v.span(),
                format!(
                    "an option value must be a string or a whole number, found {}",
                    describe(other)
                ),
                None,
            );
            return None;
        }
    };
    check_code(ctx, &value, v);
    Some(Sp {
        value,
        span: v.span(),
    })
}

fn check_code(ctx: &mut Ctx<'_>, value: &str, v: &Spanned<DeValue<'_>>) {
    if !is_code(value) {
        ctx.error(
            v.span(),
            format!("\"{value}\" is not a valid option value"),
            Some("values are the codes in exports: use letters, digits, - and _ (no spaces or dots), at most 64 characters".into()),
        );
    }
}
