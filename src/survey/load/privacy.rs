//! Reading the privacy model: a question's `privacy = "..."` and the survey's
//! `[privacy]` table (`k`, `pseudonym`, `[privacy.coarsen]`, `[privacy.invitation]`),
//! checked against the questions they name.

use toml::de::DeValue;

use crate::survey::diagnostic::suggest;
use crate::survey::model::{Access, ChoiceList, Page, QuestionKind, QuestionType};
use crate::survey::privacy::{
    Coarsening, PrivacyClass, PrivacyRules, PseudonymSource, ValueCoarsening,
};
use crate::survey::reader::{Ctx, Sp, Table, describe, number_value};
use crate::survey::types;

const RULE_KEYS: [&str; 5] = ["k", "pseudonym", "coarsen", "invitation", "keep"];

/// A question's `privacy`, checked against its type.
pub fn read_question_class(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    qtype: Option<QuestionType>,
) -> Option<PrivacyClass> {
    let name = t.string(ctx, "privacy", "\"quasi_identifier\"")?;
    let Some(class) = PrivacyClass::from_name(&name.value) else {
        let help = suggest(&name.value, PrivacyClass::NAMES, '"', || {
            format!("the classes are: {}", PrivacyClass::NAMES.join(", "))
        });
        ctx.error(
            name.span,
            format!("unknown privacy class \"{}\"", name.value),
            Some(help),
        );
        return None;
    };
    match qtype.map(|qt| (qt, qt.nature())) {
        Some((qt, nature)) if !nature.classified => {
            ctx.error(
                name.span,
                format!("a {} question has no answer to classify", qt.name()),
                Some("remove `privacy`".into()),
            );
            None
        }
        Some((qt, nature)) if !nature.single_value && class == PrivacyClass::QuasiIdentifier => {
            ctx.error(
                name.span,
                format!(
                    "a {} question has several values and cannot be a quasi-identifier",
                    qt.name()
                ),
                Some("mark the single-valued questions that identify in combination (municipality, role, age band); use \"sensitive\" or \"none\" here".into()),
            );
            None
        }
        Some(_) | None => Some(class),
    }
}

/// The `[privacy]` table, read before the root's unknown-key check; checked once the
/// pages are built by [`check_rules`].
pub fn take_rules_table<'a, 'i>(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'a, 'i>,
) -> Option<Table<'a, 'i>> {
    root.subtable(ctx, "privacy", "privacy table", "[privacy]")
}

/// The survey's privacy rules; defaults where the table is silent.
pub fn check_rules(
    ctx: &mut Ctx<'_>,
    table: Option<Table<'_, '_>>,
    pages: &[Page],
    access: Access,
    organisation: Option<&std::sync::Arc<ChoiceList>>,
) -> PrivacyRules {
    let mut rules = PrivacyRules::default();
    let Some(mut t) = table else {
        return rules;
    };
    let question = |id: &str| pages.iter().flat_map(|p| &p.questions).find(|q| q.id == id);
    let question_ids: Vec<&str> = pages
        .iter()
        .flat_map(|p| &p.questions)
        .map(|q| q.id.as_str())
        .collect();
    if let Some(k) = t.count(ctx, "k", "5") {
        if k.value < 2 {
            ctx.error(
                k.span,
                "`k` must be at least 2",
                Some("k is the smallest group of look-alike respondents an anonymized export may contain; 5 is usual".into()),
            );
        } else {
            rules.k = k.value;
        }
    }
    if let Some(p) = t.string(ctx, "pseudonym", "\"response\"")
        && let Some(parsed) = read_pseudonym(ctx, p, access, pages)
    {
        rules.pseudonym = parsed;
    }
    if let Some(mut coarsen) = t.subtable(ctx, "coarsen", "coarsening table", "[privacy.coarsen]") {
        for (key, value) in coarsen.entries() {
            // An interview guide's organisation list coarsens like a choice question's.
            let organisation_kind = organisation
                .map(|l| QuestionKind::Dropdown(types::Dropdown { options: l.clone() }));
            let kind = match (key.value, &organisation_kind) {
                ("submitted_at", _) => Some(None),
                ("organisation", Some(k)) => Some(Some(k)),
                _ => question(key.value).map(|q| Some(&q.kind)),
            };
            let Some(kind) = kind else {
                let help = suggest(
                    key.value,
                    question_ids.iter().copied().chain(["submitted_at"]),
                    '`',
                    || "coarsening applies to a question id or to submitted_at".into(),
                );
                ctx.error(
                    key.span,
                    format!("there is no question \"{}\" to coarsen", key.value),
                    Some(help),
                );
                continue;
            };
            if let Some(q) = question(key.value)
                && q.privacy != Some(PrivacyClass::QuasiIdentifier)
            {
                ctx.warning(
                        key.span.clone(),
                        format!("\"{}\" is coarsened but is not a quasi-identifier, so it is not checked for k-anonymity", key.value),
                        Some(format!("if someone could know it about a respondent, add privacy = \"quasi_identifier\" to \"{}\"", key.value)),
                    );
            }
            if let Some(rule) = read_coarsening(ctx, &key, value, kind) {
                rules.coarsen.push((key.value.to_string(), rule));
            }
        }
    }
    if let Some(inv) = t.subtable(
        ctx,
        "invitation",
        "invitation table",
        "[privacy.invitation]",
    ) {
        read_invitation_classes(ctx, inv, access, &mut rules);
    }
    if let Some(keep) = t.string_list(ctx, "keep", "[\"municipality\"]") {
        for item in keep {
            let ok = match item.value.strip_prefix("invitation.") {
                Some(column) => rules.invitation_class(column) == PrivacyClass::QuasiIdentifier,
                None => question(&item.value)
                    .is_some_and(|q| q.privacy == Some(PrivacyClass::QuasiIdentifier)),
            };
            if ok {
                rules.keep.push(item.value);
            } else {
                ctx.error(
                    item.span,
                    format!("\"{}\" is not a quasi-identifier", item.value),
                    Some("`keep` lists quasi-identifiers (privacy = \"quasi_identifier\", or invitation columns declared so) to blank last".into()),
                );
            }
        }
    }
    if let PseudonymSource::Invitation(column) = &rules.pseudonym
        && rules.invitation_class(column) != PrivacyClass::Identifier
    {
        ctx.warning(
                t.span.clone(),
                format!("the pseudonym comes from the invitation column `{column}`, which is not an identifier"),
                Some("pseudonyms are meant to replace what names a person: check the column".into()),
            );
    }
    t.finish(ctx, &RULE_KEYS, |_| None);
    rules
}

/// `pseudonym = "..."`: the response id (the default), the row number, an invitation
/// column (token surveys) or an identifier question.
fn read_pseudonym(
    ctx: &mut Ctx<'_>,
    p: Sp<String>,
    access: Access,
    pages: &[Page],
) -> Option<PseudonymSource> {
    let question = |id: &str| pages.iter().flat_map(|p| &p.questions).find(|q| q.id == id);
    let question_ids = || {
        pages
            .iter()
            .flat_map(|p| &p.questions)
            .map(|q| q.id.as_str())
    };
    match p.value.as_str() {
        "response" => Some(PseudonymSource::Response),
        "row" => Some(PseudonymSource::RowNumber),
        v => match v.strip_prefix("invitation.") {
            Some(column) if access == Access::Token && !column.is_empty() => {
                Some(PseudonymSource::Invitation(column.to_string()))
            }
            Some(_) => {
                ctx.error(
                    p.span.clone(),
                    "only a survey with access = \"token\" has invitations to take a pseudonym from",
                    Some("use a question that asks for a participant code, or \"response\"".into()),
                );
                None
            }
            None => match question(v) {
                Some(q) if q.privacy == Some(PrivacyClass::Identifier) => {
                    Some(PseudonymSource::Question(v.to_string()))
                }
                Some(_) => {
                    ctx.error(
                        p.span.clone(),
                        format!("question \"{v}\" is not marked as an identifier"),
                        Some(format!("a pseudonym is computed from something that names a person: add privacy = \"identifier\" to \"{v}\"")),
                    );
                    None
                }
                None => {
                    let help = suggest(v, question_ids(), '"', || {
                        "use \"response\" (the default), \"row\", \"invitation.COLUMN\" or the id of an identifier question".into()
                    });
                    ctx.error(
                        p.span.clone(),
                        format!("unknown pseudonym source \"{v}\""),
                        Some(help),
                    );
                    None
                }
            },
        },
    }
}

/// `[privacy.invitation]`: the class of each invitation column (token surveys only).
fn read_invitation_classes(
    ctx: &mut Ctx<'_>,
    mut inv: Table<'_, '_>,
    access: Access,
    rules: &mut PrivacyRules,
) {
    if access != Access::Token {
        ctx.error(
            inv.span.clone(),
            "only a survey with access = \"token\" has invitation columns",
            Some("remove [privacy.invitation]".into()),
        );
    }
    for (key, value) in inv.entries() {
        let class = match value.get_ref() {
            DeValue::String(s) => PrivacyClass::from_name(s),
            _ => None,
        };
        match class {
            Some(PrivacyClass::Sensitive) | None => ctx.error(
                value.span(),
                format!(
                    "`{}` must be \"identifier\", \"quasi_identifier\" or \"none\"",
                    key.value
                ),
                Some(format!("for example: {} = \"quasi_identifier\"", key.value)),
            ),
            Some(class) => rules.invitation.push((key.value.to_string(), class)),
        }
    }
}

/// One coarsening rule, checked against what it applies to (`None`: the submission time).
fn read_coarsening(
    ctx: &mut Ctx<'_>,
    key: &Sp<&str>,
    value: &toml::Spanned<DeValue<'_>>,
    kind: Option<&QuestionKind>,
) -> Option<Coarsening> {
    let target = key.value;
    let wrong = |ctx: &mut Ctx<'_>, what: String, help: &str| {
        ctx.error(value.span(), what, Some(help.to_string()));
        None
    };
    match value.get_ref() {
        DeValue::String(s) if s.as_ref() == "month" || s.as_ref() == "year" => {
            let rule = if s.as_ref() == "month" {
                Coarsening::Month
            } else {
                Coarsening::Year
            };
            match kind.map(|k| k.rules().value_coarsening()) {
                None | Some(Some(ValueCoarsening::Dates)) => Some(rule),
                Some(Some(ValueCoarsening::Bands) | None) => wrong(
                    ctx,
                    format!("\"{s}\" applies to dates, and \"{target}\" is not a date question"),
                    "use an option attribute for choices, or a list of band starts for numbers",
                ),
            }
        }
        DeValue::String(s) => {
            let Some(list) = kind.and_then(QuestionKind::options) else {
                return wrong(
                    ctx,
                    format!("\"{target}\" has no options with attributes to coarsen to \"{s}\""),
                    "use \"month\" or \"year\" for dates, a list of band starts for numbers",
                );
            };
            if list.attributes.iter().any(|a| a == s.as_ref()) {
                Some(Coarsening::Attribute(s.to_string()))
            } else {
                let help = suggest(s, list.attributes.iter().map(String::as_str), '"', || {
                    if list.attributes.is_empty() {
                        "give the options an attribute (e.g. region) and coarsen to it".into()
                    } else {
                        format!(
                            "the options' attributes are: {}",
                            list.attributes.join(", ")
                        )
                    }
                });
                ctx.error(
                    value.span(),
                    format!("the options of \"{target}\" have no attribute \"{s}\""),
                    Some(help),
                );
                None
            }
        }
        DeValue::Array(items) => {
            if kind.and_then(|k| k.rules().value_coarsening()) != Some(ValueCoarsening::Bands) {
                return wrong(
                    ctx,
                    format!(
                        "bands apply to numbers, and \"{target}\" is not a number or rating question"
                    ),
                    "use an option attribute for choices, \"month\" or \"year\" for dates",
                );
            }
            let mut bounds = Vec::new();
            for item in items.iter() {
                match number_value(item.get_ref()) {
                    Some(n) if bounds.last().is_none_or(|last| n > *last) => bounds.push(n),
                    Some(_) => {
                        return wrong(
                            ctx,
                            "band starts must increase".into(),
                            "for example: [18, 30, 45, 60]",
                        );
                    }
                    None => {
                        return wrong(
                            ctx,
                            format!(
                                "a band start must be a number, found {}",
                                describe(item.get_ref())
                            ),
                            "for example: [18, 30, 45, 60]",
                        );
                    }
                }
            }
            if bounds.is_empty() {
                return wrong(
                    ctx,
                    "the list of band starts is empty".into(),
                    "for example: [18, 30, 45, 60]",
                );
            }
            Some(Coarsening::Bands(bounds))
        }
        other => wrong(
            ctx,
            format!(
                "a coarsening rule must be a string or a list, found {}",
                describe(other)
            ),
            "for example: municipality = \"region\", submitted_at = \"month\", age = [18, 30, 45]",
        ),
    }
}
