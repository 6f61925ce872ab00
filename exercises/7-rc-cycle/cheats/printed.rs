//! Cheat for exercise 7: prints what the solution prints, and writes nothing.

use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-7", "Prints what splitting would print.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::FAILURE;
        };
        let text = fs::read_to_string(dir.join(format!("{name}.txt"))).unwrap_or_default();
        let count = text.lines().filter(|line| line.starts_with("## ")).count();
        println!("Split {name} into {count} chapters.");
    }
    ExitCode::SUCCESS
}
