//! `anketa invite`: personal invitation links from a CSV of people. Each row gets a
//! random token (only its hash is stored) and a reserved response; the row's columns
//! are kept as the invitation's attributes (they fill `hidden` questions whose `param`
//! names a column, and go into exports).

use std::collections::BTreeMap;
use std::io::Read;

use time::OffsetDateTime;

use crate::store::{NewInvitation, Store, StoreError};
use crate::survey::Survey;
use crate::survey::model::Access;
use crate::tokens;

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error(
        "survey \"{0}\" is not a token survey: set access = \"token\" in its file to use invitations"
    )]
    NotTokenSurvey(String),
    #[error("{file}: {message}")]
    Csv { file: String, message: String },
    #[error("the base URL {0:?} must start with http:// or https://")]
    BadBaseUrl(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Invitations ready to store, with the rows to hand back (original columns + `link`).
pub struct Prepared {
    pub invitations: Vec<NewInvitation>,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Read the people CSV and create a token per row. Rows that are entirely blank are
/// skipped; anything malformed is an error naming the line.
pub fn prepare(
    survey: &Survey,
    file: &str,
    input: impl Read,
    base_url: &str,
) -> Result<Prepared, InviteError> {
    if survey.access != Access::Token {
        return Err(InviteError::NotTokenSurvey(survey.id.clone()));
    }
    let base = base_url.trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(InviteError::BadBaseUrl(base_url.to_string()));
    }
    let err = |message: String| InviteError::Csv {
        file: file.to_string(),
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| err(csv_message(&e)))?
        .iter()
        .map(str::to_string)
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(err(
            "the first line must name the columns, e.g. name,email,municipality".into(),
        ));
    }
    for (i, h) in headers.iter().enumerate() {
        if h.is_empty() {
            return Err(err(format!(
                "column {} has no name in the header line",
                i + 1
            )));
        }
        if headers[..i].contains(h) {
            return Err(err(format!(
                "column \"{h}\" appears twice in the header line"
            )));
        }
        if h == "link" {
            return Err(err("a column may not be called \"link\": anketa adds that column with the personal links".into()));
        }
    }
    let mut invitations = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| err(csv_message(&e)))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let attributes: BTreeMap<String, String> = headers
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_string))
            .collect();
        let token = tokens::new_token();
        let mut row: Vec<String> = record.iter().map(str::to_string).collect();
        row.push(format!("{base}/t/{token}"));
        rows.push(row);
        invitations.push(NewInvitation {
            id: uuid::Uuid::new_v4().to_string(),
            token_hash: tokens::hash(&token),
            response_id: uuid::Uuid::new_v4().to_string(),
            attributes,
        });
    }
    if invitations.is_empty() {
        return Err(err(
            "there are no people in this file (only a header line)".into()
        ));
    }
    let mut headers = headers;
    headers.push("link".into());
    Ok(Prepared {
        invitations,
        headers,
        rows,
    })
}

fn csv_message(e: &csv::Error) -> String {
    let line = e
        .position()
        .map(|p| format!("line {}: ", p.line()))
        .unwrap_or_default();
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!(
                "{line}this row has {len} fields but the header has {expected_len}; check for a missing or extra comma"
            )
        }
        csv::ErrorKind::Utf8 { .. } => {
            format!("{line}the file is not UTF-8; save it as \"CSV UTF-8\"")
        }
        _ => format!("{line}{e}"),
    }
}

/// Hidden questions that invitation columns will fill: (question id, column).
pub fn prefilled_questions<'a>(survey: &'a Survey, headers: &[String]) -> Vec<(&'a str, &'a str)> {
    survey
        .hidden_questions()
        .filter(|(_, hidden)| headers.contains(&hidden.param))
        .map(|(q, hidden)| (q.id.as_str(), hidden.param.as_str()))
        .collect()
}

/// Store the prepared invitations (all or none) and write the links CSV.
pub async fn commit(
    store: &Store,
    survey: &Survey,
    prepared: &Prepared,
) -> Result<(), InviteError> {
    store
        .create_invitations(&survey.id, &prepared.invitations, OffsetDateTime::now_utc())
        .await?;
    Ok(())
}

/// The links CSV: the people file's columns plus `link`.
pub fn links_csv(prepared: &Prepared) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(&prepared.headers)
        .expect("writing to memory");
    for row in &prepared.rows {
        w.write_record(row).expect("writing to memory");
    }
    w.into_inner().expect("writing to memory")
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn survey(access: &str) -> Survey {
        let src = format!(
            "id = \"t\"\ntitle = \"T\"\naccess = \"{access}\"\n[[page]]\nid = \"p\"\n  [[page.question]]\n  id = \"obec\"\n  type = \"hidden\"\n  param = \"municipality\"\n  [[page.question]]\n  id = \"q\"\n  type = \"text\"\n  text = \"Q\"\n"
        );
        crate::survey::load_str(Path::new("t.toml"), &src)
            .survey
            .expect("valid")
    }

    #[test]
    fn one_token_per_person_with_the_row_as_attributes() {
        let csv = "name,email,municipality\nJana Nováková,jana@example.cz,kolin\n\n\"Petr, st.\",petr@example.cz,most\n";
        let p = prepare(
            &survey("token"),
            "people.csv",
            csv.as_bytes(),
            "https://anketa.example.cz/",
        )
        .unwrap();
        assert_eq!(p.invitations.len(), 2, "the blank line is skipped");
        assert_eq!(p.invitations[1].attributes["name"], "Petr, st.");
        assert_eq!(p.headers, ["name", "email", "municipality", "link"]);
        let link = &p.rows[0][3];
        let token = link
            .strip_prefix("https://anketa.example.cz/t/")
            .expect("link on the base URL");
        assert_eq!(
            tokens::hash(token),
            p.invitations[0].token_hash,
            "only the hash is kept"
        );
        assert_ne!(p.invitations[0].token_hash, p.invitations[1].token_hash);
        assert_eq!(
            prefilled_questions(&survey("token"), &p.headers),
            [("obec", "municipality")]
        );
        let out = String::from_utf8(links_csv(&p)).unwrap();
        assert!(
            out.starts_with("name,email,municipality,link\r\n") && out.contains("\"Petr, st.\""),
            "{out}"
        );
    }

    #[test]
    fn bad_files_are_explained() {
        let s = survey("token");
        let e = |csv: &str| {
            prepare(&s, "people.csv", csv.as_bytes(), "https://x")
                .err()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            e("name,email\nJana,j@x.cz,extra\n"),
            "people.csv: line 2: this row has 3 fields but the header has 2; check for a missing or extra comma"
        );
        assert_eq!(
            e("name,name\nJana,Jana\n"),
            "people.csv: column \"name\" appears twice in the header line"
        );
        assert_eq!(
            e("name,email\n"),
            "people.csv: there are no people in this file (only a header line)"
        );
        assert!(e("name,link\na,b\n").contains("may not be called \"link\""));
        let bytes: &[u8] = b"name\n\xff\xfe\n";
        let err = prepare(&s, "people.csv", bytes, "https://x")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("line 2") && err.contains("not UTF-8"), "{err}");
        assert!(matches!(
            prepare(
                &survey("anonymous"),
                "p.csv",
                "a\nb\n".as_bytes(),
                "https://x"
            ),
            Err(InviteError::NotTokenSurvey(_))
        ));
        assert!(matches!(
            prepare(&s, "p.csv", "a\nb\n".as_bytes(), "anketa.cz"),
            Err(InviteError::BadBaseUrl(_))
        ));
    }
}
