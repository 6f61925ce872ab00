//! Example 2, fixed: the same five connections and deferred closes, each
//! closed exactly once, newest first. Two ways to get there, chosen with
//! `--pattern`; without it both run.
//!
//! Run it:  cargo run --example closure-fixed

use defer_issues::DeferStack;
use defer_issues::cli::{parse_args, value};
use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::Rc;

const NAME: &str = "closure-fixed";
const CONNECTIONS: usize = 5;

// The same `Connection` as in closure-leak.rs (tests/closures.rs checks that
// the two copies stay identical).
// ANCHOR: connection
/// A pretend network connection that must be closed explicitly, like a
/// session that has to send a goodbye message. `Rc<Connection>` plays the part
/// of Go's `*Connection`: a pointer that many owners can hold.
struct Connection {
    id: usize,
    closes: Cell<usize>,
}

impl Connection {
    fn open(id: usize) -> Rc<Self> {
        let conn = Rc::new(Self {
            id,
            closes: Cell::new(0),
        });
        // `{:p}` prints where the connection lives on the heap.
        println!("Opened connection {id} at {conn:p}");
        conn
    }

    fn close(&self) {
        self.closes.set(self.closes.get() + 1);
        if self.closes.get() == 1 {
            println!("  Closing connection {} at {:p}", self.id, self);
        } else {
            println!(
                "  WARNING: connection {} at {:p} already closed!",
                self.id, self
            );
        }
    }
}

/// Go has no destructor that runs at a known point to notice a forgotten
/// connection. Rust has: this runs when the last pointer to it goes away.
impl Drop for Connection {
    fn drop(&mut self) {
        if self.closes.get() == 0 {
            println!(
                "  LEAK: connection {} at {:p} dropped without being closed",
                self.id, self
            );
        }
    }
}
// ANCHOR_END: connection

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
        // The fix, one line, like Go's `conn := conn`: a new `conn` for this
        // iteration, holding the connection that is in the slot right now.
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

// ANCHOR: report
/// Drops the connections, so that `Drop` reports any that were never closed,
/// and prints how many close calls each one got.
fn report(conns: Vec<Rc<Connection>>) {
    let closes: Vec<usize> = conns.iter().map(|c| c.closes.get()).collect();
    let ids_where = |test: fn(usize) -> bool| -> Vec<usize> {
        (0..closes.len()).filter(|&id| test(closes[id])).collect()
    };
    println!("\n--- Dropping the connections ---");
    drop(conns);
    println!(
        "Close calls per connection, 0 to {}: {closes:?}",
        closes.len() - 1
    );
    println!(
        "Closed more than once: {:?}. Never closed: {:?}.",
        ids_where(|n| n > 1),
        ids_where(|n| n == 0)
    );
}
// ANCHOR_END: report

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
