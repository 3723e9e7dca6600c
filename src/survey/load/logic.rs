//! Checking the survey's logic once every question is known: `show_if` and `validate`
//! expressions parse, refer only to questions answered before them, are well typed,
//! and can actually be true.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::questions::QuestionDraft;
use crate::survey::answer::Answers;
use crate::survey::diagnostic::did_you_mean;
use crate::survey::expr::{self, ExprError, RefType, Scope, ValueType};
use crate::survey::model::{Condition, Page, Question, QuestionKind, Validation};
use crate::survey::reader::{Ctx, Sp};
use crate::survey::text::Text;

pub struct PageDraft {
    pub id: Sp<String>,
    pub title: Option<Text>,
    pub intro: Option<Text>,
    pub show_if: Option<Sp<String>>,
    pub questions: Vec<QuestionDraft>,
}

struct Info<'a> {
    page: usize,
    index: usize,
    page_id: &'a str,
    kind: Option<&'a QuestionKind>,
}

/// Which earlier answers a condition may use.
#[derive(Clone, Copy)]
enum Allowed<'a> {
    /// A page's `show_if`: questions on earlier pages.
    BeforePage(usize),
    /// A question's `show_if`: earlier pages and earlier questions on its page.
    BeforeQuestion {
        page: usize,
        index: usize,
        id: &'a str,
    },
    /// A `validate` rule: anything up to and including its page.
    UpToPage(usize),
}

struct SurveyScope<'a> {
    questions: &'a HashMap<&'a str, Info<'a>>,
    allowed: Allowed<'a>,
}

impl Scope for SurveyScope<'_> {
    fn resolve(&self, question: &str, row: Option<&str>) -> Result<RefType, ExprError> {
        let Some(info) = self.questions.get(question) else {
            let mut e = ExprError::new(0..0, format!("unknown question `{question}`"));
            if let Some(s) = did_you_mean(question, self.questions.keys().copied()) {
                e = e.with_help(format!("did you mean `{s}`?"));
            }
            return Err(e);
        };
        let later = || {
            ExprError::new(
                0..0,
                format!(
                    "question `{question}` comes later in the survey (page `{}`)",
                    info.page_id
                ),
            )
            .with_help("a condition can only use answers given before it")
        };
        match self.allowed {
            Allowed::BeforePage(p) if info.page == p => {
                return Err(ExprError::new(0..0, format!("a page condition cannot use question `{question}` on the same page"))
                    .with_help("whether a page is shown is decided before it is shown: use answers from earlier pages, or put show_if on the questions"));
            }
            Allowed::BeforePage(p) | Allowed::UpToPage(p) if info.page > p => {
                return Err(later());
            }
            Allowed::BeforeQuestion { id, .. } if id == question => {
                return Err(ExprError::new(
                    0..0,
                    format!("the condition of `{question}` refers to itself"),
                )
                .with_help(
                    "a question cannot depend on its own answer; refer to an earlier question",
                ));
            }
            Allowed::BeforeQuestion { page, index, .. }
                if (info.page, info.index) > (page, index) =>
            {
                return Err(later());
            }
            _ => {}
        }
        let name = format!("question `{question}`");
        let Some(kind) = info.kind else {
            return Ok(RefType {
                ty: ValueType::Unknown,
                name,
            });
        };
        let ty = match row {
            Some(part) => kind.rules().part_value_type(question, part)?,
            None => kind.rules().value_type(),
        };
        Ok(RefType { ty, name })
    }
}

/// Map a span inside an expression to the file: exact when the TOML string has no
/// escapes, otherwise the whole string.
fn file_span(ctx: &Ctx<'_>, source: &Sp<String>, inner: &Range<usize>) -> Range<usize> {
    let raw = &ctx.src.text[source.span.clone()];
    let quote = ["\"\"\"", "'''", "\"", "'"]
        .into_iter()
        .find(|q| raw.starts_with(q))
        .map_or(0, str::len);
    let start = source.span.start + quote;
    let exact = ctx.src.text.get(start..start + source.value.len()) == Some(source.value.as_str());
    if exact && inner.end <= source.value.len() {
        start + inner.start..start + inner.end.max(inner.start)
    } else {
        source.span.clone()
    }
}

fn condition(ctx: &mut Ctx<'_>, source: &Sp<String>, scope: &SurveyScope<'_>) -> Option<Condition> {
    let expr = match expr::parse(&source.value) {
        Ok(e) => e,
        Err(e) => {
            let span = file_span(ctx, source, &e.span);
            ctx.error(span, format!("in this expression: {}", e.message), e.help);
            return None;
        }
    };
    let errors = expr::check_condition(&expr, scope);
    let refs = expr.references();
    for e in &errors {
        // Resolution errors carry no span of their own: point at the reference.
        let inner = if e.span == (0..0) {
            refs.iter()
                .find(|(q, row, _)| {
                    e.message.contains(&format!("`{q}`"))
                        || row.is_some_and(|r| e.message.contains(&format!("`{r}`")))
                })
                .map_or(0..source.value.len(), |(_, _, s)| s.clone())
        } else {
            e.span.clone()
        };
        let span = file_span(ctx, source, &inner);
        ctx.error(span, e.message.clone(), e.help.clone());
    }
    errors.is_empty().then(|| Condition {
        source: source.value.clone(),
        expr,
    })
}

/// Check every condition and build the final pages.
/// The checked conditions of one page (`None` where an expression had errors).
struct PageConditions {
    show_if: Option<Condition>,
    /// Each question's `show_if`.
    questions: Vec<Option<Condition>>,
    /// Each question's `validate` rules.
    rules: Vec<Vec<Option<Condition>>>,
}

pub fn build_pages(ctx: &mut Ctx<'_>, drafts: Vec<PageDraft>) -> Vec<Page> {
    let mut infos: HashMap<&str, Info<'_>> = HashMap::new();
    for (p, page) in drafts.iter().enumerate() {
        for (i, q) in page.questions.iter().enumerate() {
            infos.entry(q.id.value.as_str()).or_insert(Info {
                page: p,
                index: i,
                page_id: &page.id.value,
                kind: q.kind.as_ref(),
            });
        }
    }
    let mut conditions: Vec<PageConditions> = Vec::new();
    for (p, page) in drafts.iter().enumerate() {
        let page_cond = page.show_if.as_ref().and_then(|s| {
            condition(
                ctx,
                s,
                &SurveyScope {
                    questions: &infos,
                    allowed: Allowed::BeforePage(p),
                },
            )
        });
        let mut q_conds = Vec::new();
        let mut rules = Vec::new();
        for (i, q) in page.questions.iter().enumerate() {
            let scope = SurveyScope {
                questions: &infos,
                allowed: Allowed::BeforeQuestion {
                    page: p,
                    index: i,
                    id: &q.id.value,
                },
            };
            q_conds.push(q.show_if.as_ref().and_then(|s| condition(ctx, s, &scope)));
            let scope = SurveyScope {
                questions: &infos,
                allowed: Allowed::UpToPage(p),
            };
            rules.push(
                q.validations
                    .iter()
                    .map(|(rule, _)| condition(ctx, rule, &scope))
                    .collect(),
            );
        }
        conditions.push(PageConditions {
            show_if: page_cond,
            questions: q_conds,
            rules,
        });
    }
    drop(infos);
    reachability(ctx, &drafts, &conditions);

    drafts
        .into_iter()
        .zip(conditions)
        .map(|(page, conds)| Page {
            id: page.id.value,
            title: page.title,
            intro: page.intro,
            show_if: conds.show_if,
            questions: page
                .questions
                .into_iter()
                .zip(conds.questions)
                .zip(conds.rules)
                .filter_map(|((q, show_if), rules)| {
                    Some(Question {
                        privacy: q.privacy,
                        id: q.id.value,
                        text: q.text,
                        help: q.help,
                        required: q.required,
                        required_message: q.required_message,
                        show_if,
                        validations: q
                            .validations
                            .into_iter()
                            .zip(rules)
                            .filter_map(|((_, message), rule)| {
                                Some(Validation {
                                    rule: rule?,
                                    message,
                                })
                            })
                            .collect(),
                        kind: q.kind?,
                    })
                })
                .collect(),
        })
        .collect()
}

/// Find conditions that can never be true (so a page or question is never shown) and
/// rules that can never pass. A condition that only uses never-shown questions is
/// evaluated with them unanswered.
fn reachability(ctx: &mut Ctx<'_>, drafts: &[PageDraft], conds: &[PageConditions]) {
    let mut never: HashSet<&str> = HashSet::new();
    let empty = Answers::new();
    for (page, c) in drafts.iter().zip(conds) {
        let page_never =
            page.show_if
                .as_ref()
                .zip(c.show_if.as_ref())
                .is_some_and(|(src, cond)| {
                    can_never_hold(ctx, cond, src, &never, &format!("page `{}`", page.id.value))
                });
        for ((q, cond), rules) in page.questions.iter().zip(&c.questions).zip(&c.rules) {
            let q_never = page_never
                || q.show_if
                    .as_ref()
                    .zip(cond.as_ref())
                    .is_some_and(|(src, cond)| {
                        can_never_hold(
                            ctx,
                            cond,
                            src,
                            &never,
                            &format!("question `{}`", q.id.value),
                        )
                    });
            if q_never {
                never.insert(&q.id.value);
                continue;
            }
            for (rule, (src, _)) in rules.iter().zip(&q.validations) {
                if let Some(rule) = rule
                    && rule.expr.references().is_empty()
                    && expr::eval_condition(&rule.expr, &empty) == Some(false)
                {
                    ctx.error(
                        src.span.clone(),
                        "this rule is always false, so the question can never be answered",
                        None,
                    );
                }
            }
        }
    }
}

/// Judge a `show_if` of `what` (a page or question): report it when it can never be
/// true (returning true) or is always true regardless of any answer (a warning).
fn can_never_hold(
    ctx: &mut Ctx<'_>,
    cond: &Condition,
    src: &Sp<String>,
    never: &HashSet<&str>,
    what: &str,
) -> bool {
    // Evaluate with never-shown questions unanswered and every other answer unknown:
    // false then means false whatever the respondent does.
    let outcome = expr::eval_condition(&cond.expr, &Unreachable(never));
    let refs = cond.expr.references();
    match outcome {
        Some(true) if refs.is_empty() => {
            ctx.warning(
                src.span.clone(),
                "this condition is always true",
                Some("remove `show_if`".into()),
            );
            false
        }
        Some(true) | None => false,
        Some(false) => {
            let help = if refs.is_empty() {
                "it does not depend on any answer"
            } else if refs.iter().all(|(q, _, _)| never.contains(q)) {
                "it only uses questions that are never shown themselves"
            } else {
                "it is false whatever the respondent answers"
            };
            ctx.error(
                src.span.clone(),
                format!("this condition can never be true, so {what} is never shown"),
                Some(help.into()),
            );
            true
        }
    }
}

/// Answers as known before anyone responds: questions that are never shown are
/// unanswered, all others unknown.
struct Unreachable<'a, 'b>(&'a HashSet<&'b str>);

impl expr::AnswerSource for Unreachable<'_, '_> {
    fn answer(&self, _question: &str) -> Option<&crate::survey::Answer> {
        None
    }

    fn is_known(&self, question: &str) -> bool {
        self.0.contains(question)
    }
}
