//! The surveys overview, one survey's dashboard, and its report page (downloads are in
//! `exports`).

use crate::web::extract::Query;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::TryStreamExt;
use time::OffsetDateTime;

use super::Staff;
use crate::dashboard::{self, BreakdownCounter};
use crate::web::AppState;

use crate::survey::{Lang, Survey};
use crate::views::admin as views;
use crate::web::csrf;
use crate::web::error::AppError;

/// A survey's dashboard and report page.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{survey_id}", get(dashboard))
        .route("/admin/surveys/{survey_id}/report", get(report))
}

/// The survey, if this user may see its dashboard; 404 otherwise (whether or not it exists).
pub(super) fn visible_survey<'a>(
    state: &'a AppState,
    staff: &Staff,
    survey_id: &str,
) -> Result<&'a std::sync::Arc<Survey>, AppError> {
    state
        .survey(survey_id)
        .filter(|_| staff.user.can_view_dashboard(survey_id))
        .ok_or(AppError::NotFound)
}

pub(super) async fn overview(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut rows = Vec::new();
    for survey in state
        .surveys()
        .iter()
        .filter(|s| staff.user.can_view_dashboard(&s.id))
    {
        let stats = state.store().survey_stats(&survey.id).await?;
        let since = state
            .store()
            .survey_versions(&survey.id)
            .await?
            .into_iter()
            .find(|v| v.version == survey.version)
            .map(|v| v.first_seen_at);
        let availability = survey
            .schedule
            .availability(now, stats.complete as u64, false);
        rows.push(views::overview::Row {
            survey: survey.clone(),
            stats,
            version_since: since,
            availability,
        });
    }
    let csrf = csrf::token(&staff.session).await?;
    Ok(views::overview::page(&staff.user, &csrf, &rows).into_response())
}

pub(super) async fn dashboard(
    State(state): State<AppState>,
    staff: Staff,
    Path(survey_id): Path<String>,
) -> Result<Response, AppError> {
    let survey = visible_survey(&state, &staff, &survey_id)?.clone();
    let store = state.store();
    let stats = store.survey_stats(&survey.id).await?;
    let now = OffsetDateTime::now_utc();
    let offset_ms = jiff::Timestamp::from_second(now.unix_timestamp())
        .map(|ts| i64::from(survey.timezone.to_offset(ts).seconds()) * 1000)
        .unwrap_or(0);
    let per_day = dashboard::daily_series(&store.completions_per_day(&survey.id, offset_ms).await?);
    let funnel = dashboard::funnel(
        &survey,
        stats.complete,
        &store.in_progress_by_page(&survey.id).await?,
    );
    let mut counters: Vec<BreakdownCounter<'_>> = dashboard::breakdown_questions(&survey)
        .into_iter()
        .filter_map(BreakdownCounter::new)
        .collect();
    // Who may not see identified data sees the dashboard as a publication: like a report
    // view, planned against the earlier releases and recorded (a refresh one response
    // later would show which group the new respondent is in).
    let protect = (!staff.user.can_export_identified()).then(|| state.plan_for(&survey).min_cell);
    let mut stats = stats;
    let mut note = None;
    let _lease = match protect {
        Some(_) => Some(super::release_lease::ReleaseLease::take(store, &survey.id).await?),
        None => None,
    };
    match protect {
        None => {
            if !counters.is_empty() {
                let mut responses = store.complete_responses(&survey.id);
                while let Some(r) = responses.try_next().await? {
                    counters.iter_mut().for_each(|c| c.add(&r.answers));
                }
            }
        }
        Some(min_cell) => {
            use crate::disclosure::releases::{Publication, Subject, to_millis};
            let threshold = min_cell.max(survey.privacy.k as u64);
            let responses: Vec<_> = store.complete_responses(&survey.id).try_collect().await?;
            let subjects: Vec<Subject> = responses
                .iter()
                .filter_map(|r| Subject::new(r, false))
                .collect();
            let earlier = store.all_releases(&survey.id).await?;
            let publication = Publication {
                survey_id: &survey.id,
                earlier: &earlier,
                subjects: &subjects,
                threshold,
                now: to_millis(now),
            };
            match publication.plan_whole() {
                Ok((cutoff, held)) => {
                    let described: Vec<_> = responses
                        .iter()
                        .filter(|r| r.submitted_at.is_some_and(|s| s < cutoff))
                        .collect();
                    for r in &described {
                        counters.iter_mut().for_each(|c| c.add(&r.answers));
                    }
                    stats.complete = described.len() as i64;
                    if held {
                        note = Some(format!(
                            "These figures describe the {} complete responses submitted before {}. They move on when at least {threshold} new responses have come in.",
                            described.len(),
                            crate::views::admin::moment(cutoff),
                        ));
                    }
                    let release = publication.release(
                        crate::store::ReleaseKind::Report,
                        None,
                        cutoff,
                        Some(staff.user.id.clone()),
                    );
                    store.record_release(&release).await?;
                }
                Err(changed) => {
                    counters.clear();
                    note = Some(format!(
                        "The breakdowns are not shown: responses described by the last view or export given out were set aside, deleted, changed or added with an earlier date since, and the figures now differ from it by at least {changed} response(s). They are shown again when they differ by at least {threshold}."
                    ));
                }
            }
        }
    }
    let breakdowns: Vec<_> = counters.into_iter().map(BreakdownCounter::finish).collect();
    let invitations = match survey.access {
        crate::survey::model::Access::Token => Some(store.invitation_status(&survey.id).await?),
        crate::survey::model::Access::Anonymous => None,
    };
    let availability = survey
        .schedule
        .availability(now, stats.complete as u64, false);
    let published = crate::disclosure::dashboard::publish(
        &survey,
        &stats,
        invitations,
        per_day,
        &funnel,
        breakdowns,
        protect,
    );
    let csrf = csrf::token(&staff.session).await?;
    let page = views::dashboard::Dashboard {
        survey: &survey,
        stats: &stats,
        availability,
        published: &published,
        has_pseudonym_key: state.settings().pseudonym_key.is_some(),
        note,
    };
    Ok(views::dashboard::page(&staff.user, &csrf, &page).into_response())
}

#[derive(Debug, serde::Deserialize)]
pub(super) struct ReportQuery {
    /// `variable:code`, e.g. `municipality.region:Praha`.
    #[serde(default)]
    filter: Option<String>,
    #[serde(default)]
    lang: Option<String>,
}

/// The evaluation report page: the survey's analysis plan on its complete responses, for
/// everyone who sees its dashboard (evaluators too: counts below the plan's threshold are
/// suppressed, and a filter matching fewer responses than that shows nothing). Pre/post
/// blocks only use surveys the user may see.
pub(super) async fn report(
    State(state): State<AppState>,
    staff: Staff,
    Path(survey_id): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, AppError> {
    use crate::report::{self, plan_load};
    let survey = visible_survey(&state, &staff, &survey_id)?.clone();
    if survey.is_interview() {
        return Err(AppError::NotFound);
    }
    let mut plan = state.plan_for(&survey);
    plan.prepost
        .retain(|p| staff.user.can_view_dashboard(&p.before));
    let lang = plan_load::report_language(&survey, query.lang.as_deref().and_then(Lang::from_code));
    let store = state.store();
    let published = !staff.user.can_export_identified();
    // A publication is read, planned against the earlier ones and recorded one request
    // at a time (the lease is held until the end of this handler).
    let _lease = match published {
        true => Some(super::release_lease::ReleaseLease::take(store, &survey.id).await?),
        false => None,
    };
    let mut responses: Vec<_> = store.complete_responses(&survey.id).try_collect().await?;
    let wanted = query.filter.clone().filter(|f| !f.is_empty());
    let min_cell = plan.min_cell;
    // Reports and anonymized exports are planned against each other's releases, so the
    // stricter of their thresholds holds for both.
    let threshold = min_cell.max(survey.privacy.k as u64);
    // Who may not see identified data gets a publication checked against the earlier
    // ones (crate::disclosure::releases).
    let view = match published {
        true => {
            let wanted = wanted.as_deref();
            plan_view(
                store,
                &staff,
                &survey,
                &mut responses,
                wanted,
                lang,
                threshold,
            )
            .await?
        }
        false => PlannedView::default(),
    };
    let PlannedView {
        note,
        refused,
        release,
        filter_in_use,
    } = view;
    let mut before = Vec::new();
    for id in report::needed_surveys(&plan) {
        if let Some(s) = state.survey(&id) {
            let rows: Vec<_> = store.complete_responses(&id).try_collect().await?;
            before.push((s.clone(), rows));
        }
    }
    // The statistics are CPU work (a large survey takes a noticeable fraction of a
    // second): off the async workers.
    let built = tokio::task::spawn_blocking({
        let survey = survey.clone();
        let wanted = wanted.clone();
        move || {
            let before: Vec<(&Survey, &[_])> = before
                .iter()
                .map(|(s, r)| (s.as_ref(), r.as_slice()))
                .collect();
            let filter = wanted.as_deref().and_then(|f| f.split_once(':'));
            report::build(&plan, &survey, &responses, &before, lang, filter)
        }
    })
    .await
    .map_err(AppError::internal_from)?;
    let invited = u64::try_from(store.count_invitations(&survey.id).await?).ok();
    let mut built = built.with_context(invited, OffsetDateTime::now_utc().date(), lang);
    // Once filtered views by one variable are out, only that variable is offered.
    if let Some(variable) = &filter_in_use {
        built.filters.retain(|f| &f.name == variable);
    }
    let too_few = matches!(
        built.report.responses,
        analysis::suppress::Cell::Small { .. } | analysis::suppress::Cell::Hidden
    );
    let withheld = if wanted.is_some() && built.report.filter.is_none() {
        Some(
            "This filter does not match any variable of the survey: choose one from the list."
                .to_string(),
        )
    } else if let Some(why) = refused {
        Some(why)
    } else if too_few {
        Some(format!(
            "Fewer than {min_cell} complete responses{}: the report is not shown, so that small groups cannot be recognised.",
            if wanted.is_some() {
                " match this filter"
            } else {
                " so far"
            }
        ))
    } else {
        None
    };
    if let Some(release) = release.filter(|_| withheld.is_none()) {
        store.record_release(&release).await?;
    }
    let csrf = csrf::token(&staff.session).await?;
    let page = views::report::ReportPage {
        survey: &survey,
        lang,
        filter: wanted.as_deref(),
        built: &built,
        withheld,
        note,
    };
    Ok(views::report::page(&staff.user, &csrf, &page).into_response())
}

/// What an evaluator's view of the report may show, by the release rules
/// ([`crate::disclosure::releases`]): `responses` is cut to those before the cutoff the
/// rules allow, and the release to record is returned, or why the view is refused.
#[derive(Default)]
struct PlannedView {
    /// Said above a view held at an earlier cutoff.
    note: Option<String>,
    refused: Option<String>,
    release: Option<crate::store::Release>,
    /// The variable of the filtered views released so far: the only one offered.
    filter_in_use: Option<String>,
}

async fn plan_view(
    store: &crate::store::Store,
    staff: &Staff,
    survey: &Survey,
    responses: &mut Vec<crate::store::Response>,
    wanted: Option<&str>,
    lang: Lang,
    threshold: u64,
) -> Result<PlannedView, AppError> {
    use crate::report;
    let now = crate::disclosure::releases::to_millis(OffsetDateTime::now_utc());
    let filter = wanted.and_then(|f| f.split_once(':'));
    let mut view = PlannedView::default();
    use crate::disclosure::releases::{Publication, Subject, ViewPlan};
    // The filtered group as the report filters it (an unknown filter shows nothing
    // and is not a release).
    let members = filter.and_then(|f| report::filter_members(survey, responses, lang, f));
    let subjects: Vec<Subject> = responses
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Subject::new(r, members.as_ref().is_some_and(|m| m[i])))
        .collect();
    let earlier = store.all_releases(&survey.id).await?;
    let publication = Publication {
        survey_id: &survey.id,
        earlier: &earlier,
        subjects: &subjects,
        threshold,
        now,
    };
    view.filter_in_use = publication.filter_in_use().map(str::to_string);
    let planned_filter = wanted.filter(|_| members.is_some());
    match publication.plan(planned_filter) {
        ViewPlan::OtherFilter { variable } => {
            view.refused = Some(format!(
                "Filtered views of this survey have been published by “{variable}”. A view by another variable could be compared with them to describe the few people in both groups, so only filters by “{variable}” are available."
            ));
        }
        ViewPlan::Changed { changed } => {
            view.refused = Some(format!(
                "Responses described by the last view of this report or anonymized export given out were set aside, deleted, changed or added with an earlier date since, and the report now differs from it by at least {changed} response(s). Comparing the two would describe them, so the report is shown again when it differs by at least {threshold}."
            ));
        }
        ViewPlan::Show { cutoff, held } => {
            // Exactly the responses before the cutoff (what the release records).
            responses.retain(|r| r.submitted_at.is_some_and(|s| s < cutoff));
            if held {
                view.note = Some(format!(
                    "This report describes the {} complete responses submitted before {}. It moves on when at least {threshold} new responses have come in, so that two views never differ by fewer than {threshold} people.",
                    responses.len(),
                    crate::views::admin::moment(cutoff),
                ));
            }
            view.release = Some(publication.release(
                crate::store::ReleaseKind::Report,
                planned_filter,
                cutoff,
                Some(staff.user.id.clone()),
            ));
        }
    }
    Ok(view)
}
