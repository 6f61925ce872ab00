//! Panics and drops: unwinding runs the destructors of everything on the
//! way out; a destructor may itself panic; but a destructor that panics while
//! the thread is already unwinding aborts the whole process.
//!
//! Run it:  cargo run --example drop-unwind -- --case unwind

use defer_issues::cli::{parse_args, value};
use std::panic;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-unwind --case NAME

Panics in one of three ways and shows which destructors run.

Options:
  --case NAME      unwind:       a function panics; its locals drop on the way out
                   drop-panics:  a destructor panics during a normal return
                   double-panic: a destructor panics while unwinding (aborts)
  -h, --help       print this help
";

/// Prints its name when it is dropped, so the output shows the drop order.
struct Noisy(&'static str);

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}

// ANCHOR: bomb
/// A destructor that panics, as one that unwraps a failed flush would.
struct Bomb;

impl Drop for Bomb {
    fn drop(&mut self) {
        println!("  drop Bomb: about to panic");
        panic!("Bomb::drop failed");
    }
}
// ANCHOR_END: bomb

// ANCHOR: unwind
fn unwind() {
    let _first = Noisy("first");
    let _second = Noisy("second");
    panic!("something went wrong");
} // Unwinding drops `_second`, then `_first`, as a return would.
// ANCHOR_END: unwind

// ANCHOR: drop_panics
fn drop_panics() {
    let _first = Noisy("first");
    let _bomb = Bomb;
    let _last = Noisy("last");
    println!("  end of block");
} // `_last` drops, `_bomb` panics, and unwinding still drops `_first`.
// ANCHOR_END: drop_panics

// ANCHOR: double_panic
fn double_panic() {
    let _first = Noisy("first");
    let _bomb = Bomb;
    panic!("something went wrong");
} // Unwinding drops `_bomb`, which panics again: the process aborts, and
// `_first` is never dropped.
// ANCHOR_END: double_panic

// ANCHOR: hook
/// Prints one short line per panic. The default hook also prints the thread
/// and the source location, and a full backtrace when a destructor panics
/// during unwinding; none of that is needed to see the order of events.
fn short_panic_messages() {
    panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("(not a string)");
        eprintln!("  panicked: {message}");
    }));
}
// ANCHOR_END: hook

/// Sets the soft core-file size limit to zero, so that the abort below
/// leaves no core file behind, whatever `ulimit -c` says.
fn no_core_file() {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read or write the struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_CORE, &mut limit) == 0 {
            limit.rlim_cur = 0;
            libc::setrlimit(libc::RLIMIT_CORE, &limit);
        }
    }
}

const CASES: [(&str, fn()); 3] = [
    ("unwind", unwind),
    ("drop-panics", drop_panics),
    ("double-panic", double_panic),
];

fn main() -> ExitCode {
    let mut case = None;
    let parsed = parse_args(USAGE, |flag, parser| {
        if flag != "--case" {
            return Ok(false);
        }
        let expected = "unwind, drop-panics or double-panic";
        let name: String = value(parser, flag, expected)?;
        let found = CASES.iter().find(|(n, _)| *n == name);
        case =
            Some(found.ok_or_else(|| {
                format!("invalid value '{name}' for --case: expected {expected}")
            })?);
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    let Some(&(name, run)) = case else {
        return defer_issues::cli::usage_error("--case is required", USAGE);
    };
    short_panic_messages();
    // The hook above replaced the one that ends the run on a broken stdout.
    defer_issues::cli::end_on_stdout_failure();
    if name == "double-panic" {
        no_core_file();
    }
    println!("case {name}:");
    run();
    println!("returned normally");
    ExitCode::SUCCESS
}
