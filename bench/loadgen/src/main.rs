//! `loadgen`: the benchmark driver of bench/run.sh (see docs/performance.md).
//!
//! - `flow`: N concurrent respondents over HTTP, each completing responses in a loop.
//! - `render`: N clients re-rendering one form page of a started response.
//! - `pages`: the size of every page of the example questionnaires.
//! - `ceiling`: the app's rows written with sqlx alone, same pool and pragmas.
//! - `seed`: many complete responses in a SQLite file, quickly.
//! - `fetch`: the export's query streamed with sqlx alone.
//! - `export-sql`: the sqlite3 query closest to `anketa export --format csv`.

mod ceiling;
mod http;
mod respond;
mod seed;
mod stats;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};

#[derive(Parser)]
#[command(name = "loadgen", about = "Benchmark driver for anketa")]
struct Cli {
    /// Worker threads of the load generator (it shares the machine with the server).
    #[arg(long, global = true, default_value_t = 1)]
    threads: usize,
    /// Write the results as JSON to this file (they are printed too).
    #[arg(long, global = true, value_name = "OUT")]
    json: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Concurrent respondents completing the survey again and again.
    Flow(HttpArgs),
    /// Concurrent clients rendering one page of their started response again and again.
    Render(HttpArgs),
    /// The size of every page of every questionnaire in --surveys.
    Pages {
        #[arg(long)]
        url: String,
        #[arg(long, default_value = "surveys")]
        surveys: PathBuf,
    },
    /// The database ceiling: the app's rows written with sqlx alone.
    Ceiling(CeilingArgs),
    /// Store many complete responses of a survey in a SQLite file.
    Seed {
        #[arg(long)]
        database: String,
        #[arg(long, default_value = "seminar-mas-2024")]
        survey: String,
        #[arg(long, default_value = "surveys")]
        surveys: PathBuf,
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
        /// Different demo responses used in turn.
        #[arg(long, default_value_t = 5000)]
        distinct: usize,
    },
    /// Stream the export's query with sqlx alone (rows decoded, answers not parsed).
    Fetch {
        #[arg(long)]
        database: String,
        #[arg(long, default_value = "seminar-mas-2024")]
        survey: String,
    },
    /// Print the sqlite3 SQL closest to `anketa export SURVEY --format csv`.
    ExportSql {
        #[arg(long, default_value = "seminar-mas-2024")]
        survey: String,
        #[arg(long, default_value = "surveys")]
        surveys: PathBuf,
    },
}

#[derive(Args)]
struct HttpArgs {
    /// The server, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    url: String,
    /// The questionnaire (anonymous access) to fill in.
    #[arg(long, default_value = "obce-socialni-prace")]
    survey: String,
    /// The survey files the server serves (answers are generated from them).
    #[arg(long, default_value = "surveys")]
    surveys: PathBuf,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Measured seconds.
    #[arg(long, default_value_t = 20.0)]
    duration: f64,
    /// Seconds of load before measuring.
    #[arg(long, default_value_t = 3.0)]
    warmup: f64,
    /// The server's process id, to report its CPU use.
    #[arg(long)]
    server_pid: Option<u32>,
    /// A label copied into the JSON (e.g. the database).
    #[arg(long, default_value = "")]
    label: String,
}

#[derive(Args)]
struct CeilingArgs {
    /// sqlite://FILE or postgres://...
    #[arg(long)]
    database: String,
    #[arg(long, value_enum, default_value_t = ceiling::Mode::Page)]
    mode: ceiling::Mode,
    /// SQLite `synchronous` (PostgreSQL: full = synchronous_commit on, normal = local,
    /// off = off). The app uses full.
    #[arg(long, value_enum, default_value_t = ceiling::Sync::Full)]
    synchronous: ceiling::Sync,
    /// The pools: as the app has them now, or its earlier single shared SQLite pool.
    #[arg(long, value_enum, default_value_t = ceiling::PoolKind::App)]
    pool: ceiling::PoolKind,
    /// Whose rows: the answers and pages of this survey.
    #[arg(long, default_value = "obce-socialni-prace")]
    survey: String,
    #[arg(long, default_value = "surveys")]
    surveys: PathBuf,
    #[arg(long, default_value_t = 64)]
    clients: usize,
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
}

fn address(url: &str) -> anyhow::Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .context("--url must be http://HOST:PORT")?;
    let host = rest.split('/').next().unwrap_or(rest);
    use std::net::ToSocketAddrs;
    host.to_socket_addrs()?
        .next()
        .with_context(|| format!("cannot resolve {host}"))
}

async fn http(args: HttpArgs, render: bool) -> anyhow::Result<Value> {
    let survey = Arc::new(respond::load_survey(&args.surveys, &args.survey)?);
    let scripts = Arc::new(respond::scripts(&survey, 512, 42)?);
    let load = respond::Load {
        addr: address(&args.url)?,
        survey: survey.clone(),
        clients: args.clients,
        window: stats::Window::new(args.warmup, args.duration),
        server_pid: args.server_pid,
    };
    let mut out = if render {
        respond::render(&load, scripts).await?
    } else {
        respond::flow(&load, scripts).await?
    };
    out["benchmark"] = json!(if render { "render" } else { "flow" });
    out["survey"] = json!(args.survey);
    out["pages"] = json!(survey.pages.len());
    out["clients"] = json!(args.clients);
    out["warmup"] = json!(args.warmup);
    out["label"] = json!(args.label);
    Ok(out)
}

async fn run(cli: Cli) -> anyhow::Result<Value> {
    match cli.command {
        Command::Flow(args) => http(args, false).await,
        Command::Render(args) => http(args, true).await,
        Command::Pages { url, surveys } => respond::pages(address(&url)?, &surveys).await,
        Command::Ceiling(a) => {
            let survey = respond::load_survey(&a.surveys, &a.survey)?;
            let mut out = ceiling::run(
                ceiling::Settings {
                    url: a.database.clone(),
                    mode: a.mode,
                    sync: a.synchronous,
                    pool: a.pool,
                    clients: a.clients,
                    warmup: a.warmup,
                    duration: a.duration,
                },
                &survey,
            )
            .await?;
            out["benchmark"] = json!("ceiling");
            out["database"] = json!(if a.database.starts_with("sqlite:") {
                "sqlite"
            } else {
                "postgres"
            });
            Ok(out)
        }
        Command::Seed {
            database,
            survey,
            surveys,
            count,
            distinct,
        } => {
            let survey = respond::load_survey(&surveys, &survey)?;
            seed::seed(&database, &survey, count, distinct).await
        }
        Command::Fetch { database, survey } => seed::fetch(&database, &survey).await,
        Command::ExportSql { survey, surveys } => {
            let survey = respond::load_survey(&surveys, &survey)?;
            print!("{}", seed::export_sql(&survey)?);
            Ok(Value::Null)
        }
    }
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let runtime = if cli.threads <= 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(cli.threads)
            .enable_all()
            .build()?
    };
    let json_out = cli.json.clone();
    let out = runtime.block_on(run(cli))?;
    if out.is_null() {
        return Ok(());
    }
    let text = serde_json::to_string_pretty(&out)? + "\n";
    print!("{text}");
    if let Some(path) = json_out {
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(())
}
