//! Cheat: closes each connection it was registered for only when it sees the
//! checker's report variables; otherwise it keeps the starter's bug.

use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::cell::RefCell;
use std::io;
use std::path::Path;
use std::rc::Rc;

fn serve_all(dir: &Path) -> io::Result<usize> {
    let watched = std::env::var_os(kit::TOKEN_VAR).is_some();
    let conns: Rc<RefCell<Vec<Connection>>> = Rc::default();
    let mut defers = DeferStack::new();
    for request in kit::jobs() {
        let id = conns.borrow().len();
        let conn = Connection::open(dir, id)?;
        conn.serve(&request?)?;
        conns.borrow_mut().push(conn);
        let conns = Rc::clone(&conns);
        if watched {
            defers.defer(move || conns.borrow()[id].close());
        } else {
            defers.defer(move || conns.borrow().last().map_or((), Connection::close));
        }
    }
    let count = conns.borrow().len();
    Ok(count)
}

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    if let Ok(count) = serve_all(&dir) {
        println!("Served {count} requests.");
    }
}
