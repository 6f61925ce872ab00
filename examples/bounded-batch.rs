//! Refactoring pattern: bounded batches. Some work needs several files open
//! at the same time (a k-way merge, a writer that fans records out to many
//! files). When there are more files than descriptors to spare, open them K
//! at a time and close each batch before the next one opens: the number of
//! open files never goes above K, however many files there are. With
//! `--batch 1` this is plain streaming, one file at a time.
//!
//! Run it and watch the count stay at most K above the start:
//!   cargo run --example bounded-batch -- --batch 50

use defer_issues::cli::{FILE_OPTIONS_HELP, FileOptions, MAX_FILES, positive};
use defer_issues::run::Run;
use std::fs::File;
use std::io::{self, Write};
use std::process::ExitCode;

const NAME: &str = "bounded-batch";

/// How many files are open together when `--batch` is not given.
const DEFAULT_BATCH: usize = 50;

// ANCHOR: batches
fn process_files(run: &mut Run, batch_size: usize) -> io::Result<()> {
    let paths: Vec<_> = run.paths().collect();
    let batches = paths.len().div_ceil(batch_size);
    for (number, batch) in paths.chunks(batch_size).enumerate() {
        // `open` belongs to the loop body, so it and every file in it drop
        // when the iteration ends.
        let mut open = Vec::with_capacity(batch.len());
        for path in batch {
            let mut file = File::create(path)?;
            run.write_entry(&mut file)?;
            open.push(file);
            if let Some(at) = run.file_done()? {
                println!("{at} | Batch {} of {batches}", number + 1);
            }
        }
        // The work that needs the whole batch open together: here, a footer
        // that can only be written once every file of the batch exists.
        for file in &mut open {
            writeln!(file, "batch {} of {batches} complete", number + 1)?;
        }
    } // `open` drops here: this batch's files close before the next batch opens.
    Ok(())
}
// ANCHOR_END: batches

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Writes files in batches, keeping at most one batch of files open at a time.\n\n\
         Options:\n\
         \x20 --batch K        how many files to keep open together (default {DEFAULT_BATCH})\n\
         {FILE_OPTIONS_HELP}"
    );
    let mut batch_size = DEFAULT_BATCH;
    let options = FileOptions::parse(&usage, |flag, parser| {
        if flag != "--batch" {
            return Ok(false);
        }
        batch_size = positive(parser, flag, MAX_FILES)?;
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
        "\nProcessing {} files in batches of {batch_size}...",
        run.files()
    );
    println!("Watch the descriptors stay at most {batch_size} above the start!\n");
    let result = process_files(&mut run, batch_size);
    if result.is_ok() {
        println!(
            "\nMost files open at once: {} (batch size {batch_size})",
            run.peak_files_open()
        );
    }
    run.finish(result)
}
