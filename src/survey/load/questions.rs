//! Reading `[[page.question]]` tables: the keys every question shares, and the keys
//! of each question type.

use std::sync::Arc;

use super::choices::SharedList;
use super::reader::{Ctx, Sp, Table};
use super::{choices, is_code, is_identifier};
use crate::survey::answer::OTHER;
use crate::survey::diagnostic::suggest;
use crate::survey::model::{ChoiceList, MatrixRow, QuestionKind, QuestionType};
use crate::survey::text::{Lang, Text};

/// A question read from the file, with its conditions still as source text (they are
/// checked once every question is known, see `logic.rs`).
pub struct QuestionDraft {
    pub id: Sp<String>,
    pub text: Text,
    pub help: Option<Text>,
    pub required: bool,
    pub show_if: Option<Sp<String>>,
    pub validations: Vec<(Sp<String>, Text)>,
    /// `None` when the type-specific keys had errors: the question still exists for
    /// references, so a typo in one place does not cascade into "unknown question" errors.
    pub kind: Option<QuestionKind>,
    pub privacy: Option<crate::survey::privacy::PrivacyClass>,
    /// Whether `privacy` is written at all (even with a mistake): an explicit class
    /// acknowledges a deliberate choice, so no "likely a quasi-identifier" warning.
    pub privacy_declared: bool,
}

const COMMON_KEYS: [&str; 8] = [
    "id", "type", "text", "help", "required", "show_if", "validate", "privacy",
];

/// Keys that only some question types accept.
const TYPE_KEYS: &[(&str, &[QuestionType])] = {
    use QuestionType::*;
    &[
        ("max_length", &[Text, Textarea]),
        ("autocomplete", &[Text]),
        ("min", &[Number, Multi, Rating, Date]),
        ("max", &[Number, Multi, Rating, Date]),
        ("integer", &[Number]),
        ("unit", &[Number]),
        (
            "options",
            &[Single, Dropdown, Multi, Likert, Matrix, Ranking, Hidden],
        ),
        (
            "choices",
            &[Single, Dropdown, Multi, Likert, Matrix, Ranking, Hidden],
        ),
        ("other", &[Single, Multi]),
        ("rows", &[Matrix]),
        ("min_label", &[Rating]),
        ("max_label", &[Rating]),
        ("version", &[Consent]),
        ("label", &[Consent]),
        ("param", &[Hidden]),
    ]
};

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

pub fn read_question(
    ctx: &mut Ctx<'_>,
    mut t: Table<'_, '_>,
    lists: &mut [SharedList],
) -> Option<QuestionDraft> {
    let id = t.required_string(ctx, "id", "\"question_id\"");
    if let Some(id) = &id {
        if !is_identifier(&id.value) {
            ctx.error(
                id.span.clone(),
                format!("\"{}\" is not a valid question id", id.value),
                Some("question ids become variable names: use lower-case letters, digits and _, starting with a letter (e.g. \"role_other\")".into()),
            );
        } else if [
            "response_id",
            "survey_version",
            "submitted_at",
            "language",
            "invitation",
        ]
        .contains(&id.value.as_str())
        {
            ctx.error(
                id.span.clone(),
                format!("\"{}\" is reserved for a column of every export", id.value),
                Some("choose another id".into()),
            );
        }
    }
    let type_name = t.required_string(ctx, "type", "\"single\"");
    let qtype = type_name.as_ref().and_then(|name| {
        let found = QuestionType::from_name(&name.value);
        if found.is_none() {
            let names = QuestionType::ALL.map(QuestionType::name);
            let help = suggest(&name.value, names, '"', || {
                format!("the question types are: {}", names.join(", "))
            });
            ctx.error(
                name.span.clone(),
                format!("unknown question type \"{}\"", name.value),
                Some(help),
            );
        }
        found
    });
    let text = match qtype {
        Some(QuestionType::Hidden) => t.text(ctx, "text"),
        _ => t.required_text(ctx, "text"),
    };
    let help = t.text(ctx, "help");
    let required = t.boolean(ctx, "required");
    let show_if = t.string(ctx, "show_if", "\"role == 'other'\"");
    let validations = read_validations(ctx, &mut t);
    let privacy_declared = t.has("privacy");
    // An e-mail address names its owner: an identifier unless the file says otherwise.
    let privacy = super::privacy::read_question_class(ctx, &mut t, qtype)
        .or((qtype == Some(QuestionType::Email) && !privacy_declared)
            .then_some(crate::survey::privacy::PrivacyClass::Identifier));

    let kind = qtype.and_then(|qt| read_kind(ctx, &mut t, qt, id.as_ref(), lists));
    if qtype.is_none() {
        // Without a valid type, type-specific keys cannot be judged: accept them silently.
        for (key, _) in TYPE_KEYS {
            t.get(key);
        }
    }

    if let (Some(qt), Some(req)) = (qtype, &required) {
        match qt {
            QuestionType::Note | QuestionType::Hidden => {
                ctx.error(
                    req.span.clone(),
                    format!(
                        "a {} question cannot be required: respondents do not answer it",
                        qt.name()
                    ),
                    Some("remove `required`".into()),
                );
            }
            QuestionType::Consent if !req.value => {
                ctx.error(
                    req.span.clone(),
                    "a consent question is always required",
                    Some("remove `required = false`".into()),
                );
            }
            _ => {}
        }
    }
    if let Some(qt @ (QuestionType::Note | QuestionType::Hidden)) = qtype
        && let Some((rule, _)) = validations.first()
    {
        ctx.error(
            rule.span.clone(),
            format!("a {} question has no answer to validate", qt.name()),
            Some("move the rule to the question it checks".into()),
        );
    }

    let type_known = qtype.is_some();
    t.finish(ctx, &known_keys(qtype), |key| {
        let types = TYPE_KEYS.iter().find(|(k, _)| *k == key)?.1;
        type_known.then(|| {
            format!(
                "`{key}` applies to: {}",
                types
                    .iter()
                    .map(|t| t.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    });

    let consent = matches!(qtype, Some(QuestionType::Consent));
    Some(QuestionDraft {
        id: id?,
        text: text.unwrap_or_else(|| Text::plain("")),
        help,
        required: consent || required.is_some_and(|r| r.value),
        show_if,
        validations,
        kind,
        privacy,
        privacy_declared,
    })
}

fn known_keys(qtype: Option<QuestionType>) -> Vec<&'static str> {
    let mut keys: Vec<&str> = COMMON_KEYS.to_vec();
    for (k, types) in TYPE_KEYS {
        if qtype.is_none_or(|qt| types.contains(&qt)) {
            keys.push(k);
        }
    }
    keys
}

fn read_validations(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Vec<(Sp<String>, Text)> {
    let example = "{ rule = \"years <= age - 15\", message = \"...\" }";
    let mut out = Vec::new();
    for mut v in t.tables(ctx, "validate", "validation rule", example) {
        let rule = v.required_string(ctx, "rule", "\"years <= age - 15\"");
        let message = v.required_text(ctx, "message");
        v.finish(ctx, &["rule", "message"], |_| None);
        if let (Some(rule), Some(message)) = (rule, message) {
            out.push((rule, message));
        }
    }
    out
}

fn read_kind(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    qt: QuestionType,
    id: Option<&Sp<String>>,
    lists: &mut [SharedList],
) -> Option<QuestionKind> {
    Some(match qt {
        QuestionType::Text => QuestionKind::Text {
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
        },
        QuestionType::Textarea => QuestionKind::Textarea {
            max_length: max_length(ctx, t, 5000),
        },
        QuestionType::Email => QuestionKind::Email,
        QuestionType::Number => {
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
            QuestionKind::Number {
                min: min.map(|m| m.value),
                max: max.map(|m| m.value),
                integer,
                unit: t.text(ctx, "unit"),
            }
        }
        QuestionType::Single => {
            let options = options(ctx, t, lists, false)?;
            let other = other(ctx, t, &options);
            QuestionKind::Single { options, other }
        }
        QuestionType::Dropdown => QuestionKind::Dropdown {
            options: options(ctx, t, lists, false)?,
        },
        QuestionType::Likert => QuestionKind::Likert {
            options: options(ctx, t, lists, false)?,
        },
        QuestionType::Ranking => QuestionKind::Ranking {
            options: options(ctx, t, lists, false)?,
        },
        QuestionType::Multi => {
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
            QuestionKind::Multi {
                options,
                min: min.map(|m| m.value),
                max: max.map(|m| m.value),
                other,
            }
        }
        QuestionType::Matrix => {
            let rows = matrix_rows(ctx, t);
            let options = options(ctx, t, lists, false)?;
            QuestionKind::Matrix { rows, options }
        }
        QuestionType::Rating => {
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
                ctx.error(span, format!("a rating scale from {lo} to {hi} is not possible"), Some("`max` must be above `min` and at most 20 points apart (e.g. min = 0, max = 10)".into()));
            }
            QuestionKind::Rating {
                min: lo,
                max: hi,
                min_label: t.text(ctx, "min_label"),
                max_label: t.text(ctx, "max_label"),
            }
        }
        QuestionType::Date => {
            let min = t.date(ctx, "min");
            let max = t.date(ctx, "max");
            if let (Some(lo), Some(hi)) = (&min, &max)
                && lo.value > hi.value
            {
                ctx.error(hi.span.clone(), "`max` is earlier than `min`", None);
            }
            QuestionKind::Date {
                min: min.map(|d| d.value),
                max: max.map(|d| d.value),
            }
        }
        QuestionType::YesNo => QuestionKind::YesNo,
        QuestionType::Consent => {
            let version = t.required_string(ctx, "version", "\"2024-01\"");
            if let Some(v) = &version
                && v.value.trim().is_empty()
            {
                ctx.error(v.span.clone(), "the consent version is empty", Some("name the version of the consent text, e.g. \"2024-01\"; it is stored with every agreement".into()));
            }
            QuestionKind::Consent {
                version: version?.value,
                label: t.text(ctx, "label"),
            }
        }
        QuestionType::Note => QuestionKind::Note,
        QuestionType::Hidden => {
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
            QuestionKind::Hidden {
                param: param
                    .map(|p| p.value)
                    .or_else(|| id.map(|i| i.value.clone()))?,
                options,
            }
        }
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

fn matrix_rows(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Vec<MatrixRow> {
    let example = "{ id = \"row_id\", text = \"...\" }";
    if !t.has("rows") {
        t.missing(ctx, "rows", &format!("[ {example} ]"));
        return Vec::new();
    }
    let mut rows: Vec<(Sp<String>, MatrixRow)> = Vec::new();
    let tables = t.tables(ctx, "rows", "matrix row", example);
    if tables.is_empty() {
        ctx.error(
            t.span.clone(),
            "this matrix has no rows",
            Some(format!("add rows = [ {example} ]")),
        );
    }
    for mut r in tables {
        let id = r.required_string(ctx, "id", "\"row_id\"");
        let text = r.required_text(ctx, "text");
        r.finish(ctx, &["id", "text"], |_| None);
        let (Some(id), Some(text)) = (id, text) else {
            continue;
        };
        if !is_identifier(&id.value) {
            ctx.error(id.span.clone(), format!("\"{}\" is not a valid row id", id.value), Some("row ids become variable names (question.row): use lower-case letters, digits and _".into()));
        } else if let Some((first, _)) = rows.iter().find(|(s, _)| s.value == id.value) {
            let line = ctx.src.locate(first.span.clone()).line;
            ctx.error(
                id.span.clone(),
                format!("duplicate row id \"{}\"", id.value),
                Some(format!("it is already used on line {line}")),
            );
            continue;
        }
        rows.push((id.clone(), MatrixRow { id: id.value, text }));
    }
    rows.into_iter().map(|(_, r)| r).collect()
}
