//! How `scopeguard::defer!` works: it expands to a guard bound to a local
//! named `_guard`, so it runs when the enclosing block ends. In a loop body
//! that is the end of each iteration, not the end of the function as in Go.
//!
//! Run it:  cargo run --example drop-defer-macro

use defer_issues::DeferStack;
use defer_issues::cli::parse_args;
use scopeguard::{defer, guard};
use std::process::ExitCode;

const USAGE: &str = "Usage: drop-defer-macro [OPTIONS]

Shows when scopeguard's defer! runs in a loop, what it expands to, the
`let _ =` mistake, and a Go-style defer stack for contrast.

Options:
  -h, --help       print this help
";

// ANCHOR: loop
fn defer_in_a_loop() {
    for i in 0..3 {
        defer! {
            println!("  cleanup {i}");
        }
        println!("  body {i}");
    } // each iteration's guard drops here
    println!("  loop done");
}
// ANCHOR_END: loop

// ANCHOR: expanded
fn expanded_by_hand() {
    for i in 0..3 {
        // What `defer! { ... }` becomes: a guard that owns `()` and a closure,
        // bound to a named local, so it lives to the end of the loop body.
        let _guard = guard((), |()| {
            println!("  cleanup {i}");
        });
        println!("  body {i}");
    }
    println!("  loop done");
}
// ANCHOR_END: expanded

// ANCHOR: underscore
fn bound_to_underscore() {
    for i in 0..3 {
        // `_` is not a variable: the guard drops at once, before the body.
        // Clippy's let_underscore_must_use (enabled in Cargo.toml) flags this.
        #[allow(clippy::let_underscore_must_use)]
        let _ = guard((), |()| {
            println!("  cleanup {i}");
        });
        println!("  body {i}");
    }
    println!("  loop done");
}
// ANCHOR_END: underscore

// ANCHOR: go_style
fn go_style_defer_stack() {
    // One stack for the whole function, as Go keeps one defer chain per call.
    let mut defers = DeferStack::new();
    for i in 0..3 {
        defers.defer(move || println!("  cleanup {i}"));
        println!("  body {i}");
    }
    println!("  loop done, {} cleanups waiting", defers.len());
} // `defers` drops here and runs them, newest first.
// ANCHOR_END: go_style

fn main() -> ExitCode {
    if let Err(code) = parse_args(USAGE, |_, _| Ok(false)) {
        return code;
    }
    println!("defer! in a loop body:");
    defer_in_a_loop();
    println!("The same, expanded by hand:");
    expanded_by_hand();
    println!("The guard bound to `_`:");
    bound_to_underscore();
    println!("A Go-style defer stack:");
    go_style_defer_stack();
    ExitCode::SUCCESS
}
