//! The audit log as CSV, streamed oldest first. Cells that a spreadsheet would run as a
//! formula (an e-mail address typed at a failed sign-in is attacker-controlled) are
//! neutralised with a leading apostrophe, as in every CSV ([`super::formula`]).

use futures_util::TryStreamExt;
use time::format_description::well_known::Rfc3339;

use super::{ChunkSink, ChunkedCsv, ExportError};
use crate::store::Store;

pub const AUDIT_COLUMNS: [&str; 8] = [
    "at",
    "actor_id",
    "actor_email",
    "action",
    "survey_id",
    "target",
    "details",
    "ip",
];

/// Write the whole audit log; returns the number of entries.
pub async fn write_audit_csv(store: &Store, sink: &mut impl ChunkSink) -> Result<u64, ExportError> {
    let mut out = ChunkedCsv::new();
    out.write(AUDIT_COLUMNS, sink).await?;
    let mut entries = store.audit_all();
    let mut count = 0;
    while let Some(e) = entries.try_next().await? {
        count += 1;
        let text = |o: Option<String>| o.unwrap_or_default();
        let record = [
            e.at.format(&Rfc3339).unwrap_or_default(),
            text(e.actor_id),
            text(e.actor_email),
            text(Some(e.action)),
            text(e.survey_id),
            text(e.target),
            e.details.to_string(),
            text(e.ip),
        ];
        out.write(&record, sink).await?;
    }
    out.finish(sink).await?;
    Ok(count)
}
