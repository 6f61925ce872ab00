// The same closure given to the examples' `DeferStack::defer`, which takes
// `impl FnOnce() + 'static`: a closure that borrows anything local is refused,
// and rustc suggests `move`, the fix in closure-fixed.rs.

use defer_issues::DeferStack;
use std::rc::Rc;

struct Connection {
    id: usize,
}

impl Connection {
    fn close(&self) {
        println!("Closing connection {}", self.id);
    }
}

fn main() {
    let conns: Vec<Rc<Connection>> = (0..5).map(|id| Rc::new(Connection { id })).collect();
    let mut defers = DeferStack::new();
    for conn in conns.iter().cloned() {
        defers.defer(|| conn.close());
    }
}
