//! `anketa analyze`: the evaluation report of a survey (its analysis plan, or every
//! question described) as HTML, Markdown or JSON, with charts as SVG and PNG files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use futures_util::TryStreamExt;
use indicatif::{ProgressBar, ProgressStyle};

use super::{AnalyzeArgs, ReportFormat};
use crate::report::{self, plan_load, render};
use crate::store::{Response, Store};
use crate::survey::{self, Lang};

async fn complete_responses(
    store: &Store,
    survey_id: &str,
    progress: &ProgressBar,
) -> anyhow::Result<Vec<Response>> {
    progress.set_message(format!("reading {survey_id}"));
    let mut out = Vec::new();
    let mut rows = store.complete_responses(survey_id);
    while let Some(r) = rows.try_next().await? {
        out.push(r);
        progress.inc(1);
    }
    Ok(out)
}

pub(super) async fn analyze(args: AnalyzeArgs) -> anyhow::Result<ExitCode> {
    let catalog = survey::load_paths(std::slice::from_ref(&args.surveys));
    let Some(survey) = catalog.surveys.iter().find(|s| s.id == args.survey_id) else {
        bail!(
            "there is no survey \"{}\" in {}",
            args.survey_id,
            args.surveys.display()
        );
    };
    if survey.is_interview() {
        bail!(
            "\"{}\" is an interview guide: its answers are read, not counted (export them with --format interviews-md)",
            survey.id
        );
    }
    let plan = match &args.plan {
        Some(file) => {
            let (plan, diagnostics) = plan_load::load_file(file, &catalog.surveys);
            super::print_diagnostics(&diagnostics);
            let Some(plan) = plan else {
                bail!("the plan {} has errors (see above)", file.display());
            };
            if plan.survey != survey.id {
                bail!(
                    "the plan {} is for \"{}\", not \"{}\"",
                    file.display(),
                    plan.survey,
                    survey.id
                );
            }
            plan
        }
        None => {
            let plans = plan_load::load_dir(&args.plans, &catalog.surveys);
            if plans.diagnostics.iter().any(|d| d.is_error()) {
                super::print_diagnostics(&plans.diagnostics);
                bail!(
                    "the plans in {} have errors (see above; `anketa check` shows them too)",
                    args.plans.display()
                );
            }
            plan_load::plan_for(&plans.plans, survey)
        }
    };
    let wanted = match args.lang.as_deref() {
        None => None,
        Some(code) => match Lang::from_code(code).filter(|l| survey.languages.contains(l)) {
            Some(lang) => Some(lang),
            None => {
                let codes: Vec<&str> = survey.languages.iter().map(|l| l.code()).collect();
                bail!(
                    "--lang {code}: \"{}\" is written in {}",
                    survey.id,
                    codes.join(" and ")
                );
            }
        },
    };
    let lang = plan_load::report_language(survey, wanted);
    let progress = ProgressBar::new_spinner();
    progress.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({pos} responses, {elapsed})")
            .expect("a valid template"),
    );
    let store = super::open_store(&args.database).await?;
    let responses = complete_responses(&store, &survey.id, &progress).await?;
    let mut before = Vec::new();
    for id in report::needed_surveys(&plan) {
        let s = catalog
            .surveys
            .iter()
            .find(|s| s.id == id)
            .context("a checked plan names known surveys")?;
        before.push((s, complete_responses(&store, &id, &progress).await?));
    }
    let invited = u64::try_from(store.count_invitations(&survey.id).await?).ok();
    store.close().await;
    progress.set_message("computing");
    let before: Vec<(&survey::Survey, &[Response])> =
        before.iter().map(|(s, r)| (*s, r.as_slice())).collect();
    let built = report::build(&plan, survey, &responses, &before, lang, None).with_context(
        invited,
        time::OffsetDateTime::now_utc().date(),
        lang,
    );
    let text: Vec<u8> = match args.format {
        ReportFormat::Json => (serde_json::to_string_pretty(&built.report)? + "\n").into_bytes(),
        ReportFormat::Md => render::markdown(&built.blocks, &built.charts).into_bytes(),
        ReportFormat::Html => {
            render::page(&built.blocks, &built.charts, &built.report.title, lang).into_bytes()
        }
        ReportFormat::Docx => {
            let png = |svg: &str| {
                let bytes = analysis::charts::to_png(svg, 2.0).ok()?;
                // The PNG header's width and height (IHDR), at 2x: the size at 96 dpi.
                let size = |at: usize| {
                    bytes
                        .get(at..at + 4)
                        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) / 2)
                };
                let (width, height) = (size(16)?, size(20)?);
                Some(report::docx::Image {
                    png: bytes,
                    width,
                    height,
                })
            };
            let contents = report::labels::labels(lang).contents;
            report::docx::bytes(report::docx::document(
                &built.blocks,
                &built.charts,
                contents,
                &png,
            ))?
        }
    };
    let written = match &args.output {
        None if args.format == ReportFormat::Docx => {
            progress.finish_and_clear();
            anyhow::bail!("--format docx writes a binary file: name a folder with -o DIR");
        }
        None => {
            progress.finish_and_clear();
            std::io::Write::write_all(&mut std::io::stdout().lock(), &text)?;
            None
        }
        Some(dir) => {
            progress.set_message("writing charts");
            let file = write_dir(dir, &args.format, &text, &built, &progress)?;
            progress.finish_and_clear();
            Some(file)
        }
    };
    if let Some(file) = written {
        eprintln!(
            "{} complete responses of {} analysed: {} ({} charts as SVG and PNG in {})",
            built.report.responses,
            survey.id,
            file.display(),
            built.charts.iter().count(),
            file.parent()
                .unwrap_or(Path::new("."))
                .join("charts")
                .display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Write `report.EXT` and `charts/*.svg|png` into `dir`; returns the report's path.
fn write_dir(
    dir: &Path,
    format: &ReportFormat,
    text: &[u8],
    built: &report::Built,
    progress: &ProgressBar,
) -> anyhow::Result<PathBuf> {
    let charts = dir.join("charts");
    std::fs::create_dir_all(&charts)
        .with_context(|| format!("cannot create {}", charts.display()))?;
    for chart in built.charts.iter() {
        progress.set_message(format!("chart {}", chart.slug));
        let svg = charts.join(format!("{}.svg", chart.slug));
        std::fs::write(&svg, &chart.svg)
            .with_context(|| format!("cannot write {}", svg.display()))?;
        let png = analysis::charts::to_png(&chart.svg, 2.0)
            .map_err(|e| anyhow::anyhow!("chart {}: {e}", chart.slug))?;
        let file = charts.join(format!("{}.png", chart.slug));
        std::fs::write(&file, png).with_context(|| format!("cannot write {}", file.display()))?;
    }
    let ext = match format {
        ReportFormat::Html => "html",
        ReportFormat::Md => "md",
        ReportFormat::Json => "json",
        ReportFormat::Docx => "docx",
    };
    let file = dir.join(format!("report.{ext}"));
    std::fs::write(&file, text).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(file)
}
