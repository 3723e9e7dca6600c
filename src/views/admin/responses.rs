//! The response list with its filters, and one response read against its survey version.

use maud::{Markup, html};

use super::{layout, moment};
use crate::i18n;
use crate::staff::StaffUser;
use crate::store::{Response, Status};
use crate::survey::form::is_shown;
use crate::survey::{Lang, Survey};
use crate::views::review::{answer, question_label};

/// The list's filters as its form sends them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// A filter key (a choice question, `question.attribute` or `invitation.column`) and
    /// the value it must have: see [`crate::response_filter`].
    pub question: Option<String>,
    pub value: Option<String>,
    pub deleted: Option<String>,
    pub page: Option<String>,
}

pub struct List<'a> {
    pub survey: &'a Survey,
    pub responses: &'a [Response],
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub query: &'a ListQuery,
    /// What the list can be filtered by: (key, description).
    pub filter_keys: &'a [(String, String)],
}

fn status(r: &Response) -> &'static str {
    match (r.deleted_at.is_some(), r.status) {
        (true, _) => "deleted",
        (false, Status::Complete) => "complete",
        (false, Status::InProgress) => "in progress",
    }
}

pub fn list(user: &StaffUser, csrf: &str, l: &List<'_>) -> Markup {
    let s = l.survey;
    let q = l.query;
    let pages = l.total.div_ceil(l.per_page).max(1);
    let page_link = |p: usize| {
        let params = [
            ("status", q.status.clone()),
            ("from", q.from.clone()),
            ("to", q.to.clone()),
            ("question", q.question.clone()),
            ("value", q.value.clone()),
            ("deleted", q.deleted.clone()),
        ];
        let mut pairs: Vec<(&str, String)> = params
            .into_iter()
            .filter_map(|(k, v)| v.filter(|v| !v.is_empty()).map(|v| (k, v)))
            .collect();
        pairs.push(("page", p.to_string()));
        format!(
            "?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    };
    layout(
        "Responses",
        Some((user, csrf)),
        html! {
            p.crumbs { a href="/admin" { "Surveys" } " › " a href={ "/admin/surveys/" (s.id) } { (s.id) } " › responses" }
            h1 { "Responses: " (s.title.get(Lang::Cs)) }
            form.filters method="get" {
                div.q {
                    label for="status" { "Status" }
                    select #status name="status" {
                        option value="" { "any" }
                        option value="complete" selected[q.status.as_deref() == Some("complete")] { "complete" }
                        option value="in_progress" selected[q.status.as_deref() == Some("in_progress")] { "in progress" }
                    }
                }
                div.q { label for="from" { "Started from" } input.date type="date" #from name="from" value=[q.from.as_deref()]; }
                div.q { label for="to" { "Started until" } input.date type="date" #to name="to" value=[q.to.as_deref()]; }
                div.q {
                    label for="question" { "Where" }
                    select #question name="question" {
                        option value="" { "(no filter)" }
                        @for (key, description) in l.filter_keys {
                            option value=(key) selected[q.question.as_deref() == Some(key.as_str())] { (description) }
                        }
                    }
                }
                div.q { label for="value" { "is" } input.text #value name="value" value=[q.value.as_deref()]; }
                div.q.check {
                    input type="checkbox" #deleted name="deleted" value="yes" checked[q.deleted.as_deref() == Some("yes")];
                    label for="deleted" { "Include deleted" }
                }
                div.actions { button.secondary type="submit" { "Filter" } }
            }
            p { (l.total) " responses" @if pages > 1 { ", page " (l.page) " of " (pages) } "." }
            div.table-wrap {
                table {
                    caption.vh { "Responses" }
                    thead { tr {
                        th scope="col" { "Started" } th scope="col" { "Status" } th scope="col" { "Submitted" }
                        th scope="col" { "Language" } th scope="col" { "Marked" } th scope="col" { span.vh { "Open" } }
                    } }
                    tbody {
                        @for r in l.responses {
                            tr {
                                td { (moment(r.created_at)) }
                                td { (status(r)) }
                                td { @match r.submitted_at { Some(t) => (moment(t)), None => "–" } }
                                td { (r.language) }
                                td { @if let Some(f) = &r.flag { (f) @if let Some(why) = &r.flag_reason { ": " (why) } } }
                                td { a href={ "/admin/surveys/" (s.id) "/responses/" (r.id) } { "Open" span.vh { " the response started " (moment(r.created_at)) } } }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav.pages aria-label="Pages" { ul {
                    @if l.page > 1 { li { a href=(page_link(l.page - 1)) rel="prev" { "Previous" } } }
                    @if l.page < pages { li { a href=(page_link(l.page + 1)) rel="next" { "Next" } } }
                } }
            }
        },
    )
}

/// One response, its answers read against `version` (the survey version it was given on).
pub fn show(
    user: &StaffUser,
    csrf: &str,
    survey: &Survey,
    version: &Survey,
    r: &Response,
) -> Markup {
    let ui = i18n::ui(Lang::En);
    let base = format!("/admin/surveys/{}/responses/{}", survey.id, r.id);
    layout(
        "Response",
        Some((user, csrf)),
        html! {
            p.crumbs { a href="/admin" { "Surveys" } " › " a href={ "/admin/surveys/" (survey.id) } { (survey.id) } " › " a href={ "/admin/surveys/" (survey.id) "/responses" } { "responses" } " › one" }
            h1 { "Response " code { (r.id) } }
            dl.facts {
                dt { "Status" } dd { (status(r)) }
                dt { "Survey version" } dd { code { (r.survey_version) } @if r.survey_version != survey.version { " (not the current version " code { (survey.version) } ")" } }
                dt { "Started" } dd { (moment(r.created_at)) }
                dt { "Last saved" } dd { (moment(r.updated_at)) }
                dt { "Submitted" } dd { @match r.submitted_at { Some(t) => (moment(t)), None => "–" } }
                dt { "Language" } dd { (r.language) }
                dt { "Marked" } dd { @match &r.flag { Some(f) => { (f) @if let Some(why) = &r.flag_reason { ": " (why) } }, None => "–" } }
                @if let Some(inv) = &r.invitation {
                    dt { "Invitation" }
                    dd { ul { @for (k, v) in inv { li { (k) ": " (v) } } } }
                }
            }
            @for page in &version.pages {
                @let shown: Vec<_> = page.questions.iter().filter(|q| q.kind.is_answerable() && is_shown(q, &r.answers)).collect();
                @if !shown.is_empty() {
                    section.review-page {
                        div.review-head { h2 { (page.title.as_ref().map_or(page.id.as_str(), |t| t.get(Lang::Cs))) } }
                        dl.answers {
                            @for q in shown {
                                dt { (question_label(q, Lang::Cs, ui)) br; span.muted { code { (q.id) } } }
                                dd { (answer(q, r.answers.get(&q.id), Lang::Cs, ui)) }
                            }
                        }
                    }
                }
            }
            h2 { "Manage" }
            div.manage {
                form method="post" action=(base) {
                    input type="hidden" name="_csrf" value=(csrf);
                    div.q { label.q-text for="reason" { "Reason (for marking or deleting)" } input.text #reason name="reason" maxlength="500"; }
                    div.actions {
                        button.secondary type="submit" name="action" value="test" { "Mark as test" }
                        button.secondary type="submit" name="action" value="excluded" { "Exclude" }
                        @if r.flag.is_some() { button.secondary type="submit" name="action" value="unflag" { "Clear the mark" } }
                    }
                }
                @if r.deleted_at.is_none() {
                    form method="post" action=(base) {
                        input type="hidden" name="_csrf" value=(csrf);
                        input type="hidden" name="action" value="delete";
                        div.q.check { input type="checkbox" #confirm-delete name="confirm" value="yes" required; label for="confirm-delete" { "Yes, delete this response (it stays in the audit trail)" } }
                        div.actions { button.secondary type="submit" { "Delete" } }
                    }
                }
                form method="post" action=(base) {
                    input type="hidden" name="_csrf" value=(csrf);
                    input type="hidden" name="action" value="erase";
                    div.q {
                        label.q-text for="confirm-erase" { "Erase for good (a data-subject request): type ERASE" }
                        p.hint { "Removes the answers, resume codes and the invitation with the person's name and address. This cannot be undone." }
                        input.text #confirm-erase name="confirm" autocomplete="off" required;
                    }
                    div.actions { button.secondary.danger type="submit" { "Erase" } }
                }
            }
        },
    )
}
