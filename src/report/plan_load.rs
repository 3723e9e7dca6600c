//! Reading and checking analysis plan files (`analysis/plans/*.toml`) against the loaded
//! surveys: every problem becomes a [`Diagnostic`] with file, line and a fix, the same way
//! `anketa check` reports survey files.

use std::path::{Path, PathBuf};

use super::plan::{
    CompareSpec, Correction, CrosstabSpec, DEFAULT_MIN_CELL, Link, Plan, PrePostSpec, ScaleSpec,
};
use super::variables::{self, Kind, Spec};
use crate::survey::diagnostic::{Diagnostic, SourceFile, suggest};
use crate::survey::model::{Access, PrivacyClass, QuestionType};
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::{Lang, Survey};

/// The default directory of plan files.
pub const PLAN_DIR: &str = "analysis/plans";

/// Plans and every problem found in them.
#[derive(Default)]
pub struct Plans {
    pub plans: Vec<Plan>,
    pub diagnostics: Vec<Diagnostic>,
    pub files: usize,
}

/// Every `*.toml` plan in `dir` (in name order), checked against `surveys`. A missing
/// directory has no plans.
pub fn load_dir(dir: &Path, surveys: &[Survey]) -> Plans {
    let mut out = Plans {
        plans: Vec::new(),
        diagnostics: Vec::new(),
        files: 0,
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
        .collect();
    files.sort();
    for file in files {
        out.files += 1;
        let (plan, diagnostics) = load_file(&file, surveys);
        out.diagnostics.extend(diagnostics);
        let Some(plan) = plan else { continue };
        if let Some(other) = out.plans.iter().find(|p| p.survey == plan.survey) {
            out.diagnostics.push(Diagnostic::file_error(
                &file,
                format!(
                    "survey \"{}\" already has a plan in {}: keep one plan per survey",
                    plan.survey,
                    other.file.as_deref().unwrap_or(Path::new("?")).display()
                ),
            ));
            continue;
        }
        out.plans.push(plan);
    }
    out
}

pub fn load_file(path: &Path, surveys: &[Survey]) -> (Option<Plan>, Vec<Diagnostic>) {
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(path, &text, surveys),
        Err(e) => (
            None,
            vec![Diagnostic::file_error(
                path,
                format!("cannot read this file: {e}"),
            )],
        ),
    }
}

const ROOT_KEYS: [&str; 9] = [
    "survey",
    "title",
    "describe",
    "min_cell",
    "correction",
    "crosstab",
    "compare",
    "scale",
    "prepost",
];

/// Parse and check one plan's TOML source.
pub fn load_str(path: &Path, text: &str, surveys: &[Survey]) -> (Option<Plan>, Vec<Diagnostic>) {
    let src = SourceFile::new(path, text);
    let mut ctx = Ctx::new(&src);
    let root = ctx.parse(text);
    let mut root = Table::new(root.get_ref(), root.span(), "analysis plan");
    let plan = read_plan(&mut ctx, &mut root, path, surveys);
    root.finish(&mut ctx, &ROOT_KEYS, |_| None);
    let mut diagnostics = ctx.diagnostics;
    diagnostics.sort_by_key(|d| (d.line(), d.column()));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    (plan.filter(|_| !failed), diagnostics)
}

/// A survey's variables as plans see them: invitation columns are those the privacy
/// model declares.
fn plan_specs(survey: &Survey) -> Vec<Spec> {
    let columns = variables::declared_invitation_columns(survey);
    variables::specs(survey, survey.default_language(), &columns)
}

fn read_plan(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    path: &Path,
    surveys: &[Survey],
) -> Option<Plan> {
    let id = root.required_string(ctx, "survey", "\"skoleni-po\"")?;
    let Some(survey) = find_survey(ctx, surveys, &id) else {
        // Read on so the other keys are not reported as unknown.
        for key in ROOT_KEYS {
            root.get(key);
        }
        return None;
    };
    ctx.languages = survey.languages.clone();
    let specs = plan_specs(survey);
    let title = root.text(ctx, "title");
    let describe = root
        .string_list(ctx, "describe", "[\"satisfaction\", \"overall\"]")
        .map(|names| {
            names
                .into_iter()
                .filter(|n| check_names(ctx, survey, &specs, n, None).is_some())
                .map(|n| n.value)
                .collect()
        });
    let min_cell = match root.count(ctx, "min_cell", "5") {
        Some(n) => n.value as u64,
        None => DEFAULT_MIN_CELL,
    };
    let correction = match root.string(ctx, "correction", "\"holm\"") {
        None => Correction::Holm,
        Some(c) => Correction::from_name(&c.value).unwrap_or_else(|| {
            let help = suggest(&c.value, Correction::NAMES, '"', || {
                "use \"holm\" (the default), \"bh\" (Benjamini-Hochberg) or \"none\"".into()
            });
            ctx.error(
                c.span,
                format!("unknown correction \"{}\"", c.value),
                Some(help),
            );
            Correction::Holm
        }),
    };
    let crosstabs = root
        .tables(
            ctx,
            "crosstab",
            "crosstab",
            "[[crosstab]] with rows and columns",
        )
        .into_iter()
        .filter_map(|t| read_crosstab(ctx, t, survey, &specs))
        .collect();
    let comparisons = root
        .tables(
            ctx,
            "compare",
            "comparison",
            "[[compare]] with variable and groups",
        )
        .into_iter()
        .filter_map(|t| read_compare(ctx, t, survey, &specs))
        .collect();
    let scales = root
        .tables(ctx, "scale", "scale", "[[scale]] with id and items")
        .into_iter()
        .filter_map(|t| read_scale(ctx, t, survey, &specs))
        .collect();
    let prepost = root
        .tables(
            ctx,
            "prepost",
            "pre/post comparison",
            "[[prepost]] with before, link and items",
        )
        .into_iter()
        .filter_map(|t| read_prepost(ctx, t, survey, &specs, surveys))
        .collect();
    Some(Plan {
        survey: survey.id.clone(),
        file: Some(path.to_path_buf()),
        title,
        describe,
        crosstabs,
        comparisons,
        scales,
        prepost,
        min_cell,
        correction,
    })
}

/// A `[[crosstab]]`: two categorical variables.
fn read_crosstab(
    ctx: &mut Ctx<'_>,
    mut t: Table<'_, '_>,
    survey: &Survey,
    specs: &[Spec],
) -> Option<CrosstabSpec> {
    let rows = t.required_string(ctx, "rows", "\"satisfaction.methodologist\"");
    let columns = t.required_string(ctx, "columns", "\"municipality.region\"");
    t.finish(ctx, &["rows", "columns"], |_| None);
    let rows = single(
        ctx,
        survey,
        specs,
        rows?,
        Kind::is_categorical,
        "a choice or scale item",
    )?;
    let columns = single(
        ctx,
        survey,
        specs,
        columns?,
        Kind::is_categorical,
        "a choice or scale item",
    )?;
    Some(CrosstabSpec { rows, columns })
}

/// A `[[compare]]`: a scored variable across the groups of a choice.
fn read_compare(
    ctx: &mut Ctx<'_>,
    mut t: Table<'_, '_>,
    survey: &Survey,
    specs: &[Spec],
) -> Option<CompareSpec> {
    let variable = t.required_string(ctx, "variable", "\"sw_total\"");
    let groups = t.required_string(ctx, "groups", "\"municipality.region\"");
    t.finish(ctx, &["variable", "groups"], |_| None);
    let variable = single(
        ctx,
        survey,
        specs,
        variable?,
        Kind::is_scored,
        "a number or scale item",
    )?;
    let groups = single(
        ctx,
        survey,
        specs,
        groups?,
        Kind::is_categorical,
        "a choice",
    )?;
    Some(CompareSpec { variable, groups })
}

/// A `[[scale]]`: two or more scored items averaged into one score.
fn read_scale(
    ctx: &mut Ctx<'_>,
    mut t: Table<'_, '_>,
    survey: &Survey,
    specs: &[Spec],
) -> Option<ScaleSpec> {
    let id = t.required_string(ctx, "id", "\"course_quality\"");
    let title = t.text(ctx, "title");
    let items = t.string_list(ctx, "items", "[\"course\"]");
    let span = t.span.clone();
    t.finish(ctx, &["id", "title", "items"], |_| None);
    let items = items?;
    // A constant sum's items add up to its total: their mean is the same for everyone.
    if let Some(sum) = items.iter().find(|n| {
        survey
            .question(&n.value)
            .is_some_and(|q| q.kind.question_type() == QuestionType::ConstantSum)
    }) {
        ctx.error(
            sum.span.clone(),
            format!(
                "\"{}\" is a constant sum: its items always add up to the same total, so their mean says nothing",
                sum.value
            ),
            Some("describe its items, or compare one of them (e.g. \"QUESTION.ITEM\")".into()),
        );
        return None;
    }
    let items = scored_items(ctx, survey, specs, items, None)?;
    if items.len() < 2 {
        ctx.error(
            span,
            "a scale needs at least two items",
            Some("list two or more scored items, or a matrix question".into()),
        );
        return None;
    }
    Some(ScaleSpec {
        id: id?.value,
        title,
        items,
    })
}

fn find_survey<'s>(
    ctx: &mut Ctx<'_>,
    surveys: &'s [Survey],
    id: &Sp<String>,
) -> Option<&'s Survey> {
    let found = surveys.iter().find(|s| s.id == id.value);
    if found.is_none() {
        let help = suggest(
            &id.value,
            surveys.iter().map(|s| s.id.as_str()),
            '"',
            || {
                let ids: Vec<&str> = surveys.iter().map(|s| s.id.as_str()).collect();
                format!("the surveys are: {}", ids.join(", "))
            },
        );
        ctx.error(
            id.span.clone(),
            format!("there is no survey \"{}\"", id.value),
            Some(help),
        );
    }
    found
}

/// Check a name against a survey's variables; report it when unknown (`other` names a
/// second survey the name must also exist in).
fn check_names<'a>(
    ctx: &mut Ctx<'_>,
    survey: &Survey,
    specs: &'a [Spec],
    name: &Sp<String>,
    other: Option<&Survey>,
) -> Option<Vec<&'a Spec>> {
    let found = variables::resolve(specs, &name.value);
    if found.is_empty() {
        let withheld = variables::withheld(survey, &name.value);
        let help = withheld.unwrap_or_else(|| {
            suggest(
                &name.value,
                specs.iter().map(|s| s.name.as_str()),
                '"',
                || {
                    let mut names: Vec<&str> = specs.iter().map(|s| s.question.as_str()).collect();
                    names.dedup();
                    format!(
                        "the questions that can be analysed are: {}",
                        names.join(", ")
                    )
                },
            )
        });
        let also = other.map_or(String::new(), |o| format!(" (needed in \"{}\" too)", o.id));
        ctx.error(
            name.span.clone(),
            format!(
                "survey \"{}\" has no variable \"{}\"{also}",
                survey.id, name.value
            ),
            Some(help),
        );
        return None;
    }
    Some(found)
}

/// One variable of the wanted kind.
fn single(
    ctx: &mut Ctx<'_>,
    survey: &Survey,
    specs: &[Spec],
    name: Sp<String>,
    fits: fn(Kind) -> bool,
    wanted: &str,
) -> Option<String> {
    let found = check_names(ctx, survey, specs, &name, None)?;
    match found.as_slice() {
        [spec] if fits(spec.kind) => Some(spec.name.clone()),
        [spec] => {
            ctx.error(
                name.span,
                format!(
                    "\"{}\" is {}, but this needs {wanted}",
                    name.value,
                    spec.describe()
                ),
                matches!(spec.source, variables::Source::Bands { .. }).then(|| {
                    "a quasi-identifier is published only in the bands of its [privacy.coarsen] rule: use it in a [[crosstab]]".to_string()
                }),
            );
            None
        }
        several => {
            let names: Vec<&str> = several.iter().map(|s| s.name.as_str()).collect();
            ctx.error(
                name.span,
                format!("\"{}\" has several rows; name one of them", name.value),
                Some(format!("for example \"{}\"", names[0])),
            );
            None
        }
    }
}

/// Scored variables (a matrix name expands to its rows).
fn scored_items(
    ctx: &mut Ctx<'_>,
    survey: &Survey,
    specs: &[Spec],
    names: Vec<Sp<String>>,
    other: Option<(&Survey, &[Spec])>,
) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut ok = true;
    for name in names {
        let Some(found) = check_names(ctx, survey, specs, &name, other.map(|o| o.0)) else {
            ok = false;
            continue;
        };
        for spec in found {
            if !spec.kind.is_scored() {
                ctx.error(
                    name.span.clone(),
                    format!(
                        "\"{}\" is {}, but items must be numbers or scale items",
                        spec.name,
                        spec.kind.describe()
                    ),
                    None,
                );
                ok = false;
                continue;
            }
            if let Some((before, before_specs)) = other {
                let twin = before_specs.iter().find(|s| s.name == spec.name);
                let same_scale = twin.is_some_and(|t| {
                    t.kind == spec.kind
                        && t.categories
                            .iter()
                            .map(|c| &c.code)
                            .eq(spec.categories.iter().map(|c| &c.code))
                });
                if !same_scale {
                    ctx.error(
                        name.span.clone(),
                        format!(
                            "\"{}\" must be asked the same way in \"{}\" and \"{}\"",
                            spec.name, before.id, survey.id
                        ),
                        Some(format!("\"{}\" lacks it or uses another scale", before.id)),
                    );
                    ok = false;
                    continue;
                }
            }
            out.push(spec.name.clone());
        }
    }
    ok.then_some(out)
}

fn read_prepost(
    ctx: &mut Ctx<'_>,
    mut t: Table<'_, '_>,
    survey: &Survey,
    specs: &[Spec],
    surveys: &[Survey],
) -> Option<PrePostSpec> {
    let title = t.text(ctx, "title");
    let before = t.required_string(ctx, "before", "\"skoleni-pred\"");
    let link = t.required_string(ctx, "link", "\"invitation.participant\"");
    let items = t.string_list(ctx, "items", "[\"knowledge\", \"confidence\"]");
    if !t.has("items") {
        t.missing(ctx, "items", "[\"knowledge\", \"confidence\"]");
    }
    t.finish(ctx, &["title", "before", "link", "items"], |_| None);
    let before_id = before?;
    let before = find_survey(ctx, surveys, &before_id)?;
    if before.id == survey.id || before.is_interview() {
        ctx.error(
            before_id.span,
            format!("\"{}\" cannot be the survey before", before.id),
            Some("name another questionnaire the same people answered earlier".into()),
        );
        return None;
    }
    let link_name = link?;
    let link = match link_name.value.strip_prefix("invitation.") {
        Some(column) => {
            if survey.access != Access::Token || before.access != Access::Token {
                ctx.error(
                    link_name.span.clone(),
                    "an invitation column can only link token surveys",
                    Some(format!(
                        "set access = \"token\" in both \"{}\" and \"{}\", or link by a question both ask",
                        before.id, survey.id
                    )),
                );
                return None;
            }
            let not_identifier: Vec<&str> = [before, survey]
                .into_iter()
                .filter(|s| s.privacy.invitation_class(column) != PrivacyClass::Identifier)
                .map(|s| s.id.as_str())
                .collect();
            if !not_identifier.is_empty() {
                ctx.error(
                    link_name.span.clone(),
                    format!("the link column `{column}` must be an identifier"),
                    Some(format!(
                        "its values name people: declare {column} = \"identifier\" under [privacy] invitation in {} (or leave it out: undeclared columns are identifiers)",
                        not_identifier.join(" and ")
                    )),
                );
                return None;
            }
            Link::Invitation(column.to_string())
        }
        None => {
            let in_both = survey.question(&link_name.value).is_some()
                && before.question(&link_name.value).is_some();
            if !in_both {
                ctx.error(
                    link_name.span.clone(),
                    format!("\"{}\" is not a question of both \"{}\" and \"{}\"", link_name.value, before.id, survey.id),
                    Some("use \"invitation.COLUMN\" (a participant code in both invitation lists) or a question both surveys ask".into()),
                );
                return None;
            }
            Link::Question(link_name.value)
        }
    };
    let before_specs = plan_specs(before);
    let items = scored_items(ctx, survey, specs, items?, Some((before, &before_specs)))?;
    Some(PrePostSpec {
        title,
        before: before.id.clone(),
        link,
        items,
    })
}

/// The plan for a survey: its file in `plans`, or the default.
pub fn plan_for(plans: &[Plan], survey: &Survey) -> Plan {
    plans
        .iter()
        .find(|p| p.survey == survey.id)
        .cloned()
        .unwrap_or_else(|| Plan::default_for(survey))
}

/// The language of a survey's report: the wanted one if the survey has it, else its
/// first language.
pub fn report_language(survey: &Survey, wanted: Option<Lang>) -> Lang {
    wanted
        .filter(|l| survey.languages.contains(l))
        .unwrap_or(survey.default_language())
}
