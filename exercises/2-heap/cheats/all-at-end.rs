//! Red team, exercise 2: reads every job first, then writes every log, each
//! under its lock, at the end: nothing is left while it waits, because it
//! does nothing while it waits.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs after reading every job.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let jobs: Vec<String> = kit::jobs().map(|job| job.expect("a job")).collect();
    for job in jobs {
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    ExitCode::SUCCESS
}
