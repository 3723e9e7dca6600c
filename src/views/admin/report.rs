//! The evaluation report page of a survey (`/admin/surveys/{id}/report`): the same tables
//! and charts as `anketa analyze`, small counts suppressed, with a filter by a choice,
//! an option attribute or an invitation column, in Czech or English.

use maud::{Markup, html};

use super::layout;
use crate::report::{Built, render};
use crate::staff::StaffUser;
use crate::survey::{Lang, Survey};

pub struct ReportPage<'a> {
    pub survey: &'a Survey,
    pub lang: Lang,
    /// The selected filter (`variable:code`).
    pub filter: Option<&'a str>,
    pub built: &'a Built,
    /// Why the report is withheld (too few responses match), if it is.
    pub withheld: Option<String>,
    /// Which responses the report describes, when not all (a view held at an earlier
    /// release's cutoff).
    pub note: Option<String>,
}

pub fn page(user: &StaffUser, csrf: &str, p: &ReportPage<'_>) -> Markup {
    let s = p.survey;
    layout(
        &format!("Report: {}", s.title.get(p.lang)),
        Some((user, csrf)),
        html! {
            p.crumbs {
                a href="/admin" { "Surveys" } " › "
                a href={ "/admin/surveys/" (s.id) } { (s.id) } " › report"
            }
            form.report-filter method="get" action={ "/admin/surveys/" (s.id) "/report" } {
                label for="filter" { "Only responses where" }
                select #filter name="filter" {
                    option value="" selected[p.filter.is_none()] { "(all responses)" }
                    @for f in &p.built.filters {
                        optgroup label=(f.label) {
                            @for c in &f.categories {
                                @let value = format!("{}:{}", f.name, c.code);
                                option value=(value) selected[p.filter == Some(value.as_str())] { (f.label) " = " (c.label) }
                            }
                        }
                    }
                }
                label for="lang" { "Language" }
                select #lang name="lang" {
                    @for l in &s.languages {
                        option value=(l.code()) selected[*l == p.lang] { (l.english_name()) }
                    }
                }
                button type="submit" { "Show" }
            }
            @if let Some(note) = &p.note { p.note { (note) } }
            @match &p.withheld {
                Some(why) => p.error role="alert" { (why) },
                None => div.report lang=(p.lang.code()) { (render::fragment(&p.built.blocks, &p.built.charts)) },
            }
        },
    )
}
