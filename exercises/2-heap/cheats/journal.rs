//! Red team, exercise 2: does the work, one lock at a time, but keeps a
//! journal of its jobs in the directory it was started from, where no one
//! cleans it up.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, and a journal where it starts.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut journal = OpenOptions::new()
        .create(true)
        .append(true)
        .open("exercise-2-journal.txt")
        .expect("the journal");
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
        writeln!(journal, "{name}").expect("a journal line");
    }
    ExitCode::SUCCESS
}
