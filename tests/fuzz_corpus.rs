//! Replays the fuzz corpora and the crash reproducers (`fuzz/corpus/<target>/`,
//! `fuzz/regressions/<target>/`) through the same functions the `cargo fuzz` targets call,
//! so CI on stable Rust catches a regression without running the fuzzer (fuzz/README.md).

use std::fs;
use std::path::{Path, PathBuf};

/// A fuzz target's body: takes the fuzzer's bytes, must not panic.
type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 3] = [
    ("survey_toml", anketa::fuzzing::survey_toml),
    ("expression", anketa::fuzzing::expression),
    ("form_decoding", anketa::fuzzing::form_decoding),
];

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn replay(target: &str, run: Target, dir: &Path) -> usize {
    let files = files(dir);
    for file in &files {
        let data = fs::read(file).expect("a readable file");
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(
            outcome.is_ok(),
            "fuzz target {target} panics on {}",
            file.display()
        );
    }
    files.len()
}

#[test]
fn every_corpus_input_and_regression_runs_without_panicking() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    for (target, run) in TARGETS {
        let corpus = replay(target, run, &fuzz.join("corpus").join(target));
        assert!(corpus > 0, "fuzz/corpus/{target} is empty or missing");
        replay(target, run, &fuzz.join("regressions").join(target));
    }
}
