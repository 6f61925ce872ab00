//! Red team, exercise 2: reads every job and does nothing with it.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-2", "Writes nothing.") {
        return code;
    }
    kit::jobs().for_each(drop);
    ExitCode::SUCCESS
}
