//! Exercise 8: write the descriptor-budget check.
//!
//! The program checks other programs: each name on its standard input, one
//! per line, is a program in the work directory. It runs each one and
//! decides whether it stays within a budget of `BUDGET` descriptors open at
//! once, besides stdin, stdout and stderr. Its exit status is the answer:
//! 0 if every program stays within the budget, 1 if any goes over, 2 if a
//! program cannot be run at all.
//!
//! The task: make `within_budget` right. Check with `make exercise 8`.

// ANCHOR: imports
use defer_issues::budget::DescriptorBudget;
use defer_issues_exercises::kit;
use std::io;
use std::path::Path;
use std::process::{Command, ExitCode};
// ANCHOR_END: imports

/// How many descriptors a checked program may hold at once, besides stdio.
const BUDGET: u64 = 4;

// ANCHOR: task
/// Whether `program` runs to the end holding at most `BUDGET` descriptors
/// at once, besides stdio. It runs in a child process of its own under a
/// descriptor limit of 3 + `BUDGET`: one open too many fails there, and the
/// program with it, however briefly it held them.
fn within_budget(program: &Path) -> io::Result<bool> {
    let run = DescriptorBudget::new(BUDGET).run(Command::new(program))?;
    Ok(run.is_ok())
}
// ANCHOR_END: task

// ANCHOR: main
fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-8",
        &format!(
            "Runs each program of DIR named on stdin (one name per line). Exit status 0\n\
             if every one holds at most {BUDGET} descriptors at once besides stdio, 1 if\n\
             any holds more, 2 if one cannot be run."
        ),
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut all_within = true;
    for name in kit::jobs() {
        let result = name.and_then(|name| Ok((within_budget(&dir.join(&name))?, name)));
        match result {
            Ok((true, name)) => println!("{name}: within the budget of {BUDGET}"),
            Ok((false, name)) => {
                println!("{name}: over the budget of {BUDGET}");
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
// ANCHOR_END: main
