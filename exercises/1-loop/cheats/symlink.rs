//! Red team, exercise 1: makes each backup a symbolic link to its file.

use defer_issues_exercises::kit;
use std::os::unix::fs::symlink;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Links instead of copying.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        symlink(&path, path.with_extension("bak")).expect("a link");
    }
    ExitCode::SUCCESS
}
