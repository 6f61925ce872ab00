//! Red team, exercise 2: does every job as asked, then removes every log on
//! its way out, as if it cleaned up after itself.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, and removes them at exit.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    for entry in fs::read_dir(&dir).expect("the work directory") {
        fs::remove_file(entry.expect("an entry").path()).expect("a removal");
    }
    ExitCode::SUCCESS
}
