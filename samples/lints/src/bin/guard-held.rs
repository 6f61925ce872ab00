//! A lock guard that lives to the end of the function although its last use
//! is two lines in: every other thread waits while this one does file I/O.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Mutex;

/// Paths waiting to be written, shared by worker threads.
static QUEUE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

// ANCHOR: sample
fn write_next(line: &str) -> io::Result<bool> {
    let mut queue = QUEUE.lock().unwrap();
    let Some(path) = queue.pop() else {
        return Ok(false);
    };
    // `queue` is not used again, but the lock is held until the return.
    let mut file = File::create(path)?;
    writeln!(file, "{line}")?;
    Ok(true)
}
// ANCHOR_END: sample

/// Writes a line to each file named on the command line.
fn main() -> io::Result<()> {
    QUEUE
        .lock()
        .unwrap()
        .extend(std::env::args_os().skip(1).map(PathBuf::from));
    while write_next("checked")? {}
    Ok(())
}
