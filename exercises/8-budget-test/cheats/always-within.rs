//! Cheat for exercise 8: runs nothing, and says every program is within the
//! budget.

use defer_issues_exercises::kit;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-8", "Says yes.") {
        return code;
    }
    for name in kit::jobs() {
        match name {
            Ok(name) => println!("{name}: within the budget of 4"),
            Err(_) => return ExitCode::from(2),
        }
    }
    ExitCode::SUCCESS
}
