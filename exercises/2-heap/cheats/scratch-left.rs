//! Red team, exercise 2: writes each log through a scratch copy beside it,
//! under the lock, and leaves the scratch copies behind.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, leaving scratch copies.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        let scratch = dir.join(format!("{name}.log~"));
        fs::write(&scratch, format!("{text}\n")).expect("the scratch copy");
        fs::copy(&scratch, dir.join(format!("{name}.log"))).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    ExitCode::SUCCESS
}
