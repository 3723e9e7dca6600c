//! `anketa import`: complete responses collected on paper, from a CSV in the layout of
//! the wide export. Every problem is listed as `FILE:LINE: column "X": message`; by
//! default one problem means nothing is imported (exit status 1), `--skip-invalid`
//! imports the good rows, `--dry-run` checks without storing anything.

use std::process::ExitCode;

use anyhow::Context;
use time::OffsetDateTime;

use super::ImportArgs;
use crate::import::{self, Outcome, Problem};
use crate::store::{CompleteResponse, StoreError};

pub(super) async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let Some(survey) = super::load_survey(&args.surveys, &args.survey_id)? else {
        return Ok(ExitCode::FAILURE);
    };
    let survey = &survey;
    if survey.is_interview() {
        anyhow::bail!("{}", import::ImportError::InterviewGuide(survey.id.clone()));
    }
    let file = args.file.display().to_string();
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {file}"))?;
    let now = OffsetDateTime::now_utc();
    let mut outcome = import::read(survey, &bytes, now)
        .map_err(|e| anyhow::Error::new(e).context(file.clone()))?;
    let store = super::open_store(&args.database).await?;
    let mut known = Vec::new();
    for (row, line, id) in outcome.given_ids() {
        if store.response(id).await?.is_some() {
            known.push(Problem {
                row,
                line,
                column: "response_id".into(),
                message: format!("a response with id \"{id}\" exists in the database already"),
                hint: Some(
                    "remove the row if it was imported before, or leave response_id empty to import it as a new response"
                        .into(),
                ),
            });
        }
    }
    for problem in known {
        outcome.reject(problem);
    }
    print_problems(&file, &outcome);
    let imported = outcome.responses.len();
    let skipped = outcome.skipped();
    if outcome.header_problems() > 0 {
        store.close().await;
        eprintln!("error: fix the header line of {file} first; nothing was imported");
        return Ok(ExitCode::FAILURE);
    }
    if !outcome.problems.is_empty() && !args.skip_invalid {
        store.close().await;
        eprintln!(
            "error: {} problem(s) in {skipped} of {} row(s); nothing was imported (fix them, or import the good rows with --skip-invalid)",
            outcome.problems.len(),
            outcome.rows
        );
        return Ok(ExitCode::FAILURE);
    }
    if args.dry_run {
        store.close().await;
        eprintln!("dry run: would import {imported}, skip {skipped} row(s); nothing was stored");
        return Ok(ExitCode::SUCCESS);
    }
    store
        .record_survey_version(&survey.id, &survey.version, &survey.source, now)
        .await?;
    let responses: Vec<CompleteResponse> = outcome
        .responses
        .iter()
        .map(|r| CompleteResponse {
            id: &r.id,
            language: r.language,
            current_page: &r.last_page,
            answers: &r.answers,
            submitted_at: r.submitted_at,
        })
        .collect();
    let details = serde_json::json!({
        "file": args.file.file_name().map(|n| n.to_string_lossy().to_string()),
        "survey_version": survey.version,
        "rows": outcome.rows,
        "imported": imported,
        "skipped": skipped,
        "ids_from_file": outcome.responses.iter().filter(|r| r.id_from_file).count(),
        "skip_invalid": args.skip_invalid,
    });
    let audit =
        crate::accounts::Actor::command_line().entry("import", Some(&survey.id), None, details);
    match store
        .import_responses(&survey.id, &survey.version, &responses, now, &audit)
        .await
    {
        Ok(()) => {}
        Err(StoreError::Duplicate) => anyhow::bail!(
            "a response id of {file} was stored by someone else during the import; nothing was imported: run it again"
        ),
        Err(e) => return Err(anyhow::Error::new(e).context("nothing was imported")),
    }
    store.close().await;
    if args.skip_invalid {
        eprintln!(
            "imported {imported}, skipped {skipped} row(s) into \"{}\"",
            survey.id
        );
    } else {
        eprintln!("imported {imported} response(s) into \"{}\"", survey.id);
    }
    Ok(ExitCode::SUCCESS)
}

fn print_problems(file: &str, outcome: &Outcome) {
    for p in &outcome.problems {
        eprintln!("{file}:{}: column \"{}\": {}", p.line, p.column, p.message);
        if let Some(hint) = &p.hint {
            eprintln!("  = help: {hint}");
        }
    }
}
