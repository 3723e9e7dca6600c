//! Accounts: the list with the form to add one, and one account with its grants and
//! actions.

use maud::{Markup, html};

use super::{layout, message, moment};
use crate::staff::{Role, StaffUser};
use crate::store::User;

fn state(u: &User) -> &'static str {
    match (u.disabled, u.password_hash.is_some()) {
        (true, _) => "disabled",
        (false, false) => "no password yet",
        (false, true) => "active",
    }
}

pub fn list(
    me: &StaffUser,
    csrf: &str,
    users: &[(User, Vec<String>)],
    surveys: &[&str],
    note: Option<&str>,
    link: Option<&str>,
) -> Markup {
    layout(
        "Users",
        Some((me, csrf)),
        html! {
            h1 { "Users" }
            (message(note, link))
            div.table-wrap {
                table {
                    caption.vh { "Staff accounts" }
                    thead { tr { th scope="col" { "E-mail" } th scope="col" { "Role" } th scope="col" { "State" } th scope="col" { "Surveys" } } }
                    tbody {
                        @for (u, grants) in users {
                            tr {
                                th scope="row" { a href={ "/admin/users/" (u.id) } { (u.email) } }
                                td { (u.role) }
                                td { (state(u)) }
                                td { @if u.role.needs_grants() { @if grants.is_empty() { span.muted { "none" } } @else { (grants.join(", ")) } } @else { span.muted { "all" } } }
                            }
                        }
                    }
                }
            }
            h2 { "Add an account" }
            form method="post" action="/admin/users" novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                div.q { label.q-text for="email" { "E-mail address" } input.text type="email" #email name="email" autocomplete="off" spellcheck="false" required; }
                fieldset.q {
                    legend.q-text { "Role" }
                    div.options {
                        @for role in Role::ALL {
                            div.opt { input type="radio" id={ "role-" (role) } name="role" value=(role) checked[role == Role::Evaluator]; label for={ "role-" (role) } { (role) } }
                        }
                    }
                }
                fieldset.q {
                    legend.q-text { "Surveys (for evaluators and interviewers)" }
                    div.options {
                        @for s in surveys {
                            div.opt.check { input type="checkbox" id={ "grant-" (s) } name="grant" value=(s); label for={ "grant-" (s) } { (s) } }
                        }
                    }
                }
                div.actions { button.primary type="submit" { "Add account" } }
            }
        },
    )
}

pub fn show(
    me: &StaffUser,
    csrf: &str,
    u: &User,
    grants: &[String],
    surveys: &[&str],
    note: Option<&str>,
    link: Option<&str>,
) -> Markup {
    let base = format!("/admin/users/{}", u.id);
    let action = |value: &'static str, label: &'static str| {
        html! {
            form.inline method="post" action=(base) {
                input type="hidden" name="_csrf" value=(csrf);
                button.secondary type="submit" name="action" value=(value) { (label) }
            }
        }
    };
    layout(
        &u.email,
        Some((me, csrf)),
        html! {
            p.crumbs { a href="/admin/users" { "Users" } " › " (u.email) }
            h1 { (u.email) }
            (message(note, link))
            dl.facts {
                dt { "Role" } dd { (u.role) }
                dt { "State" } dd { (state(u)) }
                dt { "Created" } dd { (moment(u.created_at)) }
            }
            @if u.role.needs_grants() {
                h2 { "Surveys" }
                @if grants.is_empty() { p { "None yet." } }
                ul.grants {
                    @for g in grants {
                        li {
                            (g) " "
                            form.inline method="post" action=(base) {
                                input type="hidden" name="_csrf" value=(csrf);
                                input type="hidden" name="survey" value=(g);
                                button.link type="submit" name="action" value="revoke" { "Remove" span.vh { " " (g) } }
                            }
                        }
                    }
                }
                form method="post" action=(base) {
                    input type="hidden" name="_csrf" value=(csrf);
                    div.q {
                        label.q-text for="survey" { "Add a survey" }
                        select #survey name="survey" { @for s in surveys.iter().filter(|s| !grants.iter().any(|g| g == *s)) { option value=(s) { (s) } } }
                    }
                    div.actions { button.secondary type="submit" name="action" value="grant" { "Add" } }
                }
            }
            h2 { "Account" }
            div.actions {
                (action("password_link", "New set-password link"))
                (action("end_sessions", "End all sessions"))
                @if u.disabled { (action("enable", "Enable")) } @else if u.id != me.id { (action("disable", "Disable")) }
            }
        },
    )
}
