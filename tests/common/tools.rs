//! The programs the export and report checks read anketa's files with (a Python with
//! `tests/python/requirements.txt`, PSPP, Rscript), named by environment variables that
//! `.ci/run` sets. Outside CI a missing one skips its check with a message; in CI it may
//! not be skipped.

/// The program in `variable` (e.g. `ANKETA_TEST_PSPP`); `None` skips, except in CI.
pub fn program(variable: &str) -> Option<String> {
    match std::env::var(variable) {
        Ok(p) if !p.is_empty() => Some(p),
        _ if std::env::var_os("CI").is_some() => {
            panic!("{variable} must be set in CI: these checks may not be skipped")
        }
        _ => {
            eprintln!("skipping a check: set {variable}");
            None
        }
    }
}

/// A check script succeeded and printed just "ok".
pub fn assert_says_ok(run: &std::process::Output) {
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success() && out.trim() == "ok",
        "{out}{}",
        String::from_utf8_lossy(&run.stderr)
    );
}
