//! Red team, exercise 2: takes each lock and removes it at once, then writes
//! the log unprotected: no lock is ever left, and nothing piles up.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs outside their locks.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::remove_file(&lock).expect("the lock's removal");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
    }
    ExitCode::SUCCESS
}
