//! Another honest solution of exercise 6, written apart from the reference
//! one: a `let ... else` takes the job. The temporaries of a `let ... else`
//! statement, the guard among them, are dropped at its end, before the work.

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
    loop {
        let Some(job) = queue.lock()?.pop()? else {
            return Ok(());
        };
        do_job(dir, &job)?;
    }
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
