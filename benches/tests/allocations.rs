//! What each benchmark allocates for one iteration of 100 files, counted
//! exactly with the counting allocator the examples use, and checked against
//! the book's benchmark table, which comes from divan's counts in a recorded
//! run (`src/recorded/bench.txt`).
//!
//! The counter sees only the main thread, so this test has its own `main`
//! (`harness = false`) and runs every pattern there, one after the other.

use defer_issues::heap::{CountingAllocator, stats};
use defer_issues_benches::{FILES, PATTERNS, PreparedFiles, create_write_close, libc_open_close};
use std::fs;
use std::io;
use std::path::Path;

#[global_allocator]
static HEAP: CountingAllocator = CountingAllocator;

/// Allocations per iteration of 100 files, a reallocation counting as one.
/// `File::open` converts a short path to a C string on the stack, so opening
/// and closing allocate nothing; only what holds the files does.
const EXPECTED: [(&str, usize); 8] = [
    // A Vec<File> grows to 4, 8, 16, 32, 64, then 128 handles: 1 + 5.
    ("held_in_vec", 6),
    // A Box for each closure (it owns its File), and the same 1 + 5 for the
    // Vec of boxes behind the defer stack.
    ("held_in_defer_stack", 106),
    ("extracted_function", 0),
    ("block_scope", 0),
    ("explicit_drop", 0),
    ("defer_per_iteration", 0),
    ("floor_libc_open_close", 0),
    ("create_write_close_files", 0),
];

/// Runs `run` and returns how many allocations it made; checks that it frees
/// everything it allocates.
fn count(name: &str, run: impl FnOnce() -> io::Result<()>) -> usize {
    let before = stats();
    run().unwrap_or_else(|err| panic!("{name}: {err}"));
    let after = stats();
    assert_eq!(
        after.live_bytes, before.live_bytes,
        "{name} keeps heap memory after it returns"
    );
    after.allocations - before.allocations
}

/// The "Allocations per iteration" column of the book's benchmark table,
/// which `make figures` generates from the recorded `cargo bench` run.
fn in_the_book(table: &str) -> Vec<(String, usize)> {
    let mut rows = table.lines().filter(|l| l.starts_with('|'));
    let header: Vec<&str> = rows.next().unwrap().split('|').map(str::trim).collect();
    let column = header
        .iter()
        .position(|h| *h == "Allocations per iteration")
        .expect("the table has an allocations column");
    rows.skip(1) // the |---| line
        .map(|row| {
            let cells: Vec<&str> = row.split('|').map(str::trim).collect();
            let name = cells[1].trim_matches('`').to_string();
            (name, cells[column].parse().unwrap())
        })
        .collect()
}

fn main() {
    let prepared = PreparedFiles::create(FILES).expect("the files can be prepared");
    let files = &prepared.files;
    let mut counted = Vec::new();
    for pattern in &PATTERNS {
        // The first run of a pattern may set up thread-local state in std;
        // the benchmark's steady state is the second.
        (pattern.run)(&files.paths).unwrap();
        let n = count(pattern.name, || (pattern.run)(&files.paths));
        counted.push((pattern.name.to_string(), n));
    }
    libc_open_close(&files.c_paths).unwrap();
    let n = count("floor", || libc_open_close(&files.c_paths));
    counted.push(("floor_libc_open_close".to_string(), n));
    let n = count("create", || create_write_close(&files.created_paths));
    counted.push(("create_write_close_files".to_string(), n));

    let expected: Vec<(String, usize)> = EXPECTED
        .iter()
        .map(|(name, n)| (name.to_string(), *n))
        .collect();
    assert_eq!(counted, expected, "allocations per iteration of 100 files");

    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../src/generated/bench-patterns.md");
    let table = fs::read_to_string(&path).expect("the benchmark table exists");
    assert_eq!(
        in_the_book(&table),
        counted,
        "the book's table ({}) shows other allocation counts: re-record with `make bench-record`",
        path.display()
    );
    println!(
        "allocations: {} benchmarks counted; the book's table agrees",
        counted.len()
    );
}
