//! Red team, exercise 6: reads the list once, then for each job takes one
//! off the queue under the lock but works on the next one of its own copy.

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
    let list = queue.lock()?.jobs()?;
    for job in list {
        let taken = queue.lock()?.pop()?;
        if taken.is_none() {
            break;
        }
        count_lines(&dir, &job)?;
    }
    Ok(())
}
