//! Example 1, the leak: Go's `defer f.Close()` inside a loop, ported to Rust
//! with a Go-style defer stack. Every file stays open until `process_files`
//! returns; then all of them close at once, last in first out.
//!
//! Run it and watch the count climb:  cargo run --example loop-leak

use defer_issues::DeferStack;
use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions};
use defer_issues::heap::CountingAllocator;
use defer_issues::run::Run;
use std::fs::File;
use std::io;
use std::process::ExitCode;

const NAME: &str = "loop-leak";

// Counts every allocation, for the heap figures on each progress line.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

// ANCHOR: process
fn process_files(run: &mut Run) -> io::Result<()> {
    let mut defers = DeferStack::new();
    for path in run.paths() {
        let mut file = File::create(&path)?;
        run.write_entry(&mut file)?;
        // Go: `defer file.Close()`. The closure now owns the file, which stays
        // open until the closure runs, when `defers` drops at the return.
        defers.defer(move || drop(file));
        if let Some(at) = run.file_done()? {
            println!("{at} | Pending defers: {}", defers.len());
        }
    }
    let open = run.files_open_now()?;
    if open > 1 {
        println!("\n⚠️  WARNING: cleanup accumulation detected!");
        println!("{open} files are still open, one for each pending defer.");
    }
    println!("\nLoop complete. All {} files processed.", run.files());
    println!(
        "Pending defers: {} - they run now, last in first out, as the function returns...",
        defers.len()
    );
    Ok(())
} // `defers` drops here and closes every file, newest first.
// ANCHOR_END: process

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes files with Go-style deferred closes that pile up until the function returns.\n\n\
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
    println!(
        "\nProcessing {} files with a defer in the loop...",
        run.files()
    );
    println!("Watch the descriptors pile up until the function returns!\n");
    let result = process_files(&mut run);
    if result.is_ok() {
        println!("\n--- Function returned, every deferred close has run ---");
    }
    run.finish(result)
}
