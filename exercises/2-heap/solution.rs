//! Exercise 2: keep the heap flat.
//!
//! The program writes log files. Each line of its standard input is a job,
//! `NAME TEXT`: write TEXT to `NAME.log` in the work directory, holding the
//! lock file `NAME.lock` beside it while it writes, so that other programs
//! keep out. In the starter, a port from Go, each lock's removal is deferred
//! to the end of `write_logs`: every file is closed in time, but every lock
//! stays on disk, and every pending removal is a block of heap, until then.
//!
//! The task: change `write_logs` so that each lock is removed as soon as its
//! log is written, before the next job is read, and the live heap does not
//! grow with the number of jobs. Check with `make exercise 2`.

// ANCHOR: imports
use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use scopeguard::defer;
use std::fs::{self, File};
use std::io;
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

// Counts every allocation, so that the checker sees the live heap between
// jobs. Keep it.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: task
/// Writes each job's log while holding its lock file.
fn write_logs(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for job in kit::jobs() {
        let job = job?;
        let (name, text) = parse(&job)?;
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock)?;
        // Runs at the end of this iteration, however it ends: after the log
        // is written, or on an early `?` return.
        defer! {
            fs::remove_file(&lock).ok();
        }
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n"))?;
        count += 1;
    }
    Ok(count)
}
// ANCHOR_END: task

// ANCHOR: main
/// A job's name and text.
fn parse(job: &str) -> io::Result<(&str, &str)> {
    job.split_once(' ')
        .ok_or_else(|| io::Error::other(format!("a job is `NAME TEXT`, not {job:?}")))
}

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-2",
        "Writes each job of stdin, `NAME TEXT` (one per line), to DIR/NAME.log\n\
         while holding the lock file DIR/NAME.lock.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match write_logs(&dir) {
        Ok(count) => {
            println!("Wrote {count} logs.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
