//! Complete responses, streamed one at a time in one of three layouts: wide CSV (one row
//! per response, one column per variable), long CSV (`response_id, variable, value`, one
//! row per non-empty value) and JSON lines (one object per response). Values are the
//! stable codes; CSV is UTF-8 and RFC 4180 (CRLF line ends, quotes only where needed).

use futures_util::TryStreamExt;
use time::format_description::well_known::Rfc3339;

use super::layouts::{LONG_COLUMNS, Layout, Out};
use super::xlsx::ColumnKind;
use super::{ChunkSink, ExportError, ExportSummary, Privacy, Selection, survey_versions};
use crate::anonymize::{Redactions, Source, Tuple};
use crate::response_filter::Filter;
use crate::store::{ExportedResponse, Status, Store};
use crate::survey::expr::ValueType;
use crate::survey::variables::{Part, Variable, merged_variables, write_cell};
use crate::survey::{Answer, Survey};

/// The columns before the variables.
pub const FIXED_COLUMNS: [&str; 4] = ["response_id", "survey_version", "submitted_at", "language"];

/// The wide CSV (what `--format csv` writes).
pub async fn write_csv(
    store: &Store,
    survey_id: &str,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    write_responses(
        store,
        survey_id,
        Layout::Wide,
        &Selection::default(),
        privacy,
        sink,
    )
    .await
}

/// The identified columns of a response export: fixed ones, invitation columns, variables.
pub(super) struct Columns {
    pub fixed: Vec<&'static str>,
    pub attributes: Vec<String>,
    pub variables: Vec<Variable>,
}

impl Columns {
    /// With `everything`, every invitation column and every variable; otherwise the
    /// columns of an export without identifiers.
    pub async fn load(
        store: &Store,
        survey_id: &str,
        versions: &[Survey],
        selection: &Selection,
        everything: bool,
    ) -> Result<Columns, ExportError> {
        // With responses in progress included, a status column says which is which.
        let fixed: Vec<&'static str> = match selection.status {
            Some(Status::Complete) => FIXED_COLUMNS.to_vec(),
            _ => FIXED_COLUMNS
                .iter()
                .copied()
                .chain(["response_status"])
                .collect(),
        };
        let variables = merged_variables(versions)
            .into_iter()
            .filter(|v| everything || !v.free_text)
            .collect();
        let attributes = if everything {
            store.invitation_attribute_names(survey_id).await?
        } else {
            Vec::new()
        };
        Ok(Columns {
            fixed,
            attributes,
            variables,
        })
    }

    pub fn header(&self) -> Vec<String> {
        self.fixed
            .iter()
            .map(|c| c.to_string())
            .chain(self.attributes.iter().map(|a| format!("invitation.{a}")))
            .chain(self.variables.iter().map(|v| v.name.clone()))
            .collect()
    }

    /// Where each column comes from, for the anonymizer.
    pub fn sources(&self) -> Vec<Source<'_>> {
        self.fixed
            .iter()
            .map(|c| Source::Fixed(c))
            .chain(self.attributes.iter().map(|a| Source::Invitation(a)))
            .chain(self.variables.iter().map(Source::Variable))
            .collect()
    }

    /// What each column holds (JSON numbers, XLSX cell types): numbers, ratings, ticks
    /// and ranks are numbers; the submission time and date answers are dates.
    fn kinds(&self, versions: &[Survey]) -> Vec<ColumnKind> {
        self.fixed
            .iter()
            .map(|c| match *c {
                "submitted_at" => ColumnKind::DateTime,
                _ => ColumnKind::Text,
            })
            .chain(self.attributes.iter().map(|_| ColumnKind::Text))
            .chain(self.variables.iter().map(|v| {
                let kind = versions
                    .iter()
                    .find_map(|s| s.question(&v.question))
                    .map(|q| &q.kind);
                match (&v.part, kind) {
                    (Part::Option(_) | Part::Rank(_) | Part::Points(_), _) => ColumnKind::Number,
                    // A matrix row holds the code chosen; "other" what was typed.
                    (Part::Row(_) | Part::OtherText, _) | (Part::Value, None) => ColumnKind::Text,
                    // As the question reads in conditions: numbers (numbers, ratings)
                    // and dates are typed; codes, texts and flags are text.
                    (Part::Value, Some(kind)) => match kind.rules().value_type() {
                        ValueType::Number => ColumnKind::Number,
                        ValueType::Date => ColumnKind::Date,
                        ValueType::Bool
                        | ValueType::Text
                        | ValueType::Choice { .. }
                        | ValueType::Set { .. }
                        | ValueType::Matrix
                        | ValueType::Points
                        | ValueType::NoValue
                        | ValueType::Unknown => ColumnKind::Text,
                    },
                }
            }))
            .collect()
    }

    /// The identified record of a response (`id`: what goes in `response_id`), written
    /// into `record`'s strings (kept between calls: no allocation per cell once warm).
    pub fn record(&self, r: &ExportedResponse, id: &str, record: &mut Vec<String>) {
        let width = self.fixed.len() + self.attributes.len() + self.variables.len();
        record.resize_with(width, String::new);
        record.iter_mut().for_each(String::clear);
        let mut cells = record.iter_mut();
        let mut next = || cells.next().expect("record has a cell per column");
        next().push_str(id);
        next().push_str(&r.survey_version);
        if let Some(t) = r.submitted_at {
            next().push_str(&t.format(&Rfc3339).unwrap_or_default());
        } else {
            next();
        }
        next().push_str(r.language.code());
        if self.fixed.len() > FIXED_COLUMNS.len() {
            next().push_str(r.status.as_str());
        }
        for a in &self.attributes {
            let cell = next();
            if let Some(value) = r.invitation.as_ref().and_then(|i| i.get(a)) {
                cell.push_str(value);
            }
        }
        // A question's variables are consecutive: one lookup for all of them.
        let mut current: Option<(&str, Option<&Answer>)> = None;
        for v in &self.variables {
            let answer = match current {
                Some((question, answer)) if question == v.question => answer,
                _ => {
                    let answer = r.answers.get(&v.question);
                    current = Some((&v.question, answer));
                    answer
                }
            };
            write_cell(v, answer, next());
        }
    }
}

/// The `--where` conditions, checked against the survey and its invitation columns.
pub(super) async fn parse_wheres(
    store: &Store,
    survey_id: &str,
    newest: &Survey,
    selection: &Selection,
) -> Result<Vec<Filter>, ExportError> {
    let wheres = selection
        .wheres
        .iter()
        .map(|(k, v)| {
            Filter::parse(newest, k, v).ok_or_else(|| ExportError::UnknownFilter(k.clone()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if wheres
        .iter()
        .any(|f| matches!(f, Filter::Invitation { .. }))
    {
        let known = store.invitation_attribute_names(survey_id).await?;
        for f in &wheres {
            if let Filter::Invitation { column, .. } = f
                && !known.contains(column)
            {
                return Err(ExportError::UnknownFilter(format!("invitation.{column}")));
            }
        }
    }
    Ok(wheres)
}

pub async fn write_responses(
    store: &Store,
    survey_id: &str,
    layout: Layout,
    selection: &Selection,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    match &privacy {
        // An anonymized export is spooled and only handed on once the second pass has
        // confirmed k: a failed check never leaves part of the data behind.
        Privacy::Anonymized(_) => {
            let mut spool = super::Spool::new()?;
            let summary =
                write_rows(store, survey_id, layout, selection, privacy, &mut spool).await?;
            spool.copy_to(sink).await?;
            Ok(summary)
        }
        _ => write_rows(store, survey_id, layout, selection, privacy, sink).await,
    }
}

async fn write_rows(
    store: &Store,
    survey_id: &str,
    layout: Layout,
    selection: &Selection,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let anonymized = match &privacy {
        Privacy::Anonymized(a) => Some(a.clone()),
        _ => None,
    };
    let loaded;
    let versions: &[Survey] = match &anonymized {
        Some(a) => &a.versions,
        None => {
            loaded = survey_versions(store, survey_id).await?;
            &loaded
        }
    };
    if versions[0].is_interview() {
        if !matches!(layout, Layout::Wide | Layout::WideOneLine) {
            return Err(ExportError::InterviewGuideLayout(survey_id.to_string()));
        }
        // A guide's "responses" are its interviews: one row each, with paradata.
        return super::write_interviews(
            store,
            survey_id,
            super::InterviewFormat::WideCsv,
            privacy,
            sink,
        )
        .await;
    }
    // An anonymized export reads exactly what its plan was made from.
    let selection = anonymized.as_ref().map_or(selection, |a| &a.selection);
    let identified = matches!(privacy, Privacy::Identified);
    let wheres = parse_wheres(store, survey_id, &versions[0], selection).await?;
    let built;
    let columns: &Columns = match &anonymized {
        Some(a) => &a.columns,
        None => {
            built = Columns::load(store, survey_id, versions, selection, identified).await?;
            &built
        }
    };
    let mut kinds = columns.kinds(versions);
    let mut header = columns.header();
    let mut entries = super::codebook::entries(versions);
    if let Some(a) = &anonymized {
        header = a.anonymizer.header();
        kinds = a
            .anonymizer
            .origins()
            .iter()
            .enumerate()
            .map(|(i, &from)| {
                if a.anonymizer.is_coarsened(i) {
                    ColumnKind::Text
                } else {
                    kinds[from]
                }
            })
            .collect();
        entries = a.codebook(entries);
    }
    numeric_codes(&header, &mut kinds, &entries);
    let first = if anonymized.is_some() && layout == Layout::Long {
        "pseudonym"
    } else {
        LONG_COLUMNS[0]
    };
    let mut out = Out::start(
        layout,
        versions[0].title.get(versions[0].default_language()),
        &header,
        &kinds,
        &entries,
        first,
        sink,
    )
    .await?;
    // Which published column each identified column's "asked" flag goes to.
    let asked_plan = out
        .wants_asked()
        .then(|| AskedPlan::new(columns, versions, anonymized.as_deref()));
    let mut asked = Vec::new();
    let filter = selection.store_filter();
    let mut rows = store.export_responses(survey_id, &filter);
    let mut count = 0;
    let mut record = Vec::with_capacity(header.len());
    let mut published_classes: std::collections::HashMap<Tuple, u64> = Default::default();
    let mut redactions = Redactions::default();
    while let Some(r) = rows.try_next().await? {
        if !wheres
            .iter()
            .all(|f| f.matches(&versions[0], &r.answers, r.invitation.as_ref()))
        {
            continue;
        }
        if let Some(a) = &anonymized {
            columns.record(&r, &r.id, &mut record);
            let Some(published) = a.plan.apply(&a.anonymizer.quasi_tuple(&record)) else {
                continue;
            };
            count += 1;
            let (anonymous, n) = a.anonymizer.transform(&record, &published, count);
            redactions.add(n);
            *published_classes.entry(published).or_insert(0) += 1;
            record = anonymous;
        } else {
            count += 1;
            if identified {
                columns.record(&r, &r.id, &mut record);
            } else {
                columns.record(&r, &count.to_string(), &mut record);
            }
        }
        if let Some(plan) = &asked_plan {
            plan.fill(columns, versions, &r, &mut asked);
        }
        out.record(&header, &kinds, &record, &asked, sink).await?;
    }
    out.finish(&entries, sink).await?;
    let report = match &anonymized {
        Some(a) => {
            // Responses deleted, flagged or changed between the plan and this pass can
            // shrink a group below k: then this export must not be used.
            if published_classes
                .values()
                .any(|&n| n < a.anonymizer.k as u64)
            {
                return Err(ExportError::ChangedDuringExport);
            }
            Some(a.anonymizer.report(survey_id, a.plan.outcome(), redactions))
        }
        None => None,
    };
    Ok(ExportSummary {
        responses: count,
        unit: match selection.status {
            Some(crate::store::Status::Complete) => "complete response(s)",
            Some(crate::store::Status::InProgress) => "unfinished response(s)",
            None => "response(s) (complete and unfinished)",
        },
        report,
    })
}

/// Columns whose codebook codes are all numbers (a Likert item `1`..`5`, yes/no `1`/`0`)
/// hold numbers: XLSX, JSON and the statistics files write them as numbers.
fn numeric_codes(header: &[String], kinds: &mut [ColumnKind], entries: &[super::CodebookEntry]) {
    for (name, kind) in header.iter().zip(kinds.iter_mut()) {
        let Some(e) = entries.iter().find(|e| &e.variable == name) else {
            continue;
        };
        let numeric = !e.values.is_empty()
            && !e.free_text
            // Every value is a `code = label` pair...
            && e.pairs().count() == e.values.len()
            // ...whose code is a number that writes back as the code: "007" and "01"
            // stay text (their leading zeros matter, and "1" and "01" would meet).
            && e.pairs().all(|(c, _)| {
                c.parse::<f64>()
                    .is_ok_and(|n| n.is_finite() && n.to_string() == c)
            });
        if *kind == ColumnKind::Text && numeric {
            *kind = ColumnKind::Number;
        }
    }
}

/// Which published cells skip logic did not ask: for each published column, the variable
/// it shows when "not asked" may be told apart from "no answer". In an anonymized export
/// only where the question's conditions read answers that are published unchanged (a
/// condition on a quasi-identifier or a dropped answer would otherwise tell what the
/// export hides), and the question is in every version (versions are quasi-identifiers).
struct AskedPlan {
    variables: Vec<Option<usize>>,
}

impl AskedPlan {
    fn new(
        columns: &Columns,
        versions: &[Survey],
        anonymized: Option<&super::Anonymization>,
    ) -> AskedPlan {
        let offset = columns.fixed.len() + columns.attributes.len();
        let variables = match anonymized {
            None => (0..offset + columns.variables.len())
                .map(|i| i.checked_sub(offset))
                .collect(),
            Some(a) => a
                .anonymizer
                .origins()
                .into_iter()
                .map(|from| {
                    from.checked_sub(offset)
                        .filter(|&v| distinguishable(columns, versions, a, v))
                })
                .collect(),
        };
        AskedPlan { variables }
    }

    /// `out[i]`: whether published column `i` was asked of response `r` (true where it
    /// cannot be told).
    fn fill(
        &self,
        columns: &Columns,
        versions: &[Survey],
        r: &ExportedResponse,
        out: &mut Vec<bool>,
    ) {
        let survey = versions
            .iter()
            .find(|s| s.version == r.survey_version)
            .unwrap_or(&versions[0]);
        out.clear();
        out.extend(
            self.variables.iter().map(|v| {
                v.is_none_or(|v| asked(survey, &columns.variables[v].question, &r.answers))
            }),
        );
    }
}

/// Whether an anonymized export may tell "not asked" from "no answer" for variable `v`:
/// its question is in every version with the same conditions (else the mask would tell
/// the exact version, which the export only publishes as its question set), and those
/// conditions read only answers published unchanged.
fn distinguishable(
    columns: &Columns,
    versions: &[Survey],
    a: &super::Anonymization,
    v: usize,
) -> bool {
    let question = &columns.variables[v].question;
    let plain = |referenced: &str| {
        let mut names = columns
            .variables
            .iter()
            .filter(|o| o.question == referenced)
            .peekable();
        names.peek().is_some() && names.all(|o| a.anonymizer.publishes_plainly(&o.name))
    };
    let mut conditions = versions.iter().map(|s| {
        s.pages.iter().find_map(|p| {
            let q = p.questions.iter().find(|q| &q.id == question)?;
            Some(p.show_if.iter().chain(&q.show_if).collect::<Vec<_>>())
        })
    });
    let Some(Some(first)) = conditions.next() else {
        return false;
    };
    let sources = |c: &[&crate::survey::model::Condition]| -> Vec<String> {
        c.iter().map(|c| c.source.clone()).collect()
    };
    let first_sources = sources(&first);
    conditions.all(|c| c.is_some_and(|c| sources(&c) == first_sources))
        && first
            .iter()
            .flat_map(|c| c.expr.references())
            .all(|(r, _, _)| plain(r))
}

/// Whether skip logic asked `question` of a respondent with these answers (false when
/// their survey version has no such question).
fn asked(survey: &Survey, question: &str, answers: &crate::survey::Answers) -> bool {
    survey.pages.iter().enumerate().any(|(i, page)| {
        page.questions.iter().any(|q| {
            q.id == question
                && crate::survey::flow::page_applies(survey, i, answers)
                && crate::survey::form::is_shown(q, answers)
        })
    })
}
