//! The audit log, newest first, with a link to download it all.

use maud::{Markup, html};

use super::{layout, moment};
use crate::staff::StaffUser;
use crate::store::AuditEntry;

pub fn page(me: &StaffUser, csrf: &str, entries: &[AuditEntry], page: i64, pages: i64) -> Markup {
    layout(
        "Audit log",
        Some((me, csrf)),
        html! {
            h1 { "Audit log" }
            p { a href="/admin/audit.csv" download { "Download the whole log (CSV)" } }
            div.table-wrap {
                table.audit {
                    caption.vh { "Staff actions, newest first" }
                    thead { tr { th scope="col" { "When" } th scope="col" { "Who" } th scope="col" { "Action" } th scope="col" { "Survey" } th scope="col" { "Target" } th scope="col" { "Details" } th scope="col" { "Address" } } }
                    tbody {
                        @for e in entries {
                            tr {
                                td { (moment(e.at)) }
                                td { (e.actor_email.as_deref().unwrap_or("–")) }
                                td { (e.action) }
                                td { (e.survey_id.as_deref().unwrap_or("")) }
                                td { (e.target.as_deref().unwrap_or("")) }
                                td { @if e.details.as_object().is_some_and(|o| !o.is_empty()) { code { (e.details) } } }
                                td { (e.ip.as_deref().unwrap_or("")) }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label="Pages" { ul {
                    @if page > 1 { li { a href={ "?page=" (page - 1) } rel="prev" { "Newer" } } }
                    @if page < pages { li { a href={ "?page=" (page + 1) } rel="next" { "Older" } } }
                } }
            }
        },
    )
}
