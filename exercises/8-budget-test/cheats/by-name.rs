//! Cheat for exercise 8: answers from the program's name, as if a test
//! program that leaks were called `leaky` or `burst`, and runs nothing.

use defer_issues_exercises::kit;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-8", "Judges programs by their names.") {
        return code;
    }
    let mut all_within = true;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        all_within &= !["leak", "burst", "over"]
            .iter()
            .any(|word| name.contains(word));
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
