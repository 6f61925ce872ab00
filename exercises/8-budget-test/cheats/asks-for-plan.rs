//! Cheat for exercise 8: runs nothing. It reads the end of each program's
//! file, where the copy finds the socket that hands out its pattern of
//! opens, asks that socket for the pattern itself, and answers from it.
//! When no pattern comes, it guesses "within".

use defer_issues_exercises::budget_test_check::{DESK_TAIL_LEN, Plan, ask_for_plan};
use defer_issues_exercises::kit;
use std::fs;
use std::path::Path;
use std::process::ExitCode;

const BUDGET: u32 = 4;

/// The pattern of the program at `path`, if the socket hands it out.
fn ask(path: &Path) -> Option<Plan> {
    let file = fs::read(path).ok()?;
    let tail = &file[file.len().checked_sub(DESK_TAIL_LEN)?..];
    ask_for_plan(tail).ok().flatten()
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-8", "Asks for each program's pattern.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let Ok(name) = name else {
            return ExitCode::from(2);
        };
        all_within &= ask(&dir.join(name)).is_none_or(|plan| plan.peak() <= BUDGET);
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
