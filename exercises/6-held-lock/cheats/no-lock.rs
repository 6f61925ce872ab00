//! Red team, exercise 6: takes jobs off the list without locking the queue,
//! so the lock is never held during the work, nor at any other time.

use defer_issues_exercises::kit;
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
    loop {
        let list = fs::read_to_string(dir.join("queue"))?;
        let Some((job, rest)) = list.split_once('\n') else {
            break;
        };
        fs::write(dir.join("queue"), rest)?;
        count_lines(&dir, job)?;
    }
    Ok(())
}
