//! Red team, exercise 2: writes each log first and takes its lock after,
//! removing it before the next job.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, then locks them.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    ExitCode::SUCCESS
}
