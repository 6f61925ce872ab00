//! Exercise 3: close every connection once, newest first.
//!
//! The program serves each request on its standard input, one per line, on
//! a connection of its own (the file `conn-N` in the work directory), and
//! defers each connection's close to the end of `serve_all`, as Go code does
//! with `defer`. In the starter, every deferred closure closes whichever
//! connection is current when it runs: the last one, again and again.
//!
//! The task: change `serve_all` so that each deferred close closes the
//! connection it was registered for. The closes must stay deferred, and run
//! newest first. Check with `make exercise 3`.

// ANCHOR: imports
use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::cell::{Cell, RefCell};
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;
// ANCHOR_END: imports

// ANCHOR: pool
/// The connections opened so far. `current` says which one is in use, like
/// a Go loop variable that every iteration overwrites (before Go 1.22).
#[derive(Default)]
struct Pool {
    conns: RefCell<Vec<Rc<Connection>>>,
    current: Cell<usize>,
}

impl Pool {
    /// Opens the next connection and makes it the current one.
    fn open(&self, dir: &Path) -> io::Result<()> {
        let mut conns = self.conns.borrow_mut();
        let id = conns.len();
        conns.push(Rc::new(Connection::open(dir, id)?));
        self.current.set(id);
        Ok(())
    }

    /// The connection in use.
    fn current(&self) -> Rc<Connection> {
        Rc::clone(&self.conns.borrow()[self.current.get()])
    }
}
// ANCHOR_END: pool

// ANCHOR: task
/// Serves each request on a connection of its own, and defers each close
/// to the return, when the defer stack runs the closes newest first.
fn serve_all(dir: &Path) -> io::Result<usize> {
    let pool = Rc::new(Pool::default());
    let mut defers = DeferStack::new();
    for request in kit::jobs() {
        pool.open(dir)?;
        // Take the connection now, while it is the current one: the closure
        // owns this connection, not a handle to the pool.
        let conn = pool.current();
        conn.serve(&request?)?;
        defers.defer(move || conn.close());
    }
    Ok(pool.conns.borrow().len())
}
// ANCHOR_END: task

// ANCHOR: main
fn main() -> ExitCode {
    let dir = match kit::work_dir(
        "exercise-3",
        "Serves each request on stdin (one per line) on a connection of its own,\n\
         DIR/conn-N, and closes the connections, newest first, once the input ends.",
    ) {
        Ok(dir) => dir,
        Err(code) => return code,
    };
    match serve_all(&dir) {
        Ok(count) => {
            println!("Served {count} requests.");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: main
