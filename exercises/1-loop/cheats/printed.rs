//! Red team, exercise 1: reads every name and prints what a working program
//! prints, without backing anything up.

use defer_issues_exercises::kit;
use std::process::ExitCode;

fn main() -> ExitCode {
    if let Err(code) = kit::work_dir("exercise-1", "Backs up nothing.") {
        return code;
    }
    let count = kit::jobs().count();
    println!("Backed up {count} files.");
    ExitCode::SUCCESS
}
