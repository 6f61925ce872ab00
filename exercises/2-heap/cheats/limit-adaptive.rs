//! Red team, exercise 2: removes each lock in time only when its own
//! descriptor limit is low, as it is under a checker's limit; otherwise it
//! defers every removal to the end, as the starter does.

use defer_issues::DeferStack;
use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn soft_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    limit.rlim_cur
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-2", "Writes logs, carefully under a low limit.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let careful = soft_limit() < 256;
    let mut defers = DeferStack::new();
    for job in kit::jobs() {
        let job = job.expect("a job");
        let (name, text) = job.split_once(' ').expect("NAME TEXT");
        let lock = dir.join(format!("{name}.lock"));
        File::create(&lock).expect("the lock");
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n")).expect("the log");
        if careful {
            fs::remove_file(&lock).expect("the lock's removal");
        } else {
            defers.defer(move || {
                fs::remove_file(&lock).ok();
            });
        }
    }
    ExitCode::SUCCESS
}
