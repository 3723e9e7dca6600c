//! The page of a survey that does not take answers now: not open yet, closed, or full.

use maud::{Markup, html};

use super::survey_page::frame;
use crate::i18n;
use crate::survey::model::Availability;
use crate::survey::{Lang, Survey};

pub fn page(survey: &Survey, lang: Lang, availability: Availability) -> Markup {
    let ui = i18n::ui(lang);
    let when = |at| i18n::date_time(lang, at, &survey.timezone);
    let (title, text) = match availability {
        Availability::NotYetOpen { opens } => (ui.not_yet_open_title, ui.opens_at(&when(opens))),
        Availability::Closed { closed } => (ui.closed_title, ui.closed_at(&when(closed))),
        Availability::Full | Availability::Open => (ui.closed_title, ui.full_text.to_string()),
    };
    frame(
        survey,
        lang,
        title,
        &format!("/s/{}", survey.id),
        html! {
            div.panel.closed {
                h1 { (title) }
                p { (text) }
            }
        },
    )
}
