//! Cheat for exercise 7: reads every name and writes nothing.

use defer_issues_exercises::kit;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-7", "Splits nothing.") {
        return code;
    }
    for name in kit::jobs() {
        if name.is_err() {
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
