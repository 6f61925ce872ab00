//! Refactoring pattern: an RAII wrapper type. Cleanup written by hand at the
//! end of a function is skipped by every early return; cleanup in a type's
//! `Drop` runs on every way out of the scope that owns the value.
//!
//! Run it:  cargo run --example drop-raii

use defer_issues::cli::parse_args;
use defer_issues::workdir::{CleanupCase, run_each_way};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-raii [OPTIONS]

Runs a job that writes a scratch file, once succeeding and once failing
half-way, with the cleanup written by hand and with an RAII wrapper, and
lists the files each run leaves behind.

Options:
  -h, --help       print this help
";

/// The step between writing the scratch file and finishing: it fails when
/// asked to, the way a parse or a network call might.
fn next_step(fail: bool) -> io::Result<()> {
    if fail {
        return Err(io::Error::other("the next step failed"));
    }
    Ok(())
}

// ANCHOR: by_hand
fn job_by_hand(dir: &Path, fail: bool) -> io::Result<()> {
    let path = dir.join("scratch.tmp");
    let mut scratch = File::create(&path)?;
    writeln!(scratch, "intermediate results")?;
    next_step(fail)?; // an early return skips the removal below
    drop(scratch);
    fs::remove_file(&path)
}
// ANCHOR_END: by_hand

// ANCHOR: wrapper
/// A file that is deleted when this value drops, on every way out.
struct ScratchFile {
    path: PathBuf,
    file: File,
}

impl ScratchFile {
    fn create(path: PathBuf) -> io::Result<Self> {
        let file = File::create(&path)?;
        Ok(Self { path, file })
    }
}

impl Drop for ScratchFile {
    fn drop(&mut self) {
        // Drop cannot return an error, so report it and carry on.
        if let Err(err) = fs::remove_file(&self.path) {
            eprintln!("warning: cannot remove {}: {err}", self.path.display());
        }
    } // then the fields drop: `file` closes its descriptor
}

fn job_with_wrapper(dir: &Path, fail: bool) -> io::Result<()> {
    let mut scratch = ScratchFile::create(dir.join("scratch.tmp"))?;
    writeln!(scratch.file, "intermediate results")?;
    next_step(fail)?; // `scratch` is removed on this way out too
    Ok(())
}
// ANCHOR_END: wrapper

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    let cases: [(&str, CleanupCase); 2] = [
        ("Cleanup by hand", job_by_hand),
        ("An RAII wrapper", job_with_wrapper),
    ];
    match run_each_way("drop-raii-", &cases) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
