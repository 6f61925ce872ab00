//! Exercise 1: back up a batch of files without keeping them all open.
//!
//! The program writes some log files, then copies each one to a `.bak` file
//! beside it. In the starter, `back_up` is a port from Go with a deferred
//! close after every open, so every file stays open until it returns.
//!
//! The task: change `back_up` so that both files of one backup are closed
//! before the next backup starts, and leave the rest as it is. The reference
//! solution is `exercises/1-loop/solution.rs`. Check with `make exercise 1`.

// ANCHOR: imports
use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::run::Run;
use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

const NAME: &str = "exercise-1";

// ANCHOR: task
/// Copies every log file to `logfile_N.bak` beside it, one file at a time.
fn back_up(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        back_up_one(&path)?;
        if let Some(at) = run.file_done()? {
            println!("{at}");
        }
    }
    Ok(())
}

/// Copies one file. Both files close when this function returns, before
/// the loop in `back_up` moves on to the next one.
fn back_up_one(path: &Path) -> io::Result<()> {
    let mut source = File::open(path)?;
    let mut backup = File::create(path.with_extension("bak"))?;
    io::copy(&mut source, &mut backup)?;
    Ok(())
} // `backup` and `source` drop here: both are closed.
// ANCHOR_END: task

// ANCHOR: harness
/// Writes the log files to back up, closing each one as soon as it is written.
fn write_logs(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
    }
    Ok(())
}

/// Checks that every backup exists and matches its log file, so that a
/// backup that is skipped or cut short fails the run.
fn check_backups(run: &Run) -> io::Result<()> {
    for path in run.paths() {
        let backup = path.with_extension("bak");
        if fs::read(&path)? != fs::read(&backup)? {
            return Err(io::Error::other(format!(
                "{} does not match {}",
                backup.display(),
                path.display()
            )));
        }
    }
    Ok(())
}

fn write_and_back_up(run: &mut Run) -> io::Result<()> {
    write_logs(run)?;
    println!("Wrote {} log files. Backing them up...", run.files());
    back_up(run)?;
    check_backups(run)?;
    println!("All {} backups match their log files.", run.files());
    Ok(())
}

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes log files, then copies each one to a .bak file beside it.\n\n\
         Options:\n{FILE_OPTIONS_HELP}"
    );
    let options = match FileOptions::parse(&usage, |_, _| Ok(false)) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut run = match Run::start(NAME, options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let result = write_and_back_up(&mut run);
    run.finish(result)
}
// ANCHOR_END: harness
