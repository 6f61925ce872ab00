//! Cheat: keeps one guard per connection in a `Vec`, each closing its
//! connection when dropped. A `Vec` drops its elements front to back, so the
//! closes run oldest first, unlike deferred calls.

use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::io;
use std::path::Path;

struct CloseOnDrop(Connection);

impl Drop for CloseOnDrop {
    fn drop(&mut self) {
        self.0.close();
    }
}

fn serve_all(dir: &Path) -> io::Result<usize> {
    let mut guards = Vec::new();
    for request in kit::jobs() {
        let conn = Connection::open(dir, guards.len())?;
        conn.serve(&request?)?;
        guards.push(CloseOnDrop(conn));
    }
    Ok(guards.len())
}

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    if let Ok(count) = serve_all(&dir) {
        println!("Served {count} requests.");
    }
}
