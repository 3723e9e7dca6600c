//! Typed, diagnostic-collecting access to a spanned TOML tree: every wrong type,
//! missing key and unknown key becomes a [`Diagnostic`] and reading goes on, so one
//! run reports every problem in a file.

pub mod choices;
pub mod keys;

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use crate::survey::diagnostic::{Diagnostic, Severity, SourceFile, suggest};
use crate::survey::text::{Lang, Text};

pub type Span = Range<usize>;

/// A value with the byte span it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

/// Loader state for one file: its source, the diagnostics so far, and the languages the
/// survey declares (every localized text must cover them).
pub struct Ctx<'s> {
    pub src: &'s SourceFile,
    pub diagnostics: Vec<Diagnostic>,
    pub languages: Vec<Lang>,
}

impl<'s> Ctx<'s> {
    pub fn new(src: &'s SourceFile) -> Ctx<'s> {
        Ctx {
            src,
            diagnostics: Vec::new(),
            languages: vec![Lang::Cs],
        }
    }

    pub fn error(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        let d = self.src.diagnostic(Severity::Error, span, message, help);
        self.diagnostics.push(d);
    }

    /// Parse a TOML document, reporting every syntax error (reading goes on with what
    /// could be parsed).
    pub fn parse<'i>(&mut self, text: &'i str) -> Spanned<DeTable<'i>> {
        let (root, syntax_errors) = DeTable::parse_recoverable(text);
        for e in &syntax_errors {
            self.error(
                e.span().unwrap_or(0..0),
                format!("invalid TOML: {}", e.message()),
                Some("see https://toml.io for the syntax".into()),
            );
        }
        root
    }

    pub fn warning(&mut self, span: Span, message: impl Into<String>, help: Option<String>) {
        let d = self.src.diagnostic(Severity::Warning, span, message, help);
        self.diagnostics.push(d);
    }

    /// Read a localized text: a string, or a table with one string per declared language.
    pub fn text(&mut self, key: &str, value: &Spanned<DeValue<'_>>) -> Option<Text> {
        match value.get_ref() {
            DeValue::String(s) => Some(Text::Same(s.to_string())),
            DeValue::Table(t) => {
                let mut items = Vec::new();
                for (k, v) in t.iter() {
                    let code = k.get_ref().as_ref();
                    let Some(lang) = Lang::from_code(code) else {
                        let supported = Lang::ALL.map(Lang::code).join(", ");
                        self.error(
                            k.span(),
                            format!("unknown language `{code}` in `{key}`"),
                            Some(format!("the supported languages are {supported}")),
                        );
                        continue;
                    };
                    if !self.languages.contains(&lang) {
                        let declared = self.declared_languages();
                        self.error(
                            k.span(),
                            format!("`{key}` has {} ({code}) text, but the survey does not declare that language", lang.english_name()),
                            Some(format!("add \"{code}\" to `languages` (now {declared}) or remove this text")),
                        );
                        continue;
                    }
                    match v.get_ref() {
                        DeValue::String(s) => items.push((lang, s.to_string())),
                        other => self.error(
                            v.span(),
                            format!(
                                "the {} text of `{key}` must be a string, found {}",
                                lang.english_name(),
                                describe(other)
                            ),
                            None,
                        ),
                    }
                }
                for &lang in &self.languages.clone() {
                    if !items.iter().any(|(l, _)| *l == lang) {
                        self.error(
                            value.span(),
                            format!(
                                "`{key}` is missing its {} ({lang}) text",
                                lang.english_name()
                            ),
                            Some(format!("add {lang} = \"...\" to this table")),
                        );
                    }
                }
                items.sort_by_key(|(l, _)| self.languages.iter().position(|x| x == l));
                (!items.is_empty()).then_some(Text::PerLang(items))
            }
            other => {
                self.error(
                    value.span(),
                    format!("`{key}` must be text, found {}", describe(other)),
                    Some(format!(
                        "write {key} = \"...\" or {key} = {{ cs = \"...\", en = \"...\" }}"
                    )),
                );
                None
            }
        }
    }

    fn declared_languages(&self) -> String {
        self.languages
            .iter()
            .map(|l| format!("\"{l}\""))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How a TOML value is named in messages.
/// A TOML integer or finite float as a number.
pub fn number_value(v: &DeValue<'_>) -> Option<f64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f
            .as_str()
            .replace('_', "")
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite()),
        _ => None,
    }
}

pub fn describe(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "a whole number",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

/// A TOML table being read; remembers which keys were used so [`Table::finish`] can
/// report the rest as unknown.
pub struct Table<'a, 'i> {
    pub span: Span,
    /// What this table is, for messages: "question", "page", "option", ...
    pub what: &'static str,
    entries: &'a DeTable<'i>,
    used: Vec<&'a str>,
}

impl<'a, 'i> Table<'a, 'i> {
    pub fn new(entries: &'a DeTable<'i>, span: Span, what: &'static str) -> Table<'a, 'i> {
        Table {
            span,
            what,
            entries,
            used: Vec::new(),
        }
    }

    /// View a value as a table, reporting anything else.
    pub fn from_value(
        ctx: &mut Ctx<'_>,
        value: &'a Spanned<DeValue<'i>>,
        what: &'static str,
        example: &str,
    ) -> Option<Table<'a, 'i>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(Table::new(t, value.span(), what)),
            other => {
                ctx.error(
                    value.span(),
                    format!("each {what} must be a table, found {}", describe(other)),
                    Some(format!("write it as {example}")),
                );
                None
            }
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.entries.get(key).is_some()
    }

    pub fn get(&mut self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        let (k, v) = self.entries.get_key_value(key)?;
        self.used.push(k.get_ref().as_ref());
        Some(v)
    }

    /// Span of the key itself (for errors about the key, e.g. "does not apply").
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries.get_key_value(key).map(|(k, _)| k.span())
    }

    fn wrong_type(
        &self,
        ctx: &mut Ctx<'_>,
        key: &str,
        v: &Spanned<DeValue<'_>>,
        expected: &str,
        example: &str,
    ) {
        ctx.error(
            v.span(),
            format!(
                "`{key}` must be {expected}, found {}",
                describe(v.get_ref())
            ),
            Some(format!("for example: {key} = {example}")),
        );
    }

    pub fn missing(&self, ctx: &mut Ctx<'_>, key: &str, example: &str) {
        ctx.error(
            self.span.clone(),
            format!("this {} has no `{key}`", self.what),
            Some(format!("add {key} = {example}")),
        );
    }

    pub fn string(&mut self, ctx: &mut Ctx<'_>, key: &str, example: &str) -> Option<Sp<String>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Sp {
                value: s.to_string(),
                span: v.span(),
            }),
            _ => {
                self.wrong_type(ctx, key, v, "a string in quotes", example);
                None
            }
        }
    }

    pub fn required_string(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        example: &str,
    ) -> Option<Sp<String>> {
        if !self.has(key) {
            self.missing(ctx, key, example);
            return None;
        }
        self.string(ctx, key, example)
    }

    pub fn boolean(&mut self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<bool>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(Sp {
                value: *b,
                span: v.span(),
            }),
            _ => {
                self.wrong_type(ctx, key, v, "true or false (without quotes)", "true");
                None
            }
        }
    }

    pub fn integer(&mut self, ctx: &mut Ctx<'_>, key: &str, example: &str) -> Option<Sp<i64>> {
        let v = self.get(key)?;
        if let DeValue::Integer(i) = v.get_ref()
            && let Ok(n) = i64::from_str_radix(i.as_str(), i.radix())
        {
            return Some(Sp {
                value: n,
                span: v.span(),
            });
        }
        self.wrong_type(ctx, key, v, "a whole number", example);
        None
    }

    /// A count (`min`, `max_length`, ...): a whole number that is not negative.
    pub fn count(&mut self, ctx: &mut Ctx<'_>, key: &str, example: &str) -> Option<Sp<usize>> {
        let n = self.integer(ctx, key, example)?;
        match usize::try_from(n.value) {
            Ok(value) => Some(Sp {
                value,
                span: n.span,
            }),
            Err(_) => {
                ctx.error(n.span, format!("`{key}` cannot be negative"), None);
                None
            }
        }
    }

    pub fn number(&mut self, ctx: &mut Ctx<'_>, key: &str, example: &str) -> Option<Sp<f64>> {
        let v = self.get(key)?;
        match number_value(v.get_ref()) {
            Some(value) => Some(Sp {
                value,
                span: v.span(),
            }),
            None => {
                self.wrong_type(ctx, key, v, "a number", example);
                None
            }
        }
    }

    pub fn date(&mut self, ctx: &mut Ctx<'_>, key: &str) -> Option<Sp<time::Date>> {
        let v = self.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => {
                dt.date.and_then(|d| {
                    let month = time::Month::try_from(d.month).ok()?;
                    time::Date::from_calendar_date(i32::from(d.year), month, d.day).ok()
                })
            }
            DeValue::String(s) => crate::survey::expr::parse_date_literal(s),
            _ => None,
        };
        match parsed {
            Some(value) => Some(Sp {
                value,
                span: v.span(),
            }),
            None => {
                self.wrong_type(ctx, key, v, "a date", "2024-01-16");
                None
            }
        }
    }

    pub fn text(&mut self, ctx: &mut Ctx<'_>, key: &str) -> Option<Text> {
        let v = self.get(key)?;
        ctx.text(key, v)
    }

    pub fn required_text(&mut self, ctx: &mut Ctx<'_>, key: &str) -> Option<Text> {
        if !self.has(key) {
            self.missing(ctx, key, "\"...\"");
            return None;
        }
        self.text(ctx, key)
    }

    pub fn array(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        example: &str,
    ) -> Option<Sp<&'a DeArray<'i>>> {
        let v = self.get(key)?;
        match v.get_ref() {
            DeValue::Array(a) => Some(Sp {
                value: a,
                span: v.span(),
            }),
            _ => {
                self.wrong_type(ctx, key, v, "a list in [ ]", example);
                None
            }
        }
    }

    pub fn string_list(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        example: &str,
    ) -> Option<Vec<Sp<String>>> {
        let list = self.array(ctx, key, example)?;
        let mut out = Vec::new();
        for item in list.value.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Sp {
                    value: s.to_string(),
                    span: item.span(),
                }),
                other => ctx.error(
                    item.span(),
                    format!("`{key}` may only hold strings, found {}", describe(other)),
                    Some(format!("for example: {key} = {example}")),
                ),
            }
        }
        Some(out)
    }

    /// An array of tables (`[[page]]`, `[[page.question]]`, or `key = [{...}, {...}]`).
    pub fn tables(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        what: &'static str,
        example: &str,
    ) -> Vec<Table<'a, 'i>> {
        let Some(v) = self.get(key) else {
            return Vec::new();
        };
        match v.get_ref() {
            DeValue::Array(items) => items
                .iter()
                .filter_map(|item| Table::from_value(ctx, item, what, example))
                .collect(),
            DeValue::Table(t) => vec![Table::new(t, v.span(), what)],
            other => {
                ctx.error(
                    v.span(),
                    format!(
                        "`{key}` must be a list of tables, found {}",
                        describe(other)
                    ),
                    Some(format!("write it as {example}")),
                );
                Vec::new()
            }
        }
    }

    pub fn subtable(
        &mut self,
        ctx: &mut Ctx<'_>,
        key: &str,
        what: &'static str,
        example: &str,
    ) -> Option<Table<'a, 'i>> {
        let v = self.get(key)?;
        Table::from_value(ctx, v, what, example)
    }

    /// Every key/value pair, marking them all used (for tables keyed by name).
    pub fn entries(&mut self) -> Vec<(Sp<&'a str>, &'a Spanned<DeValue<'i>>)> {
        self.entries
            .iter()
            .map(|(k, v)| {
                self.used.push(k.get_ref().as_ref());
                (
                    Sp {
                        value: k.get_ref().as_ref(),
                        span: k.span(),
                    },
                    v,
                )
            })
            .collect()
    }

    /// Report every key that was not read. `known` lists the keys valid here (for
    /// "did you mean"); `explain` may say why a key that exists elsewhere does not apply.
    pub fn finish(
        self,
        ctx: &mut Ctx<'_>,
        known: &[&str],
        explain: impl Fn(&str) -> Option<String>,
    ) {
        for (k, _) in self.entries.iter() {
            let key: &str = k.get_ref().as_ref();
            if self.used.contains(&key) {
                continue;
            }
            if let Some(why) = explain(key) {
                ctx.error(
                    k.span(),
                    format!("`{key}` does not apply to this {}", self.what),
                    Some(why),
                );
                continue;
            }
            let help = suggest(key, known.iter().copied(), '`', || {
                format!("the keys of a {} are: {}", self.what, known.join(", "))
            });
            ctx.error(
                k.span(),
                format!("unknown key `{key}` in this {}", self.what),
                Some(help),
            );
        }
    }
}

/// `[a-z][a-z0-9_]*`, at most 64 characters: question, row, list and attribute ids.
pub(crate) fn is_identifier(s: &str) -> bool {
    s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Letters, digits, `-` and `_`, at most 64 characters: option values (export codes).
pub(crate) fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
