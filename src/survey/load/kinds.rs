//! The keys of each question type (`max_length`, `options`, `rows`, `total`, ...): one
//! function per type with keys of its own, and the helpers they share (choice lists,
//! "other", a matrix's rows and a constant sum's items).

use std::sync::Arc;

use super::choices::SharedList;
use super::reader::{Ctx, Sp, Table};
use super::{choices, is_code, is_identifier};
use crate::survey::answer::OTHER;
use crate::survey::diagnostic::suggest;
use crate::survey::model::{ChoiceList, MatrixRow, QuestionKind, QuestionType};
use crate::survey::text::{Lang, Text};

/// `autocomplete` tokens that make sense in a survey (HTML autofill detail tokens).
const AUTOCOMPLETE: [&str; 12] = [
    "name",
    "given-name",
    "family-name",
    "email",
    "tel",
    "organization",
    "organization-title",
    "street-address",
    "postal-code",
    "address-level2",
    "country-name",
    "bday",
];

/// The keys of question type `qt`, as its [`QuestionKind`]; `None` when they have errors
/// (each reported on its line).
pub(super) fn read_kind(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    qt: QuestionType,
    id: Option<&Sp<String>>,
    lists: &mut [SharedList],
) -> Option<QuestionKind> {
    let list = |ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, lists: &mut [SharedList]| {
        options(ctx, t, lists, false)
    };
    match qt {
        QuestionType::Text => text(ctx, t),
        QuestionType::Textarea => Some(QuestionKind::Textarea {
            max_length: max_length(ctx, t, 5000),
        }),
        QuestionType::Email => Some(QuestionKind::Email),
        QuestionType::Number => number(ctx, t),
        QuestionType::Single => {
            let options = list(ctx, t, lists)?;
            let other = other(ctx, t, &options);
            Some(QuestionKind::Single { options, other })
        }
        QuestionType::Dropdown => Some(QuestionKind::Dropdown {
            options: list(ctx, t, lists)?,
        }),
        QuestionType::Likert => Some(QuestionKind::Likert {
            options: list(ctx, t, lists)?,
        }),
        QuestionType::Ranking => Some(QuestionKind::Ranking {
            options: list(ctx, t, lists)?,
        }),
        QuestionType::Multi => multi(ctx, t, lists),
        QuestionType::Matrix => {
            let rows = parts(ctx, t, Parts::ROWS);
            let options = list(ctx, t, lists)?;
            Some(QuestionKind::Matrix { rows, options })
        }
        QuestionType::ConstantSum => constant_sum(ctx, t),
        QuestionType::Rating => rating(ctx, t),
        QuestionType::Date => date(ctx, t),
        QuestionType::YesNo => Some(QuestionKind::YesNo),
        QuestionType::Consent => consent(ctx, t),
        QuestionType::Note => Some(QuestionKind::Note),
        QuestionType::Hidden => hidden(ctx, t, lists, id),
    }
}

/// `text`: `max_length`, `autocomplete`.
fn text(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    Some(QuestionKind::Text {
        max_length: max_length(ctx, t, 500),
        autocomplete: t.string(ctx, "autocomplete", "\"email\"").and_then(|a| {
            if AUTOCOMPLETE.contains(&a.value.as_str()) {
                return Some(a.value);
            }
            let help = suggest(&a.value, AUTOCOMPLETE, '"', || {
                format!("use one of: {}", AUTOCOMPLETE.join(", "))
            });
            ctx.error(
                a.span,
                format!("unknown autocomplete value \"{}\"", a.value),
                Some(help),
            );
            None
        }),
    })
}

/// `number`: `min`, `max` (`max` not below `min`), `integer` (whole-number bounds), `unit`.
fn number(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    let min = t.number(ctx, "min", "0");
    let max = t.number(ctx, "max", "120");
    if let (Some(lo), Some(hi)) = (&min, &max)
        && lo.value > hi.value
    {
        ctx.error(
            hi.span.clone(),
            format!("`max` ({}) is smaller than `min` ({})", hi.value, lo.value),
            None,
        );
    }
    let integer = t.boolean(ctx, "integer").is_some_and(|b| b.value);
    if integer {
        for b in [&min, &max].into_iter().flatten() {
            if b.value.fract() != 0.0 {
                ctx.error(
                    b.span.clone(),
                    "an integer question needs whole-number bounds",
                    None,
                );
            }
        }
    }
    Some(QuestionKind::Number {
        min: min.map(|m| m.value),
        max: max.map(|m| m.value),
        integer,
        unit: t.text(ctx, "unit"),
    })
}

/// `multi`: the options, `other`, and `min`/`max` ticks between 1 and the number of options.
fn multi(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    lists: &mut [SharedList],
) -> Option<QuestionKind> {
    let options = options(ctx, t, lists, false)?;
    let other = other(ctx, t, &options);
    let available = options.options.len() + usize::from(other.is_some());
    let min = t.count(ctx, "min", "1");
    let max = t.count(ctx, "max", "3");
    for b in [&min, &max].into_iter().flatten() {
        if b.value == 0 || b.value > available {
            ctx.error(
                b.span.clone(),
                format!("must be between 1 and the number of options ({available})"),
                None,
            );
        }
    }
    if let (Some(lo), Some(hi)) = (&min, &max)
        && lo.value > hi.value
    {
        ctx.error(
            hi.span.clone(),
            format!("`max` ({}) is smaller than `min` ({})", hi.value, lo.value),
            None,
        );
    }
    Some(QuestionKind::Multi {
        options,
        min: min.map(|m| m.value),
        max: max.map(|m| m.value),
        other,
    })
}

/// `constant_sum`: `items`, `total` (1 to [`MAX_TOTAL`]), `unit`.
fn constant_sum(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    let items = parts(ctx, t, Parts::ITEMS);
    let total = t.integer(ctx, "total", "100");
    if total.is_none() && !t.has("total") {
        t.missing(ctx, "total", "100");
    }
    let total = match total {
        Some(n) if !(1..=MAX_TOTAL).contains(&n.value) => {
            ctx.error(
                n.span,
                format!("a total of {} points is not possible", n.value),
                Some(format!(
                    "`total` is a whole number from 1 to {MAX_TOTAL}, e.g. total = 100"
                )),
            );
            None
        }
        Some(n) => u32::try_from(n.value).ok(),
        None => None,
    };
    Some(QuestionKind::ConstantSum {
        items,
        total: total?,
        unit: t.text(ctx, "unit"),
    })
}

/// `rating`: `min` (default 1) and `max`, at most 20 points apart; the end labels.
fn rating(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    let min = t.integer(ctx, "min", "1");
    let max = t.integer(ctx, "max", "5");
    if max.is_none() && !t.has("max") {
        t.missing(ctx, "max", "5");
    }
    let lo = min.as_ref().map_or(1, |m| m.value);
    let hi = max.as_ref().map_or(lo + 1, |m| m.value);
    if hi <= lo || hi - lo > 20 {
        let span = max
            .as_ref()
            .or(min.as_ref())
            .map_or(t.span.clone(), |s| s.span.clone());
        ctx.error(
            span,
            format!("a rating scale from {lo} to {hi} is not possible"),
            Some(
                "`max` must be above `min` and at most 20 points apart (e.g. min = 0, max = 10)"
                    .into(),
            ),
        );
    }
    Some(QuestionKind::Rating {
        min: lo,
        max: hi,
        min_label: t.text(ctx, "min_label"),
        max_label: t.text(ctx, "max_label"),
    })
}

/// `date`: `min`, `max`.
fn date(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    let min = t.date(ctx, "min");
    let max = t.date(ctx, "max");
    if let (Some(lo), Some(hi)) = (&min, &max)
        && lo.value > hi.value
    {
        ctx.error(hi.span.clone(), "`max` is earlier than `min`", None);
    }
    Some(QuestionKind::Date {
        min: min.map(|d| d.value),
        max: max.map(|d| d.value),
    })
}

/// `consent`: the consent text's `version` (not empty), the tick box's `label`.
fn consent(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<QuestionKind> {
    let version = t.required_string(ctx, "version", "\"2024-01\"");
    if let Some(v) = &version
        && v.value.trim().is_empty()
    {
        ctx.error(v.span.clone(), "the consent version is empty", Some("name the version of the consent text, e.g. \"2024-01\"; it is stored with every agreement".into()));
    }
    Some(QuestionKind::Consent {
        version: version?.value,
        label: t.text(ctx, "label"),
    })
}

/// `hidden`: the URL `param` (default the id), an optional choice list.
fn hidden(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    lists: &mut [SharedList],
    id: Option<&Sp<String>>,
) -> Option<QuestionKind> {
    let param = t.string(ctx, "param", "\"municipality\"");
    if let Some(p) = &param
        && !is_code(&p.value)
    {
        ctx.error(
            p.span.clone(),
            format!("\"{}\" is not a usable URL parameter name", p.value),
            Some("use letters, digits, - and _".into()),
        );
    }
    let options = options(ctx, t, lists, true);
    Some(QuestionKind::Hidden {
        param: param
            .map(|p| p.value)
            .or_else(|| id.map(|i| i.value.clone()))?,
        options,
    })
}

fn max_length(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, default: usize) -> usize {
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
fn options(
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
fn other(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, options: &ChoiceList) -> Option<Text> {
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

/// The largest `total` of a constant sum: a million points is already more than anyone
/// distributes by hand.
const MAX_TOTAL: i64 = 1_000_000;

/// The parts a question is made of: a matrix's `rows`, a constant sum's `items`.
struct Parts {
    key: &'static str,
    /// "row": what one part is called in messages and ids.
    noun: &'static str,
    /// "matrix row": a part named with its question type.
    what: &'static str,
    /// "this matrix has no rows"
    empty: &'static str,
}

impl Parts {
    const ROWS: Parts = Parts {
        key: "rows",
        noun: "row",
        what: "matrix row",
        empty: "this matrix has no rows",
    };
    const ITEMS: Parts = Parts {
        key: "items",
        noun: "item",
        what: "constant sum item",
        empty: "this constant sum has no items to distribute the points over",
    };
}

fn parts(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, parts: Parts) -> Vec<MatrixRow> {
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
