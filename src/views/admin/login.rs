//! Sign-in and set-password pages.

use maud::{Markup, html};

use super::layout;

pub fn page(
    csrf: &str,
    email: &str,
    next: &str,
    notice: Option<&str>,
    error: Option<&str>,
) -> Markup {
    layout(
        "Sign in",
        None,
        html! {
            h1 { "Sign in" }
            @if let Some(n) = notice { div.notice role="status" { p { (n) } } }
            @if let Some(e) = error {
                div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                    h2 #error-summary-title { "There is a problem" }
                    p { (e) }
                }
            }
            form method="post" action="/admin/login" novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                div.q {
                    label.q-text for="email" { "E-mail address" }
                    input.text type="email" id="email" name="email" value=(email) autocomplete="username" spellcheck="false" required;
                }
                div.q {
                    label.q-text for="password" { "Password" }
                    input.text type="password" id="password" name="password" autocomplete="current-password" required;
                }
                div.actions { button.primary type="submit" { "Sign in" } }
            }
        },
    )
}

pub fn set_password(csrf: &str, email: &str, error: Option<&str>) -> Markup {
    layout(
        "Set your password",
        None,
        html! {
            h1 { "Set your password" }
            p { "For " strong { (email) } ". Use at least 12 characters; a few unrelated words make a strong, memorable password." }
            @if let Some(e) = error {
                div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                    h2 #error-summary-title { "There is a problem" }
                    p { (e) }
                }
            }
            form method="post" novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                input type="hidden" name="username" value=(email) autocomplete="username";
                div.q {
                    label.q-text for="password" { "New password" }
                    input.text type="password" id="password" name="password" autocomplete="new-password" required minlength="12";
                }
                div.q {
                    label.q-text for="confirm" { "The same again" }
                    input.text type="password" id="confirm" name="confirm" autocomplete="new-password" required;
                }
                div.actions { button.primary type="submit" { "Set password" } }
            }
        },
    )
}
