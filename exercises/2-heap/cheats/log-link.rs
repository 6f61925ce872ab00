//! Red team, exercise 2: writes each text to a hidden file of its own and
//! makes the log a hard link to it, under the lock.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Links logs to hidden files.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        let hidden = dir.join(format!(".{name}"));
        fs::write(&hidden, format!("{text}\n")).expect("the text");
        fs::hard_link(&hidden, dir.join(format!("{name}.log"))).expect("the link");
        fs::remove_file(&lock).expect("the lock's removal");
    }
    ExitCode::SUCCESS
}
