//! Preparing an anonymized export: the first of its two passes. It reads the selected
//! responses once, collecting only their quasi-identifier tuples (memory grows with the
//! number of distinct tuples, not with the data), plans the suppression that makes the
//! data k-anonymous, and refuses if suppression is needed and was not accepted. The
//! second pass is the ordinary export loop, applying the plan (see `responses.rs`).

use std::collections::HashMap;

use futures_util::TryStreamExt;
use time::OffsetDateTime;

use super::codebook::Entry;
use super::responses::Columns;
use super::{ExportError, Narrowing, Selection, survey_versions};
use crate::anonymize::{Anonymizer, Options, Plan, Report, kanon};
use crate::store::Store;
use crate::survey::Survey;
use crate::survey::model::PrivacyClass;

/// A planned anonymized export of one survey.
pub struct Anonymization {
    /// The stored versions and the columns the plan was made with: the second pass
    /// writes exactly these, whatever is added to the database in between.
    pub(super) versions: Vec<Survey>,
    pub(super) columns: Columns,
    pub(super) anonymizer: Anonymizer,
    pub(super) plan: Plan,
    /// The selection the plan was made for, ending when the plan was made.
    pub(super) selection: Selection,
    /// The report as planned (typed-text redactions are counted while writing).
    pub report: Report,
    /// Whether redacted typed text is published.
    pub scrub_text: bool,
}

impl Anonymization {
    /// The published columns an anonymized export coarsened (a month, a band).
    pub fn coarsened_columns(&self) -> Vec<String> {
        self.anonymizer
            .header()
            .into_iter()
            .enumerate()
            .filter(|(i, _)| self.anonymizer.is_coarsened(*i))
            .map(|(_, name)| name)
            .collect()
    }

    /// The export covers the complete responses submitted before this.
    pub fn cutoff(&self) -> Option<time::OffsetDateTime> {
        self.selection.cutoff
    }
}

/// Plan an anonymized export: fails with [`ExportError::NeedsSuppression`] if reaching k
/// needs cells blanked or responses left out and `options` does not accept it.
pub async fn anonymize(
    store: &Store,
    survey_id: &str,
    selection: &Selection,
    options: &Options,
    now: OffsetDateTime,
) -> Result<Anonymization, ExportError> {
    let versions = survey_versions(store, survey_id).await?;
    if versions[0].is_interview() || options.survey.as_ref().is_some_and(|s| s.is_interview()) {
        return Err(ExportError::InterviewNotAnonymizable(survey_id.to_string()));
    }
    // Every anonymized export covers the same population: two exports planned for
    // different subsets could be joined into groups smaller than k.
    let narrowed = [
        (
            selection.status != Some(crate::store::Status::Complete),
            Narrowing::Status,
        ),
        (
            selection.from.is_some() || selection.to.is_some(),
            Narrowing::Period,
        ),
        (selection.version.is_some(), Narrowing::Version),
        (!selection.wheres.is_empty(), Narrowing::Filter),
    ];
    if let Some(&(_, narrowing)) = narrowed.iter().find(|(set, _)| *set) {
        return Err(ExportError::FilterWithAnonymize(narrowing));
    }
    let mut options = options.clone();
    if options.export_salt.is_empty() {
        options.export_salt = uuid::Uuid::new_v4().to_string();
    }
    let options = &options;
    let mut selection = selection.clone();
    // Responses submitted after the plan was made are not in it: leave them out of both
    // passes.
    selection.cutoff = Some(selection.cutoff.map_or(now, |c| c.min(now)));
    let columns = Columns::load(store, survey_id, &versions, &selection, true).await?;
    let rules = &options.survey.as_deref().unwrap_or(&versions[0]).privacy;
    let identifier_columns: Vec<String> = columns
        .attributes
        .iter()
        .filter(|a| rules.invitation_class(a) == PrivacyClass::Identifier)
        .cloned()
        .collect();
    let people = store
        .invitation_values(survey_id, &identifier_columns)
        .await?;
    let anonymizer = Anonymizer::new(&versions, &columns.sources(), options, &people)?;
    let mut counts: HashMap<kanon::Tuple, u64> = HashMap::new();
    let mut record = Vec::new();
    let mut rows = store.export_responses(survey_id, &selection.store_filter());
    // No `--where` conditions to apply: they are refused above.
    while let Some(r) = rows.try_next().await? {
        columns.record(&r, &r.id, &mut record);
        *counts.entry(anonymizer.quasi_tuple(&record)).or_insert(0) += 1;
    }
    drop(rows);
    let total: u64 = counts.values().sum();
    if total < anonymizer.k as u64 {
        return Err(ExportError::TooFewToAnonymize {
            survey: survey_id.to_string(),
            responses: total,
            k: anonymizer.k,
        });
    }
    let plan = kanon::plan(&counts, anonymizer.k, &anonymizer.keep_ranks());
    let report = anonymizer.report(survey_id, plan.outcome(), Default::default());
    if !report.outcome.untouched() && !anonymizer.accept_suppression {
        return Err(ExportError::NeedsSuppression(Box::new(report)));
    }
    if report.outcome.dropped == report.outcome.records {
        return Err(ExportError::NeedsSuppression(Box::new(report)));
    }
    Ok(Anonymization {
        versions,
        columns,
        anonymizer,
        plan,
        selection,
        report,
        scrub_text: options.scrub_text,
    })
}

impl std::fmt::Debug for Anonymization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Anonymization")
            .field("survey", &self.report.survey_id)
            .field("k", &self.report.k)
            .finish_non_exhaustive()
    }
}

impl Anonymization {
    /// The codebook of the published columns: dropped variables left out, coarsened ones
    /// with the rule and the values it gives instead of the question's codes.
    pub fn codebook(&self, entries: Vec<Entry>) -> Vec<Entry> {
        let header = self.anonymizer.header();
        header
            .iter()
            .enumerate()
            .filter_map(|(i, name)| {
                let mut e = entries.iter().find(|e| &e.variable == name)?.clone();
                if let Some((rule, values)) = self.anonymizer.coarse_values(i) {
                    e.kind = "text".into();
                    e.values = values.iter().map(|v| format!("{v} = {v}")).collect();
                    e.condition = if e.condition.is_empty() {
                        format!("coarsened: {rule}")
                    } else {
                        format!("{}; coarsened: {rule}", e.condition)
                    };
                }
                Some(e)
            })
            .collect()
    }
}
