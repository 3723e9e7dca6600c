//! Server-rendered HTML (maud): the page layout and one module per screen. Every
//! value is escaped by maud; nothing here uses `PreEscaped` on data.

pub mod admin;
pub mod closed;
pub mod error;
pub mod fields;
pub mod form_page;
pub mod home;
pub mod layout;
pub mod resume;
pub mod review;
pub mod saved;
pub mod survey_page;
pub mod thanks;

use maud::{Markup, html};

/// Text with blank lines as paragraph breaks (survey intros, notes, consent texts).
pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (para) }
        }
    }
}
