// A surprise: change `conns` to `&conns` in loop-var-borrow-fail.rs and it
// compiles, and closes 4, 3, 2, 1, 0. Since edition 2021 a closure captures the
// place it uses, `*conn`, rather than the variable `conn`: it borrows the
// connection inside `conns`, which outlives the defer stack, not the loop
// variable, which does not. (In edition 2018 this is the E0597 error again.)

use std::sync::Mutex;

static CLOSED: Mutex<Vec<usize>> = Mutex::new(Vec::new());

struct Connection {
    id: usize,
}

impl Connection {
    fn close(&self) {
        println!("Closing connection {}", self.id);
        CLOSED.lock().unwrap().push(self.id);
    }
}

fn main() {
    let conns: Vec<Connection> = (0..5).map(|id| Connection { id }).collect();
    let mut defers: Vec<Box<dyn FnOnce()>> = Vec::new();
    for conn in &conns {
        defers.push(Box::new(|| conn.close()));
    }
    while let Some(cleanup) = defers.pop() {
        cleanup();
    }
    assert_eq!(*CLOSED.lock().unwrap(), [4, 3, 2, 1, 0]);
}
