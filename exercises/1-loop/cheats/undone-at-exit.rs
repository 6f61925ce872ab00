//! Red team, exercise 1: backs up every file as asked, then removes every
//! backup on its way out, as if it cleaned up after itself.

use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-1",
        "Backs up files, and removes the backups at exit.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    let mut made = Vec::new();
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        let backup = path.with_extension("bak");
        fs::copy(&path, &backup).expect("a copy");
        made.push(backup);
    }
    for backup in made {
        fs::remove_file(backup).expect("a removal");
    }
    ExitCode::SUCCESS
}
