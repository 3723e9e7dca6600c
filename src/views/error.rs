//! Error pages. Most do not know the respondent's language, so they speak both.

use axum::http::StatusCode;
use maud::{Markup, html};

use super::layout::{self, LanguageSwitch, Shell};
use crate::survey::Lang;

/// What went wrong, as the respondent should hear it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorPage {
    NotFound,
    InvalidLink,
    InvitationOnly,
    TooManyAttempts,
    TooLarge,
    BadRequest,
    FormExpired,
    Unavailable,
    Internal,
}

impl ErrorPage {
    pub fn from_status(status: StatusCode) -> ErrorPage {
        match status {
            StatusCode::NOT_FOUND => ErrorPage::NotFound,
            StatusCode::PAYLOAD_TOO_LARGE => ErrorPage::TooLarge,
            StatusCode::TOO_MANY_REQUESTS => ErrorPage::TooManyAttempts,
            StatusCode::SERVICE_UNAVAILABLE | StatusCode::REQUEST_TIMEOUT => ErrorPage::Unavailable,
            s if s.is_client_error() => ErrorPage::BadRequest,
            _ => ErrorPage::Internal,
        }
    }

    /// (Czech title, Czech text, English title, English text).
    fn texts(self) -> [&'static str; 4] {
        match self {
            ErrorPage::NotFound => [
                "Stránka nenalezena",
                "Tato stránka neexistuje. Zkontrolujte prosím odkaz.",
                "Page not found",
                "This page does not exist. Please check the link.",
            ],
            ErrorPage::InvalidLink => [
                "Odkaz není platný",
                "Tento odkaz neznáme nebo už neplatí. Zkontrolujte prosím, že jste ho zkopírovali celý, nebo se obraťte na toho, kdo vám ho poslal.",
                "This link is not valid",
                "We do not recognise this link, or it is no longer valid. Please check that you copied all of it, or ask whoever sent it to you.",
            ],
            ErrorPage::InvitationOnly => [
                "Dotazník je jen pro pozvané",
                "Tento dotazník mohou vyplnit jen ti, kdo dostali osobní pozvánku. Otevřete ho prosím přes odkaz z pozvánky.",
                "This survey is by invitation only",
                "Only people who received a personal invitation can answer this survey. Please open it with the link from your invitation.",
            ],
            ErrorPage::TooManyAttempts => [
                "Příliš mnoho pokusů",
                "Z vašeho připojení přišlo v krátké době mnoho pokusů. Počkejte prosím minutu a zkuste to znovu.",
                "Too many attempts",
                "Too many attempts came from your connection in a short time. Please wait a minute and try again.",
            ],
            ErrorPage::TooLarge => [
                "Příliš mnoho textu",
                "Odeslaný formulář je příliš velký. Zkraťte prosím delší odpovědi a zkuste to znovu.",
                "Too much text",
                "The form you sent is too large. Please shorten long answers and try again.",
            ],
            ErrorPage::BadRequest => [
                "Požadavek nelze zpracovat",
                "Formulář nebyl odeslán správně. Vraťte se prosím a zkuste to znovu.",
                "The request cannot be processed",
                "The form was not sent correctly. Please go back and try again.",
            ],
            ErrorPage::FormExpired => [
                "Formulář vypršel",
                "Formulář už neplatí (například po odhlášení nebo po dlouhé nečinnosti), a proto jsme nic nezměnili. Vraťte se prosím, načtěte stránku znovu a zkuste to ještě jednou.",
                "The form has expired",
                "This form is no longer valid (for example after signing out or a long pause), so nothing was changed. Please go back, reload the page and try again.",
            ],
            ErrorPage::Unavailable => [
                "Služba je dočasně nedostupná",
                "Úložiště odpovědí teď nefunguje. Vaše dříve uložené odpovědi jsou v bezpečí; zkuste to prosím za chvíli znovu.",
                "Service temporarily unavailable",
                "Answer storage is not working right now. Answers you saved earlier are safe; please try again in a moment.",
            ],
            ErrorPage::Internal => [
                "Něco se pokazilo",
                "Na naší straně došlo k chybě. Dříve uložené odpovědi jsou v bezpečí; zkuste to prosím znovu.",
                "Something went wrong",
                "Something went wrong on our side. Answers you saved earlier are safe; please try again.",
            ],
        }
    }
}

pub fn page(kind: ErrorPage, status: StatusCode) -> Markup {
    let [cs_title, cs_text, en_title, en_text] = kind.texts();
    let title = format!("{cs_title} / {en_title}");
    let shell = Shell {
        lang: Lang::Cs,
        title: &title,
        heading: "anketa",
        languages: LanguageSwitch::None,
        script: false,
    };
    layout::page(
        &shell,
        html! {
            h1 { (cs_title) }
            p { (cs_text) }
            div lang="en" {
                h2 { (en_title) }
                p { (en_text) }
            }
            p.status { "HTTP " (status.as_u16()) }
        },
    )
}
