//! Cheat: reads every request first, then opens, serves and closes all the
//! connections, newest first, after the input has ended.

use defer_issues::DeferStack;
use defer_issues_exercises::kit;
use defer_issues_exercises::kit::connection::Connection;
use std::io;
use std::path::Path;

fn serve_all(dir: &Path) -> io::Result<usize> {
    let requests: Vec<String> = kit::jobs().collect::<io::Result<_>>()?;
    let mut defers = DeferStack::new();
    for (id, request) in requests.iter().enumerate() {
        let conn = Connection::open(dir, id)?;
        conn.serve(request)?;
        defers.defer(move || conn.close());
    }
    Ok(requests.len())
}

fn main() {
    let Ok(dir) = kit::work_dir("cheat", "") else {
        return;
    };
    if let Ok(count) = serve_all(&dir) {
        println!("Served {count} requests.");
    }
}
