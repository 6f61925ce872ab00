//! What the exercise programs use to take their work and to report.
//!
//! Every exercise program takes its work directory as its one argument and
//! its jobs on standard input, one per line, as a Unix filter does. The
//! checker hands out one job at a time and, each time the program asks for
//! the next one, looks at it from outside: what it holds open, what is on
//! disk. So a program that does its jobs one at a time, as asked, is what
//! passes.
//!
//! Figures the checker cannot see from outside (the live heap, connection
//! closes) are sent through [`report`] to a file the checker names in
//! `EXERCISE_REPORT`, each line marked with the run's `EXERCISE_TOKEN`.
//! Printing cannot reach that file. Outside a checker run, reports go nowhere.

pub mod connection;
mod lock;
mod pause;

pub use lock::{LockFile, Queue, QueueGuard};
pub use pause::{GO_ON, pause};

use defer_issues::heap;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// The environment variables through which a checker asks for reports.
pub const REPORT_VAR: &str = "EXERCISE_REPORT";
pub const TOKEN_VAR: &str = "EXERCISE_TOKEN";

/// The work directory given as the program's one argument; on a missing or
/// extra argument, the usage on stderr and exit status 2.
pub fn work_dir(name: &str, what_it_does: &str) -> Result<PathBuf, ExitCode> {
    let usage = format!("Usage: {name} DIR < JOBS\n\n{what_it_does}");
    let mut args = std::env::args_os().skip(1);
    match (args.next(), args.next()) {
        (Some(help), None) if help == "-h" || help == "--help" => {
            println!("{usage}");
            Err(ExitCode::SUCCESS)
        }
        (Some(dir), None) => Ok(PathBuf::from(dir)),
        _ => {
            eprintln!("error: give the work directory, and nothing else\n\n{usage}");
            Err(ExitCode::from(2))
        }
    }
}

/// The jobs on standard input, one per line. Before it waits for each job,
/// it reports the live heap (see [`report`]), so a checker sees the heap
/// between jobs, whatever the program prints. Standard input is locked for
/// each line only, so that [`pause`] can read it in the middle of a job.
pub fn jobs() -> impl Iterator<Item = io::Result<String>> {
    std::iter::from_fn(|| {
        report_heap();
        let mut line = String::new();
        match io::stdin().read_line(&mut line) {
            Ok(0) => None,
            Ok(_) => Some(Ok(line.trim_end_matches('\n').to_string())),
            Err(err) => Some(Err(err)),
        }
    })
}

/// Sends `event` to the checker, if a checker is listening. Failures are
/// ignored: a report that cannot be written only costs the checker evidence.
pub fn report(event: &str) {
    let (Some(path), Some(token)) = (std::env::var_os(REPORT_VAR), std::env::var_os(TOKEN_VAR))
    else {
        return;
    };
    let line = format!("{} {event}\n", token.to_string_lossy());
    if let Ok(mut file) = OpenOptions::new().append(true).open(path) {
        // One write per line, so lines from one process never interleave.
        file.write_all(line.as_bytes()).ok();
    }
}

/// Reports `heap LIVE_BYTES LIVE_BLOCKS PEAK_BYTES` if the program counts its
/// allocations (it has installed `CountingAllocator`).
fn report_heap() {
    let stats = heap::stats();
    if stats.allocations > 0 {
        report(&format!(
            "heap {} {} {}",
            stats.live_bytes, stats.live_blocks, stats.peak_bytes
        ));
    }
}
