//! Temporaries and `let _`: a value nobody binds lives until the end of its
//! statement; `let _ = expr` drops at once, `let _guard = expr` at the end of
//! the block; `let _ = x` on an existing variable does nothing at all.
//!
//! Run it:  cargo run --example drop-temporaries

use defer_issues::cli::parse_args;
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-temporaries [OPTIONS]

Shows when temporaries drop, and the difference between `let _ = expr`,
`let _guard = expr` and `let _ = x`.

Options:
  -h, --help       print this help
";

/// Prints its name when it is dropped, so the output shows the drop order.
struct Noisy(&'static str);

impl Noisy {
    fn name(&self) -> &str {
        self.0
    }
}

impl Drop for Noisy {
    fn drop(&mut self) {
        println!("  drop {}", self.0);
    }
}

// ANCHOR: statement
fn temporaries() {
    // The Noisy value is a temporary: it lives until this statement's `;`,
    // so it is still alive while println! formats the line.
    println!("  name length {}", Noisy("temporary").name().len());
    println!("  next statement");
}
// ANCHOR_END: statement

// ANCHOR: extended
fn extended() {
    // Borrowing a temporary in a `let` extends its life to the block's end.
    let extended = &Noisy("extended temporary");
    println!("  still alive: {}", extended.name());
    println!("  end of block");
}
// ANCHOR_END: extended

// ANCHOR: underscore
fn underscore_versus_named() {
    let _ = Noisy("bound to _"); // `_` binds nothing: dropped right here
    let _guard = Noisy("bound to _guard"); // a real variable, unused
    println!("  end of block");
} // `_guard` drops here.
// ANCHOR_END: underscore

// ANCHOR: existing
fn underscore_on_a_variable() {
    let guard = Noisy("guard");
    let _ = guard; // neither moves nor drops: `_` just does not bind
    println!("  still usable: {}", guard.name());
    drop(guard); // this is how to drop it now
    println!("  end of block");
}
// ANCHOR_END: existing

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    println!("A temporary lives to the end of its statement:");
    temporaries();
    println!("Unless a `let` borrows it:");
    extended();
    println!("let _ = expr versus let _guard = expr:");
    underscore_versus_named();
    println!("let _ = on an existing variable:");
    underscore_on_a_variable();
    ExitCode::SUCCESS
}
