//! Two-factor sign-in screens: the code asked for after the password, enrolment (QR
//! code, the secret to type, the first code), and the recovery codes, shown once.

use maud::{Markup, PreEscaped, html};

use super::layout;
use crate::staff::StaffUser;

fn problem(error: Option<&str>) -> Markup {
    html! {
        @if let Some(e) = error {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                h2 #error-summary-title { "There is a problem" }
                p { (e) }
            }
        }
    }
}

/// After the password: the code from the app, or a recovery code.
pub fn code_page(csrf: &str, email: &str, error: Option<&str>) -> Markup {
    layout(
        "Sign-in code",
        None,
        html! {
            h1 { "Enter your sign-in code" }
            p { "For " strong { (email) } ". Open your authenticator app and type the 6-digit code it shows for anketa." }
            (problem(error))
            form method="post" action="/admin/login/code" novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                div.q {
                    label.q-text for="code" { "Code" }
                    p.hint #code-hint { "6 digits, or one of your recovery codes (e.g. 7K2M9-QXA4B) if you do not have your phone." }
                    input.text.short type="text" id="code" name="code" inputmode="text" autocomplete="one-time-code" spellcheck="false" aria-describedby="code-hint" required;
                }
                div.actions { button.primary type="submit" { "Sign in" } }
            }
        },
    )
}

/// Where an enrolment form posts, and who sees it (signed in, or half-way through
/// signing in).
pub struct Enrolment<'a> {
    pub action: &'a str,
    pub user: Option<(&'a StaffUser, &'a str)>,
    pub email: &'a str,
    /// Why it is asked for: required for the role, or chosen.
    pub required: bool,
    /// Setting it up again: a code from the app in use now is asked for too.
    pub replacing: bool,
}

/// Set up: scan the QR code (or type the secret), then confirm with a first code.
pub fn enrol_page(
    e: &Enrolment<'_>,
    csrf: &str,
    qr_svg: &str,
    secret_grouped: &str,
    error: Option<&str>,
) -> Markup {
    layout(
        "Set up two-factor sign-in",
        e.user,
        html! {
            h1 { "Set up two-factor sign-in" }
            @if e.required {
                p { "Your account (" strong { (e.email) } ") can see identified data, so signing in needs a one-time code from an authenticator app as well as your password." }
            } @else {
                p { "Signing in to " strong { (e.email) } " will need a one-time code from an authenticator app as well as your password." }
            }
            (problem(error))
            ol.steps {
                li {
                    p { "In an authenticator app (for example Aegis, FreeOTP, Google or Microsoft Authenticator), add an account by scanning this code:" }
                    // The SVG is drawn by the qrcode crate from the otpauth address: it
                    // holds no text and nothing from a request.
                    figure.qr role="img" aria-label="QR code for the authenticator app" { (PreEscaped(qr_svg)) }
                    p { "Cannot scan it? Add the account by hand with this key (time-based):" }
                    p { code.copy.secret { (secret_grouped) } }
                }
                li {
                    form method="post" action=(e.action) novalidate {
                        input type="hidden" name="_csrf" value=(csrf);
                        @if e.replacing {
                            div.q {
                                label.q-text for="current" { "A code from the app you use now" }
                                p.hint #current-hint { "Or one of your recovery codes: this replaces the app you use now." }
                                input.text.short type="text" id="current" name="current" autocomplete="one-time-code" spellcheck="false" aria-describedby="current-hint" required;
                            }
                        }
                        div.q {
                            label.q-text for="code" { "The 6-digit code the app now shows" }
                            input.text.short type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" required;
                        }
                        div.actions { button.primary type="submit" { "Turn on two-factor sign-in" } }
                    }
                }
            }
        },
    )
}

/// The recovery codes, shown once after enrolment.
pub fn recovery_codes_page(
    user: Option<(&StaffUser, &str)>,
    codes: &[String],
    next: &str,
) -> Markup {
    layout(
        "Your recovery codes",
        user,
        html! {
            h1 { "Two-factor sign-in is on" }
            div.notice role="status" {
                p { "Keep these recovery codes somewhere safe (printed, or in a password manager). Each one signs you in once without your phone. They are shown only now." }
            }
            ul.recovery-codes aria-label="Recovery codes" {
                @for code in codes { li { code { (code) } } }
            }
            p { "Lost your phone and your codes? An administrator can turn two-factor sign-in off for your account (" code { "anketa user reset-2fa" } "); you then set it up again." }
            p { a.button href=(next) { "Continue" } }
        },
    )
}
