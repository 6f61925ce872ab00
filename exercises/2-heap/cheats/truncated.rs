//! Red team, exercise 2: writes only the start of each job's text, each log
//! under its lock, removed in time.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes the start of each log.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        let start = &text[..text.len().min(20)];
        fs::write(dir.join(format!("{name}.log")), format!("{start}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    ExitCode::SUCCESS
}
