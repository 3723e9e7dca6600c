//! The signed-in account: who you are, two-factor sign-in, and "log out everywhere".

use maud::{Markup, html};

use super::layout;
use crate::staff::StaffUser;

/// `two_factor`: the recovery codes left when two-factor sign-in is on.
pub fn page(user: &StaffUser, csrf: &str, two_factor: Option<i64>) -> Markup {
    layout(
        "Your account",
        Some((user, csrf)),
        html! {
            h1 { "Your account" }
            dl.facts {
                dt { "E-mail" } dd { (user.email) }
                dt { "Role" } dd { (user.role) }
                @if user.role.needs_grants() {
                    dt { "Surveys" }
                    dd { @if user.grants.is_empty() { "none yet" } @else { (user.grants.join(", ")) } }
                }
            }
            h2 { "Two-factor sign-in" }
            @match two_factor {
                Some(left) => {
                    p { "On: signing in needs a code from your authenticator app. Recovery codes left: " (left) "." }
                    p { a href="/admin/account/two-factor" { "Set it up again (a new phone, new recovery codes)" } }
                }
                None => {
                    p { "Off: signing in needs only your password." }
                    p { a href="/admin/account/two-factor" { "Turn on two-factor sign-in" } }
                }
            }
            h2 { "Sessions" }
            p { "Signed in on a computer you no longer use? End every session of this account, here and elsewhere." }
            form method="post" action="/admin/logout-everywhere" {
                input type="hidden" name="_csrf" value=(csrf);
                button.secondary type="submit" { "Sign out everywhere" }
            }
        },
    )
}
