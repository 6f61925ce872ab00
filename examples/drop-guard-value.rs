//! Refactoring pattern: move the value into the cleanup. A scope guard that
//! owns the value hands it to the cleanup by value, lets the body use it
//! meanwhile, and gives it back with `ScopeGuard::into_inner`, which also
//! cancels the cleanup. The example saves a report the safe way: write a
//! temporary file, rename it into place on success, remove it on failure.
//!
//! Run it:  cargo run --example drop-guard-value

use defer_issues::cli::parse_args;
use defer_issues::workdir::{CleanupCase, run_each_way};
use scopeguard::{ScopeGuard, defer, guard};
use std::cell::Cell;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-guard-value [OPTIONS]

Saves a report through a temporary file, once succeeding and once failing
half-way, with a defer! and a flag and with a guard that owns the path, and
lists the files each run leaves behind.

Options:
  -h, --help       print this help
";

/// The step between writing the report and publishing it: it fails when
/// asked to, the way a validation might.
fn validate(fail: bool) -> io::Result<()> {
    if fail {
        return Err(io::Error::other("validation failed"));
    }
    Ok(())
}

// ANCHOR: flag
fn save_with_flag(dir: &Path, fail: bool) -> io::Result<()> {
    let tmp = dir.join("report.tmp");
    let mut file = File::create(&tmp)?;
    // The cleanup borrows `tmp` and `published` until the function ends, so
    // the flag must be a Cell: a plain `bool` could not be set while borrowed.
    let published = Cell::new(false);
    defer! {
        if !published.get() {
            fs::remove_file(&tmp).ok(); // gone already is fine
        }
    }
    writeln!(file, "total: 42")?;
    validate(fail)?;
    file.sync_all()?;
    fs::rename(&tmp, dir.join("report.txt"))?;
    published.set(true);
    Ok(())
}
// ANCHOR_END: flag

// ANCHOR: guard
fn save_with_guard(dir: &Path, fail: bool) -> io::Result<()> {
    // The guard owns the path; its cleanup receives the path by value.
    let tmp = guard(dir.join("report.tmp"), |path| {
        fs::remove_file(path).ok(); // gone already is fine
    });
    // Declared after the guard, so the file closes before the removal runs.
    let mut file = File::create(&*tmp)?;
    writeln!(file, "total: 42")?;
    validate(fail)?;
    file.sync_all()?;
    // Success: take the path back out. The cleanup will not run now.
    let tmp = ScopeGuard::into_inner(tmp);
    fs::rename(tmp, dir.join("report.txt"))
}
// ANCHOR_END: guard

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    let cases: [(&str, CleanupCase); 2] = [
        ("defer! with a flag", save_with_flag),
        ("A guard that owns the path", save_with_guard),
    ];
    match run_each_way("drop-guard-value-", &cases) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
