//! The page shell shared by every screen: document head, skip link, header with the
//! survey title and language switch, and the main landmark.

use maud::{DOCTYPE, Markup, html};

use crate::i18n;
use crate::survey::Lang;

/// The stylesheet and the optional script, embedded in the binary.
pub const CSS: &str = include_str!("../../assets/app.css");
pub const JS: &str = include_str!("../../assets/app.js");
/// Autosave for interview topic screens (staff area).
pub const INTERVIEW_JS: &str = include_str!("../../assets/interview.js");

/// The id of the form on question pages (the language switch submits it).
pub const PAGE_FORM: &str = "page-form";

/// URLs that change whenever the file does, so browsers may cache them forever.
pub fn css_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        format!(
            "/static/app.css?v={}",
            crate::survey::load::content_version(CSS)
        )
    })
}

pub fn interview_js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        format!(
            "/static/interview.js?v={}",
            crate::survey::load::content_version(INTERVIEW_JS)
        )
    })
}

pub fn js_url() -> &'static str {
    static URL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    URL.get_or_init(|| {
        format!(
            "/static/app.js?v={}",
            crate::survey::load::content_version(JS)
        )
    })
}

/// How the header offers the other languages.
pub enum LanguageSwitch {
    None,
    /// Links (pages without answers to keep): (language, URL).
    Links(Vec<(Lang, String)>),
    /// Buttons that submit the page's form, so what was typed is kept.
    Buttons(Vec<Lang>),
}

pub struct Shell<'a> {
    pub lang: Lang,
    /// The document title.
    pub title: &'a str,
    /// The name shown in the header (the survey's title, or "anketa").
    pub heading: &'a str,
    pub languages: LanguageSwitch,
    /// Load the progressive-enhancement script (question pages only).
    pub script: bool,
}

pub fn page(shell: &Shell<'_>, main: Markup) -> Markup {
    let ui = i18n::ui(shell.lang);
    html! {
        (DOCTYPE)
        html lang=(shell.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="referrer" content="no-referrer";
                title { (shell.title) }
                link rel="stylesheet" href=(css_url());
                @if shell.script { script src=(js_url()) defer {} }
            }
            body {
                a.skip href="#main" { (ui.skip_to_content) }
                header.site {
                    div.wrap {
                        span.brand { (shell.heading) }
                        (language_switch(&shell.languages, ui))
                    }
                }
                main #main .wrap { (main) }
            }
        }
    }
}

fn language_switch(switch: &LanguageSwitch, ui: &i18n::Ui) -> Markup {
    html! {
        @match switch {
            LanguageSwitch::None => {},
            LanguageSwitch::Links(links) => nav.langs aria-label=(ui.switch_language) {
                ul { @for (lang, url) in links {
                    li { a href=(url) lang=(lang.code()) hreflang=(lang.code()) { (i18n::ui(*lang).language_name) } }
                } }
            },
            LanguageSwitch::Buttons(langs) => nav.langs aria-label=(ui.switch_language) {
                ul { @for lang in langs {
                    li { button.link type="submit" form=(PAGE_FORM) name="_action" value={ "lang-" (lang.code()) } lang=(lang.code()) { (i18n::ui(*lang).language_name) } }
                } }
            },
        }
    }
}
