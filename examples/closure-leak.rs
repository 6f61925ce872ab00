//! Example 2, the bug: deferred closures that all read one shared "loop
//! variable", the way Go closures do in a module whose `go.mod` says `go 1.21`
//! or older (the `go` line decides, not the toolchain). Five connections are
//! opened and five cleanups registered; when the function returns, every
//! cleanup finds the last connection in the variable. Connection 4 is closed
//! five times and connections 0 to 3 never are.
//!
//! Run it:  cargo run --example closure-leak

use defer_issues::DeferStack;
use defer_issues::cli::parse_args;
use defer_issues::connection::{Connection, report};
use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;

const NAME: &str = "closure-leak";
const CONNECTIONS: usize = 5;

// ANCHOR: bug
fn close_all(conns: &[Rc<Connection>]) {
    let mut defers = DeferStack::new();
    // In a Go module whose go.mod says `go 1.21` or older, a loop has one
    // `conn` variable, overwritten by each iteration. Here it is a shared,
    // mutable slot.
    let conn = Rc::new(RefCell::new(Rc::clone(&conns[0])));
    for next in conns {
        *conn.borrow_mut() = Rc::clone(next);
        // The bug: the closure gets a second handle to the slot, not the
        // connection in it, and reads the slot only when it finally runs.
        let conn = Rc::clone(&conn);
        defers.defer(move || {
            let conn = conn.borrow();
            println!(
                "  Deferred close runs: the slot holds connection {} at {:p}",
                conn.id, *conn
            );
            conn.close();
        });
    }
    println!(
        "Defers registered: {}. The shared slot 'conn' now holds connection {}.",
        defers.len(),
        conn.borrow().id
    );
    println!("\n--- Returning: the defer stack runs its closures, newest first ---");
} // `defers` drops here and runs every closure, newest first.
// ANCHOR_END: bug

fn main() -> ExitCode {
    let usage = format!(
        "Usage: {NAME} [OPTIONS]\n\n\
         Opens {CONNECTIONS} connections and defers closures that all read one shared\n\
         variable, as Go does in a module whose go.mod says `go 1.21` or older:\n\
         the last connection is closed {CONNECTIONS} times.\n\n\
         Options:\n\
         \x20 -h, --help       print this help\n"
    );
    if let Err(code) = parse_args(&usage, |_, _| Ok(false)) {
        return code;
    }
    println!("=== Closure capture bug: every defer reads one shared variable ===");
    println!("\n--- Opening connections ---");
    let conns: Vec<Rc<Connection>> = (0..CONNECTIONS).map(Connection::open).collect();
    println!("\n--- Registering defers in a loop ---");
    close_all(&conns);
    report(conns);
    println!("\n=== Analysis ===");
    println!("Each deferred closure kept a handle to the one shared slot rather than to");
    println!("a connection, and looked inside only when it ran. By then the loop had left");
    println!("the last connection there, so that one was closed by every call and the");
    println!("others by none. Go does the same with a captured loop variable when the");
    println!("module's go.mod says `go 1.21` or older.");
    ExitCode::SUCCESS
}
