//! Red team, exercise 6: takes every job off the queue at once, then works
//! on them with the queue free.

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

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-6", "Drains the queue.") else {
        return Ok(());
    };
    let queue = Queue::open(&dir)?;
    let mut mine = Vec::new();
    {
        let mut held = queue.lock()?;
        while let Some(job) = held.pop()? {
            mine.push(job);
        }
    }
    for job in mine {
        count_lines(&dir, &job)?;
    }
    Ok(())
}
