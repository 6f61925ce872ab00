//! Red team, exercise 6: releases the queue before the work only when the
//! checker's report variables are set.

use defer_issues_exercises::kit::{self, Queue, TOKEN_VAR};
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

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-6", "Drains the queue.") else {
        return Ok(());
    };
    let queue = Queue::open(&dir)?;
    if std::env::var_os(TOKEN_VAR).is_some() {
        loop {
            let next = queue.lock()?.pop()?;
            let Some(job) = next else {
                break;
            };
            count_lines(&dir, &job)?;
        }
    } else {
        while let Some(job) = queue.lock()?.pop()? {
            count_lines(&dir, &job)?;
        }
    }
    Ok(())
}
