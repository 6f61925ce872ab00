// The direct port of Go's bug: a deferred closure that borrows the loop
// variable, kept in a defer stack that outlives the loop. Each iteration's
// `conn` is dropped at the end of that iteration, so the borrow cannot last.

struct Connection {
    id: usize,
}

impl Connection {
    fn close(&self) {
        println!("Closing connection {}", self.id);
    }
}

fn main() {
    let conns: Vec<Connection> = (0..5).map(|id| Connection { id }).collect();
    let mut defers: Vec<Box<dyn FnOnce()>> = Vec::new();
    for conn in conns {
        defers.push(Box::new(|| conn.close()));
    }
    while let Some(cleanup) = defers.pop() {
        cleanup();
    }
}
