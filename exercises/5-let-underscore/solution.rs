//! Exercise 5: keep the lock file while the log is rotated.
//!
//! The program rotates the logs named on its standard input, one name per
//! line: `NAME.log` is copied to `NAME.log.1` and then emptied. Other
//! programs append to `NAME.log` whenever `NAME.lock` does not exist, so the
//! lock file must be there from before the copy until after the log is
//! emptied, or their lines are lost.
//!
//! The task: change `rotate` so that the lock file exists for the whole of
//! each rotation, and is gone once it is done. Check with `make exercise 5`.

// ANCHOR: imports
use defer_issues_exercises::kit::{self, LockFile};
use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

// ANCHOR: task
/// Rotates each log named on stdin, under its lock file.
fn rotate(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for name in kit::jobs() {
        let name = name?;
        // `_lock` is a variable: the lock file lives to the end of the
        // iteration. (`let _ =` would drop it, and remove it, at once.)
        let _lock = LockFile::acquire(dir, &name)?;
        let log = dir.join(format!("{name}.log"));
        fs::copy(&log, dir.join(format!("{name}.log.1")))?;
        kit::pause()?; // the slow part of a rotation: the checker looks here
        File::create(&log)?; // empties the log
        count += 1;
    } // `_lock` drops here: the lock file is removed once the log is empty.
    Ok(count)
}
// ANCHOR_END: task

// ANCHOR: main
fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-5",
        "Rotates each log of DIR named on stdin: NAME.log to NAME.log.1, under NAME.lock.\n\
         Each name is followed by a `go on` line, read in the middle of its rotation.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match rotate(&dir) {
        Ok(count) => {
            println!("Rotated {count} logs.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
