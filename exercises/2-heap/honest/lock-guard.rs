//! Exercise 2, another honest solution: a lock type that removes its file
//! when it is dropped, at the end of each iteration.

use defer_issues::heap::CountingAllocator;
use defer_issues_exercises::kit;
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

/// A lock file, held while the value lives.
struct Lock(PathBuf);

impl Lock {
    fn take(path: PathBuf) -> io::Result<Self> {
        File::create(&path)?;
        Ok(Self(path))
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        fs::remove_file(&self.0).ok();
    }
}

fn write_logs(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for job in kit::jobs() {
        let job = job?;
        let (name, text) = parse(&job)?;
        let _lock = Lock::take(dir.join(format!("{name}.lock")))?;
        fs::write(dir.join(format!("{name}.log")), format!("{text}\n"))?;
        count += 1;
    }
    Ok(count)
}

/// A job's name and text.
fn parse(job: &str) -> io::Result<(&str, &str)> {
    job.split_once(' ')
        .ok_or_else(|| io::Error::other(format!("a job is `NAME TEXT`, not {job:?}")))
}

fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-2",
        "Writes each job of stdin, `NAME TEXT` (one per line), to DIR/NAME.log\n\
         while holding the lock file DIR/NAME.lock.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match write_logs(&dir) {
        Ok(count) => {
            println!("Wrote {count} logs.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
