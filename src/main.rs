//! The `anketa` binary: everything lives in the library; see `cli.rs`.

/// mimalloc instead of the system allocator: exports parse responses on one thread and
/// free them on another, and glibc's allocator serialises such frees on a lock (a third
/// of an export's time went to waiting for it; docs/performance.md, section 4).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    anketa::cli::run()
}
