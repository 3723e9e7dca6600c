//! The thank-you page after submitting (also shown when someone comes back to a survey
//! they have already submitted).

use maud::{Markup, html};

use super::paragraphs;
use super::survey_page::frame;
use crate::i18n;
use crate::survey::{Lang, Survey};

pub fn page(survey: &Survey, lang: Lang, submitted_at: Option<time::OffsetDateTime>) -> Markup {
    let ui = i18n::ui(lang);
    frame(
        survey,
        lang,
        ui.thanks_title,
        &format!("/s/{}/done", survey.id),
        html! {
            div.panel.done {
                h1 { (ui.thanks_title) }
                @if let Some(at) = submitted_at {
                    p.received { (ui.received_at(&i18n::date_time(lang, at, &survey.timezone))) }
                }
                @match &survey.outro {
                    Some(outro) => (paragraphs(outro.get(lang))),
                    None => p { (ui.thanks_default) },
                }
            }
        },
    )
}
