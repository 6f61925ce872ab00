//! An honest solution to exercise 8: finds each program's high-water mark,
//! the smallest budget it runs within, and compares it with the budget.
//! Slower than one run under the budget, and it prints what each needs.

use defer_issues::budget::high_water_mark;
use defer_issues_exercises::kit;
use std::process::{Command, ExitCode};

const BUDGET: u64 = 4;
/// The largest budget tried: a program that needs more is over anyway.
const MAX: u64 = 64;

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-8",
        "Finds how many descriptors each program of DIR named on stdin needs.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let mark = name.and_then(|name| {
            let path = dir.join(&name);
            Ok((high_water_mark(|| Command::new(&path), MAX)?, name))
        });
        match mark {
            Ok((Some(mark), name)) => {
                println!("{name}: holds {mark} descriptors at most");
                all_within &= mark <= BUDGET;
            }
            Ok((None, name)) => {
                println!("{name}: fails even with {MAX} descriptors");
                all_within = false;
            }
            Err(err) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
        }
    }
    if all_within {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
