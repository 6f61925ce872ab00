//! `let _ =` on a `Result` throws the error away without a word. Here the
//! error is the one that says the data never reached the disk.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

// ANCHOR: sample
fn save(path: &Path, text: &str) -> io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(text.as_bytes())?;
    // The data may still be in the kernel's cache; a failure to flush it
    // to the disk is reported here, and dropped unseen.
    let _ = file.sync_all();
    Ok(())
}
// ANCHOR_END: sample

/// Writes a line to each file named on the command line.
fn main() -> io::Result<()> {
    for path in std::env::args_os().skip(1) {
        save(Path::new(&path), "checked\n")?;
    }
    Ok(())
}
