//! The home page: the surveys open to everyone right now.

use maud::{Markup, html};

use super::layout::{self, LanguageSwitch, Shell};
use crate::i18n;
use crate::survey::{Lang, Survey};

pub fn page(surveys: &[&Survey], lang: Lang) -> Markup {
    let ui = i18n::ui(lang);
    let languages = LanguageSwitch::Links(
        Lang::ALL
            .iter()
            .filter(|l| **l != lang)
            .map(|l| (*l, format!("/?lang={}", l.code())))
            .collect(),
    );
    let shell = Shell {
        lang,
        title: ui.surveys_title,
        heading: "anketa",
        languages,
        script: false,
    };
    layout::page(
        &shell,
        html! {
            h1 { (ui.surveys_title) }
            @if surveys.is_empty() {
                p { (ui.no_surveys) }
            } @else {
                p { (ui.surveys_intro) }
                ul.surveys {
                    @for s in surveys {
                        @let survey_lang = if s.languages.contains(&lang) { lang } else { s.default_language() };
                        li { a href={ "/s/" (s.id) "?lang=" (survey_lang.code()) } lang=(survey_lang.code()) { (s.title.get(survey_lang)) } }
                    }
                }
            }
        },
    )
}
