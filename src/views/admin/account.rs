//! The signed-in account: who you are, and "log out everywhere".

use maud::{Markup, html};

use super::layout;
use crate::staff::StaffUser;

pub fn page(user: &StaffUser, csrf: &str) -> Markup {
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
            h2 { "Sessions" }
            p { "Signed in on a computer you no longer use? End every session of this account, here and elsewhere." }
            form method="post" action="/admin/logout-everywhere" {
                input type="hidden" name="_csrf" value=(csrf);
                button.secondary type="submit" { "Sign out everywhere" }
            }
        },
    )
}
