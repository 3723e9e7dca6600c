//! `anketa serve`: start-up checks, listening, and a clean shutdown on Ctrl-C or SIGTERM.

use std::process::ExitCode;

use super::{ServeArgs, print_diagnostics};
use crate::app::{self, Settings, StartError};

pub(super) async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let pseudonym_key = pseudonym_key(args.pseudonym_key_file.as_deref(), &args.database.url)?;
    let settings = Settings {
        database_url: args.database.url,
        surveys_dir: args.surveys,
        plans_dir: args.plans,
        secure_cookies: !args.insecure_cookies,
        body_limit: Settings::DEFAULT_BODY_LIMIT,
        base_url: base_url(args.base_url, args.listen)?,
        header_timeout: std::time::Duration::from_secs(args.header_timeout),
        two_factor: args.two_factor,
        behind_proxy: args.behind_proxy,
        pseudonym_key,
    };
    let (state, warnings) = match app::prepare(settings).await {
        Ok(ready) => ready,
        Err(StartError::InvalidSurveys(diagnostics)) => {
            print_diagnostics(&diagnostics);
            eprintln!("error: not starting: fix the surveys above (`anketa check` shows the same)");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e).context("cannot start"),
    };
    print_diagnostics(&warnings);
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!("listening on http://{addr}");
    if state.settings().secure_cookies && addr.ip().is_loopback() {
        tracing::info!(
            "cookies are Secure: browsers accept them on localhost; behind plain HTTP elsewhere use --insecure-cookies"
        );
    }
    let store = state.store().clone();
    app::serve(state, listener, shutdown_signal())
        .await
        .context("server failed")?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// The pseudonym key: the file named, or one beside an SQLite database, created on the
/// first start (evaluators' downloads need it); with PostgreSQL and no file, none.
fn pseudonym_key(
    named: Option<&std::path::Path>,
    database_url: &str,
) -> anyhow::Result<Option<crate::anonymize::PseudonymKey>> {
    use anyhow::Context;
    if let Some(path) = named {
        return super::read_pseudonym_key(path).map(Some);
    }
    let Some(path) = crate::anonymize::pseudonym::default_key_file(database_url) else {
        tracing::warn!(
            "no pseudonym key: anonymized exports that link people across surveys are refused; give every instance the same key with --pseudonym-key-file (docs/anonymization.md)"
        );
        return Ok(None);
    };
    let (key, created) = crate::anonymize::pseudonym::load_or_create_key(&path)
        .with_context(|| format!("the pseudonym key {} is not usable", path.display()))?;
    if created {
        tracing::warn!(
            key = %path.display(),
            "created the pseudonym key: back it up with the database; without it, new exports give the same people other pseudonyms (docs/anonymization.md)"
        );
    } else {
        tracing::info!(key = %path.display(), "pseudonym key");
    }
    Ok(Some(key))
}

/// The address for links: `--base-url`, or on a loopback address (a computer of one's
/// own) the listening address. Listening for others without `--base-url` is refused:
/// links to `http://0.0.0.0:8080` reach nobody, and a request's Host header is the
/// sender's to choose.
fn base_url(given: Option<String>, listen: std::net::SocketAddr) -> anyhow::Result<String> {
    match given {
        Some(url) => Ok(url.trim_end_matches('/').to_string()),
        None if listen.ip().is_loopback() => Ok(format!("http://{listen}")),
        None => anyhow::bail!(
            "--base-url (ANKETA_BASE_URL) is needed when listening on {listen}: the address people reach anketa at, e.g. https://anketa.example.cz, for the links it makes (resume, set-password)"
        ),
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}
