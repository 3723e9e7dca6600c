//! The staff area's screens (in English): a shared layout with navigation, and one module
//! per screen. Like every view, all values are escaped by maud.

pub mod account;
pub mod anonymization;
pub mod audit;
pub mod chart;
pub mod dashboard;
pub mod downloads;
pub mod interviews;
pub mod login;
pub mod overview;
pub mod report;
pub mod responses;
pub mod two_factor;
pub mod users;

use maud::{DOCTYPE, Markup, html};

use super::layout::css_url;
use crate::staff::StaffUser;

/// A staff page: header with navigation and the signed-in account, then `main`.
/// `user` is `None` on the sign-in pages.
pub fn layout(title: &str, user: Option<(&StaffUser, &str)>, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                meta name="referrer" content="no-referrer";
                title { (title) " – anketa staff" }
                link rel="stylesheet" href=(css_url());
            }
            body.staff {
                a.skip href="#main" { "Skip to content" }
                header.site {
                    div.wrap.wide {
                        a.brand href="/admin" { "anketa staff" }
                        @if let Some((user, csrf)) = user {
                            nav.staff-nav aria-label="Staff area" {
                                ul {
                                    li { a href="/admin" { "Surveys" } }
                                    @if user.role != crate::staff::Role::Evaluator { li { a href="/admin/interviews" { "Interviews" } } }
                                    @if user.can_manage_users() { li { a href="/admin/users" { "Users" } } }
                                    @if user.can_view_audit() { li { a href="/admin/audit" { "Audit log" } } }
                                    li { a href="/admin/account" { (user.email) " (" (user.role) ")" } }
                                    li {
                                        form method="post" action="/admin/logout" {
                                            input type="hidden" name="_csrf" value=(csrf);
                                            button.link type="submit" { "Sign out" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                main #main .wrap.wide { (main) }
            }
        }
    }
}

/// A message box (success or problem) above a form.
pub fn message(text: Option<&str>, link: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = text {
            div.notice role="status" {
                p { (text) }
                @if let Some(link) = link { p { code.copy { (link) } } }
            }
        }
    }
}

/// A duration as `1 h 5 min` / `4 min 20 s`.
pub fn duration(d: time::Duration) -> String {
    let s = d.whole_seconds().max(0);
    match (s / 3600, (s % 3600) / 60, s % 60) {
        (0, 0, sec) => format!("{sec} s"),
        (0, min, sec) => format!("{min} min {sec} s"),
        (h, min, _) => format!("{h} h {min} min"),
    }
}

/// A moment in UTC, to the minute.
pub fn moment(t: time::OffsetDateTime) -> String {
    format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute())
}
