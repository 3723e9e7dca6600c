//! Downloads from the staff area: every format of the export registry
//! ([`export::Format`]) at `/admin/surveys/ID/export/NAME`, with the privacy the user's
//! role allows, audited and (for evaluators) recorded as a release; the anonymization
//! report; and the refusal page when an anonymized export cannot be made as it is.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use time::OffsetDateTime;

use super::Staff;
use super::release_lease::ReleaseLease;
use super::surveys::visible_survey;
use crate::export::{self, Format, Job, Privacy};
use crate::store::Status;
use crate::views::admin as views;
use crate::web::AppState;
use crate::web::error::AppError;
use crate::web::extract::Query;

/// Downloads of a survey's data.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys/{survey_id}/export.csv", get(export_csv))
        .route(
            "/admin/surveys/{survey_id}/anonymization-report.md",
            get(anonymization_report),
        )
        .route("/admin/surveys/{survey_id}/export/{format}", get(download))
        // The interview documents' first addresses, kept for links already shared.
        .route(
            "/admin/surveys/{survey_id}/interviews.md",
            get(async |s, st, Path(id), q| download_as(s, st, id, Format::InterviewsMd, q).await),
        )
        .route(
            "/admin/surveys/{survey_id}/interviews.txt",
            get(async |s, st, Path(id), q| download_as(s, st, id, Format::InterviewsTxt, q).await),
        )
        .route(
            "/admin/surveys/{survey_id}/interviews.csv",
            get(async |s, st, Path(id), q| download_as(s, st, id, Format::InterviewsCsv, q).await),
        )
}

/// The complete responses as CSV (`export.csv`): the registry's `csv`.
pub(super) async fn export_csv(
    state: State<AppState>,
    staff: Staff,
    Path(survey_id): Path<String>,
    query: Query<ExportQuery>,
) -> Result<Response, AppError> {
    download(state, staff, Path((survey_id, "csv".to_string())), query).await
}

/// A download in a fixed format (the interview documents' older addresses).
pub(super) async fn download_as(
    state: State<AppState>,
    staff: Staff,
    survey_id: String,
    format: Format,
    query: Query<ExportQuery>,
) -> Result<Response, AppError> {
    download(
        state,
        staff,
        Path((survey_id, format.name().to_string())),
        query,
    )
    .await
}

/// One format of the registry, like `anketa export --format NAME`, with
/// `?status=complete|partial|all`. Researchers and admins get identified data unless they
/// ask for `?privacy=anonymized`; evaluators only ever get anonymized data
/// (`?accept_suppression=1` as on the command line); interview records come with
/// interviewer pseudonyms for evaluators. Every download is audited with its options.
pub(super) async fn download(
    State(state): State<AppState>,
    staff: Staff,
    Path((survey_id, name)): Path<(String, String)>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let survey = visible_survey(&state, &staff, &survey_id)?.clone();
    let Some(format) = Format::from_name(&name).filter(|f| f.applies_to(survey.is_interview()))
    else {
        return Err(AppError::NotFound);
    };
    let spec = format.spec();
    if !spec.roles.contains(&staff.user.role) {
        return Err(AppError::NotFound);
    }
    let mut selection = query.selection();
    let privacy = match spec.job {
        Job::Codebook(_) => Privacy::Identified,
        // Interview records: interviewer pseudonyms for evaluators.
        Job::Interviews(_) => interview_privacy(&staff),
        Job::Responses(_) if survey.is_interview() => interview_privacy(&staff),
        Job::Responses(_) => {
            if staff.user.can_export_identified() && !query.anonymized() {
                Privacy::Identified
            } else {
                // Anonymized data always covers all complete responses (submitted before
                // the cutoff that the earlier releases allow, for evaluators).
                selection = export::Selection::default();
                match anonymized_for(&state, &staff, &survey, &mut selection, &query).await? {
                    Ok(a) => Privacy::Anonymized(std::sync::Arc::new(a)),
                    Err(refusal) => return Ok(refusal),
                }
            }
        }
    };
    let mut details = selection.audit_details();
    details["format"] = spec.name.into();
    if !matches!(spec.job, Job::Codebook(_)) {
        details["privacy"] = privacy.name().into();
    }
    if let Privacy::Anonymized(a) = &privacy {
        details["accept_suppression"] = query.accept_suppression().into();
        details["scrub_text"] = a.scrub_text.into();
        details["k"] = a.report.k.into();
        details["cells_blanked"] = a.report.outcome.cells_blanked().into();
        details["responses_left_out"] = a.report.outcome.dropped.into();
    }
    staff
        .actor()
        .audit(state.store(), "export", Some(&survey.id), None, details)
        .await?;
    let suffix = match (&spec.job, &privacy) {
        (Job::Codebook(_), _) | (_, Privacy::Identified) => String::new(),
        (_, p) => format!("-{}", p.name()),
    };
    let store = state.store().clone();
    let id = survey.id.clone();
    let data_file = format!("{id}{suffix}.csv");
    Ok(super::download(
        &format!("{id}{suffix}.{}", spec.suffix),
        spec.content_type,
        async move |mut sink| {
            match (spec.job, spec.companion) {
                (Job::Responses(layout), Some(companion)) => {
                    export::write_bundle(
                        &store, &id, layout, &selection, privacy, companion, &data_file, &mut sink,
                    )
                    .await
                }
                (Job::Responses(layout), None) => {
                    export::write_responses(&store, &id, layout, &selection, privacy, &mut sink)
                        .await
                }
                (Job::Codebook(format), _) => {
                    export::write_codebook(&store, &id, format, &mut sink).await
                }
                (Job::Interviews(format), _) => {
                    export::write_interviews(&store, &id, format, privacy, &mut sink).await
                }
            }
            .map(|_| ())
        },
    ))
}

/// The release an evaluator's anonymized export would be, checked against the earlier
/// releases of the survey (the growth rule of [`crate::disclosure::releases`]): two
/// exports that differ by fewer than k responses would show those responses' records by
/// difference, so an export stays at the last release's cutoff until k new responses have
/// come in, and is refused while responses it described were changed by fewer than k
/// (`Err`, in the staff area's words). Always a cutoff: the file given out holds exactly
/// the responses planned for (and recorded as released), not ones that arrive while it
/// is being written.
async fn export_release(
    state: &AppState,
    staff: &Staff,
    survey: &crate::survey::Survey,
) -> Result<Result<crate::store::Release, String>, AppError> {
    use crate::disclosure::releases::{Publication, Subject, to_millis};
    use futures_util::TryStreamExt;
    let store = state.store();
    let earlier = store.all_releases(&survey.id).await?;
    let subjects: Vec<Subject> = store
        .complete_responses(&survey.id)
        .try_filter_map(|r| async move { Ok(Subject::new(&r, false)) })
        .try_collect()
        .await?;
    // Exports and report views are planned against each other's releases, so the
    // stricter of their thresholds holds for both.
    let k = (survey.privacy.k as u64).max(state.plan_for(survey).min_cell);
    let publication = Publication {
        survey_id: &survey.id,
        earlier: &earlier,
        subjects: &subjects,
        threshold: k,
        now: to_millis(OffsetDateTime::now_utc()),
    };
    let user = Some(staff.user.id.clone());
    Ok(match publication.plan_whole() {
        Ok((cutoff, _)) => {
            Ok(publication.release(crate::store::ReleaseKind::Export, None, cutoff, user))
        }
        Err(changed) => Err(format!(
            "Responses in the last anonymized export or report view given out were set aside, deleted, changed or added with an earlier date since, and a new export would differ from it by at least {changed} response(s). Comparing the two would show their records, so the next export is available when it differs by at least {k}."
        )),
    })
}

/// The page explaining why no anonymized export was made, status 409.
fn refused(
    survey: &crate::survey::Survey,
    staff: &Staff,
    refusal: &views::anonymization::Refusal<'_>,
) -> Response {
    (
        axum::http::StatusCode::CONFLICT,
        views::anonymization::refused(survey, &staff.user, refusal),
    )
        .into_response()
}

/// Interview records: identified for researchers and admins; for evaluators with
/// interviewer pseudonyms and the guide's anonymization of the records.
fn interview_privacy(staff: &Staff) -> Privacy {
    if staff.user.can_export_identified() {
        Privacy::Identified
    } else {
        Privacy::WithoutIdentifiers
    }
}

/// An anonymized export of `selection` as this user may receive it, or the page saying
/// why not (status 409). Researchers and admins get it of the data as they are. For an
/// evaluator it is a release: planned against the earlier ones while holding the
/// survey's release lease, of the responses submitted before the cutoff that plan
/// allows (set in `selection`), and recorded. The page explaining a needed suppression
/// publishes counts of those responses too (the published values of each
/// quasi-identifier), so it is recorded like the export: two of them at different
/// moments would otherwise show one new respondent's values by difference.
async fn anonymized_for(
    state: &AppState,
    staff: &Staff,
    survey: &crate::survey::Survey,
    selection: &mut export::Selection,
    query: &ExportQuery,
) -> Result<Result<export::Anonymization, Response>, AppError> {
    let page = |e: export::ExportError| refused(survey, staff, &refusal_of(&e));
    if staff.user.can_export_identified() {
        return Ok(plan_anonymized(state, staff, survey, selection, query)
            .await?
            .map_err(page));
    }
    let _lease = ReleaseLease::take(state.store(), &survey.id).await?;
    let release = match export_release(state, staff, survey).await? {
        Ok(release) => release,
        Err(why) => {
            return Ok(Err(refused(
                survey,
                staff,
                &views::anonymization::Refusal::Other(why),
            )));
        }
    };
    selection.cutoff = Some(release.cutoff);
    let planned = plan_anonymized(state, staff, survey, selection, query).await?;
    if matches!(
        planned,
        Ok(_) | Err(export::ExportError::NeedsSuppression(_))
    ) {
        state.store().record_release(&release).await?;
    }
    Ok(planned.map_err(page))
}

/// Plan an anonymized export. `Err` inside: why it cannot be made as asked (k not
/// reachable without accepted suppression, too few responses, no pseudonym key, another
/// refusal of the anonymizer); outside: a failure.
async fn plan_anonymized(
    state: &AppState,
    staff: &Staff,
    survey: &crate::survey::Survey,
    selection: &export::Selection,
    query: &ExportQuery,
) -> Result<Result<export::Anonymization, export::ExportError>, AppError> {
    let survey_id = survey.id.as_str();
    let options = crate::anonymize::Options {
        k: None,
        key: state.settings().pseudonym_key.clone(),
        // Regex-redacted text still needs a person to read it: not for evaluators.
        scrub_text: query.scrub_text() && staff.user.can_export_identified(),
        accept_suppression: query.accept_suppression(),
        export_salt: String::new(),
        survey: state.survey(survey_id).cloned(),
    };
    match export::anonymize(
        state.store(),
        survey_id,
        selection,
        &options,
        OffsetDateTime::now_utc(),
    )
    .await
    {
        Ok(a) => Ok(Ok(a)),
        Err(
            e @ (export::ExportError::NeedsSuppression(_)
            | export::ExportError::TooFewToAnonymize { .. }
            | export::ExportError::Anonymize(_)),
        ) => Ok(Err(e)),
        Err(e) => Err(e.into()),
    }
}

/// Why an anonymized export was refused, for its page.
fn refusal_of(e: &export::ExportError) -> views::anonymization::Refusal<'_> {
    use views::anonymization::Refusal;
    match e {
        export::ExportError::NeedsSuppression(report) => Refusal::Suppression(report),
        export::ExportError::TooFewToAnonymize { responses, k, .. } => Refusal::TooFew {
            responses: *responses,
            k: *k,
        },
        export::ExportError::Anonymize(crate::anonymize::AnonymizeError::NeedsKey(_)) => {
            Refusal::NoKey
        }
        other => Refusal::Other(other.to_string()),
    }
}

/// What an anonymized export of the survey would do (the report, as Markdown), with
/// suppression accepted: for deciding whether to accept it. For an evaluator it describes
/// the export they would receive, a release like it ([`anonymized_for`]).
pub(super) async fn anonymization_report(
    State(state): State<AppState>,
    staff: Staff,
    Path(survey_id): Path<String>,
    Query(mut query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let survey = visible_survey(&state, &staff, &survey_id)?.clone();
    if survey.is_interview() {
        return Err(AppError::NotFound);
    }
    query.accept_suppression = Some("1".into());
    let mut selection = export::Selection::default();
    match anonymized_for(&state, &staff, &survey, &mut selection, &query).await? {
        Err(refusal) => Ok(refusal),
        Ok(a) => Ok((
            [(
                axum::http::header::CONTENT_TYPE,
                "text/markdown; charset=utf-8",
            )],
            a.report.markdown(),
        )
            .into_response()),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ExportQuery {
    status: Option<String>,
    privacy: Option<String>,
    accept_suppression: Option<String>,
    scrub_text: Option<String>,
}

impl ExportQuery {
    fn selection(&self) -> export::Selection {
        export::Selection {
            status: match self.status.as_deref() {
                Some("partial") => Some(Status::InProgress),
                Some("all") => None,
                _ => Some(Status::Complete),
            },
            ..Default::default()
        }
    }

    fn anonymized(&self) -> bool {
        self.privacy.as_deref() == Some("anonymized")
    }

    fn accept_suppression(&self) -> bool {
        self.accept_suppression.as_deref() == Some("1")
    }

    fn scrub_text(&self) -> bool {
        self.scrub_text.as_deref() == Some("1")
    }
}
