//! Exercise 1: back up files without keeping them all open.
//!
//! The program backs up the files named on its standard input, one name per
//! line, each to a `.bak` copy beside it in the work directory. The copying
//! is a port from Go with a deferred close after every open.
//!
//! The task: change `back_up` so that both files of one backup are closed
//! before the next name is read. Check with `make exercise 1`.

// ANCHOR: imports
use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;
// ANCHOR_END: imports

// ANCHOR: task
/// Copies each file named on stdin to `NAME.bak` beside it. In Go, each
/// `os.Open` and `os.Create` here was followed by `defer f.Close()`.
fn back_up(dir: &Path) -> io::Result<usize> {
    let mut defers = DeferStack::new();
    let mut count = 0;
    for name in kit::jobs() {
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
// ANCHOR_END: task

// ANCHOR: main
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
// ANCHOR_END: main
