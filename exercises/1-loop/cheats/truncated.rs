//! Red team, exercise 1: copies each file but its last line, closing both
//! files in time.

use defer_issues_exercises::kit;
use std::fs;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-1", "Backs up most of each file.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    for name in kit::jobs() {
        let path = dir.join(name.expect("a name"));
        let text = fs::read_to_string(&path).expect("the file");
        let kept = text
            .trim_end()
            .rsplit_once('\n')
            .map_or("", |(head, _)| head);
        fs::write(path.with_extension("bak"), kept).expect("a backup");
    }
    ExitCode::SUCCESS
}
