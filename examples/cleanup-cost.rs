//! What one pending cleanup costs on the heap. Opens `/dev/null` again and
//! again, defers each close on a Go-style defer stack, and prints the heap the
//! stack holds as the cleanups pile up, then again after they have run. Unlike
//! the loop examples it starts no thread and writes no files, so heap
//! profilers see the same run every time.
//!
//! Run it:  cargo run --example cleanup-cost

use defer_issues::DeferStack;
use defer_issues::cli::{MAX_FILES, parse_args, positive};
use defer_issues::heap::{self, CountingAllocator, HeapStats};
use std::fs::File;
use std::io;
use std::process::ExitCode;

// Counts every allocation, so the program can print what the stack holds.
#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

const USAGE: &str = "Usage: cleanup-cost [OPTIONS]

Defers the close of /dev/null, opened again and again, and prints how many heap
bytes the pending cleanups hold.

Options:
  --cleanups N     how many cleanups to pile up (default 100)
  -h, --help       print this help
";

fn main() -> ExitCode {
    let mut cleanups: usize = 100;
    let parsed = parse_args(USAGE, |flag, parser| {
        match flag {
            "--cleanups" => cleanups = positive(parser, flag, MAX_FILES)?,
            _ => return Ok(false),
        }
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    match run(cleanups) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: cannot open /dev/null: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(cleanups: usize) -> io::Result<()> {
    describe_one_cleanup()?;
    println!("\nHeap held by the defer stack as cleanups pile up:");
    println!("  pending   bytes  blocks  bytes per cleanup");
    // Printing has set up its buffer by now: from here on, the only heap the
    // program gains is what the stack holds.
    let before = heap::stats();
    // ANCHOR: pile_up
    let mut defers = DeferStack::new();
    for pending in 1..=cleanups {
        let file = File::open("/dev/null")?;
        defers.defer(move || drop(file));
        // Print where the stack's Vec has just grown, and at the end.
        let grew = pending.is_power_of_two() || (pending - 1).is_power_of_two();
        if pending == 1 || pending == cleanups || (pending >= 4 && grew) {
            let (bytes, blocks) = held_since(before);
            let per_cleanup = bytes as f64 / pending as f64;
            println!("  {pending:>7} {bytes:>7} {blocks:>7} {per_cleanup:>18.1}");
        }
    }
    drop(defers); // What the function's return does: every cleanup runs.
    // ANCHOR_END: pile_up
    let (bytes, blocks) = held_since(before);
    println!("\nAfter the cleanups ran: {bytes} bytes in {blocks} blocks more than before them.");
    Ok(())
}

/// Prints the sizes that make up one pending cleanup.
fn describe_one_cleanup() -> io::Result<()> {
    let file = File::open("/dev/null")?;
    println!("One pending cleanup is a boxed closure that owns a File:");
    println!(
        "  {:<34}{:>2} bytes: just the descriptor number",
        "size_of::<File>()",
        size_of::<File>()
    );
    let close = move || drop(file);
    println!(
        "  {:<34}{:>2} bytes, boxed on the heap",
        "the closure `move || drop(file)`",
        size_of_val(&close)
    );
    println!(
        "  {:<34}{:>2} bytes: its slot in the stack's Vec",
        "size_of::<Box<dyn FnOnce()>>()",
        size_of::<Box<dyn FnOnce()>>()
    );
    let boxed: Box<dyn FnOnce()> = Box::new(close);
    describe_malloc_block(boxed);
    Ok(())
}

/// What the C allocator really set aside for the boxed closure.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn describe_malloc_block(boxed: Box<dyn FnOnce()>) {
    let block = Box::into_raw(boxed);
    // SAFETY: the box holds a non-zero-sized closure, so `block` came from
    // malloc (through the counting allocator and `System`); it is given back
    // to a Box right after.
    let usable = unsafe { libc::malloc_usable_size(block.cast()) };
    // SAFETY: `block` came from `Box::into_raw` just above.
    drop(unsafe { Box::from_raw(block) });
    // glibc puts an 8-byte size header in front of every block.
    println!(
        "  {:<34}{usable:>2} usable bytes, in a {}-byte chunk",
        "glibc's malloc gave the box",
        usable + 8
    );
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn describe_malloc_block(boxed: Box<dyn FnOnce()>) {
    drop(boxed);
    println!("  (the C allocator's real block size is shown on Linux with glibc)");
}

/// The live bytes and blocks gained since `before` (negative if fewer).
fn held_since(before: HeapStats) -> (i64, i64) {
    let now = heap::stats();
    let gained = |now: usize, before: usize| now as i64 - before as i64;
    (
        gained(now.live_bytes, before.live_bytes),
        gained(now.live_blocks, before.live_blocks),
    )
}
