//! Exercise 2: keep the heap flat.
//!
//! The program writes log files. While it writes one, a lock file beside it
//! (`logfile_N.lock`) tells other programs to keep out, and the lock is
//! removed when that log is done. In the starter, a port from Go, each
//! removal is deferred to the end of `write_logs`: every file is closed in
//! time, so descriptors stay flat, but each pending removal is a heap block
//! that lives until the function returns.
//!
//! The task: remove each lock as soon as its log is written, so that neither
//! the live heap at the end of the loop nor the peak heap grows with the
//! number of files. The reference solution is `exercises/2-heap/solution.rs`.
//! Check with `make exercise 2`.

// ANCHOR: imports
use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::heap::CountingAllocator;
use defer_issues::run::Run;
use scopeguard::defer;
use std::fs::{self, File};
use std::io;
use std::process::ExitCode;
// ANCHOR_END: imports

// Counts every allocation, so the progress lines can show the live heap.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

const NAME: &str = "exercise-2";

// ANCHOR: task
/// Writes one entry to each log file while holding its lock file.
fn write_logs(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        let lock = path.with_extension("lock");
        File::create(&lock)?;
        // Runs at the end of this iteration, however it ends, like the
        // DeferStack's closure did at the end of the function.
        defer! {
            fs::remove_file(&lock).ok();
        }
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
        drop(file);
        if let Some(at) = run.file_done()? {
            println!("{at}");
        }
    }
    Ok(())
}
// ANCHOR_END: task

// ANCHOR: harness
/// Checks that no lock file is left once the logs are written.
fn check_locks(run: &Run) -> io::Result<()> {
    for path in run.paths() {
        let lock = path.with_extension("lock");
        if lock.exists() {
            return Err(io::Error::other(format!(
                "{} was never removed",
                lock.display()
            )));
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes log files, each under a lock file that is removed when it is done.\n\n\
         Options:\n{FILE_OPTIONS_HELP}"
    );
    let options = match FileOptions::parse(&usage, |_, _| Ok(false)) {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut run = match Run::start(NAME, options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let result = write_logs(&mut run).and_then(|()| check_locks(&run));
    run.finish(result)
}
// ANCHOR_END: harness
