//! Three calls that look like cleanup and are not: dropping a value that
//! only borrows the file, dropping a copy of its descriptor number, and
//! forgetting the file, which leaks its descriptor for good.

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::os::fd::AsRawFd;
use std::path::Path;

/// Where a line came from: the file and the line's number.
struct Position<'a> {
    file: &'a File,
    line: usize,
}

// ANCHOR: sample
fn first_line(path: &Path) -> io::Result<String> {
    let file = File::open(path)?;
    let mut text = String::new();
    BufReader::new(&file).read_line(&mut text)?;
    let position = Position {
        file: &file,
        line: 1,
    };
    report(&position);
    drop(position); // only borrows `file`: closes nothing
    drop(file.as_raw_fd()); // a copy of a number: closes nothing
    std::mem::forget(file); // never closes it: the descriptor leaks
    Ok(text)
}
// ANCHOR_END: sample

fn report(position: &Position) {
    let descriptor = position.file.as_raw_fd();
    println!("line {} read from descriptor {descriptor}", position.line);
}

/// Prints the first line of each file named on the command line.
fn main() -> io::Result<()> {
    for path in std::env::args_os().skip(1) {
        print!("{}", first_line(Path::new(&path))?);
    }
    Ok(())
}
