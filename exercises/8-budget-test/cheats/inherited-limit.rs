//! Cheat for exercise 8: runs each program under the descriptor limit it
//! was given itself, and takes the program's exit status as the answer. It
//! sets no budget: it is right only when whoever runs it has lowered the
//! limit to 3 + 4 already.

use defer_issues_exercises::kit;
use std::process::{Command, ExitCode, Stdio};

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-8", "Runs each program as it is.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        match Command::new(dir.join(&name)).stdin(Stdio::null()).status() {
            Ok(status) => all_within &= status.success(),
            Err(_) => return ExitCode::from(2),
        }
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
