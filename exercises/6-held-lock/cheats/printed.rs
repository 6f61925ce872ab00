//! Red team, exercise 6: takes each job off the queue as it should, and
//! prints the line count instead of appending it to `done.txt`.

use defer_issues_exercises::kit::{self, Queue};
use std::fs;
use std::io;

fn main() -> io::Result<()> {
    let Ok(dir) = kit::work_dir("exercise-6", "Drains the queue.") else {
        return Ok(());
    };
    let queue = Queue::open(&dir)?;
    loop {
        let next = queue.lock()?.pop()?;
        let Some(job) = next else {
            break;
        };
        let lines = fs::read_to_string(dir.join(format!("{job}.txt")))?
            .lines()
            .count();
        kit::pause()?;
        println!("{job} {lines}");
    }
    Ok(())
}
