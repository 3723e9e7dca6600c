//! Interview screens: the interviewer's list with "start an interview", the consent step
//! (header and the script read out), a topic screen (all topics in a sidebar whose
//! buttons save before moving, the opening question, probes, structured items, notes,
//! skip reason), and the summary with "finish".

use maud::{Markup, html};

use super::{duration, layout, moment};
use crate::interview::{Problem, TopicState};
use crate::staff::StaffUser;
use crate::store::{Status, StoredInterview};
use crate::survey::form::{FieldError, FormInput};
use crate::survey::model::{Guide, InterviewGuide, InterviewMode, SkipReason};
use crate::survey::{Lang, Survey};
use crate::views::fields::{self, FieldCtx};

const LANG: Lang = Lang::Cs;

pub struct ListRow<'a> {
    pub interview: &'a StoredInterview,
    pub guide_title: &'a str,
    pub organisation: String,
    pub interviewer: &'a str,
}

pub fn list(user: &StaffUser, csrf: &str, rows: &[ListRow<'_>], guides: &[&Survey]) -> Markup {
    layout(
        "Interviews",
        Some((user, csrf)),
        html! {
            h1 { "Interviews" }
            @if !guides.is_empty() {
                form.inline-form method="post" action="/admin/interviews" {
                    input type="hidden" name="_csrf" value=(csrf);
                    div.q {
                        label for="guide" { "Start an interview with the guide" }
                        select #guide name="guide" {
                            @for g in guides { option value=(g.id) { (g.title.get(LANG)) } }
                        }
                    }
                    div.actions { button.primary type="submit" { "Start" } }
                }
            } @else {
                p { "No interview guide has been assigned to you yet. Ask an administrator." }
            }
            @if rows.is_empty() {
                p { "No interviews yet." }
            } @else {
                div.table-wrap { table {
                    caption.vh { "Interviews" }
                    thead { tr {
                        th scope="col" { "Guide" } th scope="col" { "Organisation" } th scope="col" { "Interviewer" }
                        th scope="col" { "Status" } th scope="col" { "Last change" }
                    } }
                    tbody { @for r in rows { tr {
                        th scope="row" { a href={ "/admin/interviews/" (r.interview.id) } { (r.guide_title) } }
                        td { (r.organisation) }
                        td { (r.interviewer) }
                        td { @if r.interview.status == Status::Complete { "finished" } @else { "in progress" } }
                        td { (moment(r.interview.updated_at)) }
                    } } }
                } }
            }
        },
    )
}

fn problems_summary(problems: &[Problem]) -> Markup {
    html! {
        @if !problems.is_empty() {
            div.error-summary role="alert" aria-labelledby="error-summary-title" tabindex="-1" autofocus {
                h2 #error-summary-title { "There is a problem" }
                ul { @for p in problems { li { a href={ "#" (p.field) } { (p.message) } } } }
            }
        }
    }
}

pub fn consent(
    user: &StaffUser,
    csrf: &str,
    InterviewGuide { survey, guide }: InterviewGuide<'_>,
    interview_id: &str,
    values: &FormInput,
    problems: &[Problem],
) -> Markup {
    let v = |name: &str| values.get(name).unwrap_or("").to_string();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let date = values.get("date").map_or(today, str::to_string);
    html_page(
        user,
        csrf,
        &format!("Consent – {}", survey.title.get(LANG)),
        html! {
            p.crumbs { a href="/admin/interviews" { "Interviews" } " › " (survey.title.get(LANG)) }
            h1 { "Before the interview" }
            (problems_summary(problems))
            @if let Some(intro) = &survey.intro { div.intro { p { (intro.get(LANG)) } } }
            form method="post" action={ "/admin/interviews/" (interview_id) "/consent" } novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                fieldset {
                    legend { "The interviewee" }
                    div.q {
                        label for="category" { "Category" }
                        select #category name="category" {
                            option value="" { "– choose –" }
                            @for c in &guide.categories.options { option value=(c.value) selected[v("category") == c.value] { (c.label.get(LANG)) } }
                        }
                    }
                    div.q {
                        label for="organisation" { "Organisation" }
                        select #organisation name="organisation" {
                            option value="" { "– choose –" }
                            @for o in &guide.organisation.options { option value=(o.value) selected[v("organisation") == o.value] { (o.label.get(LANG)) } }
                        }
                    }
                    div.q { label for="date" { "Date" } input.date type="date" #date name="date" value=(date); }
                    fieldset.q {
                        legend { "Mode" }
                        @for m in InterviewMode::ALL {
                            div.opt { input type="radio" id={ "mode-" (m.code()) } name="mode" value=(m.code()) checked[v("mode") == m.code() || (v("mode").is_empty() && m == InterviewMode::InPerson)]; label for={ "mode-" (m.code()) } { (mode_label(m)) } }
                        }
                    }
                }
                h2 { "Consent script (read it out)" }
                div.script { @for line in guide.consent.get(LANG).split("\n\n") { p { (line) } } }
                p.muted { "Script version " code { (guide.consent_version) } }
                div.q.check #consent {
                    input type="checkbox" id="consent-yes" name="consent" value="yes";
                    label for="consent-yes" { "The interviewee agreed to the interview" }
                }
                @if guide.recording {
                    div.q.check {
                        input type="checkbox" id="recording" name="recording" value="yes" checked[v("recording") == "yes"];
                        label for="recording" { "The interviewee agreed to an audio recording" }
                    }
                }
                div.actions { button.primary type="submit" { "Record consent and begin" } }
            }
        },
    )
}

fn html_page(user: &StaffUser, csrf: &str, title: &str, main: Markup) -> Markup {
    layout(title, Some((user, csrf)), main)
}

pub fn mode_label(m: InterviewMode) -> &'static str {
    match m {
        InterviewMode::InPerson => "in person",
        InterviewMode::Phone => "phone",
        InterviewMode::Video => "video",
    }
}

pub fn skip_label(r: SkipReason) -> &'static str {
    match r {
        SkipReason::NotAsked => "not asked",
        SkipReason::Declined => "declined",
        SkipReason::NotApplicable => "not applicable",
    }
}

fn state_label(s: TopicState) -> &'static str {
    match s {
        TopicState::NotStarted => "not started",
        TopicState::InProgress => "in progress",
        TopicState::Skipped(_) => "skipped",
    }
}

/// The sidebar. On a topic screen every topic is a button that saves the screen and
/// moves there (nothing typed is lost, with or without JavaScript); elsewhere, links.
fn sidebar(
    survey: &Survey,
    guide: &Guide,
    interview: &StoredInterview,
    current: Option<&str>,
) -> Markup {
    let data = &interview.data;
    let on_topic = current.is_some();
    html! {
        nav.topics aria-label="Topics" {
            ol {
                @for (page, topic) in survey.pages.iter().zip(&guide.topics) {
                    @let name = page.title.as_ref().map_or(topic.id.as_str(), |t| t.get(LANG));
                    @let state = state_label(data.topic_state(&topic.id));
                    li {
                        @if on_topic {
                            button.topic-link type="submit" name="go" value=(topic.id) aria-current=[(current == Some(topic.id.as_str())).then_some("step")] {
                                (name) span.muted { " · " (state) }
                            }
                        } @else {
                            a.topic-link href={ "/admin/interviews/" (interview.id) "/t/" (topic.id) } { (name) span.muted { " · " (state) } }
                        }
                    }
                }
                li {
                    @if on_topic {
                        button.topic-link type="submit" name="go" value="@summary" { "Summary and finish" }
                    } @else {
                        a.topic-link href={ "/admin/interviews/" (interview.id) "/summary" } aria-current="step" { "Summary and finish" }
                    }
                }
            }
        }
    }
}

pub struct TopicScreen<'a> {
    pub guide: InterviewGuide<'a>,
    pub interview: &'a StoredInterview,
    pub topic_index: usize,
    /// What the form shows: the stored record, or what was just sent back with problems.
    pub values: &'a FormInput,
    pub problems: &'a [Problem],
    /// Unix seconds when this screen was rendered (the time on the topic counts from it).
    pub opened: i64,
}

pub fn topic(user: &StaffUser, csrf: &str, s: &TopicScreen<'_>) -> Markup {
    let InterviewGuide { survey, guide } = s.guide;
    let topic = &guide.topics[s.topic_index];
    let page = &survey.pages[s.topic_index];
    let title = page
        .title
        .as_ref()
        .map_or(topic.id.as_str(), |t| t.get(LANG));
    let ticked: Vec<&str> = s.values.all("probe").collect();
    let skipped = s.values.get("skipped").unwrap_or("");
    let field_errors: Vec<FieldError> = Vec::new();
    let ctx = FieldCtx {
        lang: LANG,
        ui: crate::i18n::ui(LANG),
        values: s.values,
        errors: &field_errors,
    };
    let action = format!("/admin/interviews/{}/t/{}", s.interview.id, topic.id);
    html_page(
        user,
        csrf,
        title,
        html! {
            script src=(crate::views::layout::interview_js_url()) defer {}
            p.crumbs { a href="/admin/interviews" { "Interviews" } " › " (survey.title.get(LANG)) }
            form.interview #interview-form method="post" action=(action) novalidate {
                input type="hidden" name="_csrf" value=(csrf);
                input type="hidden" name="opened" value=(s.opened);
                div.interview-grid {
                    (sidebar(survey, guide, s.interview, Some(&topic.id)))
                    div.topic {
                        h1 { (s.topic_index + 1) ". " (title) }
                        (problems_summary(s.problems))
                        blockquote.opening { (topic.opening.get(LANG)) }
                        @if !topic.probes.is_empty() {
                            fieldset.q #probe {
                                legend { "Probes covered" }
                                @for p in &topic.probes {
                                    div.opt.check {
                                        input type="checkbox" id={ "probe-" (p.id) } name="probe" value=(p.id) checked[ticked.contains(&p.id.as_str())];
                                        label for={ "probe-" (p.id) } { (p.text.get(LANG)) }
                                    }
                                }
                            }
                        }
                        @for q in &page.questions { (fields::question(q, &ctx, None)) }
                        div.q {
                            label.q-text for="notes" { "Notes" }
                            textarea.notes #notes name="notes" rows="12" { (s.values.get("notes").unwrap_or("")) }
                        }
                        div.q {
                            label for="skipped" { "Skipped?" }
                            select #skipped name="skipped" {
                                option value="" { "no, covered" }
                                @for r in SkipReason::ALL { option value=(r.code()) selected[skipped == r.code()] { (skip_label(r)) } }
                            }
                        }
                        div.actions {
                            button.primary type="submit" name="go" value="@next" { "Save and next topic" }
                            button.secondary type="submit" name="go" value="@stay" { "Save" }
                        }
                        p.muted #autosave-status role="status" aria-live="polite" {}
                        p.muted { "Time on this topic so far: " (duration(time::Duration::seconds(s.interview.data.topics.get(&topic.id).map_or(0, |t| t.seconds)))) }
                    }
                }
            }
        },
    )
}

pub fn summary(
    user: &StaffUser,
    csrf: &str,
    InterviewGuide { survey, guide }: InterviewGuide<'_>,
    interview: &StoredInterview,
) -> Markup {
    let data = &interview.data;
    html_page(
        user,
        csrf,
        "Summary",
        html! {
            p.crumbs { a href="/admin/interviews" { "Interviews" } " › " (survey.title.get(LANG)) }
            h1 { "Summary" }
            (sidebar(survey, guide, interview, None))
            div.table-wrap { table {
                caption.vh { "Topics" }
                thead { tr { th scope="col" { "Topic" } th scope="col" { "State" } th.num scope="col" { "Probes" } th scope="col" { "Time" } th.num scope="col" { "Notes (characters)" } } }
                tbody { @for (page, topic) in survey.pages.iter().zip(&guide.topics) {
                    @let record = data.topics.get(&topic.id);
                    tr {
                        th scope="row" { (page.title.as_ref().map_or(topic.id.as_str(), |t| t.get(LANG))) }
                        td { @match data.topic_state(&topic.id) { TopicState::Skipped(r) => { "skipped: " (skip_label(r)) }, other => (state_label(other)) } }
                        td.num { (record.map_or(0, |r| r.probes.len())) " of " (topic.probes.len()) }
                        td { (duration(time::Duration::seconds(record.map_or(0, |r| r.seconds)))) }
                        td.num { (record.map_or(0, |r| r.notes.chars().count())) }
                    }
                } }
            } }
            p { "Total time on topics: " (duration(time::Duration::seconds(data.seconds()))) "." }
            @if interview.status == Status::Complete {
                p.notice { "This interview is finished. You can still correct it." }
            } @else {
                form method="post" action={ "/admin/interviews/" (interview.id) "/finish" } {
                    input type="hidden" name="_csrf" value=(csrf);
                    div.actions { button.primary type="submit" { "Finish the interview" } }
                }
            }
        },
    )
}
