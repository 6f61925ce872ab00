//! Exercise 6: release the queue before the work.
//!
//! Several workers share one job queue in the work directory: `queue` lists
//! the jobs, one per line, and a worker holds an `flock` on `queue.lock`
//! while it takes a job off the list. This program is one of the workers. A
//! job `NAME` counts the lines of `NAME.txt` and appends `NAME LINES` to
//! `done.txt`.
//!
//! The task: change `drain` so that the queue is held only while a job is
//! taken off it, never while the job is done, so that the other workers can
//! take jobs meanwhile. Check with `make exercise 6`.

// ANCHOR: imports
use defer_issues_exercises::kit::{self, Queue};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

// ANCHOR: task
/// Takes jobs off the shared queue and does them until the queue is empty.
fn drain(dir: &Path) -> io::Result<usize> {
    let queue = Queue::open(dir)?;
    let mut count = 0;
    loop {
        // The guard is a temporary of this statement: the queue is released
        // at the `;`, before the work. (In `while let Some(job) =
        // queue.lock()?.pop()?`, it lives to the end of the loop body.)
        let next = queue.lock()?.pop()?;
        let Some(job) = next else {
            break;
        };
        count_lines(dir, &job)?;
        count += 1;
    }
    Ok(count)
}
// ANCHOR_END: task

// ANCHOR: work
/// One job: counts the lines of `JOB.txt` and appends `JOB LINES` to
/// `done.txt`.
fn count_lines(dir: &Path, job: &str) -> io::Result<()> {
    let lines = fs::read_to_string(dir.join(format!("{job}.txt")))?
        .lines()
        .count();
    kit::pause()?; // the slow part of a job: the checker looks here
    let mut done = OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.join("done.txt"))?;
    // One write, so that lines of workers writing at once never mix.
    done.write_all(format!("{job} {lines}\n").as_bytes())
}
// ANCHOR_END: work

// ANCHOR: main
fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-6",
        "Does the jobs of the queue in DIR (DIR/queue, locked by DIR/queue.lock) until it\n\
         is empty. In the middle of each job it waits for a `go on` line on stdin.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match drain(&dir) {
        Ok(count) => {
            println!("Did {count} jobs.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
