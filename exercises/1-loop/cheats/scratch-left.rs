//! Red team, exercise 1: backs up each file through a scratch copy beside
//! it, closing everything in time, and leaves the scratch copies behind.

use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Backs up files, leaving scratch copies.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        let scratch = path.with_extension("part");
        fs::copy(&path, &scratch).expect("a scratch copy");
        fs::copy(&scratch, path.with_extension("bak")).expect("a copy");
    }
    ExitCode::SUCCESS
}
