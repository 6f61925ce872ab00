//! Red team, exercise 6: a wrong fix. A `match` instead of `while let`:
//! the temporaries of a `match` scrutinee, the guard among them, live until
//! the end of the `match`, arms included.

use defer_issues_exercises::kit::{self, Queue};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

/// One job, done right: counts the lines of `JOB.txt` and appends them to
/// `done.txt`.
fn count_lines(dir: &Path, job: &str) -> io::Result<()> {
    let lines = fs::read_to_string(dir.join(format!("{job}.txt")))?
        .lines()
        .count();
    kit::pause()?;
    let mut done = OpenOptions::new()
        .append(true)
        .create(true)
        .open(dir.join("done.txt"))?;
    done.write_all(format!("{job} {lines}\n").as_bytes())
}

/// Does the next job, if there is one; whether there was.
fn do_next(dir: &Path, queue: &Queue) -> io::Result<bool> {
    match queue.lock()?.pop()? {
        Some(job) => {
            count_lines(dir, &job)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-6", "Drains the queue.") else {
        return Ok(());
    };
    let queue = Queue::open(&dir)?;
    while do_next(&dir, &queue)? {}
    Ok(())
}
