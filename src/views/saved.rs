//! "Save and finish later": the link and code that bring an unfinished response back,
//! on this device or another.

use maud::{Markup, html};

use super::survey_page::frame;
use crate::i18n;
use crate::survey::{Lang, Survey};

pub struct Saved<'a> {
    pub link: &'a str,
    pub code: &'a str,
    pub expires: time::OffsetDateTime,
    /// Where to go on filling in now.
    pub continue_url: &'a str,
}

pub fn page(survey: &Survey, lang: Lang, saved: &Saved<'_>) -> Markup {
    let ui = i18n::ui(lang);
    frame(
        survey,
        lang,
        ui.saved_title,
        &format!("/s/{}/saved", survey.id),
        html! {
            div.panel.saved {
                h1 { (ui.saved_title) }
                p { (ui.saved_intro) }
                dl.resume {
                    dt { (ui.saved_link) }
                    dd { a href=(saved.link) { code { (saved.link) } } }
                    dt { (ui.saved_code) }
                    dd { code.resume-code { (saved.code) } }
                }
                p { (ui.valid_until(&i18n::date_time(lang, saved.expires, &survey.timezone))) }
            }
            p { a.button href=(saved.continue_url) { (ui.continue_now) } }
        },
    )
}
