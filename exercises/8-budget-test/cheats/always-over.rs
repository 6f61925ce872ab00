//! Cheat for exercise 8: runs nothing, and says every program is over the
//! budget.

use defer_issues_exercises::kit;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-8", "Says no.") {
        return code;
    }
    for name in kit::jobs() {
        match name {
            Ok(name) => println!("{name}: over the budget of 4"),
            Err(_) => return ExitCode::from(2),
        }
    }
    ExitCode::FAILURE
}
