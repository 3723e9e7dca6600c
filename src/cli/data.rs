//! Data in and out: `anketa invite` (personal links from a CSV of people) and
//! `anketa export` (complete responses as CSV).

use std::process::ExitCode;

use anyhow::Context;

use super::{ExportArgs, InviteArgs, StatusChoice};
use crate::export::{Privacy, WriteSink};
use crate::survey;
use crate::{export, invite};

pub(super) async fn invite(args: InviteArgs) -> anyhow::Result<ExitCode> {
    let Some(survey) = super::load_survey(&args.surveys, &args.survey_id)? else {
        return Ok(ExitCode::FAILURE);
    };
    let survey = &survey;
    let file = std::fs::File::open(&args.csv)
        .with_context(|| format!("cannot read {}", args.csv.display()))?;
    let prepared = invite::prepare(
        survey,
        &args.csv.display().to_string(),
        std::io::BufReader::new(file),
        &args.base_url,
    )?;
    let links = invite::links_csv(&prepared);
    // Stage the links file before storing anything: a failure leaves neither behind.
    let staged = match &args.output {
        Some(path) => {
            let tmp = tempfile::NamedTempFile::new_in(parent_dir(path))
                .with_context(|| format!("cannot write beside {}", path.display()))?;
            std::io::Write::write_all(&mut tmp.as_file(), &links)?;
            tmp.as_file().sync_all()?;
            Some((tmp, path))
        }
        None => None,
    };
    let store = super::open_store(&args.database).await?;
    store
        .record_survey_version(
            &survey.id,
            &survey.version,
            &survey.source,
            time::OffsetDateTime::now_utc(),
        )
        .await?;
    invite::commit(&store, survey, &prepared).await?;
    store.close().await;
    match staged {
        Some((tmp, path)) => {
            if let Err(e) = tmp.persist(path) {
                let kept = e
                    .file
                    .keep()
                    .map(|(_, p)| p.display().to_string())
                    .unwrap_or_default();
                anyhow::bail!(
                    "the invitations were created but {} could not be written ({}); the links are in {kept}",
                    path.display(),
                    e.error
                );
            }
        }
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &links)?,
    }
    eprintln!(
        "created {} invitation(s) for \"{}\"",
        prepared.invitations.len(),
        survey.id
    );
    for (question, column) in invite::prefilled_questions(survey, &prepared.headers) {
        eprintln!("  column \"{column}\" fills the hidden question \"{question}\"");
    }
    for (q, hidden) in survey.hidden_questions() {
        if !prepared.headers.contains(&hidden.param) {
            eprintln!(
                "warning: no column \"{}\" for the hidden question \"{}\"",
                hidden.param, q.id
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A binary file would garble a terminal: it needs `-o` (a redirect is fine).
fn format_is_binary_to_terminal(format: export::Format, to_stdout: bool) -> bool {
    use std::io::IsTerminal;
    format.is_binary() && to_stdout && std::io::stdout().is_terminal()
}

fn parent_dir(path: &std::path::Path) -> &std::path::Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."))
}

pub(super) async fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let spec = args.format.spec();
    check_output(&args, spec)?;
    let store = super::open_store(&args.database).await?;
    type Sink = WriteSink<Box<dyn std::io::Write + Send>>;
    let id = args.survey_id.as_str();
    let selection = export::Selection {
        status: match args.status {
            StatusChoice::Complete => Some(crate::store::Status::Complete),
            StatusChoice::Partial => Some(crate::store::Status::InProgress),
            StatusChoice::All => None,
        },
        from: args.from,
        to: args.to,
        version: args.survey_version.clone(),
        wheres: args.wheres.clone(),
        cutoff: None,
    };
    let job = spec.job;
    use export::Job;
    let anonymize = &args.anonymization;
    if anonymize.anonymize && !matches!(job, Job::Responses(_)) {
        let data: Vec<&str> = export::Format::ALL
            .iter()
            .filter(|f| matches!(f.spec().job, Job::Responses(_)))
            .map(|f| f.name())
            .collect();
        anyhow::bail!(
            "--anonymize applies to response data ({}); a codebook names no one, and interview documents are not anonymized automatically",
            data.join(", ")
        );
    }
    let privacy = export_privacy(&store, &args, &selection).await?;
    let mut details = selection.audit_details();
    details["format"] = spec.name.into();
    details["privacy"] = privacy.name().into();
    if let Privacy::Anonymized(a) = &privacy {
        details["k"] = a.report.k.into();
        details["accept_suppression"] = anonymize.accept_suppression.into();
        details["scrub_text"] = anonymize.scrub_text.into();
        details["pseudonym_key"] = anonymize.pseudonym_key_file.is_some().into();
        details["cells_blanked"] = a.report.outcome.cells_blanked().into();
        details["responses_left_out"] = a.report.outcome.dropped.into();
    }
    crate::accounts::Actor::command_line()
        .audit(&store, "export", Some(id), None, details)
        .await?;
    let write = async |sink: &mut Sink| match job {
        Job::Responses(layout) => {
            export::write_responses(&store, id, layout, &selection, privacy.clone(), sink).await
        }
        Job::Codebook(format) => export::write_codebook(&store, id, format, sink).await,
        Job::Interviews(format) => {
            export::write_interviews(&store, id, format, privacy.clone(), sink).await
        }
    };
    let summary = match &args.output {
        None => write(&mut WriteSink(Box::new(std::io::stdout()))).await?,
        Some(path) => {
            // Write beside the target and rename: a failed export never leaves a partial file.
            let dir = parent_dir(path);
            let tmp = tempfile::NamedTempFile::new_in(dir)
                .with_context(|| format!("cannot write in {}", dir.display()))?;
            let file = tmp
                .as_file()
                .try_clone()
                .context("cannot write the export")?;
            let summary = write(&mut WriteSink(Box::new(file))).await?;
            tmp.as_file()
                .sync_all()
                .context("cannot flush the export to disk")?;
            tmp.persist(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            summary
        }
    };
    if let (Some(companion), Some(path)) = (spec.companion, &args.output) {
        write_companion(&store, id, &privacy, companion, path).await?;
    }
    if let Some(report) = &summary.report {
        write_anonymization_report(report, &args)?;
    }
    store.close().await;
    eprintln!(
        "exported {} {} of \"{}\"",
        summary.responses, summary.unit, args.survey_id
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuse output arguments that cannot work before anything is read: a companion
/// format needs `-o FILE.csv`, a binary format a file.
fn check_output(args: &ExportArgs, spec: export::format::Spec) -> anyhow::Result<()> {
    if let (Some(companion), Some(path)) = (spec.companion, &args.output)
        && !path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
    {
        anyhow::bail!(
            "-o names the data file: write -o {} ({} goes beside it)",
            path.with_extension("csv").display(),
            companion.file_name("FILE.csv")
        );
    }
    if spec.companion.is_some() && args.output.is_none() {
        anyhow::bail!(
            "--format {} writes two files: name the data file with -o FILE.csv (the other goes beside it)",
            spec.name
        );
    }
    if format_is_binary_to_terminal(args.format, args.output.is_none()) {
        anyhow::bail!(
            "--format {} writes a binary file: name it with -o FILE.{}",
            spec.name,
            spec.suffix
        );
    }
    Ok(())
}

/// Identified, or anonymized by the survey's privacy model (the current file's when it
/// loads, else the one stored with the responses) with the options given.
async fn export_privacy(
    store: &crate::store::Store,
    args: &ExportArgs,
    selection: &export::Selection,
) -> anyhow::Result<Privacy> {
    let id = args.survey_id.as_str();
    let anonymize = &args.anonymization;
    Ok(if anonymize.anonymize {
        let mut options = anonymize.options()?;
        // `serve` keeps its key beside an SQLite database: the same pseudonyms here.
        if options.key.is_none()
            && let Some(path) = crate::anonymize::pseudonym::default_key_file(&args.database.url)
                .filter(|p| p.exists())
        {
            options.key = Some(super::read_pseudonym_key(&path)?);
        }
        let catalog = survey::load_paths(std::slice::from_ref(&anonymize.surveys));
        let has_errors = catalog.has_errors();
        match catalog.surveys.into_iter().find(|s| s.id == id) {
            Some(current) => options.survey = Some(std::sync::Arc::new(current)),
            // The survey's file may be among the broken ones: its privacy model could be
            // stricter than the stored one, so do not guess.
            None if has_errors => anyhow::bail!(
                "the survey files in {} have errors (see anketa check): fix them, or name another directory with --surveys, before an anonymized export",
                anonymize.surveys.display()
            ),
            None => eprintln!(
                "note: \"{id}\" is not (or not without errors) in {}: using the privacy model stored with the responses",
                anonymize.surveys.display()
            ),
        }
        Privacy::Anonymized(std::sync::Arc::new(
            export::anonymize(
                store,
                id,
                selection,
                &options,
                time::OffsetDateTime::now_utc(),
            )
            .await?,
        ))
    } else {
        Privacy::Identified
    })
}

/// The syntax file beside the data file `path` (written through a temporary file).
async fn write_companion(
    store: &crate::store::Store,
    id: &str,
    privacy: &Privacy,
    companion: export::Companion,
    path: &std::path::Path,
) -> anyhow::Result<()> {
    let data_file = path
        .file_name()
        .map_or_else(|| "data.csv".into(), |n| n.to_string_lossy().to_string());
    let mut data = std::fs::File::open(path)
        .with_context(|| format!("cannot read back {}", path.display()))?;
    let text = export::companion_text(store, id, privacy, companion, &data_file, &mut data).await?;
    let target = parent_dir(path).join(companion.file_name(&data_file));
    let tmp = tempfile::NamedTempFile::new_in(parent_dir(&target))
        .with_context(|| format!("cannot write beside {}", target.display()))?;
    std::fs::write(tmp.path(), text).context("cannot write the syntax file")?;
    tmp.persist(&target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    eprintln!("wrote {}", target.display());
    Ok(())
}

/// The anonymization report: to `--report`, beside `-o`, or to stderr; and its summary line.
fn write_anonymization_report(
    report: &crate::anonymize::Report,
    args: &ExportArgs,
) -> anyhow::Result<()> {
    let anonymize = &args.anonymization;
    let text = report.markdown();
    let target = anonymize.report.clone().or_else(|| {
        args.output
            .as_ref()
            .map(|p| p.with_extension("anonymization.md"))
    });
    match target {
        Some(path) => {
            std::fs::write(&path, text)
                .with_context(|| format!("cannot write the report {}", path.display()))?;
            eprintln!("wrote the anonymization report to {}", path.display());
        }
        None => eprintln!("{text}"),
    }
    eprintln!(
        "k = {} achieved (required {}); {} cell(s) blanked, {} response(s) left out",
        report
            .outcome
            .smallest_class
            .map_or("-".into(), |k| k.to_string()),
        report.k,
        report.outcome.cells_blanked(),
        report.outcome.dropped
    );
    Ok(())
}
