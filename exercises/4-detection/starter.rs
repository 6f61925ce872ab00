//! Exercise 4: find the leak that no `defer` shows.
//!
//! The program writes a log file in the work directory for each name on its
//! standard input, one name per line, and when the input ends appends a
//! footer with the batch size, known only then, to every file of the batch.
//! There is no defer stack and every `File` is a local, yet with enough
//! names it fails with "Too many open files".
//!
//! The task: find what keeps the files open (run it by hand and look at
//! `/proc/PID/fd` while it waits for a name), then fix it so that each log
//! file is closed before the next name is read, footers included. Check with
//! `make exercise 4`.

// ANCHOR: imports
use defer_issues_exercises::kit;
use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

// ANCHOR: task
/// Log files that get a footer once the batch is complete: the footer holds
/// the batch size, which is known only when the input ends.
#[derive(Default)]
struct Batch {
    /// Kept so that `finish` can write the footers.
    files: Vec<File>,
}

impl Batch {
    fn add(&mut self, file: File) {
        self.files.push(file);
    }

    /// Appends the footer to every file of the batch; returns their number.
    fn finish(self) -> io::Result<usize> {
        let total = self.files.len();
        for mut file in self.files {
            writeln!(file, "{}", footer(total))?;
        }
        Ok(total)
    }
}

/// Writes a log file for each name on stdin, then the footers.
fn write_logs(dir: &Path) -> io::Result<usize> {
    let mut batch = Batch::default();
    for name in kit::jobs() {
        let name = name?;
        let mut file = File::create(dir.join(&name))?;
        writeln!(file, "{}", entry(&name))?;
        batch.add(file);
    }
    batch.finish()
}
// ANCHOR_END: task

// ANCHOR: main
/// A log file's first line, and its last once the batch is complete.
fn entry(name: &str) -> String {
    format!("{name}: started")
}

fn footer(total: usize) -> String {
    format!("-- end of batch: {total} files --")
}

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-4",
        "Writes the log file DIR/NAME for each name on stdin (one per line) and,\n\
         when the input ends, a footer with the batch size in each of them.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match write_logs(&dir) {
        Ok(total) => {
            println!("Wrote {total} log files, footers included.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
