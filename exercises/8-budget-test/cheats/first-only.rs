//! Cheat for exercise 8: checks the first program it is given, correctly,
//! and reads the other names without running them.

use defer_issues::budget::DescriptorBudget;
use defer_issues_exercises::kit;
use std::process::{Command, ExitCode};

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-8", "Checks the first program only.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut answer = None;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        if answer.is_none() {
            match DescriptorBudget::new(4).run(Command::new(dir.join(&name))) {
                Ok(run) => answer = Some(run.is_ok()),
                Err(_) => return ExitCode::from(2),
            }
        }
    }
    if answer != Some(false) {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
