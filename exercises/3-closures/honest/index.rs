//! Exercise 3, solved another way: each closure captures a copy of its
//! connection's index instead of the connection.

use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::cell::{Cell, RefCell};
use std::io;
use std::path::Path;
use std::process::ExitCode;
use std::rc::Rc;

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

/// Serves each request on a connection of its own, and defers each close
/// to the return, when the defer stack runs the closes newest first.
fn serve_all(dir: &Path) -> io::Result<usize> {
    let pool = Rc::new(Pool::default());
    let mut defers = DeferStack::new();
    for request in kit::jobs() {
        pool.open(dir)?;
        pool.current().serve(&request?)?;
        // A copy of the index, taken now: the closure looks up its own
        // connection when it runs, whatever `current` says by then.
        let index = pool.current.get();
        let pool = Rc::clone(&pool);
        defers.defer(move || pool.conns.borrow()[index].close());
    }
    Ok(pool.conns.borrow().len())
}

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
