//! What the heap counter costs: times a small allocation and its free through
//! the system allocator and through the counting allocator the file examples
//! install, side by side, and prints the medians.
//!
//! Run it:  cargo run --example counting-overhead

use defer_issues::cli::{parse_args, positive};
use defer_issues::heap::CountingAllocator;
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const USAGE: &str = "Usage: counting-overhead [OPTIONS]

Times a 4-byte allocation and free through the system allocator and through the
counting allocator, and prints the median of several rounds of each.

Options:
  --rounds N       rounds of each allocator, alternating (default 11)
  --pairs N        allocations and frees per round (default 1000000)
  -h, --help       print this help
";

/// Bounds that keep the longest run to about a minute.
const MAX_ROUNDS: usize = 101;
const MAX_PAIRS: u32 = 10_000_000;

fn main() -> ExitCode {
    let mut rounds: usize = 11;
    let mut pairs: u32 = 1_000_000;
    let parsed = parse_args(USAGE, |flag, parser| {
        match flag {
            "--rounds" => rounds = positive(parser, flag, MAX_ROUNDS)?,
            "--pairs" => pairs = positive(parser, flag, MAX_PAIRS)?,
            _ => return Ok(false),
        }
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    // The size of one boxed cleanup closure in the examples.
    let layout = Layout::new::<u32>();
    let mut system = Vec::new();
    let mut counting = Vec::new();
    // Alternate, so that a slow moment of the machine hits both alike.
    for _ in 0..rounds {
        system.push(per_pair(&System, layout, pairs));
        counting.push(per_pair(&CountingAllocator, layout, pairs));
    }
    let (system, counting) = (median(system), median(counting));
    println!("4-byte allocation and free, {pairs} times, median of {rounds} rounds:");
    println!("  System:             {system:?} per pair");
    println!("  CountingAllocator:  {counting:?} per pair");
    println!(
        "  the counter adds    {:?} per pair",
        counting.saturating_sub(system)
    );
    ExitCode::SUCCESS
}

// ANCHOR: per_pair
/// The average time of one allocation and its free through `allocator`.
fn per_pair(allocator: &impl GlobalAlloc, layout: Layout, pairs: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..pairs {
        // SAFETY: `layout` has a non-zero size; a block we get is freed
        // with the same allocator and layout, and never used.
        unsafe {
            let block = black_box(allocator.alloc(layout));
            if !block.is_null() {
                allocator.dealloc(block, layout);
            }
        }
    }
    start.elapsed() / pairs
}
// ANCHOR_END: per_pair

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}
