//! Example 2, fixed: the same five connections and deferred closes, each
//! closed exactly once, newest first. Two ways to get there, chosen with
//! `--pattern`; without it both run.
//!
//! Run it:  cargo run --example closure-fixed

use defer_issues::DeferStack;
use defer_issues::cli::{parse_args, value};
use defer_issues::connection::{Connection, report};
use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;

const NAME: &str = "closure-fixed";
const CONNECTIONS: usize = 5;

// ANCHOR: moved
/// Pattern 1: move each connection itself into its closure.
fn close_all_moved(conns: &[Rc<Connection>]) {
    let mut defers = DeferStack::new();
    // Rust's `for` binds a new `conn` on every iteration, and `move` puts that
    // iteration's connection into the closure. The value is taken now, at
    // registration, as Go evaluates the arguments of a deferred call.
    for conn in conns.iter().cloned() {
        defers.defer(move || {
            println!(
                "  Deferred close runs: it owns connection {} at {conn:p}",
                conn.id
            );
            conn.close();
        });
    }
    println!(
        "Defers registered: {}, each owning its own connection.",
        defers.len()
    );
    println!("\n--- Returning: the defer stack runs its closures, newest first ---");
}
// ANCHOR_END: moved

// ANCHOR: shadowed
/// Pattern 2: keep the shared slot from closure-leak, but capture a fresh
/// binding of its current value instead of the slot.
fn close_all_shadowed(conns: &[Rc<Connection>]) {
    let mut defers = DeferStack::new();
    let conn = Rc::new(RefCell::new(Rc::clone(&conns[0])));
    for next in conns {
        *conn.borrow_mut() = Rc::clone(next);
        // The fix, like Go's `conn := conn`: a new `conn` for this iteration,
        // holding the connection that is in the slot right now (and a closure
        // that owns it rather than the slot).
        let conn = Rc::clone(&conn.borrow());
        defers.defer(move || {
            println!(
                "  Deferred close runs: it owns connection {} at {conn:p}",
                conn.id
            );
            conn.close();
        });
    }
    println!(
        "Defers registered: {}, each with its own copy of the slot's value.",
        defers.len()
    );
    println!("\n--- Returning: the defer stack runs its closures, newest first ---");
}
// ANCHOR_END: shadowed

type Pattern = (&'static str, &'static str, fn(&[Rc<Connection>]));

const PATTERNS: [Pattern; 2] = [
    (
        "move",
        "Pattern 1: move the connection into the closure",
        close_all_moved,
    ),
    (
        "shadow",
        "Pattern 2: a fresh binding per iteration",
        close_all_shadowed,
    ),
];

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Opens {CONNECTIONS} connections and defers a close for each, capturing the right\n\
         value: each connection is closed exactly once, the last one first.\n\n\
         Options:\n\
         \x20 --pattern NAME   move or shadow (default: both, one after the other)\n\
         \x20 -h, --help       print this help\n"
    );
    let mut chosen: Vec<Pattern> = PATTERNS.to_vec();
    let parsed = parse_args(&usage, |flag, parser| {
        if flag != "--pattern" {
            return Ok(false);
        }
        let name: String = value(parser, flag, "move or shadow")?;
        let pattern = PATTERNS.iter().find(|(n, ..)| *n == name).ok_or_else(|| {
            format!("invalid value '{name}' for --pattern: expected move or shadow")
        })?;
        chosen = vec![*pattern];
        Ok(true)
    });
    if let Err(code) = parsed {
        return code;
    }
    for (i, (_, title, close_all)) in chosen.into_iter().enumerate() {
        if i > 0 {
            println!();
        }
        println!("{title}");
        println!("{}", "=".repeat(title.chars().count()));
        println!("\n--- Opening connections ---");
        let conns: Vec<Rc<Connection>> = (0..CONNECTIONS).map(Connection::open).collect();
        println!("\n--- Registering defers in a loop ---");
        close_all(&conns);
        report(conns);
    }
    ExitCode::SUCCESS
}
