//! The audit log as CSV, streamed oldest first. Cells that a spreadsheet would run as a
//! formula (an e-mail address typed at a failed sign-in is attacker-controlled) are
//! neutralised with a leading apostrophe.

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
        let text = |o: Option<String>| spreadsheet_safe(o.unwrap_or_default());
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

/// Text a spreadsheet would not evaluate: cells starting with `= + - @`, a tab or a
/// carriage return get a leading apostrophe (the OWASP advice for CSV injection).
pub fn spreadsheet_safe(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::spreadsheet_safe;

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_kept() {
        for (given, kept) in [
            (
                "=HYPERLINK(\"http://evil\")",
                "'=HYPERLINK(\"http://evil\")",
            ),
            ("+420 777 123 456", "'+420 777 123 456"),
            ("-1+1", "'-1+1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("eva@example.cz", "eva@example.cz"),
            ("", ""),
            ("127.0.0.1", "127.0.0.1"),
        ] {
            assert_eq!(spreadsheet_safe(given.to_string()), kept);
        }
    }
}
