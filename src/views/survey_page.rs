//! The frame of a survey's non-question screens (thank you, closed, saved, resume,
//! review): the survey's title in the header and links to its other languages.

use maud::Markup;

use super::layout::{self, LanguageSwitch, Shell};
use crate::survey::{Lang, Survey};

/// `path` is the screen's own path; the language links add `?lang=`.
pub fn frame(survey: &Survey, lang: Lang, title: &str, path: &str, main: Markup) -> Markup {
    let links = survey
        .languages
        .iter()
        .filter(|l| **l != lang)
        .map(|l| (*l, format!("{path}?lang={}", l.code())))
        .collect();
    let full_title = format!("{title} – {}", survey.title.get(lang));
    let shell = Shell {
        lang,
        title: &full_title,
        heading: survey.title.get(lang),
        languages: LanguageSwitch::Links(links),
        script: false,
    };
    layout::page(&shell, main)
}
