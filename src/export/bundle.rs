//! A data file and its companion (SPSS syntax, an R script, `datapackage.json`) as one
//! ZIP archive, for downloads: a browser saves one file, and the companion finds the data
//! file beside it when the archive is unpacked.

use std::io::{Seek, SeekFrom, Write};

use super::{
    ChunkSink, Companion, ExportError, ExportSummary, Layout, Privacy, Selection, Spool, codebook,
    formula, survey_versions, write_responses,
};
use crate::store::Store;

/// Write the responses as `data_file` and the companion beside it, zipped, into `sink`.
#[allow(clippy::too_many_arguments)]
pub async fn write_bundle(
    store: &Store,
    survey_id: &str,
    layout: Layout,
    selection: &Selection,
    privacy: Privacy,
    companion: Companion,
    data_file: &str,
    sink: &mut impl ChunkSink,
) -> Result<ExportSummary, ExportError> {
    let mut data = Spool::new()?;
    let summary = write_responses(
        store,
        survey_id,
        layout,
        selection,
        privacy.clone(),
        &mut data,
    )
    .await?;
    let mut file = data.file;
    file.seek(SeekFrom::Start(0))?;
    let header: Vec<String> = csv::Reader::from_reader(&mut file)
        .headers()?
        .iter()
        .map(|h| formula::restore(h).into_owned())
        .collect();
    let versions = survey_versions(store, survey_id).await?;
    let mut entries = codebook::entries(&versions);
    if let Privacy::Anonymized(a) = &privacy {
        entries = a.codebook(entries);
    }
    let title = versions[0]
        .languages
        .first()
        .map_or(survey_id, |&l| versions[0].title.get(l));
    let coarsened = match &privacy {
        Privacy::Anonymized(a) => a.coarsened_columns(),
        _ => Vec::new(),
    };
    let text = companion.text(survey_id, title, data_file, &header, &entries, &coarsened);

    // Compressing is blocking work: off the async workers.
    let companion_name = companion.file_name(data_file);
    let data_name = data_file.to_string();
    let archive = tokio::task::spawn_blocking(move || {
        let mut zip = zip::ZipWriter::new(tempfile::tempfile()?);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file(data_name, options).map_err(zip_error)?;
        file.seek(SeekFrom::Start(0))?;
        std::io::copy(&mut file, &mut zip)?;
        zip.start_file(companion_name, options).map_err(zip_error)?;
        zip.write_all(text.as_bytes())?;
        zip.finish().map_err(zip_error)
    })
    .await
    .map_err(|e| ExportError::Write(std::io::Error::other(e.to_string())))??;
    Spool { file: archive }.copy_to(sink).await?;
    Ok(summary)
}

fn zip_error(e: zip::result::ZipError) -> ExportError {
    ExportError::Write(std::io::Error::other(e.to_string()))
}
