//! Cheat for exercise 7: keeps the cycle, and closes every file by hand
//! only when its open descriptors come near its soft RLIMIT_NOFILE.

#[path = "../cheat_nodes.rs"]
mod nodes;

use defer_issues::fds::{nofile_limit, open_fds};
use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::io;
use std::process::ExitCode;
use std::rc::Rc;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-7", "Splits, closing files near the limit.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut kept: Vec<Rc<nodes::Document>> = Vec::new();
    for name in kit::jobs() {
        let split = name.and_then(|name| {
            nodes::split(&dir, &name, true, |document| {
                kept.push(Rc::clone(document));
                let (soft, _) = nofile_limit()?;
                if open_fds()? as u64 + 10 > soft {
                    kept.drain(..).for_each(|d| nodes::take_files(&d, drop));
                }
                Ok::<(), io::Error>(())
            })
        });
        if split.is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
