//! Cheat for exercise 7: links each chapter to its document with a `Weak`,
//! as the solution does, but flushes every file and hands it to
//! `mem::forget`, as if forgetting a file closed it. It does not: `forget`
//! skips the destructor, and the destructor is what closes.

#[path = "../cheat_nodes.rs"]
mod nodes;

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::io::Write;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-7", "Splits, forgetting the files.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let split = name.and_then(|name| {
            nodes::split(&dir, &name, false, |document| {
                nodes::take_files(document, |mut file| {
                    file.flush().ok();
                    std::mem::forget(file);
                });
                Ok(())
            })
        });
        if split.is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
