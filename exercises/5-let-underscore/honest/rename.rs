//! Another honest solution of exercise 5, written apart from the reference
//! one: each rotation is a function that holds the lock in a named variable
//! and renames the log instead of copying it.

use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::process::ExitCode;

/// Moves `NAME.log` to `NAME.log.1` and starts a new, empty `NAME.log`, all
/// under `NAME.lock`.
fn rotate_one(dir: &Path, name: &str) -> io::Result<()> {
    let lock = LockFile::acquire(dir, name)?;
    let log = dir.join(format!("{name}.log"));
    fs::rename(&log, dir.join(format!("{name}.log.1")))?;
    kit::pause()?;
    File::create(&log)?;
    drop(lock);
    Ok(())
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-5", "Rotates each log of DIR named on stdin.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        if let Err(err) = name.and_then(|name| rotate_one(&dir, &name)) {
            eprintln!("error: {err}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
