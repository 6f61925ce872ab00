//! Red team, exercise 1: reads every name first, then backs them all up at
//! the end, one at a time: no file is open while it waits, because it does
//! no work while it waits.

use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Backs up files after reading every name.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let names: Vec<String> = kit::jobs().map(|name| name.expect("a name")).collect();
    for name in names {
        let path = dir.join(name);
        fs::copy(&path, path.with_extension("bak")).expect("a copy");
    }
    ExitCode::SUCCESS
}
