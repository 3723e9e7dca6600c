//! Reading `[[page.question]]` tables: the keys every question shares (each type reads
//! its own keys in its module under `survey::types`).

use super::is_identifier;
use crate::survey::diagnostic::suggest;
use crate::survey::model::{QuestionKind, QuestionType};
use crate::survey::reader::choices::SharedList;
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Text;

/// A question read from the file, with its conditions still as source text (they are
/// checked once every question is known, see `logic.rs`).
pub struct QuestionDraft {
    pub id: Sp<String>,
    pub text: Text,
    pub help: Option<Text>,
    pub required: bool,
    pub required_message: Option<Text>,
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

const COMMON_KEYS: [&str; 9] = [
    "id",
    "type",
    "text",
    "help",
    "required",
    "required_message",
    "show_if",
    "validate",
    "privacy",
];

/// Every key some question type takes, each once, in the order of the types.
fn type_keys() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = Vec::new();
    for key in QuestionType::ALL.iter().flat_map(|qt| qt.keys()) {
        if !keys.contains(key) {
            keys.push(key);
        }
    }
    keys
}

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
    let text = match qtype.is_none_or(|qt| qt.nature().shown) {
        true => t.required_text(ctx, "text"),
        false => t.text(ctx, "text"),
    };
    let help = t.text(ctx, "help");
    let required = t.boolean(ctx, "required");
    let required_message_span = t.key_span("required_message");
    let required_message = t.text(ctx, "required_message");
    let show_if = t.string(ctx, "show_if", "\"role == 'other'\"");
    let validations = read_validations(ctx, &mut t);
    let privacy_declared = t.has("privacy");
    // A type's default class (an e-mail address names its owner: an identifier) holds
    // unless the file declares one.
    let privacy = super::privacy::read_question_class(ctx, &mut t, qtype).or(qtype
        .and_then(|qt| qt.nature().default_privacy)
        .filter(|_| !privacy_declared));

    let kind = qtype.and_then(|qt| qt.load(ctx, &mut t, lists, id.as_ref()));
    if qtype.is_none() {
        // Without a valid type, type-specific keys cannot be judged: accept them silently.
        for key in type_keys() {
            t.get(key);
        }
    }

    if let (Some(qt), Some(req)) = (qtype, &required) {
        if !qt.nature().answerable {
            ctx.error(
                req.span.clone(),
                format!(
                    "a {} question cannot be required: respondents do not answer it",
                    qt.name()
                ),
                Some("remove `required`".into()),
            );
        } else if qt.nature().always_required && !req.value {
            ctx.error(
                req.span.clone(),
                format!("a {} question is always required", qt.name()),
                Some("remove `required = false`".into()),
            );
        }
    }
    if let Some(qt) = qtype.filter(|qt| !qt.nature().answerable)
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
        let types: Vec<&str> = QuestionType::ALL
            .iter()
            .filter(|qt| qt.keys().contains(&key))
            .map(|qt| qt.name())
            .collect();
        (type_known && !types.is_empty())
            .then(|| format!("`{key}` applies to: {}", types.join(", ")))
    });

    let always_required = qtype.is_some_and(|qt| qt.nature().always_required);
    if let (Some(span), false) = (
        required_message_span,
        always_required || required.as_ref().is_some_and(|r| r.value),
    ) {
        ctx.warning(
            span,
            "`required_message` is never shown: the question is not required",
            Some("add required = true, or remove `required_message`".into()),
        );
    }
    Some(QuestionDraft {
        id: id?,
        text: text.unwrap_or_else(|| Text::plain("")),
        help,
        required: always_required || required.is_some_and(|r| r.value),
        required_message,
        show_if,
        validations,
        kind,
        privacy,
        privacy_declared,
    })
}

fn known_keys(qtype: Option<QuestionType>) -> Vec<&'static str> {
    let mut keys: Vec<&str> = COMMON_KEYS.to_vec();
    match qtype {
        Some(qt) => keys.extend(qt.keys()),
        None => keys.extend(type_keys()),
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
