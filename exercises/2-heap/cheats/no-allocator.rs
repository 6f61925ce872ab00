//! Red team, exercise 2: does the work, one lock at a time, but does not
//! install the counting allocator, so no heap figures reach the checker.

use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, without counting allocations.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut count = 0;
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
        count += 1;
    }
    println!("Wrote {count} logs.");
    ExitCode::SUCCESS
}
