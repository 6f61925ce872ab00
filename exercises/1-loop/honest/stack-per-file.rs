//! Exercise 1, another honest solution: the Go-style defer stack, made anew
//! for every file.

use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;

/// Copies each file named on stdin to `NAME.bak` beside it. The Go shape is
/// kept, with one defer stack per file: it is dropped, and runs its closes,
/// at the end of each iteration.
fn back_up(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for name in kit::jobs() {
        let mut defers = DeferStack::new();
        let path = dir.join(name?);
        let mut source = File::open(&path)?;
        let mut backup = File::create(path.with_extension("bak"))?;
        io::copy(&mut source, &mut backup)?;
        defers.defer(move || drop(source));
        defers.defer(move || drop(backup));
        count += 1;
    }
    Ok(count)
}

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-1",
        "Backs up each file of DIR named on stdin (one name per line) to NAME.bak.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match back_up(&dir) {
        Ok(count) => {
            println!("Backed up {count} files.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
