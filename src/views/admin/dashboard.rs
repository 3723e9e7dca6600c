//! One survey's dashboard: status, numbers, responses per day, the completion funnel,
//! breakdowns by choice attributes (who has not answered yet) and invitation status.

use analysis::suppress::Cell;
use maud::{Markup, html};

use super::overview::status;
use super::{chart, duration, layout, moment};
use crate::disclosure::dashboard::{Published, PublishedBreakdown};
use crate::staff::StaffUser;
use crate::store::SurveyStats;
use crate::survey::model::Availability;
use crate::survey::{Lang, Survey};

pub struct Dashboard<'a> {
    pub survey: &'a Survey,
    pub stats: &'a SurveyStats,
    pub availability: Availability,
    /// Every figure, as [`crate::disclosure::dashboard`] allows this user to see it.
    pub published: &'a Published,
    /// The server has a pseudonym key (anonymized data that links people needs one).
    pub has_pseudonym_key: bool,
    /// Which complete responses the figures describe, when not all (an evaluator's
    /// dashboard held at a release's cutoff, or why its breakdowns are withheld).
    pub note: Option<String>,
}

pub fn page(user: &StaffUser, csrf: &str, d: &Dashboard<'_>) -> Markup {
    let s = d.survey;
    let title = s.title.get(Lang::Cs);
    layout(
        title,
        Some((user, csrf)),
        html! {
            p.crumbs { a href="/admin" { "Surveys" } " › " (s.id) }
            h1 { (title) }
            p {
                "Status: " strong { (status(d.availability)) }
                " · version " code { (s.version) }
                @if let Some(quota) = s.schedule.quota { " · quota " (quota) }
            }
            p.links {
                @if !s.is_interview() {
                    a href={ "/admin/surveys/" (s.id) "/report" } { "Report (tables and charts)" }
                }
                @if !s.is_interview() && user.can_manage_responses(&s.id) { " · " }
                @if user.can_manage_responses(&s.id) {
                    a href={ "/admin/surveys/" (s.id) "/responses" } { "Responses" }
                }
                @if !s.is_interview() || user.can_manage_responses(&s.id) { " · " }
                a href="#downloads" { "Downloads" }
            }
            @let f = &d.published.figures;
            @if let Some(note) = &d.note { p.note { (note) } }
            dl.figures {
                div { dt { "Started" } dd { (f.started) } }
                div { dt { "Complete" } dd { (f.complete) } }
                div { dt { "Completion rate" } dd { @match f.completion_rate { Some(r) => (format!("{:.0} %", r * 100.0)), None => "–" } } }
                @if d.published.timing {
                    div { dt { "Median time" } dd { @match d.stats.median_completion { Some(t) => (duration(t)), None => "–" } } }
                    div { dt { "Last activity" } dd { @match d.stats.last_activity { Some(t) => (moment(t)), None => "–" } } }
                }
                div { dt { "Set aside" } dd { (f.set_aside) } }
            }
            @if let Some(i) = &d.published.invitations {
                h2 { "Invitations" }
                dl.figures {
                    div { dt { "Sent" } dd { (i.sent) } }
                    div { dt { "Started" } dd { (i.started) } }
                    div { dt { "Complete" } dd { (i.complete) } }
                    div { dt { "Not started" } dd { (i.not_started) } }
                }
            }
            h2 { "Complete responses per day" }
            @match &d.published.per_day {
                None => p {
                    "Counts below the threshold are shown as “<n”, and counts that would give them back as “x”. Responses over time are in the "
                    a href={ "/admin/surveys/" (s.id) "/report" } { "report" }
                    ", in periods large enough to show."
                },
                Some(per_day) if per_day.is_empty() => p { "No complete responses yet." },
                Some(per_day) => {
                    (chart::per_day(per_day, "Complete responses per day"))
                    details {
                        summary { "The numbers" }
                        table { thead { tr { th scope="col" { "Day" } th.num scope="col" { "Complete" } } }
                            tbody { @for (day, n) in per_day { tr { td { (chart::day_date(*day)) } td.num { (n) } } } } }
                    }
                },
            }
            h2 { "Where people stop" }
            table {
                caption.vh { "Completion funnel by page" }
                @let reached = d.published.funnel.iter().any(|s| s.reached.is_some());
                thead { tr { th scope="col" { "Page" } @if reached { th.num scope="col" { "Reached" } } th.num scope="col" { "In progress here" } } }
                tbody {
                    @for step in &d.published.funnel {
                        @let page = s.pages.iter().find(|p| p.id == step.page_id);
                        tr {
                            th scope="row" { (page.and_then(|p| p.title.as_ref()).map_or(step.page_id.as_str(), |t| t.get(Lang::Cs))) }
                            @if let Some(r) = step.reached { td.num { (r) } }
                            td.num { (step.here) }
                        }
                    }
                }
            }
            @for b in &d.published.breakdowns { (breakdown(b)) }
            h2 #downloads { "Downloads" }
            @let data = super::downloads::data_available(s, user, d.has_pseudonym_key);
            (super::downloads::list(s, user, "", data))
        },
    )
}

fn breakdown(b: &PublishedBreakdown) -> Markup {
    let per_option = b.groups.iter().any(|g| !g.rows.is_empty());
    html! {
        section.breakdown {
            h2 { "Complete responses by " (b.question_text.get(Lang::Cs)) }
            @if !b.nobody.is_empty() {
                p { strong { "No response yet from " (b.nobody.len()) ": " } (b.nobody.iter().map(|t| t.get(Lang::Cs)).collect::<Vec<_>>().join(", ")) }
            }
            table {
                caption.vh { "Complete responses by " (b.question_id) }
                thead { tr {
                    @if let Some(a) = &b.attribute { th scope="col" { (a) } }
                    @if per_option { th scope="col" { "Answer" } }
                    th.num scope="col" { "Complete" }
                } }
                @for g in &b.groups {
                    tbody {
                        @if per_option {
                            @for (i, (label, count)) in g.rows.iter().enumerate() {
                                tr.none[*count == Cell::Count(0)] {
                                    @if b.attribute.is_some() {
                                        @if i == 0 { th scope="rowgroup" rowspan=(g.rows.len()) { (g.value.as_deref().unwrap_or("–")) br; span.muted { (g.total) " in all" } } }
                                    }
                                    td { (label.get(Lang::Cs)) }
                                    td.num { (count) }
                                }
                            }
                        } @else {
                            tr { th scope="row" { (g.value.as_deref().unwrap_or("–")) } td.num { (g.total) } }
                        }
                    }
                }
            }
            @if b.unanswered != Cell::Count(0) { p.muted { (b.unanswered) " complete responses did not answer this question." } }
        }
    }
}
