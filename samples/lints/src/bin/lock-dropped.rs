//! `let _ = LOCK.lock()` takes the lock and releases it in the same
//! statement: `_` is not a variable, so nothing keeps the guard alive and the
//! code after it runs unprotected. rustc refuses to compile it.

use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Mutex;

/// Keeps two threads from interleaving their lines in one file.
static APPEND_LOCK: Mutex<()> = Mutex::new(());

// ANCHOR: sample
fn append(path: &Path, line: &str) -> io::Result<()> {
    // Meant to hold the lock until the function returns.
    let _ = APPEND_LOCK.lock();
    let mut file = OpenOptions::new().append(true).open(path)?;
    writeln!(file, "{line}")
}
// ANCHOR_END: sample

/// Appends a line to each file named on the command line.
fn main() -> io::Result<()> {
    for path in std::env::args_os().skip(1) {
        append(Path::new(&path), "checked")?;
    }
    Ok(())
}
