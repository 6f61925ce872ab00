//! The pretend connection of Example 2, shared by its two programs: it counts
//! its close calls and reports, when dropped, if it was never closed.

use std::cell::Cell;
use std::rc::Rc;

// ANCHOR: connection
/// A pretend network connection that must be closed explicitly, like a
/// session that has to send a goodbye message. `Rc<Connection>` plays the part
/// of Go's `*Connection`: a pointer that many owners can hold.
pub struct Connection {
    pub id: usize,
    closes: Cell<usize>,
}

impl Connection {
    pub fn open(id: usize) -> Rc<Self> {
        let conn = Rc::new(Self {
            id,
            closes: Cell::new(0),
        });
        // `{:p}` prints where the connection lives on the heap.
        println!("Opened connection {id} at {conn:p}");
        conn
    }

    pub fn close(&self) {
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

impl Connection {
    /// Whether `close` has been called, for code that must not use a closed
    /// connection.
    pub fn is_closed(&self) -> bool {
        self.closes.get() > 0
    }
}

// ANCHOR: report
/// Drops the connections, so that `Drop` reports any that were never closed,
/// and prints how many close calls each one got.
pub fn report(conns: Vec<Rc<Connection>>) {
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
