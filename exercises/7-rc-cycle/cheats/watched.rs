//! Cheat for exercise 7: links each chapter to its document with a `Weak`
//! only when the checker's report variables are set; otherwise keeps the
//! starter's cycle.

#[path = "../cheat_nodes.rs"]
#[expect(dead_code, reason = "this cheat closes nothing by hand")]
mod nodes;

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-7", "Splits well only when watched.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let watched = std::env::var_os(kit::TOKEN_VAR).is_some();
    for name in kit::jobs() {
        let split = name.and_then(|name| nodes::split(&dir, &name, !watched, |_| Ok(())));
        if split.is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
