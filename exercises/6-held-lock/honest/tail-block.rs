//! Another honest solution of exercise 6, written apart from the reference
//! one: the `while let` scrutinee is a block. Since edition 2024, the temporaries
//! of a block's last expression, the guard among them, are dropped at the
//! end of the block, before the loop body runs. (Under edition 2021 they
//! lived through the body.)

use defer_issues_exercises::kit::{self, Queue};
use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

fn do_job(dir: &Path, job: &str) -> io::Result<()> {
    let text = fs::read_to_string(dir.join(format!("{job}.txt")))?;
    kit::pause()?;
    let line = format!("{job} {}\n", text.lines().count());
    OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("done.txt"))?
        .write_all(line.as_bytes())
}

fn run(dir: &Path) -> io::Result<()> {
    let queue = Queue::open(dir)?;
    while let Some(job) = { queue.lock()?.pop()? } {
        do_job(dir, &job)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let dir = match kit::work_dir("exercise-6", "Drains the queue in DIR.") {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match run(&dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
