//! Interview guides (`kind = "interview"`): the `[interview]` table (interviewee
//! categories, the organisation's choice list, recording, the consent script) and what a
//! `[[topic]]` adds to a page (its opening question and probes).

use std::sync::Arc;

use super::{content_version, is_identifier};
use crate::survey::diagnostic::suggest;
use crate::survey::model::{ChoiceList, Probe};
use crate::survey::reader::choices::{self, SharedList};
use crate::survey::reader::{Ctx, Sp, Table};
use crate::survey::text::Text;

/// The `[interview]` table, read.
pub(super) struct Header {
    pub categories: Arc<ChoiceList>,
    pub organisation: Arc<ChoiceList>,
    pub recording: bool,
    pub consent: Text,
    pub consent_version: String,
}

const HEADER_KEYS: [&str; 4] = ["categories", "organisation", "recording", "consent"];

pub(super) fn read_header(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    lists: &mut [SharedList],
) -> Option<Header> {
    if !root.has("interview") {
        ctx.error(
            root.span.clone(),
            "an interview guide needs an [interview] table",
            Some("add [interview] with categories, organisation and consent: see docs/interview-guides.md".into()),
        );
        return None;
    }
    let mut t = root.subtable(ctx, "interview", "[interview] table", "[interview]")?;
    let categories = match t.array(ctx, "categories", CATEGORY_EXAMPLE) {
        Some(arr) => Some(choices::read_inline(ctx, arr)),
        None => {
            if !t.has("categories") {
                t.missing(ctx, "categories", CATEGORY_EXAMPLE);
            }
            None
        }
    };
    let organisation = match t.required_string(ctx, "organisation", "\"municipality\"") {
        Some(name) => shared_list(ctx, lists, name),
        None => None,
    };
    let recording = t.boolean(ctx, "recording").is_some_and(|r| r.value);
    let consent = t.required_text(ctx, "consent");
    t.finish(ctx, &HEADER_KEYS, |_| None);
    let consent = consent?;
    let consent_version = content_version(
        &consent
            .variants()
            .iter()
            .map(|(lang, text)| format!("{}:{text}", lang.map_or("*", |l| l.code())))
            .collect::<Vec<_>>()
            .join("\n"),
    );
    Some(Header {
        categories: categories?,
        organisation: organisation?,
        recording,
        consent,
        consent_version,
    })
}

const CATEGORY_EXAMPLE: &str = "[ { value = \"mayor\", label = \"Starosta\" } ]";

fn shared_list(
    ctx: &mut Ctx<'_>,
    lists: &mut [SharedList],
    name: Sp<String>,
) -> Option<Arc<ChoiceList>> {
    if let Some(l) = lists.iter_mut().find(|l| l.name.value == name.value) {
        l.used = true;
        return Some(l.list.clone());
    }
    let names: Vec<&str> = lists.iter().map(|l| l.name.value.as_str()).collect();
    let help = suggest(&name.value, names.iter().copied(), '"', || {
        "define the organisations in a [choices.NAME] table (with attributes such as orp) and name it here".into()
    });
    ctx.error(
        name.span,
        format!("there is no choice list \"{}\"", name.value),
        Some(help),
    );
    None
}

/// A topic's opening question and probes.
pub(super) struct TopicDraft {
    pub opening: Option<Text>,
    pub probes: Vec<Probe>,
}

const PROBE_EXAMPLE: &str = "[ { id = \"staffing\", text = \"Kdo sociální práci dělá?\" } ]";

pub(super) fn read_topic(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> TopicDraft {
    let opening = t.required_text(ctx, "opening");
    let mut probes: Vec<Probe> = Vec::new();
    let mut seen: Vec<Sp<String>> = Vec::new();
    for mut p in t.tables(ctx, "probes", "probe", PROBE_EXAMPLE) {
        let id = p.required_string(ctx, "id", "\"staffing\"");
        let text = p.required_text(ctx, "text");
        p.finish(ctx, &["id", "text"], |_| None);
        let Some(id) = id else { continue };
        if !is_identifier(&id.value) {
            ctx.error(
                id.span.clone(),
                format!("\"{}\" is not a valid probe id", id.value),
                Some("use lower-case letters, digits and _, starting with a letter".into()),
            );
            continue;
        }
        if let Some(first) = seen.iter().find(|s| s.value == id.value) {
            let line = ctx.src.locate(first.span.clone()).line;
            ctx.error(
                id.span.clone(),
                format!("duplicate probe id \"{}\"", id.value),
                Some(format!(
                    "it is already used on line {line}; probe ids must be unique within their topic"
                )),
            );
            continue;
        }
        seen.push(id.clone());
        if let Some(text) = text {
            probes.push(Probe { id: id.value, text });
        }
    }
    TopicDraft { opening, probes }
}
