//! Red team, exercise 2: removes each lock in time, but keeps every lock's
//! path in a list "for the summary": the heap still grows with every job.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, remembering every lock.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut removed: Vec<PathBuf> = Vec::new();
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
        removed.push(lock);
    }
    println!("Wrote {} logs.", removed.len());
    ExitCode::SUCCESS
}
