//! Cheat: closes each connection as soon as it has served its request, so
//! each is closed once, but nothing is deferred: oldest first.

use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::io;
use std::path::Path;

fn serve_all(dir: &Path) -> io::Result<usize> {
    let mut count = 0;
    for request in kit::jobs() {
        let conn = Connection::open(dir, count)?;
        conn.serve(&request?)?;
        conn.close();
        count += 1;
    }
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
