//! Example 1, fixed: each file is closed before the next one opens, so at
//! most one file of the run is open at any moment. Four ways to get there,
//! chosen with `--pattern`.
//!
//! Run it and watch the count stay flat:  cargo run --example loop-fixed

use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions, value};
use defer_issues::heap::CountingAllocator;
use defer_issues::run::Run;
use scopeguard::defer;
use std::fs::File;
use std::io;
use std::path::Path;
use std::process::ExitCode;

const NAME: &str = "loop-fixed";

// Counts every allocation, for the heap figures on each progress line.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: extracted
/// Pattern 1: move the per-file work into its own function.
fn process_files_extracted(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        process_one(&path, run)?;
        report(run)?;
    }
    Ok(())
}

fn process_one(path: &Path, run: &mut Run) -> io::Result<()> {
    let mut file = File::create(path)?;
    run.write_entry(&mut file)
} // `file` drops here: closed once per call, not once per batch.
// ANCHOR_END: extracted

// ANCHOR: block
/// Pattern 2: give the file a block of its own inside the loop.
fn process_files_block(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        {
            let mut file = File::create(&path)?;
            run.write_entry(&mut file)?;
        } // `file` drops here, at the end of the block.
        report(run)?;
    }
    Ok(())
}
// ANCHOR_END: block

// ANCHOR: drop
/// Pattern 3: close the file by hand as soon as the work is done.
fn process_files_drop(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
        drop(file); // closed here; an early `?` above closes it too.
        report(run)?;
    }
    Ok(())
}
// ANCHOR_END: drop

// ANCHOR: defer
/// Pattern 4: `scopeguard::defer!` in the loop body. Unlike Go's `defer`, it
/// runs when the iteration's block ends, not when the function returns.
fn process_files_defer(run: &mut Run) -> io::Result<()> {
    for path in run.paths() {
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
        defer! {
            drop(file); // runs at the end of this iteration
        }
        report(run)?;
    }
    Ok(())
}
// ANCHOR_END: defer

/// Prints a progress line at each checkpoint, and how many files were ever
/// open at once.
fn report(run: &mut Run) -> io::Result<()> {
    if let Some(at) = run.file_done()? {
        let peak = run.peak_fds();
        println!("{at} | Files closed: {} | Peak FDs: {peak}", at.processed);
        match run.peak_files_open() {
            0 | 1 => println!("✓ No leak! At most 1 file was open at a time"),
            n => println!("✗ Leak: {n} files were open at once"),
        }
    }
    Ok(())
}

/// A way of closing each file before the next opens, chosen by `--pattern`.
struct Pattern {
    name: &'static str,
    description: &'static str,
    process_files: fn(&mut Run) -> io::Result<()>,
}

const PATTERNS: [Pattern; 4] = [
    Pattern {
        name: "extracted",
        description: "an extracted function",
        process_files: process_files_extracted,
    },
    Pattern {
        name: "block",
        description: "a block scope",
        process_files: process_files_block,
    },
    Pattern {
        name: "drop",
        description: "an explicit drop",
        process_files: process_files_drop,
    },
    Pattern {
        name: "defer",
        description: "defer! in the loop body",
        process_files: process_files_defer,
    },
];

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes files, closing each one before the next one opens.\n\n\
         Options:\n\
         \x20 --pattern NAME   extracted (default), block, drop or defer\n\
         {FILE_OPTIONS_HELP}"
    );
    let mut pattern = &PATTERNS[0];
    let options = FileOptions::parse(&usage, |flag, parser| {
        if flag != "--pattern" {
            return Ok(false);
        }
        let name: String = value(parser, flag, "extracted, block, drop or defer")?;
        pattern = PATTERNS.iter().find(|p| p.name == name).ok_or_else(|| {
            format!(
                "invalid value '{name}' for --pattern: expected extracted, block, drop or defer"
            )
        })?;
        Ok(true)
    });
    let options = match options {
        Ok(options) => options,
        Err(code) => return code,
    };
    let mut run = match Run::start(NAME, options) {
        Ok(run) => run,
        Err(code) => return code,
    };
    println!(
        "\nProcessing {} files with {}...",
        run.files(),
        pattern.description
    );
    println!("Watch the descriptors stay flat!\n");
    let result = (pattern.process_files)(&mut run);
    if result.is_ok() {
        println!("\n--- All files processed, each closed before the next one opened ---");
    }
    run.finish(result)
}
