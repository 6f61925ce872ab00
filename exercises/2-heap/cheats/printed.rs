//! Red team, exercise 2: prints what a working program prints, and writes
//! nothing.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-2", "Writes nothing.") {
        return code;
    }
    let count = kit::jobs().count();
    println!("Wrote {count} logs.");
    ExitCode::SUCCESS
}
