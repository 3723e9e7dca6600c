//! The command line: flags with environment-variable fallbacks, and dispatch to the
//! commands (one file per group: `serve`, data in and out, staff accounts).

mod analyze;
mod data;
mod demo;
mod import;
mod serve;
mod users;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::survey::{self, Diagnostic};

#[derive(Parser, Debug)]
#[command(
    name = "anketa",
    version,
    about = "Surveys, interviews and evaluation data for social-work studies"
)]
pub struct Cli {
    /// Log format on stderr.
    #[arg(long, env = "ANKETA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Copy, Clone, Debug, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the surveys to respondents over HTTP.
    Serve(ServeArgs),
    /// Check survey files and report every problem (exit status 1 if any has errors).
    Check(CheckArgs),
    /// Export the complete responses of a survey.
    Export(ExportArgs),
    /// Create personal invitation links for a token survey from a CSV of people.
    Invite(InviteArgs),
    /// Import complete responses collected on paper from a CSV in the layout of
    /// `anketa export --format csv` (exit status 1 if any row has a problem).
    Import(ImportArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Demo data for trying anketa out.
    #[command(subcommand)]
    Demo(DemoCommand),
    /// The evaluation report of a survey: its analysis plan (analysis/plans/) or, without
    /// one, every question described; tables with small counts suppressed, charts.
    Analyze(AnalyzeArgs),
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    /// A stand-alone HTML page with inline charts.
    Html,
    /// Markdown; the charts are files in `charts/` beside it (use -o DIR).
    Md,
    /// The computed report as JSON, for other tools.
    Json,
    /// A Word document (headings, contents, captions, charts as images); needs -o DIR.
    Docx,
}

#[derive(Args, Debug)]
pub struct AnalyzeArgs {
    /// The questionnaire's id.
    pub survey_id: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write report.html|md|json and charts/*.svg|png into this directory (otherwise the
    /// report goes to standard output).
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The analysis plan to use (default: the plan for the survey in --plans, if any).
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,
    /// Directory of analysis plans.
    #[arg(long, env = "ANKETA_PLANS", default_value = crate::report::plan_load::PLAN_DIR)]
    pub plans: PathBuf,
    /// Report language: cs or en (default: the survey's first language).
    #[arg(long)]
    pub lang: Option<String>,
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
}

#[derive(Subcommand, Debug)]
pub enum DemoCommand {
    /// Record the project's 39 interviews (15 mayors, 6 ORP, 18 social workers) as
    /// finished demo interviews of the example guides.
    Interviews(DemoArgs),
    /// Store complete demo responses to a questionnaire (valid answers, a few comments
    /// with contact details), e.g. one per municipality of the MPSV survey:
    /// `anketa demo responses obce-socialni-prace --one-per municipality`.
    Responses(DemoResponsesArgs),
    /// Invite the training programme's participants (15 runs x 15) to the entry and exit
    /// questionnaires (skoleni-pred, skoleni-po) and store their answers, with a real
    /// before/after effect built in.
    Training(DemoTrainingArgs),
    /// Fill every example survey: the 15 municipalities, 60 seminar participants, 80
    /// offices' activity self-assessments, the training programme before and after, and
    /// the 39 interviews (for trying the reports and the staff area).
    All(DemoArgs),
}

#[derive(Args, Debug)]
pub struct DemoTrainingArgs {
    /// How many runs of the programme.
    #[arg(long, default_value_t = 15)]
    pub runs: usize,
    /// Participants per run.
    #[arg(long, default_value_t = 15)]
    pub per_run: usize,
    #[command(flatten)]
    pub demo: DemoArgs,
}

#[derive(Args, Debug)]
pub struct DemoResponsesArgs {
    /// The questionnaire's id.
    pub survey_id: String,
    /// How many responses (ignored with --one-per).
    #[arg(long, default_value_t = 20)]
    pub count: usize,
    /// One response for each option of this choice question.
    #[arg(long, value_name = "QUESTION")]
    pub one_per: Option<String>,
    #[command(flatten)]
    pub demo: DemoArgs,
}

#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory with the example guides.
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
    /// The same seed gives the same interviews.
    #[arg(long, default_value_t = 2020)]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account: prompts for a password, or prints a one-time set-password link.
    Add(UserAddArgs),
    /// List the accounts with their roles and grants.
    List(UserDbArgs),
    /// Disable an account (its sessions end at once).
    Disable(UserEmailArgs),
    /// Enable a disabled account.
    Enable(UserEmailArgs),
    /// Set a new password: prompts, or prints a one-time set-password link.
    Passwd(UserPasswdArgs),
    /// Let an evaluator or interviewer see a survey.
    Grant(UserGrantArgs),
    /// Take a survey away from an evaluator or interviewer.
    Revoke(UserGrantArgs),
    /// Turn two-factor sign-in off for an account whose phone and recovery codes are
    /// lost; its sessions end, and it sets two-factor sign-in up again at its next
    /// sign-in where its role requires it.
    #[command(name = "reset-2fa")]
    ResetTwoFactor(UserEmailArgs),
}

#[derive(Args, Debug)]
pub struct UserDbArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct UserEmailArgs {
    pub email: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct PasswordArgs {
    /// Print a one-time set-password link instead of prompting (also when not at a terminal).
    #[arg(long)]
    pub link: bool,
    /// The address staff reach anketa at, for the link.
    #[arg(long, env = "ANKETA_BASE_URL", default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
}

#[derive(Args, Debug)]
pub struct UserAddArgs {
    pub email: String,
    /// admin, researcher, evaluator or interviewer.
    #[arg(long)]
    pub role: String,
    /// A survey an evaluator or interviewer may see (repeat for more).
    #[arg(long = "grant", value_name = "SURVEY_ID")]
    pub grants: Vec<String>,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory with the survey files (grants must name one of them).
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
}

#[derive(Args, Debug)]
pub struct UserPasswdArgs {
    pub email: String,
    #[command(flatten)]
    pub password: PasswordArgs,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

#[derive(Args, Debug)]
pub struct UserGrantArgs {
    pub email: String,
    pub survey_id: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory with the survey files (the survey must be one of them).
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
}

#[derive(Args, Debug, Clone)]
pub struct DatabaseArgs {
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long = "database",
        env = "ANKETA_DATABASE_URL",
        default_value = "sqlite://anketa.db"
    )]
    pub url: String,
}

#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on.
    #[arg(long, env = "ANKETA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Directory with the survey files.
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
    /// Directory with the analysis plans of the report pages.
    #[arg(long, env = "ANKETA_PLANS", default_value = crate::report::plan_load::PLAN_DIR)]
    pub plans: PathBuf,
    /// Send cookies without the Secure flag, for plain-HTTP setups (never in production:
    /// put anketa behind HTTPS instead).
    #[arg(long, env = "ANKETA_INSECURE_COOKIES")]
    pub insecure_cookies: bool,
    /// The address people reach anketa at, for the links it makes (resume links,
    /// set-password links), e.g. https://anketa.example.cz; without it, the address it
    /// listens on (never a request's Host header, which the sender chooses).
    #[allow(rustdoc::bare_urls)] // clap shows this text as it is, in --help
    #[arg(long, env = "ANKETA_BASE_URL")]
    pub base_url: Option<String>,
    /// Who must sign in with a one-time code from an authenticator app as well as a
    /// password: the roles that see identified data (admin, researcher), all, or nobody
    /// (anybody may still turn it on).
    #[arg(
        long,
        env = "ANKETA_TWO_FACTOR",
        value_enum,
        default_value = "identified"
    )]
    pub two_factor: crate::staff::TwoFactorPolicy,
    /// Seconds a connection may take to send a request's headers before it is closed.
    #[arg(long, env = "ANKETA_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub header_timeout: u64,
    /// anketa runs behind a reverse proxy that sets X-Forwarded-For: use it for the
    /// client's address (rate limits, audit log). Never set this without such a proxy.
    #[arg(long, env = "ANKETA_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// The secret key for pseudonyms in anonymized exports from the staff area (at least
    /// 32 bytes; the same file as `anketa export --pseudonym-key-file`).
    #[arg(long, env = "ANKETA_PSEUDONYM_KEY_FILE", value_name = "FILE")]
    pub pseudonym_key_file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct InviteArgs {
    /// The id of a survey with access = "token".
    pub survey_id: String,
    /// The people: a UTF-8 CSV whose first line names the columns (e.g. name,email,municipality).
    #[arg(long)]
    pub csv: PathBuf,
    /// The address respondents reach anketa at; links are BASE/t/TOKEN.
    #[arg(long, env = "ANKETA_BASE_URL", default_value = "http://127.0.0.1:8080")]
    pub base_url: String,
    /// Write the people with their links to this CSV file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory with the survey files.
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The id of the questionnaire the responses belong to.
    pub survey_id: String,
    /// The responses: a UTF-8 CSV with the header and columns of `anketa export SURVEY
    /// --format csv` (columns may be left out; response_id and submitted_at may be empty).
    pub file: PathBuf,
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Directory with the survey files (responses are stored against the current version).
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
    /// Import the rows without problems and skip the others (still listing their problems).
    #[arg(long)]
    pub skip_invalid: bool,
    /// Check the file (and its ids against the database) but store nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Args, Debug)]
pub struct CheckArgs {
    /// Survey files or directories (default: surveys/).
    pub paths: Vec<PathBuf>,
    /// Analysis plans to check against the surveys (every *.toml in it). Default:
    /// analysis/plans/ when checking the default surveys/ (plans name surveys, so checking
    /// a single survey file leaves them out).
    #[arg(long, env = "ANKETA_PLANS")]
    pub plans: Option<PathBuf>,
}

/// `--format` takes the export registry's names ([`crate::export::Format`]).
impl ValueEnum for crate::export::Format {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::export::Format::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.spec().description.0))
    }
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The id of the survey to export.
    pub survey_id: String,
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[arg(long, value_enum, default_value_t = crate::export::Format::Csv)]
    pub format: crate::export::Format,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Which responses: complete (default), partial (in progress) or all.
    #[arg(long, value_enum, default_value_t = StatusChoice::Complete)]
    pub status: StatusChoice,
    /// Only responses submitted (partial ones: last changed) on or after this day (YYYY-MM-DD, UTC).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<time::Date>,
    /// ... and on or before this day.
    #[arg(long, value_parser = parse_day)]
    pub to: Option<time::Date>,
    /// Only responses given on this survey version (the hash in `survey_version`).
    #[arg(long = "survey-version")]
    pub survey_version: Option<String>,
    /// Only responses where KEY=VALUE: a choice question's code (`town=kolin`), an option
    /// attribute (`town.region=Praha`) or an invitation column (`invitation.group=pilot`).
    /// Repeat for several (all must hold).
    #[arg(long = "where", value_name = "KEY=VALUE", value_parser = parse_where)]
    pub wheres: Vec<(String, String)>,
    #[command(flatten)]
    pub anonymization: AnonymizeArgs,
}

/// How an anonymized export is made (the survey's `[privacy]` rules do the rest).
#[derive(Args, Debug, Clone)]
pub struct AnonymizeArgs {
    /// Anonymize as the survey's privacy model says: identifiers dropped, pseudonyms,
    /// coarsening, k-anonymity over the quasi-identifiers; writes a report beside the data.
    #[arg(long)]
    pub anonymize: bool,
    /// The smallest group of look-alike respondents allowed (default: the survey's k, or 5).
    #[arg(long, requires = "anonymize", value_parser = clap::value_parser!(u64).range(2..))]
    pub k: Option<u64>,
    /// Publish even if reaching k needs quasi-identifier cells blanked or responses left out.
    #[arg(long, requires = "anonymize")]
    pub accept_suppression: bool,
    /// Keep sensitive typed text with e-mails, phone numbers, birth numbers and invited
    /// people's names redacted, instead of dropping it.
    #[arg(long, requires = "anonymize")]
    pub scrub_text: bool,
    /// The secret key for pseudonyms (at least 32 bytes; keep it outside the export).
    #[arg(long, env = "ANKETA_PSEUDONYM_KEY_FILE", value_name = "FILE")]
    pub pseudonym_key_file: Option<PathBuf>,
    /// The survey files: the privacy model is read from the survey's current file when
    /// it is here (otherwise from the newest version stored with the responses).
    #[arg(long, env = "ANKETA_SURVEYS", default_value = "surveys")]
    pub surveys: PathBuf,
    /// Where the anonymization report goes (default: beside -o as NAME.anonymization.md,
    /// or standard error).
    #[arg(long, requires = "anonymize", value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// The survey `id` from the survey files in `dir`. `Ok(None)` when the files have
/// errors (printed, with a request to fix them first).
pub(crate) fn load_survey(
    dir: &std::path::Path,
    id: &str,
) -> anyhow::Result<Option<crate::survey::Survey>> {
    let catalog = crate::survey::load_paths(&[dir.to_path_buf()]);
    if catalog.has_errors() {
        print_diagnostics(&catalog.diagnostics);
        eprintln!("error: fix the surveys above first");
        return Ok(None);
    }
    match catalog.surveys.into_iter().find(|s| s.id == id) {
        Some(survey) => Ok(Some(survey)),
        None => anyhow::bail!("there is no survey \"{id}\" in {}", dir.display()),
    }
}

/// The pseudonym key in a key file (`--pseudonym-key-file`).
pub fn read_pseudonym_key(
    path: &std::path::Path,
) -> anyhow::Result<crate::anonymize::PseudonymKey> {
    use anyhow::Context;
    let bytes = std::fs::read(path)
        .with_context(|| format!("cannot read the pseudonym key {}", path.display()))?;
    crate::anonymize::PseudonymKey::from_file_contents(&bytes)
        .with_context(|| format!("the pseudonym key {} is not usable", path.display()))
}

impl AnonymizeArgs {
    /// The anonymization options, reading the key file if one is named.
    pub fn options(&self) -> anyhow::Result<crate::anonymize::Options> {
        Ok(crate::anonymize::Options {
            k: self.k.map(|k| k as usize),
            key: self
                .pseudonym_key_file
                .as_deref()
                .map(read_pseudonym_key)
                .transpose()?,
            scrub_text: self.scrub_text,
            accept_suppression: self.accept_suppression,
            export_salt: String::new(),
            survey: None,
        })
    }
}

#[derive(Copy, Clone, Debug, ValueEnum, PartialEq, Eq)]
pub enum StatusChoice {
    Complete,
    Partial,
    All,
}

fn parse_day(s: &str) -> Result<time::Date, String> {
    crate::survey::expr::parse_date_literal(s.trim())
        .ok_or_else(|| format!("\"{s}\" is not a date: write YYYY-MM-DD, e.g. 2024-03-05"))
}

fn parse_where(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("\"{s}\" is not KEY=VALUE, e.g. town.region=Praha")),
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.log_format);
    match cli.command {
        Command::Check(args) => check(&args),
        Command::Serve(args) => block_on(serve::serve(args)),
        Command::Export(args) => block_on(data::export(args)),
        Command::Invite(args) => block_on(data::invite(args)),
        Command::Import(args) => block_on(import::import(args)),
        Command::Analyze(args) => block_on(analyze::analyze(args)),
        Command::User(args) => block_on(users::run(args)),
        Command::Demo(DemoCommand::Interviews(args)) => block_on(demo::interviews(args)),
        Command::Demo(DemoCommand::Responses(args)) => block_on(demo::responses(args)),
        Command::Demo(DemoCommand::Training(args)) => block_on(demo::training(args)),
        Command::Demo(DemoCommand::All(args)) => block_on(demo::all(args)),
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn,tower_sessions=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

fn block_on(f: impl std::future::Future<Output = anyhow::Result<ExitCode>>) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(f) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            if let Some(help) = command_line_help(&e) {
                eprintln!("  = help: {help}");
            }
            ExitCode::FAILURE
        }
    }
}

/// What to type instead, for an error whose core message describes only the problem (the
/// core does not know it was called from the command line; the staff area says it in
/// its own words).
fn command_line_help(e: &anyhow::Error) -> Option<String> {
    use crate::anonymize::AnonymizeError;
    use crate::export::{ExportError, Narrowing};
    use crate::import::ImportError;
    let needs_key = "pass --pseudonym-key-file FILE (or set ANKETA_PSEUDONYM_KEY_FILE)";
    e.chain().find_map(|cause| {
        if let Some(e) = cause.downcast_ref::<ExportError>() {
            return match e {
                ExportError::NotAnInterviewGuide(_) => Some("use --format csv".into()),
                ExportError::InterviewGuideLayout(_) => {
                    Some("use --format csv, interviews-md, interviews-txt or interviews-csv".into())
                }
                ExportError::FilterWithAnonymize(narrowing) => Some(format!(
                    "leave out {} with --anonymize",
                    match narrowing {
                        Narrowing::Status => "--status",
                        Narrowing::Period => "--from and --to",
                        Narrowing::Version => "--survey-version",
                        Narrowing::Filter => "--where",
                    }
                )),
                ExportError::Anonymize(AnonymizeError::NeedsKey(_)) => Some(needs_key.into()),
                ExportError::NeedsSuppression(_) => {
                    Some("add --accept-suppression to export with it".into())
                }
                _ => None,
            };
        }
        if let Some(AnonymizeError::NeedsKey(_)) = cause.downcast_ref::<AnonymizeError>() {
            return Some(needs_key.into());
        }
        if let Some(ImportError::NoHeader(survey)) = cause.downcast_ref::<ImportError>() {
            return Some(format!(
                "export the survey with `anketa export {survey} --format csv` for the header"
            ));
        }
        None
    })
}

pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

fn check(args: &CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from("surveys")]
    } else {
        args.paths.clone()
    };
    let catalog = survey::load_paths(&paths);
    let plans_dir = match (&args.plans, args.paths.is_empty()) {
        (Some(dir), _) => Some(dir.clone()),
        (None, true) => Some(PathBuf::from(crate::report::plan_load::PLAN_DIR)),
        (None, false) => None,
    };
    let plans = match &plans_dir {
        Some(dir) => crate::report::plan_load::load_dir(dir, &catalog.surveys),
        None => crate::report::plan_load::Plans::default(),
    };
    let diagnostics: Vec<&Diagnostic> = catalog
        .diagnostics
        .iter()
        .chain(&plans.diagnostics)
        .collect();
    for d in &diagnostics {
        eprintln!("{d}");
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if errors > 0 {
        eprintln!(
            "error: {errors} error(s) and {warnings} warning(s) in {} file(s)",
            catalog.files + plans.files
        );
        ExitCode::FAILURE
    } else {
        eprintln!(
            "ok: {} survey(s) and {} analysis plan(s) checked, {warnings} warning(s)",
            catalog.surveys.len(),
            plans.plans.len()
        );
        ExitCode::SUCCESS
    }
}

/// Open the database and bring its tables up to date (every data command starts so).
async fn open_store(database: &DatabaseArgs) -> anyhow::Result<crate::store::Store> {
    use anyhow::Context;
    let store = crate::store::Store::connect(&database.url)
        .await
        .context("cannot open the database")?;
    store
        .migrate()
        .await
        .context("cannot prepare the database")?;
    Ok(store)
}
