//! Exercise 4: find the leak that no `defer` shows.
//!
//! The program writes log files and, once the batch is complete, appends a
//! footer with the batch size to each of them. There is no defer stack and
//! every `File` is a local, yet under a low descriptor limit the starter fails
//! with "Too many open files" partway through.
//!
//! The task: find what keeps the files open (watch the run's descriptors with
//! `--pause-at` and `ls -l /proc/PID/fd` or `lsof -p PID`), then fix it so that
//! the program runs to the end under `--nofile 64` with any number of files,
//! footers included. The reference solution is
//! `exercises/4-detection/solution.rs`. Check with `make exercise 4`.

// ANCHOR: imports
use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::run::Run;
use std::fs::{self, File};
use std::io::{self, Write};
use std::process::ExitCode;
// ANCHOR_END: imports

const NAME: &str = "exercise-4";

// ANCHOR: task
/// Files that get a footer once the batch is complete: the footer holds the
/// batch size, which is known only at the end.
#[derive(Default)]
struct Batch {
    /// Kept so that `finish` can write the footers.
    files: Vec<File>,
}

impl Batch {
    fn add(&mut self, file: File) {
        self.files.push(file);
    }

    /// Appends the footer to every file of the batch and returns their number.
    fn finish(self) -> io::Result<usize> {
        let total = self.files.len();
        for mut file in self.files {
            writeln!(file, "{}", footer(total))?;
        }
        Ok(total)
    }
}

// ANCHOR: process
fn process_files(run: &mut Run) -> io::Result<()> {
    let mut batch = Batch::default();
    for path in run.paths() {
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
        batch.add(file);
        if let Some(at) = run.file_done()? {
            println!("{at}");
        }
    }
    let total = batch.finish()?;
    println!("Footers written to {total} files.");
    Ok(())
}
// ANCHOR_END: process
// ANCHOR_END: task

// ANCHOR: harness
fn footer(total: usize) -> String {
    format!("-- end of batch: {total} files --")
}

/// Checks that every file ends with the footer, so that a fix that skips
/// the footers fails the run.
fn check_footers(run: &Run) -> io::Result<()> {
    let expected = footer(run.files());
    for path in run.paths() {
        let text = fs::read_to_string(&path)?;
        if text.lines().last() != Some(expected.as_str()) {
            return Err(io::Error::other(format!(
                "{} does not end with the footer '{expected}'",
                path.display()
            )));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes log files and, at the end, a footer with the batch size in each.\n\n\
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
    let result = process_files(&mut run).and_then(|()| check_footers(&run));
    run.finish(result)
}
// ANCHOR_END: harness
