//! Exercise 4, solved another way: each log file is written whole with
//! `fs::write`, which closes it at once, and at the end each file is read
//! back and written again with its footer.

use defer_issues_exercises::kit;
use std::fs;
use std::io;
use std::path::Path;
use std::process::ExitCode;

fn write_logs(dir: &Path) -> io::Result<usize> {
    let mut names = Vec::new();
    for name in kit::jobs() {
        let name = name?;
        fs::write(dir.join(&name), format!("{name}: started\n"))?;
        names.push(name);
    }
    let footer = format!("-- end of batch: {} files --\n", names.len());
    for name in &names {
        let path = dir.join(name);
        let mut text = fs::read_to_string(&path)?;
        text.push_str(&footer);
        fs::write(&path, text)?;
    }
    Ok(names.len())
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-4", "Writes a log file for each name on stdin.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match write_logs(&dir) {
        Ok(total) => {
            println!("Wrote {total} log files, footers included.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
