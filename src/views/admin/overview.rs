//! The surveys overview: one row per survey the user may see.

use std::sync::Arc;

use maud::{Markup, html};

use super::{duration, layout, moment};
use crate::staff::{Role, StaffUser};
use crate::store::SurveyStats;
use crate::survey::model::{Access, Availability};
use crate::survey::{Lang, Survey};

pub struct Row {
    pub survey: Arc<Survey>,
    pub stats: SurveyStats,
    pub version_since: Option<time::OffsetDateTime>,
    pub availability: Availability,
}

pub fn status(a: Availability) -> &'static str {
    match a {
        Availability::Open => "open",
        Availability::NotYetOpen { .. } => "not open yet",
        Availability::Closed { .. } => "closed",
        Availability::Full => "full (quota reached)",
    }
}

pub fn page(user: &StaffUser, csrf: &str, rows: &[Row]) -> Markup {
    layout(
        "Surveys",
        Some((user, csrf)),
        html! {
            h1 { "Surveys" }
            @if user.role == Role::Interviewer {
                p { "Your interviews and the guides assigned to you are under " a href="/admin/interviews" { "Interviews" } "." }
            } @else if rows.is_empty() {
                p { "No survey has been shared with you yet. Ask an administrator for access." }
            } @else {
                div.table-wrap {
                    table {
                        caption.vh { "Surveys with their responses" }
                        thead { tr {
                            th scope="col" { "Survey" } th scope="col" { "Status" } th scope="col" { "Version" }
                            th.num scope="col" { "Started" } th.num scope="col" { "Complete" } th.num scope="col" { "Completion" }
                            th scope="col" { "Median time" } th scope="col" { "Last activity" }
                        } }
                        tbody {
                            @for r in rows {
                                tr {
                                    th scope="row" {
                                        a href={ "/admin/surveys/" (r.survey.id) } { (r.survey.title.get(Lang::Cs)) }
                                        br; span.muted { (r.survey.id) @if r.survey.access == Access::Token { " · invitations" } }
                                    }
                                    td { (status(r.availability)) }
                                    td { code { (r.survey.version) } @if let Some(since) = r.version_since { br; span.muted { "since " (moment(since)) } } }
                                    td.num { (r.stats.started()) }
                                    td.num { (r.stats.complete) }
                                    td.num { @match r.stats.completion_rate() { Some(rate) => (format!("{:.0} %", rate * 100.0)), None => "–" } }
                                    td { @match r.stats.median_completion { Some(d) => (duration(d)), None => "–" } }
                                    td { @match r.stats.last_activity { Some(t) => (moment(t)), None => "–" } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
