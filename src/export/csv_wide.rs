//! Wide CSV: one row per complete response, one column per variable, values as codes.
//! UTF-8, RFC 4180 (CRLF line ends, quotes only where needed).

use futures_util::TryStreamExt;
use time::format_description::well_known::Rfc3339;

use super::{ChunkSink, ChunkedCsv, ExportError, ExportSummary, Privacy, survey_versions};
use crate::store::Store;
use crate::survey::variables::{cell, merged_variables};

/// The columns before the variables.
pub const FIXED_COLUMNS: [&str; 4] = ["response_id", "survey_version", "submitted_at", "language"];

pub async fn write_csv(
    store: &Store,
    survey_id: &str,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let versions = survey_versions(store, survey_id).await?;
    if versions[0].is_interview() {
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
    let identified = privacy == Privacy::Identified;
    let variables: Vec<_> = merged_variables(&versions)
        .into_iter()
        .filter(|v| identified || !v.free_text)
        .collect();
    let attributes = if identified {
        store.invitation_attribute_names(survey_id).await?
    } else {
        Vec::new()
    };
    let mut out = ChunkedCsv::new();
    let header = FIXED_COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(attributes.iter().map(|a| format!("invitation.{a}")))
        .chain(variables.iter().map(|v| v.name.clone()));
    out.write(header, sink).await?;
    let mut rows = store.complete_responses(survey_id);
    let mut count = 0;
    let mut record = Vec::with_capacity(FIXED_COLUMNS.len() + attributes.len() + variables.len());
    while let Some(r) = rows.try_next().await? {
        count += 1;
        record.clear();
        let submitted = r
            .submitted_at
            .map(|t| t.format(&Rfc3339).unwrap_or_default())
            .unwrap_or_default();
        let id = if identified { r.id } else { count.to_string() };
        record.extend([
            id,
            r.survey_version,
            submitted,
            r.language.code().to_string(),
        ]);
        record.extend(attributes.iter().map(|a| {
            r.invitation
                .as_ref()
                .and_then(|i| i.get(a))
                .cloned()
                .unwrap_or_default()
        }));
        record.extend(variables.iter().map(|v| cell(v, &r.answers)));
        out.write(&record, sink).await?;
    }
    out.finish(sink).await?;
    Ok(ExportSummary {
        responses: count,
        unit: "complete response(s)",
    })
}
