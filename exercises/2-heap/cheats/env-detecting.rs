//! Red team, exercise 2: removes each lock in time only when it sees the
//! checker's variables; otherwise it defers every removal to the end, as the
//! starter does.

use defer_issues::DeferStack;
use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, carefully when watched.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let watched =
        std::env::var_os(kit::TOKEN_VAR).is_some() || std::env::var_os(kit::REPORT_VAR).is_some();
    let mut defers = DeferStack::new();
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        if watched {
            fs::remove_file(&lock).expect("the lock's removal");
        } else {
            defers.defer(move || {
                fs::remove_file(&lock).ok();
            });
        }
    }
    ExitCode::SUCCESS
}
