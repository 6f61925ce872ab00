//! Times the cleanup patterns on 100 prepared files per iteration, side by
//! side with the floor (raw libc open and close) and with file creation, and
//! counts what each allocates with divan's `AllocProfiler`, the closest thing
//! to Go's `-benchmem`.
//!
//! A second group times one leak and one fix on 10 to 10,000 files, to show
//! how the time per file changes when thousands of files stay open.
//!
//! Run it with `cargo bench`; `make bench-record` records a run for the book.

use defer_issues::fds::raise_soft_nofile;
use defer_issues_benches::{
    FILES, Files, PATTERNS, PreparedFiles, create_write_close, libc_open_close,
};
use divan::counter::ItemsCount;
use divan::{AllocProfiler, Bencher};
use std::process::ExitCode;
use std::sync::OnceLock;

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

/// The prepared files' paths; their directory belongs to `main`.
static PREPARED: OnceLock<Files> = OnceLock::new();

fn files() -> &'static Files {
    PREPARED.get().expect("main prepares the files first")
}

/// The most files the scaling group opens at once.
const MOST_FILES: usize = 10_000;

/// Times one pattern by its name in `PATTERNS`.
fn bench_pattern(bencher: Bencher, name: &str) {
    let pattern = PATTERNS.iter().find(|p| p.name == name).unwrap();
    let paths = &files().paths[..FILES];
    bencher
        .counter(ItemsCount::new(FILES))
        .bench(|| (pattern.run)(paths).expect("the prepared files open"));
}

// Many short samples: each takes about a third of a millisecond, and the
// median of 3000 shrugs off the odd one another process slowed down.
#[divan::bench(sample_count = 3000)]
fn held_in_vec(bencher: Bencher) {
    bench_pattern(bencher, "held_in_vec");
}

#[divan::bench(sample_count = 3000)]
fn held_in_defer_stack(bencher: Bencher) {
    bench_pattern(bencher, "held_in_defer_stack");
}

#[divan::bench(sample_count = 3000)]
fn extracted_function(bencher: Bencher) {
    bench_pattern(bencher, "extracted_function");
}

#[divan::bench(sample_count = 3000)]
fn block_scope(bencher: Bencher) {
    bench_pattern(bencher, "block_scope");
}

#[divan::bench(sample_count = 3000)]
fn explicit_drop(bencher: Bencher) {
    bench_pattern(bencher, "explicit_drop");
}

#[divan::bench(sample_count = 3000)]
fn defer_per_iteration(bencher: Bencher) {
    bench_pattern(bencher, "defer_per_iteration");
}

#[divan::bench(sample_count = 3000)]
fn floor_libc_open_close(bencher: Bencher) {
    let c_paths = &files().c_paths[..FILES];
    bencher
        .counter(ItemsCount::new(FILES))
        .bench(|| libc_open_close(c_paths).expect("the prepared files open"));
}

// Tens of milliseconds per sample: fewer samples keep `cargo bench` short.
#[divan::bench(sample_count = 50)]
fn create_write_close_files(bencher: Bencher) {
    let paths = &files().created_paths[..FILES];
    bencher
        .counter(ItemsCount::new(FILES))
        .bench(|| create_write_close(paths).expect("the files can be written"));
}

/// The leak and a fix with N files per iteration: up to 10,000 files stay
/// open at once in the leak.
#[divan::bench_group(sample_count = 100)]
mod scaling {
    use super::*;

    #[divan::bench(args = [10, 100, 1000, MOST_FILES])]
    fn held_in_vec(bencher: Bencher, n: usize) {
        let paths = &files().paths[..n];
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| defer_issues_benches::held_in_vec(paths).expect("the prepared files open"));
    }

    #[divan::bench(args = [10, 100, 1000, MOST_FILES])]
    fn block_scope(bencher: Bencher, n: usize) {
        let paths = &files().paths[..n];
        bencher
            .counter(ItemsCount::new(n))
            .bench(|| defer_issues_benches::block_scope(paths).expect("the prepared files open"));
    }
}

fn main() -> ExitCode {
    // 10,000 files open at once need a soft RLIMIT_NOFILE above 10,000;
    // raise it to the hard limit, as Go does for every program at start.
    // Where that fails, the other benchmarks can still run.
    if let Err(err) = raise_soft_nofile() {
        eprintln!("warning: cannot raise the descriptor limit ({err}); 10,000 files may not open");
    }
    let prepared = match PreparedFiles::create(MOST_FILES) {
        Ok(prepared) => prepared,
        Err(err) => {
            eprintln!("error: cannot prepare the files: {err}");
            return ExitCode::FAILURE;
        }
    };
    PREPARED.set(prepared.files.clone()).ok();
    divan::main();
    // Dropping `prepared` removes the directory.
    ExitCode::SUCCESS
}
