//! A data file's companion (SPSS syntax, an R script, `datapackage.json`), and the two as
//! one ZIP archive for downloads: a browser saves one file, and the companion finds the
//! data file beside it when the archive is unpacked.

use std::io::{Read, Seek, SeekFrom, Write};

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
    let text = companion_text(store, survey_id, &privacy, companion, data_file, &mut file).await?;

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

/// The companion's text for `data_file`, whose CSV `data` is read for its header, as an
/// export with `privacy` wrote it (an anonymized one with its codebook and coarsened
/// columns). The command line writes it beside the data file; downloads zip the two.
pub async fn companion_text(
    store: &Store,
    survey_id: &str,
    privacy: &Privacy,
    companion: Companion,
    data_file: &str,
    data: &mut (impl Read + Send),
) -> Result<String, ExportError> {
    let header: Vec<String> = csv::Reader::from_reader(data)
        .headers()?
        .iter()
        .map(|h| formula::restore(h).into_owned())
        .collect();
    let versions = survey_versions(store, survey_id).await?;
    let (entries, coarsened) = match privacy {
        Privacy::Anonymized(a) => (
            a.codebook(codebook::entries(&versions)),
            a.coarsened_columns(),
        ),
        Privacy::Identified | Privacy::WithoutIdentifiers => {
            (codebook::entries(&versions), Vec::new())
        }
    };
    let newest = &versions[0];
    let title = newest.title.get(newest.default_language());
    Ok(companion.text(survey_id, title, data_file, &header, &entries, &coarsened))
}

fn zip_error(e: zip::result::ZipError) -> ExportError {
    ExportError::Write(std::io::Error::other(e.to_string()))
}
