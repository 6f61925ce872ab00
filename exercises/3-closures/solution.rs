//! Exercise 3: close every connection once, newest first.
//!
//! The program opens five connections, uses each one in turn, and defers its
//! close to the end of `use_all`, as Go code does with `defer`. In the
//! starter, every deferred closure closes whichever connection is current
//! when it runs: the last one, five times. Connections 0 to 3 are never
//! closed.
//!
//! The task: change `use_all` so that each deferred close closes the
//! connection that was current when it was registered. The closes must still
//! be deferred and run newest first: 4, 3, 2, 1, 0. The reference solution is
//! `exercises/3-closures/solution.rs`. Check with `make exercise 3`.

use defer_issues::DeferStack;
use defer_issues::cli::parse_args;
use defer_issues::connection::{Connection, report};
use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;

const NAME: &str = "exercise-3";
const CONNECTIONS: usize = 5;

// ANCHOR: pool
/// Connections used one at a time. `current` says which one is in use, like
/// a Go loop variable that every iteration overwrites (before Go 1.22).
struct Pool {
    conns: Vec<Rc<Connection>>,
    current: Cell<usize>,
}

impl Pool {
    fn current(&self) -> &Rc<Connection> {
        &self.conns[self.current.get()]
    }
}
// ANCHOR_END: pool

// ANCHOR: task
/// Uses each connection in turn and defers its close to the return, when
/// the defer stack runs the closes newest first.
fn use_all(pool: &Rc<Pool>) {
    let mut defers = DeferStack::new();
    for index in 0..pool.conns.len() {
        pool.current.set(index);
        println!("Using connection {}", pool.current().id);
        // Take the connection now, while it is the current one: the closure
        // owns that connection instead of a handle to the pool.
        let conn = Rc::clone(pool.current());
        defers.defer(move || conn.close());
    }
    println!("\n--- Returning: the deferred closes run, newest first ---");
}
// ANCHOR_END: task

// ANCHOR: harness
fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Opens {CONNECTIONS} connections, uses each in turn and defers its close.\n\n\
         Options:\n\
         \x20 -h, --help       print this help\n"
    );
    if let Err(code) = parse_args(&usage, |_, _| Ok(false)) {
        return code;
    }
    let conns: Vec<Rc<Connection>> = (0..CONNECTIONS).map(Connection::open).collect();
    let pool = Rc::new(Pool {
        conns: conns.clone(),
        current: Cell::new(0),
    });
    println!();
    use_all(&pool);
    drop(pool);
    // Drops the connections: any that was never closed reports a leak.
    report(conns);
    ExitCode::SUCCESS
}
// ANCHOR_END: harness
