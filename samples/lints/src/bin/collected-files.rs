//! The leak this book is about: files kept open in a collection that lives
//! until the function returns. It compiles without a single warning, even
//! with clippy's pedantic and nursery groups turned on.

use std::fs::File;
use std::io::{self, Write};
use std::path::PathBuf;

// ANCHOR: sample
/// Writes a line to every file, then syncs them all at the end.
fn write_all(paths: &[PathBuf], line: &str) -> io::Result<()> {
    let mut written = Vec::new();
    for path in paths {
        let mut file = File::create(path)?;
        writeln!(file, "{line}")?;
        written.push(file); // kept for the sync below: every file stays open
    }
    for file in &written {
        file.sync_all()?;
    }
    Ok(())
}

/// The Go port: cleanups collected in a list and run when the function ends.
fn write_all_deferred(paths: &[PathBuf], line: &str) -> io::Result<()> {
    let mut deferred: Vec<Box<dyn FnOnce()>> = Vec::new();
    for path in paths {
        let mut file = File::create(path)?;
        writeln!(file, "{line}")?;
        deferred.push(Box::new(move || drop(file)));
    }
    for cleanup in deferred.into_iter().rev() {
        cleanup();
    }
    Ok(())
}
// ANCHOR_END: sample

/// Writes a line to each file named on the command line, twice.
fn main() -> io::Result<()> {
    let paths: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    write_all(&paths, "checked")?;
    write_all_deferred(&paths, "checked again")?;
    println!("wrote {} files", paths.len());
    Ok(())
}
