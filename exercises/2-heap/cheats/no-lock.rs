//! Red team, exercise 2: writes every log and never takes a lock, so no lock
//! can be left behind and no removal is pending.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs without locks.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
    }
    ExitCode::SUCCESS
}
