//! Complete responses, streamed one at a time in one of three layouts: wide CSV (one row
//! per response, one column per variable), long CSV (`response_id, variable, value`, one
//! row per non-empty value) and JSON lines (one object per response). Values are the
//! stable codes; CSV is UTF-8 and RFC 4180 (CRLF line ends, quotes only where needed).

use futures_util::TryStreamExt;
use time::format_description::well_known::Rfc3339;

use super::xlsx::{ColumnKind, XlsxOut};
use super::{
    ChunkSink, ChunkedCsv, ExportError, ExportSummary, Privacy, Selection, survey_versions,
};
use crate::response_filter::Filter;
use crate::store::Status;
use crate::store::Store;
use crate::survey::QuestionKind;
use crate::survey::variables::{Part, cell, merged_variables};

/// The long layout's header.
pub const LONG_COLUMNS: [&str; 3] = ["response_id", "variable", "value"];

/// The columns before the variables.
pub const FIXED_COLUMNS: [&str; 4] = ["response_id", "survey_version", "submitted_at", "language"];

/// How responses are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Wide,
    Long,
    JsonLines,
    /// An XLSX workbook: the wide layout as a data sheet, plus the codebook.
    Xlsx,
}

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

pub async fn write_responses(
    store: &Store,
    survey_id: &str,
    layout: Layout,
    selection: &Selection,
    privacy: Privacy,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let versions = survey_versions(store, survey_id).await?;
    if versions[0].is_interview() {
        if !matches!(layout, Layout::Wide) {
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
    let identified = privacy == Privacy::Identified;
    let wheres = selection
        .wheres
        .iter()
        .map(|(k, v)| {
            Filter::parse(&versions[0], k, v).ok_or_else(|| ExportError::UnknownFilter(k.clone()))
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
    // With responses in progress included, a status column says which is which.
    let fixed: Vec<&str> = match selection.status {
        Some(Status::Complete) => FIXED_COLUMNS.to_vec(),
        _ => FIXED_COLUMNS
            .iter()
            .copied()
            .chain(["response_status"])
            .collect(),
    };
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
    let header: Vec<String> = fixed
        .iter()
        .map(|c| c.to_string())
        .chain(attributes.iter().map(|a| format!("invitation.{a}")))
        .chain(variables.iter().map(|v| v.name.clone()))
        .collect();
    // What each column holds (JSON numbers, XLSX cell types): numbers, ratings, ticks and
    // ranks are numbers; the submission time and date answers are dates.
    let kinds: Vec<ColumnKind> = fixed
        .iter()
        .map(|c| match *c {
            "submitted_at" => ColumnKind::DateTime,
            _ => ColumnKind::Text,
        })
        .chain(attributes.iter().map(|_| ColumnKind::Text))
        .chain(variables.iter().map(|v| {
            let kind = versions
                .iter()
                .find_map(|s| s.question(&v.question))
                .map(|q| &q.kind);
            match (&v.part, kind) {
                (Part::Option(_) | Part::Rank(_), _) => ColumnKind::Number,
                (Part::Value, Some(QuestionKind::Number { .. } | QuestionKind::Rating { .. })) => {
                    ColumnKind::Number
                }
                (Part::Value, Some(QuestionKind::Date { .. })) => ColumnKind::Date,
                _ => ColumnKind::Text,
            }
        }))
        .collect();
    let mut xlsx = match layout {
        Layout::Xlsx => Some(XlsxOut::new(&header, kinds.clone())?),
        _ => None,
    };
    match layout {
        Layout::Wide => out.write(&header, sink).await?,
        Layout::Long => out.write(LONG_COLUMNS, sink).await?,
        Layout::JsonLines | Layout::Xlsx => {}
    }
    let mut json = Vec::with_capacity(64 * 1024);
    let filter = selection.store_filter();
    let mut rows = store.export_responses(survey_id, &filter);
    let mut count = 0;
    let mut record = Vec::with_capacity(FIXED_COLUMNS.len() + attributes.len() + variables.len());
    while let Some(r) = rows.try_next().await? {
        if !wheres
            .iter()
            .all(|f| f.matches(&versions[0], &r.answers, r.invitation.as_ref()))
        {
            continue;
        }
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
        if fixed.len() > FIXED_COLUMNS.len() {
            record.push(r.status.as_str().to_string());
        }
        record.extend(attributes.iter().map(|a| {
            r.invitation
                .as_ref()
                .and_then(|i| i.get(a))
                .cloned()
                .unwrap_or_default()
        }));
        record.extend(variables.iter().map(|v| cell(v, &r.answers)));
        match layout {
            Layout::Wide => out.write(&record, sink).await?,
            Layout::Long => {
                for (name, value) in header.iter().zip(&record).skip(1) {
                    if !value.is_empty() {
                        out.write([record[0].as_str(), name, value], sink).await?;
                    }
                }
            }
            Layout::JsonLines => {
                let object: serde_json::Map<String, serde_json::Value> = header
                    .iter()
                    .zip(&record)
                    .zip(&kinds)
                    .filter(|((_, value), _)| !value.is_empty())
                    .map(|((name, value), &kind)| {
                        let v = match value.parse::<f64>() {
                            Ok(n) if kind == ColumnKind::Number => serde_json::json!(n),
                            _ => serde_json::Value::String(value.clone()),
                        };
                        (name.clone(), v)
                    })
                    .collect();
                serde_json::to_writer(&mut json, &object).map_err(std::io::Error::other)?;
                json.push(b'\n');
                if json.len() >= 64 * 1024 {
                    sink.send(std::mem::take(&mut json)).await?;
                }
            }
            Layout::Xlsx => {
                if let Some(x) = &mut xlsx {
                    x.row(&record)?;
                }
            }
        }
    }
    match (layout, xlsx) {
        (Layout::JsonLines, _) => sink.send(json).await?,
        (Layout::Xlsx, Some(x)) => x.finish(&super::codebook::entries(&versions), sink).await?,
        _ => out.finish(sink).await?,
    }
    Ok(ExportSummary {
        responses: count,
        unit: "complete response(s)",
    })
}
