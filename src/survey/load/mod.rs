//! Loading survey files: TOML text -> validated [`Survey`], or every problem found as
//! [`Diagnostic`]s. `anketa check` and `anketa serve` both go through [`load_paths`].

mod interview;
mod invitation;
mod logic;
mod privacy;
mod questions;
mod schedule;
mod undeclared;

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use self::logic::PageDraft;
use super::diagnostic::{Diagnostic, SourceFile, suggest};
use super::model::{Access, Guide, Survey, SurveyHead, SurveyKind, Topic};
use super::text::Lang;
pub(crate) use crate::survey::reader::is_identifier;
use crate::survey::reader::{Ctx, Sp, Table, choices};

/// The result of loading one file: the survey if it has no errors, and every
/// diagnostic (errors and warnings) in file order.
pub struct Loaded {
    pub survey: Option<Survey>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of loading several files or directories.
pub struct Catalog {
    pub surveys: Vec<Survey>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many survey files were read.
    pub files: usize,
}

impl Catalog {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// `[a-z0-9][a-z0-9-]*`, at most 64 characters: survey ids (they appear in URLs).
pub(crate) fn is_survey_id(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The version of a survey: a hash of its exact source text.
pub fn content_version(source: &str) -> String {
    let digest = Sha256::digest(source.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Load every survey file under the given paths (files, or directories whose `*.toml`
/// files are read in name order). Also reports survey ids used by two files.
pub fn load_paths(paths: &[PathBuf]) -> Catalog {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|e| e == "toml") && p.is_file())
                        .collect();
                    found.sort();
                    if found.is_empty() {
                        diagnostics.push(Diagnostic::file_error(
                            path,
                            "this directory has no survey files (*.toml)",
                        ));
                    }
                    files.extend(found);
                }
                Err(e) => diagnostics.push(Diagnostic::file_error(
                    path,
                    format!("cannot read this directory: {e}"),
                )),
            }
        } else {
            files.push(path.clone());
        }
    }
    let mut surveys: Vec<(PathBuf, Survey)> = Vec::new();
    for file in &files {
        let loaded = load_file(file);
        diagnostics.extend(loaded.diagnostics);
        if let Some(survey) = loaded.survey {
            if let Some((other, _)) = surveys.iter().find(|(_, s)| s.id == survey.id) {
                diagnostics.push(Diagnostic::file_error(
                    file,
                    format!(
                        "survey id \"{}\" is already used by {}",
                        survey.id,
                        other.display()
                    ),
                ));
                continue;
            }
            surveys.push((file.clone(), survey));
        }
    }
    Catalog {
        surveys: surveys.into_iter().map(|(_, s)| s).collect(),
        diagnostics,
        files: files.len(),
    }
}

pub fn load_file(path: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => load_str(path, &text),
        Err(e) => Loaded {
            survey: None,
            diagnostics: vec![Diagnostic::file_error(
                path,
                format!("cannot read this file: {e}"),
            )],
        },
    }
}

/// Parse and check one survey's TOML source.
pub fn load_str(path: &Path, text: &str) -> Loaded {
    let src = SourceFile::new(path, text);
    let mut ctx = Ctx::new(&src);
    let root = ctx.parse(text);
    let root_span = root.span();
    let survey = read_survey(
        &mut ctx,
        Table::new(root.get_ref(), root_span, "survey file"),
        text,
    );
    let mut diagnostics = ctx.diagnostics;
    diagnostics.sort_by_key(|d| (d.line(), d.column()));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Loaded {
        survey: if failed { None } else { survey },
        diagnostics,
    }
}

const ROOT_KEYS: [&str; 18] = [
    "privacy",
    "invitation",
    "id",
    "title",
    "languages",
    "intro",
    "outro",
    "access",
    "kind",
    "choices",
    "page",
    "timezone",
    "opens",
    "closes",
    "quota",
    "review",
    "interview",
    "topic",
];

fn read_survey(ctx: &mut Ctx<'_>, mut root: Table<'_, '_>, text: &str) -> Option<Survey> {
    read_languages(ctx, &mut root);
    let id = root.required_string(ctx, "id", "\"seminar-mas-2024\"");
    if let Some(id) = &id
        && !is_survey_id(&id.value)
    {
        ctx.error(id.span.clone(), format!("\"{}\" is not a valid survey id", id.value), Some("the id appears in links: use lower-case letters, digits and dashes, e.g. \"seminar-mas-2024\"".into()));
    }
    let is_interview = read_is_interview(ctx, &mut root);
    let title = root.required_text(ctx, "title");
    let intro = root.text(ctx, "intro");
    let outro = root.text(ctx, "outro");
    let access = read_access(ctx, &mut root);
    let invitation_span = root.key_span("invitation");
    let invitation_labels = invitation::read_labels(ctx, &mut root, access);
    let (schedule, timezone) = schedule::read_schedule(ctx, &mut root);
    let review = root.boolean(ctx, "review").is_some_and(|r| r.value);
    let mut lists = match root.subtable(ctx, "choices", "choice lists", "[choices.agree5]") {
        Some(t) => choices::read_shared_lists(ctx, t),
        None => Vec::new(),
    };
    let section = if is_interview {
        Section::Topic
    } else {
        Section::Page
    };
    let header = if is_interview {
        interview::read_header(ctx, &mut root, &mut lists)
    } else {
        None
    };
    if !root.has(section.key()) {
        let (what, help) = match section {
            Section::Page => (
                "the survey has no pages",
                "add a page with [[page]] and questions with [[page.question]]",
            ),
            Section::Topic => (
                "the interview guide has no topics",
                "add a topic with [[topic]], its opening question and probes",
            ),
        };
        ctx.error(root.span.clone(), what, Some(help.into()));
    }
    let (pages, topics) = read_pages(ctx, &mut root, &mut lists, section);
    if pages.is_empty()
        && let Some(span) = root.key_span(section.key())
    {
        // `page = []` / `topic = []`: present but empty.
        ctx.error(
            span,
            format!("`{}` lists no {}", section.key(), section.key()),
            Some(format!("add at least one [[{}]] table", section.key())),
        );
    }
    let privacy_span = root.key_span("privacy");
    let privacy_table = privacy::take_rules_table(ctx, &mut root);
    root.finish(ctx, &ROOT_KEYS, |key| misplaced_key_help(key, is_interview));
    warn_unused_lists(ctx, &lists);
    // Interview records are not checked for k-anonymity: their items' classes do nothing.
    let undeclared = if is_interview {
        Vec::new()
    } else {
        undeclared::candidates(&pages)
    };
    let pages = logic::build_pages(ctx, pages);
    let privacy = privacy::check_rules(
        ctx,
        privacy_table,
        &pages,
        access.unwrap_or(Access::Anonymous),
        header.as_ref().map(|h| &h.organisation),
    );
    undeclared::warn(ctx, undeclared, &privacy);
    invitation::check_labels(
        ctx,
        &invitation_labels,
        &privacy,
        invitation_span.or(privacy_span),
    );
    let kind = match header {
        None if is_interview => return None,
        None => SurveyKind::Questionnaire,
        Some(h) => SurveyKind::Interview(Box::new(Guide {
            categories: h.categories,
            organisation: h.organisation,
            recording: h.recording,
            consent: h.consent,
            consent_version: h.consent_version,
            topics: pages
                .iter()
                .zip(topics)
                .map(|(page, t)| {
                    Some(Topic {
                        id: page.id.clone(),
                        opening: t.opening?,
                        probes: t.probes,
                    })
                })
                .collect::<Option<Vec<_>>>()?,
        })),
    };
    let head = SurveyHead {
        id: id?.value,
        version: content_version(text),
        source: text.to_string(),
        title: title?,
        languages: ctx.languages.clone(),
        intro,
        outro,
        access: access?,
        schedule,
        review,
        timezone,
        kind,
        privacy,
        invitation_labels: invitation_labels
            .into_iter()
            .map(|(c, t)| (c.value, t))
            .collect(),
    };
    Some(Survey::new(
        head,
        lists.into_iter().map(|l| l.list).collect(),
        pages,
    ))
}

/// `kind = "interview"` or the default, a questionnaire; keys that only respondents'
/// questionnaires have are errors in a guide.
fn read_is_interview(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> bool {
    let is_interview = match root.string(ctx, "kind", "\"questionnaire\"") {
        None => false,
        Some(kind) if kind.value == "questionnaire" => false,
        Some(kind) if kind.value == "interview" => true,
        Some(kind) => {
            let help = suggest(&kind.value, ["questionnaire", "interview"], '"', || {
                "use kind = \"questionnaire\" (the default) or kind = \"interview\"".into()
            });
            ctx.error(
                kind.span,
                format!("unknown survey kind \"{}\"", kind.value),
                Some(help),
            );
            false
        }
    };
    if is_interview {
        for key in ["access", "review", "opens", "closes", "quota"] {
            if let Some(span) = root.key_span(key) {
                ctx.error(
                    span,
                    format!("`{key}` does not apply to an interview guide"),
                    Some("interviews are filled in by interviewers in the staff area, not by respondents: remove it".into()),
                );
            }
        }
    }
    is_interview
}

/// `access`: an open link (the default) or personal invitations.
fn read_access(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Option<Access> {
    match root.string(ctx, "access", "\"anonymous\"") {
        None => Some(Access::Anonymous),
        Some(a) if a.value == "anonymous" => Some(Access::Anonymous),
        Some(a) if a.value == "token" => Some(Access::Token),
        Some(a) => {
            let help = suggest(&a.value, ["anonymous", "token"], '"', || {
                "use \"anonymous\" (an open link) or \"token\" (personal invitations)".into()
            });
            ctx.error(
                a.span,
                format!("unknown access mode \"{}\"", a.value),
                Some(help),
            );
            None
        }
    }
}

/// A hint for an unknown top-level key that belongs elsewhere.
fn misplaced_key_help(key: &str, is_interview: bool) -> Option<String> {
    match (key, is_interview) {
        ("question" | "questions", false) => {
            Some("questions belong to a page: write [[page.question]] after a [[page]]".into())
        }
        ("pages", false) => Some("did you mean `page`? Each page is a [[page]] table".into()),
        ("page", true) => {
            Some("an interview guide has topics: write [[topic]] instead of [[page]]".into())
        }
        ("interview" | "topic", false) => Some(
            "[interview] and [[topic]] belong to interview guides: add kind = \"interview\"".into(),
        ),
        _ => None,
    }
}

/// A warning for each shared choice list no question uses.
fn warn_unused_lists(ctx: &mut Ctx<'_>, lists: &[choices::SharedList]) {
    for l in lists {
        if !l.used {
            ctx.warning(
                l.name.span.clone(),
                format!(
                    "choice list \"{}\" is not used by any question",
                    l.name.value
                ),
                Some("remove it or refer to it with choices = \"...\"".into()),
            );
        }
    }
}

fn read_languages(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) {
    let Some(list) = root.string_list(ctx, "languages", "[\"cs\", \"en\"]") else {
        return;
    };
    let mut langs = Vec::new();
    for item in list {
        match Lang::from_code(&item.value) {
            Some(l) if langs.contains(&l) => ctx.error(
                item.span,
                format!("language \"{}\" is listed twice", item.value),
                None,
            ),
            Some(l) => langs.push(l),
            None => {
                let supported = Lang::ALL.map(|l| format!("\"{l}\"")).join(", ");
                let help = suggest(&item.value, Lang::ALL.map(Lang::code), '"', || {
                    format!("the respondent interface is available in {supported}")
                });
                ctx.error(
                    item.span,
                    format!("unsupported language \"{}\"", item.value),
                    Some(help),
                );
            }
        }
    }
    if !langs.is_empty() {
        ctx.languages = langs;
    } else if let Some(span) = root.key_span("languages") {
        ctx.error(
            span,
            "`languages` lists no supported language",
            Some("for example: languages = [\"cs\", \"en\"]".into()),
        );
    }
}

/// The sections of a survey file: a questionnaire's pages or an interview guide's topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Page,
    Topic,
}

impl Section {
    fn key(self) -> &'static str {
        match self {
            Section::Page => "page",
            Section::Topic => "topic",
        }
    }
}

/// Read the pages (or topics: pages whose questions are the structured items, plus an
/// opening question and probes each).
fn read_pages(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    lists: &mut [choices::SharedList],
    section: Section,
) -> (Vec<PageDraft>, Vec<interview::TopicDraft>) {
    let mut pages: Vec<PageDraft> = Vec::new();
    let mut topics = Vec::new();
    let mut question_ids: Vec<Sp<String>> = Vec::new();
    let (key, what, example, question_example) = match section {
        Section::Page => ("page", "page", "[[page]]", "[[page.question]]"),
        Section::Topic => ("topic", "topic", "[[topic]]", "[[topic.question]]"),
    };
    for mut t in root.tables(ctx, key, what, example) {
        let id = t.required_string(ctx, "id", "\"about\"");
        let title = t.text(ctx, "title");
        let (intro, show_if, topic) = match section {
            Section::Page => (
                t.text(ctx, "intro"),
                t.string(ctx, "show_if", "\"answered(role)\""),
                None,
            ),
            Section::Topic => (None, None, Some(interview::read_topic(ctx, &mut t))),
        };
        if section == Section::Page && !t.has("question") {
            ctx.error(
                t.span.clone(),
                "this page has no questions",
                Some("add questions with [[page.question]] below the [[page]] line".into()),
            );
        }
        let mut questions = Vec::new();
        for qt in t.tables(ctx, "question", "question", question_example) {
            let Some(q) = questions::read_question(ctx, qt, lists) else {
                continue;
            };
            if let Some(first) = question_ids.iter().find(|s| s.value == q.id.value) {
                let line = ctx.src.locate(first.span.clone()).line;
                ctx.error(q.id.span.clone(), format!("duplicate question id \"{}\"", q.id.value), Some(format!("it is already used on line {line}; question ids must be unique in the survey")));
                continue;
            }
            question_ids.push(q.id.clone());
            questions.push(q);
        }
        let known: &[&str] = match section {
            Section::Page => &["id", "title", "intro", "show_if", "question"],
            Section::Topic => &["id", "title", "opening", "probes", "question"],
        };
        t.finish(ctx, known, |key| match (key, section) {
            ("questions", _) => Some(format!("write each question as a {question_example} table")),
            ("show_if" | "intro", Section::Topic) => Some(
                "topics are asked in any order the interviewer chooses; put guidance in `opening` or a probe".into(),
            ),
            _ => None,
        });
        let Some(id) = id else { continue };
        if !is_identifier(&id.value) {
            ctx.error(
                id.span.clone(),
                format!("\"{}\" is not a valid {what} id", id.value),
                Some("use lower-case letters, digits and _, starting with a letter".into()),
            );
        } else if let Some(first) = pages.iter().find(|p| p.id.value == id.value) {
            let line = ctx.src.locate(first.id.span.clone()).line;
            ctx.error(
                id.span.clone(),
                format!("duplicate {what} id \"{}\"", id.value),
                Some(format!("it is already used on line {line}")),
            );
            continue;
        }
        pages.push(PageDraft {
            id,
            title,
            intro,
            show_if,
            questions,
        });
        topics.extend(topic);
    }
    (pages, topics)
}

#[cfg(test)]
mod interview_tests;
#[cfg(test)]
mod privacy_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod undeclared_tests;
